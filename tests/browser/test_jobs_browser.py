"""An import of 20,000 rows in a real browser: the upload answers at once with the job
page, its progress bar moves while a database-backend worker checks the rows, and the page
ends on the preview."""

import threading
import time

import pytest
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Error as PlaywrightError

from catalogue.models import ImportBatch
from catalogue.spreadsheets import importing

ROWS = 20_000


@pytest.fixture
def db_worker(settings):
    """The database backend with one worker in a thread of this process, on the live
    server's test database.

    PostgreSQL only: SQLite's in-memory test database is shared between threads in
    shared-cache mode, where a second writer fails at once ("database schema is locked")
    instead of waiting; tests/core/test_job_faults.py runs real workers on a SQLite file.
    """
    if connection.vendor == "sqlite":
        pytest.skip("a worker thread needs a database that waits for locks (PostgreSQL)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JOBS_HEARTBEAT_SECONDS = 0.2
    worker = Worker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    )

    def run():
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=60)


@pytest.fixture
def paced_analysis(monkeypatch):
    """The analysis with a 50 ms pause at each progress report (every 250 rows: 4 s over
    20,000 rows). A quiet worker checks 20,000 rows in about 1.5 s, less than two polls of
    the page (one a second), so without the pause whether the bar is seen moving depends
    on the machine; this test is about the page, benchmarks/spreadsheets.py about speed."""
    analyse = importing.analyse

    def paced(batch, user, progress=None):
        def report(*args, **kwargs):
            time.sleep(0.05)
            return progress(*args, **kwargs)

        return analyse(batch, user, progress=report if progress else None)

    monkeypatch.setattr(importing, "analyse", paced)


def test_big_import_shows_a_moving_progress_bar_and_ends_on_its_preview(
    page, live_server, login, shot, staff_user, make_producer, db_worker, paced_analysis, tmp_path
):
    producer = make_producer("35.09", name="Drum Pakusari")
    lines = ["code,name_id,producer_code,category,moq,price_idr"]
    lines += [
        f",Kursi drum {n},{producer.code},kerajinan-kayu,2,{100_000 + n}" for n in range(ROWS)
    ]
    path = tmp_path / "big.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")

    login(staff_user)
    page.goto(f"{live_server.url}/products/import/")
    page.set_input_files("input[type=file]", str(path))
    page.locator('[data-testid="import-upload"]').click()
    page.wait_for_url(f"{live_server.url}/jobs/*/", timeout=10_000)
    seen = set()
    preview = f"{live_server.url}/products/import/"
    for _ in range(1200):  # at most ~2 minutes
        if page.url.startswith(preview):
            break
        try:
            value = page.evaluate(
                "() => { const bar = document.querySelector('progress'); return bar && bar.value; }"
            )
        except PlaywrightError:  # the page was reloading
            value = None
        if value is not None:
            seen.add(value)
            if 0 < max(seen) < 100 and len(seen) == 2:
                shot("jobs-01-import-progress")
        page.wait_for_timeout(100)
    page.wait_for_url(f"{preview}*/", timeout=30_000)
    batch = ImportBatch.objects.get()
    assert page.url == f"{live_server.url}{batch.get_absolute_url()}"
    moving = sorted(value for value in seen if 0 < value < 100)
    assert len(moving) >= 2, f"the bar did not move: {sorted(seen)}"
    assert batch.summary["counts"]["new"] == ROWS
    assert page.locator('[data-count="new"]').count() == 1
    shot("jobs-02-import-preview")
