"""Server time of the product list vs. the stock Django admin changelist, same run.

Builds N products (default 100,000) with ``generate_catalogue`` into a fresh database
(a temporary SQLite file, or ``--database-url`` for PostgreSQL: that database is dropped
and created again unless ``--reuse``), then times with Django's test client, after warm-up,
three shapes of list, each on our product list (50 rows) and on the admin changelist of
Product with the same filters and search:
  - regency: ``regency=35.09``,
  - search: ``q=<a word of a Jember product's name>``,
  - status + regency + search: the three together,
and a product detail page. Requests are interleaved (every page once per round), so a busy
machine slows all pages alike. Prints median / p95 milliseconds and SQL queries per page,
and for each shape the ratio admin / ours and whether it meets the target (4×).

    .venv/bin/python benchmarks/list_page.py [--products 100000] [--runs 30]
    .venv/bin/python benchmarks/list_page.py --database-url postgres://etalase:etalase@127.0.0.1:5432/etalase_bench
    .venv/bin/python benchmarks/list_page.py --database-url sqlite:////tmp/bench.db --reuse
"""

import argparse
import statistics
import tempfile
import time

from common import build_catalogue, create_database, setup_django

TARGET = 4.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", action="store_true", help="keep existing data (no rebuild)")
    return parser.parse_args()


def shapes(sample):
    """{shape: (our URL, admin URL)} for the filters of ``sample`` (a Jember product)."""
    word = sample.name_id.split()[0].lower()
    regency_id = sample.producer.regency_id
    ours, admin = "/products/?per_page=50&", "/admin/catalogue/product/?"
    return {
        "regency": (f"{ours}regency=35.09", f"{admin}producer__regency__id__exact={regency_id}"),
        "search": (f"{ours}q={word}", f"{admin}q={word}"),
        "status+regency+search": (
            f"{ours}status={sample.status}&regency=35.09&q={word}",
            f"{admin}status__exact={sample.status}"
            f"&producer__regency__id__exact={regency_id}&q={word}",
        ),
    }


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
    pages = {"product detail": f"/products/{sample.code}/"}
    for shape, (ours, admin) in shapes(sample).items():
        pages[f"ours   {shape}"] = ours
        pages[f"admin  {shape}"] = admin
    print(
        f"database: {connection.vendor}; products: {Product.objects.count()}; "
        f"status={sample.status} regency=35.09 q={sample.name_id.split()[0].lower()!r}"
    )
    for url in pages.values():  # warm-up
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    timings = {label: [] for label in pages}
    query_counts = {}
    for _ in range(args.runs):
        for label, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                timings[label].append((time.perf_counter() - started) * 1000)
            query_counts[label] = len(queries)
    medians = {}
    for label, url in pages.items():
        values = sorted(timings[label])
        p95 = values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]
        medians[label] = statistics.median(values)
        print(
            f"{label:30} median {medians[label]:7.1f} ms   p95 {p95:7.1f} ms   "
            f"queries {query_counts[label]:3}   {url}"
        )
    print(f"\nadmin changelist / our list (target ≥ {TARGET:.0f}×):")
    for shape in shapes(sample):
        ours, admin = medians[f"ours   {shape}"], medians[f"admin  {shape}"]
        ratio = admin / ours
        verdict = "meets" if ratio >= TARGET else "MISSES"
        print(
            f"  {shape:24} ours {ours:6.1f} ms ({query_counts[f'ours   {shape}']} queries)"
            f"   admin {admin:6.1f} ms ({query_counts[f'admin  {shape}']} queries)"
            f"   {ratio:5.2f}×  {verdict} {TARGET:.0f}×"
        )


if __name__ == "__main__":
    main()
