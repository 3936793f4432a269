"""A hostile review of core.jobs: queueing that fails, a worker taken for lost that is
still alive, an old attempt writing over a retried one, error texts shown to users, a
second "Try again", outcomes that cannot be stored, and workers whose clock is behind.

Tests that fail name a bug; the others pin down behaviour no other test covers.
"""

import contextlib
import datetime
import time

import pytest
from django.db import OperationalError, ProgrammingError
from django.db.models import F
from django.utils import timezone

from core.jobs import registry, runner, tasks
from core.jobs.models import Job

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
runs = []


def _plain(job, progress):
    runs.append(job.pk)
    progress(1, 2, "checking")
    return {"url": "/products/", "rows": 2}


def _marked_lost_while_alive(job, progress):
    """Works on while a web process takes it for lost (a heartbeat blocked, a slow beat)."""
    runs.append(job.pk)
    progress(1, 2, "checking")
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    assert runner.fail_lost() == 1  # someone opened the job page meanwhile
    return {"url": "/products/", "rows": 2}


def _overtaken_by_a_retry(job, progress):
    """Taken for lost, tried again by its owner and taken by a second worker, while this
    first attempt is still running: the second attempt owns the row now."""
    runs.append(job.pk)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    runner.fail_lost()
    assert runner.retry(Job.objects.get(pk=job.pk))
    now = timezone.now()
    second = Job.objects.filter(pk=job.pk, state="queued").update(
        state="running", started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    assert second == 1
    return {"url": "/first-attempt/", "rows": 99}


def _sql_error(job, progress):
    raise ProgrammingError(
        'column "secret_token" does not exist\n'
        'LINE 1: SELECT "auth_user"."password", "secret_token" FROM "auth_user"'
    )


def _unstorable(job, progress):
    return {"url": "/products/", "when": datetime.datetime(2026, 1, 1), "ids": {1, 2}}


for _name, _run in [
    ("review_plain", _plain),
    ("review_marked_lost", _marked_lost_while_alive),
    ("review_overtaken", _overtaken_by_a_retry),
    ("review_sql_error", _sql_error),
    ("review_unstorable", _unstorable),
]:
    registry.register(
        registry.Kind(name=_name, label=_name, run=_run, cancellable=_name == "review_plain")
    )


@pytest.fixture(autouse=True)
def _fresh_runs():
    runs.clear()


def _queued(owner, kind="review_plain", **fields):
    return Job.objects.create(kind=kind, owner=owner, **fields)


# --- bugs --------------------------------------------------------------------------------


def test_a_keyed_job_whose_queueing_failed_is_not_stuck_for_good(staff_user, monkeypatch):
    """Redis down for a moment (or the task row lost): the row with the key exists, its task
    does not. The same request made again must get the work done, not find the job that
    waits for ever ("Waiting for a worker")."""

    class Down:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to cache.internal:6379")

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "run_job", Down())
        with pytest.raises(ConnectionError):
            runner.start("review_plain", staff_user, key="import-confirm:7:abc:")
    job = runner.start("review_plain", staff_user, key="import-confirm:7:abc:")
    if job.state == Job.State.FAILED:  # a fix may fail it, to be tried again
        assert runner.retry(job)
        job.refresh_from_db()
    assert job.state == Job.State.DONE and runs == [job.pk]


def test_a_job_taken_for_lost_that_still_ends_records_its_end(staff_user):
    """Its worker was alive (on SQLite the heartbeat waits for the confirm's transaction):
    the work was done and kept, so the job must not stay "failed, the worker stopped"."""
    job = _queued(staff_user, "review_marked_lost")
    runner.execute(job.pk, threaded=False)
    job.refresh_from_db()
    assert (job.state, job.result_url, job.error_code) == ("done", "/products/", "")


def test_an_old_attempt_does_not_end_the_attempt_that_took_over(staff_user, settings):
    """Attempt 1, taken for lost, goes on after attempt 2 started: its end must not be
    written over attempt 2 (a fencing check on the attempt, not only on the state)."""
    settings.TASKS = DB_TASKS  # the retry only queues; "a second worker" takes it above
    job = _queued(staff_user, "review_overtaken")
    runner.execute(job.pk, threaded=False)
    job.refresh_from_db()
    assert job.attempts == 2
    assert (job.state, job.result_url) == ("running", "")


