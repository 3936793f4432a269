from django.core.management.base import BaseCommand

from core.jobs import runner


class Command(BaseCommand):
    help = (
        "Mark failed the running jobs whose worker stopped writing its heartbeat for "
        "JOBS_LOST_AFTER_SECONDS (killed, or its machine gone)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{runner.fail_lost()} lost jobs marked failed.")
