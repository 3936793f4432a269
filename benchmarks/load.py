"""Load test: 100 simulated users for 2 minutes against gunicorn (4 workers) on 127.0.0.1,
while a 10,000-row import is applied beside them.

Builds N products (default 100,000) with ``generate_catalogue`` into the database of
``--database-url`` (PostgreSQL; the database is dropped and created again, so the role
needs CREATEDB; ``--reuse`` keeps it and its data), creates its own staff and visitor
users with a known password, starts ``gunicorn config.wsgi -w 4`` with production-like
settings, runs the locust users of ``benchmarks/locustfile.py`` headless (staff browsing,
filtering, searching, opening products, a few CSV exports; visitors writing notes), and
prints requests/s, p50/p95/p99 latency per page type, the error count and the load average.

``--import-rows`` (default 10,000; 0 for none): a background worker (``manage.py
db_worker``, the embedded jobs backend) runs beside gunicorn, and once all users are
running an import of that many edited rows (an XLSX built as ``benchmarks/spreadsheets.py``
builds its update file: new prices, statuses, English names) is uploaded as the import
page stores it, analysed by the worker as a job and then confirmed as a second job (one
transaction) — what a staff member's import does. The times of both jobs and their end
states are printed with the figures, so the list pages' p95 is the one users see while a
big write is running.

The users log in while they are spawned (``--spawn-rate`` per second); the statistics are
reset once the last of them has logged in (not when it was spawned: under load a login
takes seconds), and the run ends ``--duration`` later, so the figures are those of
``--duration`` with all ``--users`` at work (logins, which spend ~0.25 s of CPU each on
password hashing, are a different scenario). Each user waits ``--wait`` seconds
(uniformly between the two values) between requests: 1–5 s by default, locust's own
example pace (~33 requests/s from 100 users), already brisker than someone reading a list
of 50 products; ``--wait 0.5,2.5`` (twice that) is a stress run that shows how close the
2 cores are to saturation.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/load.py --database-url postgres://etalase:etalase@127.0.0.1:5432/etalase_load
    .venv/bin/python benchmarks/load.py --database-url … --reuse --users 100 --duration 2m
    .venv/bin/python benchmarks/load.py --database-url … --reuse --wait 0.5,2.5
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import BENCH_ENV, ROOT, build_catalogue, create_database, setup_django

BIN = Path(sys.executable).parent
PASSWORD = "load-test-password-7c1d"  # noqa: S105 (throwaway benchmark users)
LIST_PAGES = ("product list", "product list ?q", "producer list")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://etalase:etalase@127.0.0.1:5432/etalase_load"
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="keep existing data (no rebuild)")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=int, default=5, help="users started per second")
    parser.add_argument("--duration", default="2m", help="measured time with all users: 2m, 90s")
    parser.add_argument("--wait", default="1,5", help="think time between requests, s")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--import-rows", type=int, default=10_000, help="rows of the import applied meanwhile"
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    args.seconds = seconds(args.duration)
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    return args


def seconds(duration):
    """ "2m" → 120, "90s" → 90, "120" → 120."""
    units = {"s": 1, "m": 60, "h": 3600}
    if duration[-1:] in units:
        return int(float(duration[:-1]) * units[duration[-1]])
    return int(duration)


def server_env(args, tmp):
    return {
        **os.environ,
        **BENCH_ENV,
        "DATABASE_URL": args.database_url,
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{args.port}",
        "DB_CONN_MAX_AGE": "60",
        "MEDIA_ROOT": f"{tmp}/media",
    }


def prepare(args, tmp):
    """Data, users and the sample values the simulated users pick from."""
    create_database(args.database_url, replace=not args.reuse)
    setup_django(args.database_url, f"{tmp}/media", **server_env(args, tmp))
    from django.contrib.auth.models import Group, User

    from catalogue.choices import PromotionStatus
    from catalogue.models import Category, Product
    from core import roles
    from regions.models import Regency

    build_catalogue(args.products, photos=200, rebuild=not args.reuse)
    names = {}
    for key, role in (("staff", roles.REGIONAL_STAFF), ("visitor", roles.VISITOR)):
        user, _ = User.objects.get_or_create(username=f"load-{key}")
        user.set_password(PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        names[key] = user.username
    products = Product.objects.order_by("?").select_related("producer")[:500]
    words = set()
    for product in products[:200]:
        words.update(w.lower() for w in product.name_id.split() if len(w) >= 4)
    samples = {
        **names,
        "password": PASSWORD,
        "products": [{"code": p.code, "producer": p.producer.code} for p in products],
        "words": sorted(words),
        "regencies": list(Regency.objects.values_list("code", flat=True)),
        "categories": list(Category.objects.values_list("slug", flat=True)),
        "statuses": list(PromotionStatus.values),
    }
    if args.import_rows:
        from spreadsheets import import_file

        Path(tmp, "import.xlsx").write_bytes(import_file("update", args.import_rows))
    path = Path(tmp) / "samples.json"
    path.write_text(json.dumps(samples), encoding="utf-8")
    print(f"database: {args.database_url.rsplit('@', 1)[-1]}; products: {Product.objects.count()}")
    return path


def start_gunicorn(args, tmp):
    log = open(f"{tmp}/gunicorn.log", "ab")  # noqa: SIM115 (open while the server runs)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=log,
        env=server_env(args, tmp),
        start_new_session=True,
    )
    for _ in range(60):
        if server.poll() is not None:  # e.g. the port is taken: never test another server
            sys.exit(f"gunicorn stopped; see {tmp}/gunicorn.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    sys.exit(f"gunicorn did not answer; see {tmp}/gunicorn.log")


def start_worker(args, tmp):
    """One ``db_worker`` beside the web server, as ``bin/demo`` and production run it."""
    log = open(f"{tmp}/worker.log", "ab")  # noqa: SIM115 (open while the worker runs)
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker"],
        cwd=ROOT,
        stdout=log,
        stderr=log,
        env=server_env(args, tmp),
        start_new_session=True,
    )


def wait_for(job, timeout=900):
    """The job once it has finished (polled as the job page polls it)."""
    from core.jobs.models import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job.pk)
        if job.state in Job.FINISHED:
            return job
        time.sleep(0.5)
    return job


def run_import(tmp):
    """Upload, analysis job, confirm job: each job's seconds and end state."""
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile

    from catalogue.models import ImportBatch
    from catalogue.spreadsheets import import_jobs
    from catalogue.spreadsheets.importing import OVERWRITE

    user = User.objects.get(username="load-staff")
    batch = ImportBatch(user=user, original_name="load.xlsx")
    batch.file.save("load.xlsx", ContentFile(Path(tmp, "import.xlsx").read_bytes()), save=True)
    steps = []
    started = time.monotonic()
    analysis = wait_for(import_jobs.start_analysis(batch, user))
    steps.append(("analysis", time.monotonic() - started, analysis.state))
    if analysis.state == "done":
        batch.refresh_from_db()
        started = time.monotonic()
        confirm = wait_for(import_jobs.start_confirm(batch, user, OVERWRITE))
        steps.append(("confirm", time.monotonic() - started, confirm.state))
    return steps


def stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def report(stats_csv, load_before, load_after, duration):
    with open(stats_csv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    print(
        f"\n{'page type':20} {'requests':>8} {'errors':>6} {'req/s':>6} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(
            f"{row['Name']:20} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):6.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
    assert total is not None
    print(
        f"{'all':20} {total['Request Count']:>8} {total['Failure Count']:>6} "
        f"{float(total['Requests/s']):6.1f} {total['50%']:>7} {total['95%']:>7} {total['99%']:>7}"
    )
    list_p95 = max(int(float(r["95%"])) for r in rows if r["Name"] in LIST_PAGES)
    errors = int(total["Failure Count"])
    print(f"load average (1/5/15 min) before: {load_before}, after {duration}: {load_after}")
    verdict = "met" if errors == 0 and list_p95 <= 500 else "NOT met"
    print(
        f"target (zero errors, list pages p95 ≤ 500 ms): {verdict} — errors {errors}, "
        f"worst list p95 {list_p95} ms"
    )


def main():
    args = parse_args()
    tmp = tempfile.mkdtemp(prefix="etalase-load-")
    samples = prepare(args, tmp)
    server = start_gunicorn(args, tmp)
    load_before = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    # The locust run ends MEASURE_SECONDS after its last login; -t is only a safety net.
    ramp = -(-args.users // args.spawn_rate)
    started = Path(tmp, "all-logged-in")
    worker, steps = (start_worker(args, tmp) if args.import_rows else None), []
    try:
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{ramp + args.seconds + 300}s",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                f"{tmp}/load",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "ETALASE_LOAD_SAMPLES": str(samples),
                "ETALASE_LOAD_WAIT": args.wait,
                "ETALASE_LOAD_MEASURE_SECONDS": str(args.seconds),
                "ETALASE_LOAD_STARTED": str(started),
            },
        )
        ramp_started = time.monotonic()
        while not started.exists() and locust.poll() is None:
            time.sleep(0.2)
        ramp = round(time.monotonic() - ramp_started)
        if args.import_rows:
            steps = run_import(tmp)
        locust.wait()
    finally:
        load_after = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        if worker is not None:
            stop(worker)
        stop(server)
    print(
        f"\n{args.users} users (think time {args.wait.replace(',', '–')} s), "
        f"{args.workers} gunicorn workers, "
        f"measured {args.duration} after {ramp} s of spawning and logging in; files in {tmp}"
    )
    if args.import_rows:
        done = ", ".join(f"{name} {state} in {took:.0f} s" for name, took, state in steps)
        print(
            f"import of {args.import_rows:,} rows by the worker during the run: {done} "
            f"(worker log: {tmp}/worker.log)"
        )
    report(f"{tmp}/load_stats.csv", load_before, load_after, args.duration)


if __name__ == "__main__":
    main()
