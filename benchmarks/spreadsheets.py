"""Spreadsheet export speed and memory: our streamed writers vs. stock django-import-export.

Builds N products (default 100,000; no photos) with ``generate_catalogue`` into a database
(a SQLite file in the temporary folder, or ``--database-url``), then runs every export of
all rows in its own child process, so that each figure of peak memory (RSS, from
``getrusage``) belongs to that export alone:

  - ours: ``/products/export/?format=xlsx|csv|ods`` through Django's test client, the file
    read chunk by chunk as a WSGI server would (time to the first chunk is shown too);
  - stock: a ``ModelResource`` with the same 21 columns (``select_related`` and prefetched
    photos/certifications, ``force_native_type=True`` so numbers stay numbers), then
    ``.export(queryset).xlsx`` and ``.csv``, as a careful user of the library would write.

    .venv/bin/python benchmarks/spreadsheets.py [--products 100000] [--reuse]
    .venv/bin/python benchmarks/spreadsheets.py --database-url postgres://etalase:etalase@127.0.0.1:5432/etalase_bench

Exports are measured by ``bench_exports``; imports have their own function in this file.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = Path(tempfile.gettempdir()) / "etalase-bench-spreadsheets.db"

EXPORT_CASES = {
    "ours-xlsx": "our streamed XLSX",
    "ours-csv": "our streamed CSV",
    "ours-ods": "our streamed ODS",
    "stock-xlsx": "stock resource → XLSX",
    "stock-csv": "stock resource → CSV",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", action="store_true", help="keep existing data (no rebuild)")
    parser.add_argument(
        "--only", default="", help="comma-separated cases, e.g. ours-xlsx,stock-csv"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args()


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "etalase-bench-media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["STATIC_MANIFEST"] = "0"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- Child processes: one export each ---------------------------------------------------


def run_ours(fmt):
    from django.contrib.auth.models import Group, User
    from django.test import Client

    user, _created = User.objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    user.groups.add(Group.objects.get(name="Administrator"))
    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    response = client.get(f"/products/export/?format={fmt}")
    assert response.status_code == 200, response.status_code
    first_chunk, size = None, 0
    for chunk in response.streaming_content:
        if first_chunk is None:
            first_chunk = time.perf_counter() - started
        size += len(chunk)
    response.close()
    from catalogue.models import ExportRecord

    rows = ExportRecord.objects.order_by("-pk").values_list("row_count", flat=True).first()
    return {
        "seconds": time.perf_counter() - started,
        "first": first_chunk,
        "bytes": size,
        "rows": rows,
    }


def stock_resource_class():
    from import_export import fields, resources

    from catalogue.columns import KEYS, format_certifications, photo_url
    from catalogue.models import Product

    class StockProductResource(resources.ModelResource):
        producer_code = fields.Field(attribute="producer__code", column_name="producer_code")
        producer_name = fields.Field(attribute="producer__name", column_name="producer_name")
        regency = fields.Field(attribute="producer__regency__name", column_name="regency")
        district = fields.Field(attribute="producer__district__name", column_name="district")
        category = fields.Field(attribute="category__slug", column_name="category")
        readiness = fields.Field(attribute="readiness_score", column_name="readiness")
        hs_code = fields.Field(attribute="hs_code_id", column_name="hs_code")
        certifications = fields.Field(column_name="certifications")
        photo_url = fields.Field(column_name="photo_url")

        class Meta:
            model = Product
            fields = KEYS
            export_order = KEYS

        def dehydrate_certifications(self, product):
            return format_certifications(product.certification_list)

        def dehydrate_photo_url(self, product):
            return photo_url(product)

    return StockProductResource


def run_stock(fmt):
    from catalogue.columns import export_queryset
    from catalogue.models import Product

    resource_class = stock_resource_class()
    started = time.perf_counter()
    queryset = export_queryset(Product.objects.order_by("code"))
    dataset = resource_class().export(queryset, force_native_type=True)
    data = dataset.xlsx if fmt == "xlsx" else dataset.csv.encode("utf-8-sig")
    return {
        "seconds": time.perf_counter() - started,
        "first": None,
        "bytes": len(data),
        "rows": len(dataset),
    }


def child(case, database_url):
    setup_django(database_url)
    kind, fmt = case.split("-")
    result = run_ours(fmt) if kind == "ours" else run_stock(fmt)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def measure(case, database_url):
    command = [sys.executable, __file__, "--child", case, "--database-url", database_url]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{case} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- The benchmarks ---------------------------------------------------------------------


def bench_exports(database_url, cases):
    results = {}
    print(
        f"{'export':26} {'seconds':>8} {'first chunk':>12} {'peak RSS':>9} {'rows':>8} {'size':>9}"
    )
    for case in cases:
        result = results[case] = measure(case, database_url)
        first = f"{result['first'] * 1000:.0f} ms" if result["first"] is not None else "—"
        print(
            f"{EXPORT_CASES[case]:26} {result['seconds']:7.1f}s {first:>12} "
            f"{result['peak_rss_mb']:6.0f} MB {result['rows']:8} {result['bytes'] / 1e6:6.1f} MB",
            flush=True,
        )
    for ours, stock in (("ours-xlsx", "stock-xlsx"), ("ours-csv", "stock-csv")):
        if ours in results and stock in results:
            ratio = results[stock]["seconds"] / results[ours]["seconds"]
            print(f"{EXPORT_CASES[ours]} is {ratio:.1f}× faster than {EXPORT_CASES[stock]}")
    return results


def prepare_database(args):
    database_url = args.database_url or f"sqlite:///{DEFAULT_DB}"
    if not args.reuse and not args.database_url:
        DEFAULT_DB.unlink(missing_ok=True)
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from catalogue.models import Product

    if not args.reuse:
        if args.database_url:
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("generate_catalogue", products=args.products, seed=1, photos=0, verbosity=0)
        print(
            f"generate_catalogue --products {args.products}: {time.perf_counter() - started:.1f} s"
        )
    print(f"database: {connection.vendor} ({database_url}); products: {Product.objects.count()}")
    connection.close()
    return database_url


def main():
    args = parse_args()
    if args.child:
        child(args.child, args.database_url)
        return
    database_url = prepare_database(args)
    only = [c for c in args.only.split(",") if c]
    bench_exports(database_url, [c for c in EXPORT_CASES if not only or c in only])


if __name__ == "__main__":
    main()
