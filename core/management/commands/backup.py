"""``python manage.py backup [--output DIR]``: database snapshot, media and a manifest in one
archive (see core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup, default_backup_dir


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database (SQLite online backup or pg_dump) and "
        "every media file into DIR/etalase-YYYYMMDD-HHMMSS.tar.gz, with a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="DIR",
            help=f"Folder for the archive (default: BACKUP_DIR, now {default_backup_dir()}).",
        )

    def handle(self, *args, **options):
        try:
            result = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        counts = manifest["counts"]
        rows = sum(counts.values())
        self.stdout.write(f"Database: {manifest['database']['vendor']}, {rows} rows")
        for label, n in counts.items():
            if n and options["verbosity"] > 1:
                self.stdout.write(f"  {label:<40} {n:>8}")
        media = manifest["media"]
        self.stdout.write(f"Media: {media['files']} files, {media['bytes']} bytes")
        self.stdout.write(self.style.SUCCESS(f"Backup written: {result.path}"))
