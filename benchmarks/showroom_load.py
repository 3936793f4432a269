"""Load test of the buyers' pages: 200 simulated buyers against gunicorn on 127.0.0.1:8053.

Builds the 12-product share link of ``showroom_weight.py`` in the database of
``--database-url`` (PostgreSQL by default; dropped and created again), starts
``gunicorn config.wsgi -w 4`` with production-like settings (as benchmarks/load.py does),
warms the pages and thumbnails once, then runs this file's locust users headless: each
buyer opens the collection (Chinese mostly, some English), then products and their
photos, waiting ``--wait`` seconds between requests (1–5 s, locust's example pace).
Prints p50/p95/p99 per page type against the issue's target (p95 ≤ 150 ms).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/showroom_load.py
    .venv/bin/python benchmarks/showroom_load.py --users 200 --duration 90s
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

WAIT = [float(s) for s in os.environ.get("ETALASE_LOAD_WAIT", "1,5").split(",")]


class Buyer(FastHttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        self.site = json.loads(Path(os.environ["SHOWROOM_LOAD_SITE"]).read_text())
        self.lang = "" if random.random() < 0.8 else "?lang=en"

    @task(3)
    def collection(self):
        self.client.get(self.site["collection"] + self.lang, name="collection")

    @task(5)
    def product(self):
        product = random.choice(self.site["products"])
        self.client.get(product["url"] + self.lang, name="product")

    @task(4)
    def photo(self):
        self.client.get(random.choice(self.site["photos"]), name="photo (webp)")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://etalase:etalase@127.0.0.1:5432/etalase_public_bench"
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--duration", default="60s")
    parser.add_argument("--wait", default="1,5")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8053)
    return parser.parse_args()


def prepare(args, tmp):
    from common import create_database, setup_django
    from showroom_weight import build_showroom, server_env

    create_database(args.database_url, replace=True)
    env = server_env(args.database_url, tmp / "media", args.port)
    setup_django(args.database_url, tmp / "media", STATIC_ROOT=env["STATIC_ROOT"])
    from django.core.management import call_command

    from catalogue.models import ProductPhoto
    from showroom.public_pages import photo_url

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    link = build_showroom()
    items = link.collection.items.select_related("product")
    photos = ProductPhoto.objects.filter(product__collection_items__collection=link.collection)
    site = {
        "collection": link.get_absolute_url(),
        "products": [{"url": link.product_url(item.product.code)} for item in items],
        "photos": [photo_url(link, photo, 320) for photo in photos]
        + [photo_url(link, photo, 640) for photo in photos],
    }
    path = tmp / "site.json"
    path.write_text(json.dumps(site))
    return env, site, path


def warm(site, port):
    base = f"http://127.0.0.1:{port}"
    for url in [site["collection"], *(p["url"] for p in site["products"]), *site["photos"]]:
        with urllib.request.urlopen(base + url, timeout=30) as response:  # noqa: S310
            response.read()


def report(stats_csv):
    with open(stats_csv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    header = f"{'requests':>8} {'errors':>6} {'req/s':>6} {'p50':>5} {'p95':>5} {'p99':>5} ms"
    print(f"\n{'page type':16} {header}")
    for row in rows:
        name = "all" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"{name:16} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):6.1f} {row['50%']:>5} {row['95%']:>5} {row['99%']:>5}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    p95, errors = int(float(total["95%"])), int(total["Failure Count"])
    verdict = "met" if errors == 0 and p95 <= 150 else "NOT met"
    print(f"target (no errors, p95 ≤ 150 ms): {verdict} — errors {errors}, p95 {p95} ms")


def server_times(log_path):
    """p50/p95/p99 of the server's own time per public request, from the request log lines
    (core.logging.RequestLogMiddleware: "GET /s/… 200 12.3ms")."""
    times = []
    for line in Path(log_path).read_text(errors="replace").splitlines():
        if "etalase.request GET /s/" in line:
            times += [float(w[:-2]) for w in line.split() if w.endswith("ms")]
    times.sort()
    if not times:
        return "no request log lines"
    pick = [times[min(len(times) - 1, int(len(times) * q))] for q in (0.5, 0.95, 0.99)]
    return "{} requests, p50 {:.0f} / p95 {:.0f} / p99 {:.0f} ms".format(len(times), *pick)


def main():
    from showroom_weight import start_gunicorn, stop

    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="etalase-showroom-load-"))
    env, site, site_path = prepare(args, tmp)
    server = start_gunicorn(env, args.port, args.workers, tmp / "gunicorn.log")
    try:
        warm(site, args.port)
        load_before = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                __file__,
                "--headless",
                "--only-summary",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                args.duration,
                "-H",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(tmp / "stats"),
                "--reset-stats",
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "SHOWROOM_LOAD_SITE": str(site_path),
                "ETALASE_LOAD_WAIT": args.wait,
            },
            check=False,
        )
        load_after = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        print(f"{args.users} buyers, {args.workers} gunicorn workers, wait {args.wait} s")
        report(tmp / "stats_stats.csv")
        print(f"server time (request log, warm-up included): {server_times(tmp / 'gunicorn.log')}")
        print(f"load average before: {load_before}; after: {load_after}")
    finally:
        stop(server)


if __name__ == "__main__":
    main()
