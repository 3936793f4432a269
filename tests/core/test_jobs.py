"""Background jobs (core.jobs): states by conditional updates, idempotent starts, cancel,
retry, lost workers, and the pages that show them."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from core.jobs import registry, runner
from core.jobs.models import Job
from core.jobs.views import status, time_left_text

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
calls = []


def _count(job, progress):
    calls.append(job.pk)
    total = job.options.get("rows", 3)
    for done in range(total):
        progress(done, total, "checking")
    if job.options.get("fail"):
        raise registry.JobFailed("Row 2 is broken.", retryable=job.options.get("retryable", True))
    if job.options.get("crash"):
        raise RuntimeError("disk on fire")
    return {"url": "/products/", "rows": total}


registry.register(
    registry.Kind(name="test_count", label="Counting rows", run=_count, cancellable=True)
)
registry.register(
    registry.Kind(
        name="test_redirect",
        label="Going on",
        run=_count,
        redirect_when_done=True,
        done_message=lambda job: (25, f"Counted {job.result['rows']} rows."),
    )
)


@pytest.fixture(autouse=True)
def _fresh_calls():
    calls.clear()


@pytest.fixture
def queued(staff_user):
    """A job as a worker finds it: queued, its task not run yet."""

    def make(**options):
        return Job.objects.create(kind="test_count", owner=staff_user, options=options)

    return make


def test_a_started_job_runs_and_records_its_outcome(staff_user):
    job = runner.start("test_count", staff_user, options={"rows": 4})
    assert calls == [job.pk]
    assert (job.state, job.done, job.total, job.percent) == ("done", 4, 4, 100)
    assert job.result_url == "/products/" and job.result == {"rows": 4}
    assert job.attempts == 1 and job.started_at and job.finished_at and job.task_id


def test_the_same_key_finds_the_same_job_and_runs_it_once(staff_user):
    first = runner.start("test_count", staff_user, key="import-confirm:1:abc:")
    second = runner.start("test_count", staff_user, key="import-confirm:1:abc:")
    assert first.pk == second.pk and calls == [first.pk]
    assert Job.objects.count() == 1


def test_a_job_that_is_not_queued_is_not_run_again(queued):
    job = queued()
    assert runner.execute(job.pk, threaded=False) == "done"
    assert runner.execute(job.pk, threaded=False) is None  # the task delivered twice
    assert calls == [job.pk]


def test_a_failing_job_keeps_its_reason_and_may_be_tried_again(queued):
    job = queued(fail=True)
    runner.execute(job.pk, threaded=False)
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "Row 2 is broken.")
    job.options = {}
    job.save(update_fields=["options"])
    assert runner.retry(job)
    job.refresh_from_db()
    assert (job.state, job.error, job.attempts) == ("done", "", 2)
    assert not runner.retry(job)  # done: nothing to try again


def test_a_job_failed_for_good_cannot_be_tried_again(queued):
    job = queued(fail=True, retryable=False)
    runner.execute(job.pk, threaded=False)
    job.refresh_from_db()
    assert job.state == "failed" and not runner.retry(job)


def test_an_unexpected_error_fails_the_job_with_a_code_not_its_text(queued, caplog):
    """The exception's text may hold SQL or paths: it goes to the log, the row keeps a
    code whose reason is written in the reader's language."""
    job = queued(crash=True)
    runner.execute(job.pk, threaded=False)
    job.refresh_from_db()
    assert (job.state, job.error, job.error_code) == ("failed", "", "crashed")
    assert "disk on fire" in caplog.text
    with translation.override("en"):
        assert str(job.error_text) == (
            "The job failed: an unexpected error (the details are in the server's log)"
        )


def test_a_queued_job_cancelled_never_runs(queued):
    job = queued()
    assert runner.cancel(job)
    assert runner.execute(job.pk, threaded=False) is None
    job.refresh_from_db()
    assert job.state == "cancelled" and calls == []


