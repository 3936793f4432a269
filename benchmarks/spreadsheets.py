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

Exports are measured by ``bench_exports``. ``bench_imports`` times imports of 10,000 rows
(``catalogue.spreadsheets.importing``: upload → preview → confirm, as the import page runs
them) that update existing products and that create new ones. (The admin's
django-import-export resource is export only, so that every import goes through the one
write path; there is no stock import to compare with any more.)
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

from common import ROOT, build_catalogue, create_database, peak_rss_mb, setup_django

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
        "--only",
        default="",
        help="comma-separated cases, e.g. ours-xlsx,stock-csv,import-update,import-create",
    )
    parser.add_argument(
        "--import-rows", type=int, default=IMPORT_ROWS, help="rows of each import case"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args()


MEDIA_ROOT = Path(tempfile.gettempdir()) / "etalase-bench-media"


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

    from catalogue.models import Product
    from catalogue.spreadsheets.columns import KEYS, format_certifications, photo_url

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
            # With prefetch_related the resource pages through the queryset (LIMIT/OFFSET);
            # its default of 100 rows a page makes 1,000 pages and ~4 minutes here.
            chunk_size = 2000

        def dehydrate_certifications(self, product):
            return format_certifications(product.certification_list)

        def dehydrate_photo_url(self, product):
            return photo_url(product)

    return StockProductResource


def run_stock(fmt):
    from catalogue.models import Product
    from catalogue.spreadsheets.columns import export_queryset

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


# --- Imports (catalogue.spreadsheets.importing) -----------------------------------------

# --import-rows (10,000 by default; the targets are also given for 100,000), passed on to
# the child processes through the environment.
IMPORT_ROWS = int(os.environ.get("ETALASE_BENCH_IMPORT_ROWS", "10000"))
IMPORT_CASES = {
    "import-update": f"our import, {IMPORT_ROWS:,} updates",
    "import-create": f"our import, {IMPORT_ROWS:,} new rows",
}


def import_file(kind, rows=IMPORT_ROWS):
    """An XLSX of ``rows`` exported products, each edited as a person might edit it.

    Updates: every row gets a new price, every fourth a new status, every third an English
    name. New rows: the same products with the code emptied, so each creates a product
    with the next free code of its producer's regency.
    """
    import io

    import openpyxl

    from catalogue.models import Product
    from catalogue.spreadsheets.columns import KEYS, iter_row_values

    statuses = ["draft", "candidate", "shortlisted", "promoted"]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(KEYS)
    queryset = Product.objects.exclude(status="not_suitable").order_by("pk")[:rows]
    for number, row in enumerate(iter_row_values(queryset)):
        row[KEYS.index("price_idr")] = (row[KEYS.index("price_idr")] or 10_000) + 500
        if number % 4 == 0:
            row[KEYS.index("status")] = statuses[(number // 4) % len(statuses)]
        if number % 3 == 0:
            row[KEYS.index("name_en")] = f"{row[KEYS.index('name_en')]} (new)"[:200]
        if kind == "create":
            row[KEYS.index("code")] = ""
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cpu_seconds():
    """This process's CPU time: with SQLite it includes the database's work, and unlike
    wall time it hardly changes when other processes compete for the cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_user():
    from django.contrib.auth.models import Group, User

    user, _created = User.objects.get_or_create(username="bench-importer")
    user.groups.add(Group.objects.get(name="Regional staff"))
    return user


def run_import(kind):
    """Upload → preview (read, check every row, store the summary) → confirm (read and
    check again under lock, then write), exactly as the import page does."""
    from django.core.files.base import ContentFile

    from catalogue.models import ImportBatch, Product
    from catalogue.spreadsheets import importing

    data = import_file(kind)
    user = bench_user()
    before = Product.objects.count()
    batch = ImportBatch(user=user, original_name=f"bench-{kind}.xlsx")
    batch.file.save(batch.original_name, ContentFile(data), save=True)
    cpu = cpu_seconds()
    started = time.perf_counter()
    importing.analyse(batch, user)
    previewed = time.perf_counter()
    outcome = importing.confirm(batch, user)
    confirmed = time.perf_counter()
    cpu = cpu_seconds() - cpu
    counts = batch.summary["counts"]
    if outcome != "applied" or batch.summary["errors_total"]:
        raise SystemExit(f"import {kind}: {outcome}, {batch.summary['errors'][:5]}")
    if kind == "create":  # leave the catalogue as it was for the next run
        Product.objects.filter(code__in=ImportBatch.objects.get(pk=batch.pk).changed_codes).delete()
    return {
        "seconds": confirmed - started,
        "cpu": cpu,
        "preview": previewed - started,
        "confirm": confirmed - previewed,
        "rows": counts["new"] + counts["changed"],
        "products_before": before,
        "bytes": len(data),
    }


def bench_imports(database_url, cases):
    """Imports of ``IMPORT_ROWS`` rows: preview (analysis) and confirm timed separately
    (targets: 10,000 rows ≤ 5 s each; 100,000 rows analysis ≤ 30 s, confirm ≤ 45 s,
    peak memory ≤ 400 MB)."""
    results = {}
    print(f"load average before the imports: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'import':40} {'total':>7} {'preview':>8} {'confirm':>8} {'CPU':>7} {'peak RSS':>9} "
        f"{'rows':>7}"
    )
    for case in cases:
        result = results[case] = measure(case, database_url)
        preview = f"{result['preview']:.1f}s" if result["preview"] is not None else "—"
        confirm = f"{result['confirm']:.1f}s" if result["confirm"] is not None else "—"
        print(
            f"{IMPORT_CASES[case]:40} {result['seconds']:6.1f}s {preview:>8} {confirm:>8} "
            f"{result['cpu']:6.1f}s {result['peak_rss_mb']:6.0f} MB {result['rows']:7}",
            flush=True,
        )
    return results


def child(case, database_url):
    setup_django(database_url, MEDIA_ROOT)
    if case in IMPORT_CASES:
        result = run_import(case.removeprefix("import-"))
    else:
        kind, fmt = case.split("-")
        result = run_ours(fmt) if kind == "ours" else run_stock(fmt)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def measure(case, database_url):
    command = [sys.executable, __file__, "--child", case, "--database-url", database_url]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "ETALASE_BENCH_IMPORT_ROWS": str(IMPORT_ROWS)},
    )
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
    create_database(database_url, replace=not args.reuse)
    setup_django(database_url, MEDIA_ROOT)
    from django.db import connection

    from catalogue.models import Product

    build_catalogue(args.products, photos=0, rebuild=not args.reuse)
    print(f"database: {connection.vendor} ({database_url}); products: {Product.objects.count()}")
    connection.close()
    return database_url


def main():
    global IMPORT_ROWS, IMPORT_CASES  # noqa: PLW0603 (the command line sets the size)
    args = parse_args()
    if args.import_rows != IMPORT_ROWS:
        IMPORT_ROWS = args.import_rows
        IMPORT_CASES = {
            "import-update": f"our import, {IMPORT_ROWS:,} updates",
            "import-create": f"our import, {IMPORT_ROWS:,} new rows",
        }
    if args.child:
        child(args.child, args.database_url)
        return
    database_url = prepare_database(args)
    only = [c for c in args.only.split(",") if c]
    exports = [c for c in EXPORT_CASES if not only or c in only]
    imports = [c for c in IMPORT_CASES if not only or c in only]
    if exports:
        bench_exports(database_url, exports)
    if imports:
        bench_imports(database_url, imports)


if __name__ == "__main__":
    main()
