"""Faults for real: a ``manage.py db_worker`` process killed with SIGKILL in the middle of
an import confirm, and a queued job outliving the process that queued it.

Everything runs in separate processes on a database of its own (a SQLite file, or a fresh
PostgreSQL database when the tests run on PostgreSQL): the "web" process that queues the
job and exits (tests/core/job_fault_script.py), the worker, and readers of the outcome.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
LOST_AFTER = 3  # seconds without a heartbeat before a running job counts as lost
ROWS = 4000  # enough for the confirm's transaction to last a few seconds


@pytest.fixture
def fault_db(tmp_path):
    """Environment for the processes, on a database nobody else uses."""
    base = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TASKS_URL": "db://",
        "JOBS_LOST_AFTER_SECONDS": str(LOST_AFTER),
        "JOBS_HEARTBEAT_SECONDS": "0.3",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    if base["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path / "faults.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        yield env, {"sqlite": path}
        return
    import psycopg

    name = f"etalase_faults_{uuid.uuid4().hex[:8]}"
    params = {
        "host": base["HOST"] or "127.0.0.1",
        "port": base["PORT"] or 5432,
        "user": base["USER"],
        "password": base["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = (
        f"postgres://{params['user']}:{params['password']}@{params['host']}:{params['port']}/{name}"
    )
    try:
        yield env, {"postgres": {**params, "dbname": name}}
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def script(env, command, argument):
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.job_fault_script", command, str(argument)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker(env, *args):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"]
        + list(args),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _inside_confirm(where, job_id):
    """Is the worker inside the confirm's transaction right now?"""
    if "sqlite" in where:
        # SQLite: the confirm holds the write lock; a write from here cannot start.
        with sqlite3.connect(where["sqlite"], timeout=0) as db:
            (state,) = db.execute("SELECT state FROM core_job WHERE id = ?", (job_id,)).fetchone()
            if state != "running":
                return False
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            db.rollback()
            return False
    import psycopg

    # PostgreSQL: the heartbeat thread's progress shows while the transaction is open.
    with psycopg.connect(**where["postgres"]) as db:
        state, stage, done = db.execute(
            "SELECT state, stage, done FROM core_job WHERE id = %s", (job_id,)
        ).fetchone()
        return state == "running" and stage in ("checking", "writing") and done > 0


def _wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_worker_killed_mid_confirm_loses_nothing_and_retry_applies_once(fault_db):
    env, where = fault_db
    started = script(env, "setup", ROWS)
    job = started["job"]
    before = script(env, "state", job)
    assert before["state"] == "queued" and before["batch"] == "previewed"

    process = worker(env)
    try:
        # Three looks in a row, so that a heartbeat's short write is not taken for it.
        _wait_for(
            lambda: all(_inside_confirm(where, job) or time.sleep(0.1) for _ in range(3)),
            120,
            "the worker to be inside the confirm",
        )
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)

    after_kill = script(env, "state", job)
    # The catalogue is exactly as before: the transaction died with the worker.
    assert (after_kill["products"], after_kill["history"], after_kill["checksum"]) == (
        before["products"],
        before["history"],
        before["checksum"],
    )
    assert after_kill["batch"] == "previewed"
    # Once its heartbeat is older than the timeout, reading the job marks it failed.
    time.sleep(LOST_AFTER + 0.5)
    lost = script(env, "state", job)
    assert (lost["state"], lost["error_code"]) == ("failed", "lost")

    assert script(env, "retry", job) == {"retried": True}
    worker(env, "--batch").wait(timeout=300)  # runs what is queued, then exits
    applied = script(env, "state", job)
    assert (applied["state"], applied["outcome"]) == ("done", "applied")
    assert applied["batch"] == "applied"
    assert applied["attempts"] == 2
    assert applied["products"] == before["products"] + ROWS

    # Pressing confirm again, or trying the job again, writes nothing more.
    assert script(env, "confirm", job) == {"job": job}
    assert script(env, "retry", job) == {"retried": False}
    worker(env, "--batch").wait(timeout=120)
    again = script(env, "state", job)
    assert (again["products"], again["history"]) == (applied["products"], applied["history"])


def test_a_queued_job_outlives_the_process_that_queued_it(fault_db):
    env, _where = fault_db
    job = script(env, "setup", 5)["job"]  # the "web server" queued it and went away
    assert script(env, "state", job)["state"] == "queued"
    worker(env, "--batch").wait(timeout=120)
    state = script(env, "state", job)
    assert (state["state"], state["batch"], state["products"]) == ("done", "applied", 5)


@pytest.fixture
def redis_url():
    """A throw-away Redis server (Debian's redis-server), for the RQ backend."""
    import shutil
    import socket

    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):  # .ci/run installs it: never skip this silently there
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: _accepts(port), 20, "redis-server to listen")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=20)


def _accepts(port):
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


def test_rq_worker_runs_a_queued_import_confirm(fault_db, redis_url):
    env, _where = fault_db
    env = {**env, "TASKS_URL": redis_url}
    job = script(env, "setup", 5)["job"]
    assert script(env, "state", job)["state"] == "queued"
    subprocess.run(
        [sys.executable, "manage.py", "rqworker", "default", "--burst"]
        + ["--job-class", "django_tasks_rq.Job"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )
    state = script(env, "state", job)
    assert (state["state"], state["batch"], state["products"]) == ("done", "applied", 5)