def test_a_running_job_stops_at_its_next_progress_report_once_cancelled(queued):
    job = queued()
    heartbeat = runner.Heartbeat(job.pk, threaded=False)
    Job.objects.filter(pk=job.pk).update(state="running")
    heartbeat.progress(1, 10)
    assert runner.cancel(job)
    heartbeat.beat()  # the heartbeat thread reads the request
    with pytest.raises(registry.Cancelled):
        heartbeat.progress(2, 10)
    job.refresh_from_db()
    assert (job.done, job.total, job.state) == (1, 10, "running")


def test_kinds_that_are_not_safe_to_stop_are_not_cancelled(staff_user):
    job = Job.objects.create(kind="test_redirect", owner=staff_user)
    assert not runner.cancel(job)
    job.refresh_from_db()
    assert job.state == "queued"


def test_a_job_whose_worker_vanished_is_failed_when_read(queued, settings):
    settings.JOBS_LOST_AFTER_SECONDS = 60
    job, fresh = queued(), queued()
    old = timezone.now() - datetime.timedelta(seconds=61)
    Job.objects.filter(pk=job.pk).update(state="running", heartbeat_at=old, started_at=old)
    Job.objects.filter(pk=fresh.pk).update(state="running", heartbeat_at=timezone.now())
    job = runner.refreshed(Job.objects.get(pk=job.pk))
    assert job.state == "failed" and job.error_code == "lost" and job.finished_at
    with translation.override("en"):
        assert str(job.error_text) == "The worker stopped before the job ended; try again."
    assert Job.objects.get(pk=fresh.pk).state == "running"
    assert runner.retry(job)


def test_the_time_left_follows_the_speed_so_far():
    now = timezone.now()
    job = Job(state="running", done=25, total=100, started_at=now - datetime.timedelta(seconds=10))
    assert job.percent == 25 and job.seconds_left(now) == 30
    with translation.override("en"):
        assert time_left_text(30) == "about 30 seconds left"
        assert time_left_text(150) == "about 2 minutes left"
    assert Job(state="queued").seconds_left() is None


# --- pages -------------------------------------------------------------------------------


def test_job_page_shows_progress_without_javascript(staff_client, queued):
    job = queued()
    started = timezone.now() - datetime.timedelta(seconds=10)
    Job.objects.filter(pk=job.pk).update(
        state="running", done=40, total=160, started_at=started, heartbeat_at=timezone.now()
    )
    page = staff_client.get(f"/jobs/{job.pk}/", **EN).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert '<progress max="100" value="25"' in page
    assert "40 of 160 rows" in page and "seconds left" in page
    assert f'data-status-url="/jobs/{job.pk}/status.json"' in page
    assert "/static/js/job.js" in page and "<script>" not in page
    assert 'data-testid="job-cancel"' in page


