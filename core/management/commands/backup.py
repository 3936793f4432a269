"""``python manage.py backup [--output DIR]``: database snapshot, media and a manifest in one
archive (see core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy

from core.backup import BackupError, backup, default_backup_dir
from core.jobs import registry, runner

KIND = "backup"


def _run(job, progress):
    try:
        result = backup(job.options.get("output"))
    except BackupError as exc:
        raise registry.JobFailed(str(exc)) from exc
    return {"path": str(result.path), "counts": result.manifest["counts"]}


def register():
    """The same work as a background job (``--as-job``; core.apps registers it)."""
    registry.register(registry.Kind(name=KIND, label=gettext_lazy("Backup"), run=_run))


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
        parser.add_argument(
            "--as-job",
            action="store_true",
            help="Queue it for a worker (manage.py db_worker) and return; administrators "
            "follow it on /jobs/.",
        )

    def handle(self, *args, **options):
        if options["as_job"]:
            job = runner.start(KIND, options={"output": options["output"]})
            self.stdout.write(f"Queued as job {job.pk}: {job.get_absolute_url()}")
            return
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
