"""Starting, running, retrying and cancelling jobs; finding jobs whose worker vanished.

Every change of ``Job.state`` is one conditional update (``filter(state=…).update(…)``):
it takes effect only if the job is still in the state the change starts from, so a job
runs once even if its task is delivered twice, and a cancel racing the end loses cleanly.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.jobs import registry
from core.jobs.models import Job

logger = logging.getLogger(__name__)
State = Job.State


def start(kind, owner=None, subject="", options=None, key=None, language=None, reuse=None):
    """Create a job and queue it; with ``key``, the job already made for that key instead.

    ``reuse(job)`` decides whether a finished job of that key is found again (default:
    always); if not, its key is released and a new job made (a job that wrote nothing
    must be able to run again). Call it outside a transaction: a worker (RQ's above all)
    must find the committed row. If queueing raises, the job is marked failed (so "Try
    again" and the same request made again can still run it) and the error raised.
    """
    fields = {
        "kind": kind,
        "owner": owner,
        "subject": str(subject),
        "options": options or {},
        "language": language or translation.get_language() or "",
        "idempotency_key": key,
    }
    if key is None:
        job = Job.objects.create(**fields)
    else:
        existing = Job.objects.filter(idempotency_key=key).first()
        if existing is not None and (
            reuse is None or existing.state not in (State.DONE, State.CANCELLED) or reuse(existing)
        ):
            return existing
        if existing is not None:  # released only if it has not changed state meanwhile
            Job.objects.filter(pk=existing.pk, state=existing.state).update(idempotency_key=None)
        try:
            with transaction.atomic():
                job = Job.objects.create(**fields)
        except IntegrityError:  # the same request, a moment earlier
            return Job.objects.get(idempotency_key=key)
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job):
    """Queue the job's task; if that raises (Redis down), the queued row is failed with
    ``Job.NOT_QUEUED`` before the error goes on, so it can be tried again."""
    from core.jobs import tasks

    try:
        result = tasks.run_job.enqueue(job.pk)
    except Exception:
        logger.exception("Job %s: its task could not be queued", job.pk)
        Job.objects.filter(pk=job.pk, state=State.QUEUED).update(
            state=State.FAILED, error="", error_code=Job.NOT_QUEUED, finished_at=timezone.now()
        )
        raise
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def may_run(kind, job):
    """Whether the job's owner may still do what the job does (rights change in /admin/)."""
    return kind.may_run is None or (job.owner is not None and kind.may_run(job.owner))


def can_retry(job):
    """Whether "Try again" is offered for ``job`` as it is now."""
    kind = registry.get(job.kind)
    return (
        job.state == State.FAILED
        and kind is not None
        and kind.retryable
        and job.result.get("retryable") is not False
        and may_run(kind, job)
    )


def retry(job):
    """Queue a failed job again (the same row, so its key and links stay); False if it is
    not failed any more or its kind may not be retried."""
    if not can_retry(job):
        return False
    queued = Job.objects.filter(pk=job.pk, state=State.FAILED).update(
        state=State.QUEUED,
        error="",
        error_code="",
        stage="",
        done=0,
        cancel_requested=False,
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
    )
    if queued:
        _enqueue(job)
    return bool(queued)


def cancel(job):
    """Cancel a queued job at once, or ask a running one to stop at its next progress
    report. False if its kind cannot be stopped safely or it has ended."""
    kind = registry.get(job.kind)
    if kind is None or not kind.cancellable:
        return False
    now = timezone.now()
    if Job.objects.filter(pk=job.pk, state=State.QUEUED).update(
        state=State.CANCELLED, cancel_requested=True, finished_at=now
    ):
        if kind.on_cancel is not None:  # no worker will run it: the kind cleans up now
            kind.on_cancel(job)
        return True
    return bool(Job.objects.filter(pk=job.pk, state=State.RUNNING).update(cancel_requested=True))


def fail_lost(now=None):
    """Mark failed the running jobs whose heartbeat is older than JOBS_LOST_AFTER_SECONDS
    (their worker was killed or its machine went away), and the queued jobs older than
    JOBS_QUEUED_LOST_AFTER_SECONDS (their task was lost: queueing failed half-way, Redis
    flushed). Returns how many.

    Times are the database's clock (``Now()``), as the heartbeat's: a worker whose clock
    is behind the web server's is not taken for lost.
    """
    now = now or Now()
    running = now - datetime.timedelta(seconds=settings.JOBS_LOST_AFTER_SECONDS)
    queued = now - datetime.timedelta(seconds=settings.JOBS_QUEUED_LOST_AFTER_SECONDS)
    lost = Job.objects.filter(state=State.RUNNING, heartbeat_at__lt=running)
    unqueued = Job.objects.filter(state=State.QUEUED, created_at__lt=queued)
    # Read first: on SQLite an UPDATE waits for the write lock even when it matches no row,
    # and a confirm may hold that lock for a while.
    if not (lost | unqueued).exists():
        return 0
    count = lost.update(state=State.FAILED, error_code=Job.LOST, finished_at=now)
    return count + unqueued.update(state=State.FAILED, error_code=Job.NOT_QUEUED, finished_at=now)


def fail_lost_quietly():
    """``fail_lost`` where it is only housekeeping (before a job runs, on "My jobs"): a
    database that cannot write now (SQLite's lock) is logged, not raised. Called outside
    transactions (views run in autocommit, as the worker), so no savepoint is needed."""
    try:
        return fail_lost()
    except DatabaseError:
        logger.warning("Lost jobs not checked this time", exc_info=True)
        return 0


def prune(days=None):
    """Delete the finished jobs that ended more than ``days`` (JOBS_KEEP_DAYS) ago; returns
    how many. Queued and running jobs stay, whatever their age."""
    days = settings.JOBS_KEEP_DAYS if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = Job.objects.filter(state__in=Job.FINISHED, finished_at__lt=cutoff)
    return old.delete()[0]


def refreshed(job):
    """``job`` as stored now, marked failed first if its worker vanished."""
    if job.state == State.RUNNING and job.heartbeat_at and job.heartbeat_at < job.lost_since():
        fail_lost_quietly()
    job.refresh_from_db()
    return job


class Heartbeat:
    """The progress callback of a running job, and the thread that stores it.

    ``progress`` only notes the figures in memory (it is called inside the job's own
    transaction and in its row loops); a thread with its own database connection writes
    them with the heartbeat every JOBS_HEARTBEAT_SECONDS and reads whether someone asked to
    cancel. On PostgreSQL the figures show while the job's transaction is open; on SQLite
    the write waits until it commits (one writer at a time), and a failed write is only
    tried again at the next beat.
    """

    def __init__(self, job_id, threaded=True, attempt=None):
        self.job_id = job_id
        self.threaded = threaded
        # The attempt it beats for: once the job was taken for lost and tried again, this
        # one's beats no longer write into the newer attempt's row.
        if attempt is None:
            attempt = Job.objects.filter(pk=job_id).values_list("attempts", flat=True).first()
        self.attempt = attempt
        self.done, self.total, self.stage = 0, None, ""
        self.cancel_asked = False
        self._stop = threading.Event()
        self._thread = None

    def progress(self, done, total=None, stage=None):
        self.done = done
        if total is not None:
            self.total = total
        if stage is not None:
            self.stage = stage
        if self.cancel_asked:
            raise registry.Cancelled

    def beat(self):
        try:
            mine = Job.objects.filter(pk=self.job_id, attempts=self.attempt)
            mine.filter(state=State.RUNNING).update(
                heartbeat_at=Now(), done=self.done, total=self.total, stage=self.stage
            )
            self.cancel_asked = mine.filter(cancel_requested=True).exists()
        except DatabaseError:
            logger.warning("Job %s: heartbeat not written this time", self.job_id)

    def _loop(self):
        try:
            while not self._stop.wait(settings.JOBS_HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self):
        if self.threaded:
            self._thread = threading.Thread(target=self._loop, daemon=True, name="heartbeat")
            self._thread.start()
        return self

    def __exit__(self, *exc_info):
        if self._thread is not None:
            self._stop.set()
            self._thread.join()


def execute(job_id, threaded=True):
    """Run job ``job_id`` if it is still queued (the task's body, ``core.jobs.tasks``)."""
    fail_lost_quietly()
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=Now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None  # cancelled meanwhile, or another delivery of the same task runs it
    job = Job.objects.select_related("owner").get(pk=job_id)
    kind = registry.get(job.kind)
    with (
        translation.override(job.language or None),
        Heartbeat(job.pk, threaded, attempt=job.attempts) as heartbeat,
    ):
        try:
            if kind is None:
                raise registry.JobFailed(_("This kind of job is not known here."), False)
            if not may_run(kind, job):
                raise registry.JobFailed(retryable=False, code=Job.NOT_ALLOWED)
            outcome = dict(kind.run(job, heartbeat.progress) or {})
        except registry.Cancelled:
            return _finish(job, heartbeat, State.CANCELLED)
        except registry.JobFailed as exc:
            return _finish(
                job,
                heartbeat,
                State.FAILED,
                error=exc.message,
                error_code=exc.code,
                result={"retryable": exc.retryable},
            )
        except Exception as exc:
            # The text (SQL, constraint names, paths) goes to the log only; the page
            # tells the reason by its code, in the reader's language (Job.error_text).
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            code = Job.DB_ERROR if isinstance(exc, DatabaseError) else Job.CRASHED
            return _finish(job, heartbeat, State.FAILED, error_code=code)
    url = outcome.pop("url", "")
    built = outcome.pop("file", None)
    if built is None:
        return _finish(job, heartbeat, State.DONE, result_url=url, result=outcome)
    return _finish_with_file(job, heartbeat, built, url, outcome)


def _finish_with_file(job, heartbeat, built, url, outcome):
    """Store the file the job built (``outcome["file"]``, a named django ``File``) and end
    the job with it; a job cancelled or failed meanwhile leaves no file behind."""
    field = Job._meta.get_field("file")
    name = field.storage.save(field.generate_filename(job, built.name), built)
    state = _finish(
        job,
        heartbeat,
        State.DONE,
        file=name,
        result_url=url or reverse("job_file", args=[job.pk]),
        result=outcome | {"file": True},
    )
    if state is None:
        field.storage.delete(name)
    return state


def remove_old_files(now=None):
    """Remove the files of jobs that ended more than JOB_FILES_DAYS ago; how many."""
    cutoff = (now or timezone.now()) - timezone.timedelta(days=settings.JOB_FILES_DAYS)
    old = dict(
        Job.objects.filter(finished_at__lt=cutoff).exclude(file="").values_list("pk", "file")
    )
    if not old:
        return 0
    Job.objects.filter(pk__in=old).update(file="", result_url="")
    storage = Job._meta.get_field("file").storage
    for name in old.values():
        try:
            storage.delete(name)
        except OSError:  # the row no longer points to it; an orphan file is only clutter
            logger.warning("Could not remove %s from the media storage", name, exc_info=True)
    return len(old)


def _finish(job, heartbeat, state, **fields):
    """Write the attempt's end, if the row is still this attempt's: running, or taken for
    lost while it was in fact alive (its end is what happened, so it is recorded). None if
    the row is no longer this attempt's (cancelled, or a newer attempt took over)."""
    done = heartbeat.total if state == State.DONE and heartbeat.total else heartbeat.done
    mine = Job.objects.filter(
        Q(state=State.RUNNING) | Q(state=State.FAILED, error_code=Job.LOST),
        pk=job.pk,
        attempts=job.attempts,
    )
    end = {
        "state": state,
        "finished_at": timezone.now(),
        "heartbeat_at": Now(),
        "done": done,
        "total": heartbeat.total,
        "stage": "",
        "error": "",
        "error_code": "",
        **fields,
    }
    try:
        ended = mine.update(**end)
    except (TypeError, ValueError):  # an outcome JSON cannot hold: the job still ends
        logger.exception("Job %s (%s): its outcome could not be stored", job.pk, job.kind)
        ended = mine.update(
            **{
                **end,
                "state": State.FAILED,
                "result": {},
                "result_url": "",
                "error": "",
                "error_code": Job.BAD_OUTCOME,
            }
        )
        return State.FAILED if ended else None
    return state if ended else None