def test_status_json_is_what_the_page_polls(staff_client, queued):
    job = queued()
    Job.objects.filter(pk=job.pk).update(state="running", done=5, total=10, stage="checking")
    data = staff_client.get(f"/jobs/{job.pk}/status.json", **EN).json()
    assert data["state"] == "running" and data["percent"] == 50
    assert (data["done"], data["total"], data["finished"]) == (5, 10, False)
    assert data["stage"] == "Checking the rows"
    assert data["rows_text"] == "5 of 10 rows"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,750 of 20,000 rows"), ("id", "1.750 dari 20.000 baris"), ("zh-hans", "1,750")],
)
def test_rows_are_counted_as_the_language_writes_numbers(staff_client, queued, language, expected):
    job = queued()
    Job.objects.filter(pk=job.pk).update(state="running", done=1750, total=20000)
    data = staff_client.get(f"/jobs/{job.pk}/status.json", HTTP_ACCEPT_LANGUAGE=language).json()
    assert expected in data["rows_text"]
    page = staff_client.get(f"/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert data["rows_text"] in page


def test_ended_jobs_show_their_result_or_reason(staff_client, queued):
    done, failed, lost = queued(), queued(fail=True), queued()
    for job in (done, failed):
        runner.execute(job.pk, threaded=False)
    Job.objects.filter(pk=lost.pk).update(state="failed", error_code="lost")
    page = staff_client.get(f"/jobs/{done.pk}/", **EN).content.decode()
    assert 'data-testid="job-result"' in page and 'href="/products/"' in page
    assert "<noscript>" not in page and "data-status-url" not in page
    page = staff_client.get(f"/jobs/{failed.pk}/", **EN).content.decode()
    assert "Row 2 is broken." in page and 'data-testid="job-retry"' in page
    # A reason given by a code is written when read, in the reader's language.
    page = staff_client.get(f"/jobs/{lost.pk}/", **EN).content.decode()
    assert "The worker stopped before the job ended; try again." in page
    assert Job.objects.get(pk=lost.pk).error == ""


def test_a_job_that_leads_on_redirects_to_its_result_with_its_message(staff_client, staff_user):
    job = runner.start("test_redirect", staff_user, options={"rows": 2})
    response = staff_client.get(f"/jobs/{job.pk}/", follow=True, **EN)
    assert response.redirect_chain == [("/products/", 302)]
    assert "Counted 2 rows." in response.content.decode()


def test_try_again_and_cancel_buttons(staff_client, queued):
    job = queued(fail=True)
    runner.execute(job.pk, threaded=False)
    response = staff_client.post(f"/jobs/{job.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert Job.objects.get(pk=job.pk).attempts == 2
    other = queued()
    staff_client.post(f"/jobs/{other.pk}/cancel/")
    assert Job.objects.get(pk=other.pk).state == "cancelled"


def test_my_jobs_lists_mine_and_administrators_see_everyone(
    client, staff_user, visitor_user, admin_user
):
    mine = Job.objects.create(kind="test_count", owner=staff_user)
    theirs = Job.objects.create(kind="test_count", owner=visitor_user)
    client.force_login(staff_user)
    page = client.get("/jobs/", **EN).content.decode()
    assert f"/jobs/{mine.pk}/" in page and f"/jobs/{theirs.pk}/" not in page
    assert 'data-testid="nav-my-jobs"' in page
    assert client.get(f"/jobs/{theirs.pk}/").status_code == 404
    client.force_login(admin_user)
    page = client.get("/jobs/", **EN).content.decode()
    assert f"/jobs/{mine.pk}/" in page and f"/jobs/{theirs.pk}/" in page
    assert "Jobs of everyone" in page


def test_my_jobs_takes_a_fixed_number_of_queries(client, staff_user, django_assert_num_queries):
    for _ in range(5):
        Job.objects.create(kind="test_count", owner=staff_user)
    client.force_login(staff_user)
    client.get("/jobs/")
    User.objects.get(pk=staff_user.pk)
    with django_assert_num_queries(7):
        client.get("/jobs/")
    Job.objects.create(kind="test_count", owner=staff_user)
    with django_assert_num_queries(7):
        client.get("/jobs/")


def test_status_of_a_finished_job_says_so(queued):
    job = queued()
    runner.execute(job.pk, threaded=False)
    job.refresh_from_db()
    assert status(job)["finished"] is True and status(job)["percent"] == 100


def test_refresh_readiness_runs_as_a_job(make_product, capsys):
    from django.core.management import call_command

    product = make_product()
    from catalogue.models import Product

    Product.objects.filter(pk=product.pk).update(readiness_score=99)
    call_command("refresh_readiness", "--as-job")
    job = Job.objects.get(kind="refresh_readiness")
    assert f"Queued as job {job.pk}: /jobs/{job.pk}/" in capsys.readouterr().out
    assert (job.state, job.result) == ("done", {"changed": 1})
    assert Product.objects.get(pk=product.pk).readiness_score != 99


def test_backup_as_a_job_fails_with_the_backups_reason(monkeypatch):
    from django.core.management import call_command

    from core.backup import BackupError
    from core.management.commands import backup

    def refuse(output):
        raise BackupError("pg_dump is not installed")

    monkeypatch.setattr(backup, "backup", refuse)
    call_command("backup", "--as-job", "--output", "/nowhere")
    job = Job.objects.get(kind="backup")
    assert (job.state, job.error, job.options) == (
        "failed",
        "pg_dump is not installed",
        {"output": "/nowhere"},
    )
