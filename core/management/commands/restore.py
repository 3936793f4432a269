"""``python manage.py restore ARCHIVE [--yes]``: bring back a backup written by ``backup``
into the configured database and media storage (see core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the database and media files of a backup archive. Replaces the configured "
        "database's contents; refuses to do so without --yes when it already holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="An etalase-….tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the data of a database that is not empty.",
        )

    def handle(self, *args, **options):
        try:
            result = restore(options["archive"], overwrite=options["yes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(f"Restored the backup of {manifest['created_at']}.")
        for label, n in result.counts.items():
            if n and (options["verbosity"] > 1 or label in result.mismatches):
                self.stdout.write(f"  {label:<40} {n:>8}")
        rows = sum(result.counts.get(label, 0) for label in manifest["counts"])
        self.stdout.write(f"Database: {rows} rows (backup: {sum(manifest['counts'].values())})")
        self.stdout.write(f"Media: {result.files} files (backup: {manifest['media']['files']})")
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        if result.mismatches:
            lines = [
                f"{label}: {expected} in the backup, {found} now"
                for label, (expected, found) in result.mismatches.items()
            ]
            raise CommandError("Counts differ from the backup's manifest:\n" + "\n".join(lines))
        self.stdout.write(self.style.SUCCESS("Counts match the backup's manifest."))