def test_an_unexpected_error_shows_no_sql_to_the_user(staff_client, staff_user):
    job = _queued(staff_user, "review_sql_error")
    runner.execute(job.pk, threaded=False)
    page = staff_client.get(f"/jobs/{job.pk}/", **EN).content.decode()
    polled = staff_client.get(f"/jobs/{job.pk}/status.json", **EN).json()["error"]
    listed = staff_client.get("/jobs/", **EN).content.decode()
    assert Job.objects.get(pk=job.pk).state == "failed"
    for shown in (page, polled, listed):
        assert "secret_token" not in shown and "SELECT" not in shown


def test_an_unexpected_error_is_told_in_the_readers_language(staff_client, staff_user):
    """Started in Indonesian, read by someone in English: the reason is written when read
    (as for a lost worker), not frozen in the starter's language."""
    job = _queued(staff_user, "review_sql_error", language="id")
    runner.execute(job.pk, threaded=False)
    english = staff_client.get(f"/jobs/{job.pk}/status.json", **EN).json()["error"]
    indonesian = staff_client.get(f"/jobs/{job.pk}/status.json", HTTP_ACCEPT_LANGUAGE="id").json()[
        "error"
    ]
    assert english and indonesian and english != indonesian


def test_try_again_pressed_twice_does_not_answer_not_found(staff_client, staff_user, settings):
    """A double click on "Try again": the second POST finds the job queued already and
    should lead back to it, not to a 404 page."""
    settings.TASKS = DB_TASKS
    job = _queued(staff_user, state="failed")
    assert staff_client.post(f"/jobs/{job.pk}/retry/").status_code == 302
    second = staff_client.post(f"/jobs/{job.pk}/retry/")
    assert second.status_code == 302 and second["Location"] == f"/jobs/{job.pk}/"
    assert Job.objects.get(pk=job.pk).state == "queued"


@pytest.mark.django_db(transaction=True)  # autocommit, as a worker runs
def test_an_outcome_that_cannot_be_stored_still_ends_the_job(staff_user):
    """Every failure in the worker ends in a final state at once, including the last write:
    otherwise the job shows "running" until JOBS_LOST_AFTER_SECONDS, then "lost"."""
    job = _queued(staff_user, "review_unstorable")
    with contextlib.suppress(TypeError):  # raising is fine if the row says how it ended
        runner.execute(job.pk, threaded=False)
    assert Job.objects.get(pk=job.pk).state in Job.FINISHED


def test_a_worker_whose_clock_is_behind_is_not_taken_for_lost(staff_user, settings, monkeypatch):
    """RQ workers on several machines (README, "How many"): the heartbeat is stamped with
    the worker's clock and compared with the web server's. Both should use one clock (the
    database's), else a worker 10 minutes behind has every job failed as it runs."""
    settings.JOBS_LOST_AFTER_SECONDS = 600
    job = _queued(staff_user)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(state="running", started_at=now, heartbeat_at=now)
    behind = now - datetime.timedelta(minutes=11)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: behind)  # the worker's machine
        runner.Heartbeat(job.pk, threaded=False).beat()
    assert runner.fail_lost() == 0  # the web server, a moment after that beat
    assert Job.objects.get(pk=job.pk).state == "running"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_of_an_old_attempt_does_not_write_into_the_new_one(staff_user, settings):
    """Attempt 1 taken for lost but alive, attempt 2 running: attempt 1's heartbeat thread
    must not keep writing its figures (and its liveness) into attempt 2's row."""
    settings.JOBS_HEARTBEAT_SECONDS = 0.05
    job = _queued(staff_user)
    Job.objects.filter(pk=job.pk).update(state="running", attempts=1)
    with runner.Heartbeat(job.pk) as first:
        first.progress(900, 1000, "writing")
        time.sleep(0.3)
        Job.objects.filter(pk=job.pk).update(state="failed", error_code="lost")
        assert runner.retry(Job.objects.get(pk=job.pk))
        Job.objects.filter(pk=job.pk).update(state="running", attempts=2, done=0, total=None)
        time.sleep(0.3)
    job.refresh_from_db()
    assert (job.attempts, job.done, job.stage) == (2, 0, "")


