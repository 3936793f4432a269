from django.core.management.base import BaseCommand

from catalogue.models import Product
from catalogue.services import refresh_readiness_many


class Command(BaseCommand):
    help = (
        "Recompute the stored export-readiness score of every product. Safe to run nightly: "
        "it catches certifications that expired since the last change."
    )

    def handle(self, *args, **options):
        changed = refresh_readiness_many(Product.objects.all())
        self.stdout.write(f"Readiness recomputed; {changed} products changed.")
