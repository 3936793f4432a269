from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from home.synthetic import DEFAULT_BATCH, generate_catalogue


class Command(BaseCommand):
    help = (
        "Add N realistic synthetic products (and about N/20 producers, at least 7) spread "
        "over all regencies, leaf categories, promotion statuses and producer kinds, and "
        "over all 146 districts once N >= 2920; some get drawn photos. For benchmarks and "
        "load tests. Every run ADDS N "
        "products: codes continue after the highest existing ones, so running it twice "
        "gives 2N products. The same --seed on the same starting database gives the same "
        "codes, names and figures. No change history is recorded for these rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, required=True, help="How many products.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--photos",
            type=int,
            default=None,
            help="How many products get 1–2 drawn photos (default: min(N, 200); slow).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH,
            help=f"Products built and inserted per batch (default {DEFAULT_BATCH}).",
        )

    def handle(self, *args, products, seed, photos, batch_size, verbosity, **options):
        if products < 1:
            raise CommandError("--products must be at least 1.")
        if photos is not None and photos < 0:
            raise CommandError("--photos cannot be negative.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        # Progress by default: a million products take minutes (see the README).
        log = self.stdout.write if verbosity > 0 else None
        try:
            summary = generate_catalogue(products, seed, photos, batch_size, log)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        # Fresh table statistics after a bulk load, so the query planner picks the
        # (producer, status) index for list filters instead of scanning by status.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(str(summary)))