def _locked(now=None):
    raise OperationalError("database is locked")


def test_a_lost_check_that_cannot_write_does_not_strand_the_job(staff_user, monkeypatch):
    """On SQLite, fail_lost's UPDATE waits for the write lock that another worker's confirm
    holds, then gives up ("database is locked"). execute() runs it before claiming its job,
    outside any handler: the task is used up and the job stays queued for ever."""
    job = _queued(staff_user)
    monkeypatch.setattr(runner, "fail_lost", _locked)
    with contextlib.suppress(OperationalError):
        runner.execute(job.pk, threaded=False)
    assert Job.objects.get(pk=job.pk).state in Job.FINISHED


def test_a_lost_check_that_cannot_write_does_not_break_my_jobs(staff_client, monkeypatch):
    monkeypatch.setattr(runner, "fail_lost", _locked)
    assert staff_client.get("/jobs/").status_code == 200


def test_a_retry_whose_queueing_failed_can_be_tried_again(staff_user, monkeypatch):
    """retry() sets the row to queued, then queues its task: with Redis down for a moment
    the row stays queued with no task, and "Try again" is gone (the job is not failed)."""
    job = _queued(staff_user, state="failed")

    class Down:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to cache.internal:6379")

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "run_job", Down())
        with pytest.raises(ConnectionError):
            runner.retry(job)
    assert runner.retry(Job.objects.get(pk=job.pk))
    assert Job.objects.get(pk=job.pk).state == "done" and runs == [job.pk]


# --- no bug: behaviour not covered elsewhere ---------------------------------------------


def test_a_heartbeat_after_the_end_changes_nothing(staff_user):
    job = _queued(staff_user)
    runner.execute(job.pk, threaded=False)
    ended = Job.objects.get(pk=job.pk)
    late = runner.Heartbeat(job.pk, threaded=False)
    late.progress(1, 50, "writing")
    late.beat()
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.heartbeat_at) == (
        "done",
        ended.done,
        ended.total,
        ended.heartbeat_at,
    )


def test_cancel_after_the_end_loses_and_leaves_the_job_done(staff_client, staff_user):
    job = _queued(staff_user)
    runner.execute(job.pk, threaded=False)
    assert not runner.cancel(Job.objects.get(pk=job.pk))
    staff_client.post(f"/jobs/{job.pk}/cancel/")
    job.refresh_from_db()
    assert (job.state, job.cancel_requested) == ("done", False)


def test_two_retries_of_one_failure_queue_it_once(staff_user, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    job = _queued(staff_user, state="failed")
    first, second = runner.retry(job), runner.retry(job)
    assert (first, second) == (True, False)
    assert DBTaskResult.objects.count() == 1


def test_the_same_task_delivered_to_two_workers_runs_once(staff_user):
    job = _queued(staff_user)
    outcomes = [runner.execute(job.pk, threaded=False), runner.execute(job.pk, threaded=False)]
    assert outcomes == ["done", None] and runs == [job.pk]


def test_no_one_else_may_poll_cancel_or_retry_a_job(client, staff_user, regency_user, settings):
    settings.TASKS = DB_TASKS
    job = _queued(staff_user, state="failed")
    queued = _queued(staff_user)
    client.force_login(regency_user)
    assert client.get(f"/jobs/{job.pk}/status.json").status_code == 404
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    assert client.post(f"/jobs/{queued.pk}/cancel/").status_code == 404
    assert Job.objects.get(pk=job.pk).state == "failed"
    assert Job.objects.get(pk=queued.pk).state == "queued"


def test_cancel_and_retry_refuse_a_get(staff_client, staff_user):
    job = _queued(staff_user, state="failed")
    assert staff_client.get(f"/jobs/{job.pk}/retry/").status_code == 405
    assert staff_client.get(f"/jobs/{job.pk}/cancel/").status_code == 405
    assert Job.objects.get(pk=job.pk).state == "failed"
