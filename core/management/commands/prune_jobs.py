from django.core.management.base import BaseCommand, CommandError

from core.jobs import runner


class Command(BaseCommand):
    help = (
        "Delete the finished jobs (done, failed, cancelled) that ended more than "
        "JOBS_KEEP_DAYS days ago; queued and running jobs stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Default: JOBS_KEEP_DAYS.")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        self.stdout.write(f"{runner.prune(days)} finished jobs deleted.")
