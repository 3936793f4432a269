"""Server time of the product list vs. the stock Django admin changelist, same run.

Builds N products (default 100,000) with ``generate_catalogue`` into a fresh database
(a temporary SQLite file, or ``--database-url`` for PostgreSQL: that database is dropped
and created again unless ``--reuse``), then times with Django's test client, after warm-up:
  - our product list (50 rows, ``status`` + ``regency`` + ``q``),
  - a product detail page,
  - the admin changelist of Product with the same filters and search,
and prints median / p95 milliseconds and SQL queries per request.

    .venv/bin/python benchmarks/list_page.py [--products 100000] [--runs 30]
    .venv/bin/python benchmarks/list_page.py --database-url postgres://etalase:etalase@127.0.0.1:5432/etalase_bench
"""

import argparse
import statistics
import tempfile
import time

from common import build_catalogue, create_database, setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", action="store_true", help="keep existing data (no rebuild)")
    return parser.parse_args()


def main():
    args = parse_args()
    tmp = tempfile.mkdtemp(prefix="etalase-bench-")
    database_url = args.database_url or f"sqlite:///{tmp}/bench.db"
    create_database(database_url, replace=not args.reuse)
    setup_django(database_url, f"{tmp}/media")
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    build_catalogue(args.products, photos=200, rebuild=not args.reuse)
    user, _ = User.objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    user.groups.add(Group.objects.get(name="Administrator"))
    client = Client()
    client.force_login(user)

    from catalogue.models import Product

    sample = Product.objects.filter(producer__regency__code="35.09").order_by("pk").first()
    word = sample.name_id.split()[0].lower()
    status = sample.status
    pages = {
        "our product list": f"/products/?status={status}&regency=35.09&q={word}&per_page=50",
        "product detail": f"/products/{sample.code}/",
        "admin changelist": (
            f"/admin/catalogue/product/?status__exact={status}"
            f"&producer__regency__id__exact={sample.producer.regency_id}&q={word}"
        ),
    }
    print(
        f"database: {connection.vendor}; products: {Product.objects.count()}; "
        f"filter status={status} regency=35.09 q={word!r}"
    )
    for url in pages.values():  # warm-up
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    # Interleaved rounds: a busy machine slows every page alike, not one more than another.
    timings = {label: [] for label in pages}
    query_counts = {}
    for _ in range(args.runs):
        for label, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                timings[label].append((time.perf_counter() - started) * 1000)
            query_counts[label] = len(queries)
    results = {}
    for label, url in pages.items():
        values = sorted(timings[label])
        p95 = values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]
        results[label] = statistics.median(values)
        print(
            f"{label:18} median {results[label]:7.1f} ms   p95 {p95:7.1f} ms   "
            f"queries {query_counts[label]:3}   {url}"
        )
    ratio = results["admin changelist"] / results["our product list"]
    print(f"admin changelist / our list: {ratio:.2f}x")


if __name__ == "__main__":
    main()
