"""Server time of four pages at two catalogue sizes, and the ratio (target ≤ 1.5×).

For each size (``SCALE_SIZES``, default ``2000,20000`` for a quick run; the README's
figures use ``100000,1000000``) a database is built with ``generate_catalogue`` (seed 1,
no photos) or reused when it is there already, then these pages are timed with Django's
test client as an administrator, median of ``SCALE_RUNS`` runs (default 15) after warm-up:

  - product list: ``status`` + ``regency=35.09`` + ``q``, 50 rows
  - product detail
  - producer list (50 rows)
  - dashboard

``q`` and ``status`` are taken from the first Jember product of the smallest size and used
at every size, so each size answers the same question.

    .venv/bin/python benchmarks/scale_pages.py
    SCALE_SIZES=100000,1000000 \\
        SCALE_DATABASE=postgres://etalase:etalase@127.0.0.1:5432/etalase_scale \\
        .venv/bin/python benchmarks/scale_pages.py

``SCALE_DATABASE``: unset, SQLite files ``/tmp/etalase-scale-<size>.db``; a PostgreSQL URL,
databases ``<its name>_<size>`` on that server (the role needs CREATEDB). A database that
already holds ``size`` products is reused; ``SCALE_REBUILD=1`` builds it again. Each size
runs in a child process of its own (Django holds one database per process).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

from common import create_database, setup_django

TARGET = 1.5
PAGES = ("product list", "product detail", "producer list", "dashboard")


def database_url(size):
    base = os.environ.get("SCALE_DATABASE", "")
    if not base:
        return f"sqlite:////tmp/etalase-scale-{size}.db"
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path}_{size}"))


def measure(size, runs, word, status):
    """In a child process: build or reuse the database of ``size``, time the pages."""
    url = database_url(size)
    rebuild = os.environ.get("SCALE_REBUILD") == "1"
    create_database(url, replace=rebuild)
    setup_django(url, tempfile.mkdtemp(prefix="etalase-scale-"))
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from catalogue.models import Producer, Product

    existing = Product.objects.count()
    if existing and existing != size:
        raise SystemExit(f"{url} holds {existing} products, not {size}: SCALE_REBUILD=1")
    if not existing:
        started = time.perf_counter()
        call_command("generate_catalogue", products=size, seed=1, photos=0, verbosity=0)
        seconds = time.perf_counter() - started
        print(f"  built {size:,} products in {seconds:.0f} s", file=sys.stderr)
    user, _ = User.objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    user.groups.add(Group.objects.get(name="Administrator"))
    client = Client()
    client.force_login(user)
    sample = Product.objects.filter(producer__regency__code="35.09").order_by("pk").first()
    word = word or sample.name_id.split()[0].lower()
    status = status or sample.status
    pages = {
        "product list": f"/products/?per_page=50&status={status}&regency=35.09&q={word}",
        "product detail": f"/products/{sample.code}/",
        "producer list": "/producers/?per_page=50",
        "dashboard": "/",
    }
    for page_url in pages.values():  # warm-up
        for _ in range(2):
            response = client.get(page_url)
            assert response.status_code == 200, (page_url, response.status_code)
    timings = {label: [] for label in pages}
    queries = {}
    for _ in range(runs):
        for label, page_url in pages.items():  # interleaved: a busy machine slows all alike
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(page_url)
                timings[label].append((time.perf_counter() - started) * 1000)
            queries[label] = len(captured)
    return {
        "size": size,
        "vendor": connection.vendor,
        "products": Product.objects.count(),
        "producers": Producer.objects.count(),
        "word": word,
        "status": status,
        "urls": pages,
        "median_ms": {label: statistics.median(values) for label, values in timings.items()},
        "queries": queries,
    }


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        size, runs, word, status = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
        print(json.dumps(measure(size, runs, word, status)))
        return
    sizes = sorted(int(s) for s in os.environ.get("SCALE_SIZES", "2000,20000").split(","))
    runs = int(os.environ.get("SCALE_RUNS", "15"))
    word = status = ""
    results = []
    for size in sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(size), str(runs), word, status],
            check=True,
            capture_output=True,
            text=True,
        )
        sys.stderr.write(child.stderr[-2000:] if child.returncode else "")
        result = json.loads(child.stdout.strip().splitlines()[-1])
        word, status = result["word"], result["status"]
        results.append(result)
        print(
            f"{result['vendor']} {result['products']:,} products, {result['producers']:,} "
            f"producers: q={word!r} status={status}"
        )
        for label in PAGES:
            print(
                f"  {label:15} {result['median_ms'][label]:8.1f} ms  "
                f"({result['queries'][label]} queries)  {result['urls'][label]}"
            )
    if len(results) < 2:
        return
    small, large = results[0], results[-1]
    print(f"\n{large['size']:,} / {small['size']:,} (target ≤ {TARGET}×):")
    for label in PAGES:
        ratio = large["median_ms"][label] / small["median_ms"][label]
        verdict = "meets" if ratio <= TARGET else "MISSES"
        print(
            f"  {label:15} {small['median_ms'][label]:8.1f} ms → "
            f"{large['median_ms'][label]:8.1f} ms   {ratio:5.2f}×  {verdict}"
        )


if __name__ == "__main__":
    main()
