from django.core.management.base import BaseCommand

from core.jobs import runner


class Command(BaseCommand):
    help = (
        "Remove the files built by background jobs (lookbooks) whose job ended more than "
        "JOB_FILES_DAYS days ago. Safe to run nightly."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{runner.remove_old_files()} job files removed.")
