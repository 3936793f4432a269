from django.core.management.base import BaseCommand

from catalogue.spreadsheets import importing


class Command(BaseCommand):
    help = (
        "Discard import previews that were never confirmed or discarded, and delete their "
        "uploaded files. Safe to run nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="discard previews uploaded more than this many days ago (default 7)",
        )

    def handle(self, *args, days, **options):
        discarded = importing.discard_stale(days)
        self.stdout.write(f"{discarded} import previews older than {days} days discarded.")
