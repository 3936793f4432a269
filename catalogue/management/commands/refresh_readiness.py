from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy

from catalogue.models import Product
from catalogue.services import refresh_readiness_many
from core.jobs import registry, runner

KIND = "refresh_readiness"


def _run(job, progress):
    return {"changed": refresh_readiness_many(Product.objects.all(), progress=progress)}


def register():
    """The same work as a background job (``--as-job``; catalogue.apps registers it)."""
    registry.register(
        registry.Kind(name=KIND, label=gettext_lazy("Export readiness recount"), run=_run)
    )


class Command(BaseCommand):
    help = (
        "Recompute the stored export-readiness score of every product. Safe to run nightly: "
        "it catches certifications that expired since the last change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-job",
            action="store_true",
            help="Queue it for a worker (manage.py db_worker) and return; administrators "
            "follow it on /jobs/.",
        )

    def handle(self, *args, **options):
        if options["as_job"]:
            job = runner.start(KIND)
            self.stdout.write(f"Queued as job {job.pk}: {job.get_absolute_url()}")
            return
        changed = refresh_readiness_many(Product.objects.all())
        self.stdout.write(f"Readiness recomputed; {changed} products changed.")
