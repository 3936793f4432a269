"""Time ``generate_catalogue`` on a fresh database and print what was measured.

    .venv/bin/python benchmarks/generate.py [--products 100000] [--seed 1]
    .venv/bin/python benchmarks/generate.py --database-url postgres://etalase:etalase@127.0.0.1:5432/etalase

Without ``--database-url`` a temporary SQLite file is created, migrated and removed
afterwards (``--keep`` keeps it, e.g. to benchmark the list pages on it). With a PostgreSQL
URL, a temporary database ``<name>_bench_<pid>`` is created next to the named one (the role
needs CREATEDB) and dropped afterwards, so the named database is never touched.
"""

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from common import create_database, drop_database, peak_rss_mb, setup_django


def current_rss_mb():
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    except OSError:
        return float("nan")


def sibling_database(url):
    """The URL of ``<name>_bench_<pid>`` on the same PostgreSQL server as ``url``."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_bench_{os.getpid()}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--photos", type=int, default=0)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="etalase-bench-"))
    if args.database_url:
        url = sibling_database(args.database_url)
        create_database(url, replace=True)
    else:
        url = f"sqlite:///{workdir / 'bench.db'}"
    setup_django(url, workdir / "media")
    from django.core.management import call_command
    from django.db import connection

    from catalogue.models import Certification, Producer, Product

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrate_seconds = time.perf_counter() - started
        rss_before = current_rss_mb()

        started = time.perf_counter()
        call_command(
            "generate_catalogue", products=args.products, seed=args.seed, photos=args.photos
        )
        seconds = time.perf_counter() - started

        print()
        print(f"database          {connection.vendor} ({connection.settings_dict['NAME']})")
        print(f"migrate           {migrate_seconds:.1f} s")
        print(f"products          {Product.objects.count()}")
        print(f"producers         {Producer.objects.count()}")
        print(f"certifications    {Certification.objects.count()}")
        print(f"generate          {seconds:.1f} s")
        print(f"rate              {args.products / seconds:,.0f} products/s")
        print(f"RSS before        {rss_before:.0f} MB")
        print(f"peak RSS          {peak_rss_mb():.0f} MB (whole process, migrate included)")
        if not args.database_url:
            size = (workdir / "bench.db").stat().st_size / 1024 / 1024
            print(f"database size     {size:.0f} MB")
    finally:
        connection.close()
        if args.keep:
            print(f"kept              {connection.settings_dict['NAME']}")
        else:
            drop_database(url)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
