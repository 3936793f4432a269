"""Starting, running, retrying and cancelling jobs; finding jobs whose worker vanished.

Every change of ``Job.state`` is one conditional update (``filter(state=…).update(…)``):
it takes effect only if the job is still in the state the change starts from, so a job
runs once even if its task is delivered twice, and a cancel racing the end loses cleanly.
"""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.jobs import registry
from core.jobs.models import Job

logger = logging.getLogger(__name__)
State = Job.State


def start(kind, owner=None, subject="", options=None, key=None, language=None):
    """Create a job and queue it; with ``key``, the job already made for that key instead.

    Call it outside a transaction: a worker (RQ's above all) must find the committed row.
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
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                job = Job.objects.create(**fields)
        except IntegrityError:  # the same request, a moment earlier
            return Job.objects.get(idempotency_key=key)
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job):
    from core.jobs.tasks import run_job

    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def retry(job):
    """Queue a failed job again (the same row, so its key and links stay); False if it is
    not failed any more or its kind may not be retried."""
    kind = registry.get(job.kind)
    if kind is None or not kind.retryable or job.result.get("retryable") is False:
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
        return True
    return bool(Job.objects.filter(pk=job.pk, state=State.RUNNING).update(cancel_requested=True))


def fail_lost(now=None):
    """Mark failed the running jobs whose heartbeat is older than JOBS_LOST_AFTER_SECONDS:
    their worker was killed or its machine went away. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=settings.JOBS_LOST_AFTER_SECONDS)
    lost = Job.objects.filter(state=State.RUNNING, heartbeat_at__lt=cutoff)
    # Read first: on SQLite an UPDATE waits for the write lock even when it matches no row,
    # and a confirm may hold that lock for a while.
    if not lost.exists():
        return 0
    return lost.update(state=State.FAILED, error_code=Job.LOST, finished_at=now)


def refreshed(job):
    """``job`` as stored now, marked failed first if its worker vanished."""
    if job.state == State.RUNNING and job.heartbeat_at and job.heartbeat_at < job.lost_since():
        fail_lost()
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

    def __init__(self, job_id, threaded=True):
        self.job_id = job_id
        self.threaded = threaded
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
            Job.objects.filter(pk=self.job_id, state=State.RUNNING).update(
                heartbeat_at=timezone.now(), done=self.done, total=self.total, stage=self.stage
            )
            self.cancel_asked = Job.objects.filter(pk=self.job_id, cancel_requested=True).exists()
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
    fail_lost()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None  # cancelled meanwhile, or another delivery of the same task runs it
    job = Job.objects.select_related("owner").get(pk=job_id)
    kind = registry.get(job.kind)
    with translation.override(job.language or None), Heartbeat(job.pk, threaded) as heartbeat:
        try:
            if kind is None:
                raise registry.JobFailed(_("This kind of job is not known here."), False)
            outcome = dict(kind.run(job, heartbeat.progress) or {})
        except registry.Cancelled:
            return _finish(job, heartbeat, State.CANCELLED)
        except registry.JobFailed as exc:
            return _finish(
                job, heartbeat, State.FAILED, error=exc.message, result={"retryable": exc.retryable}
            )
        except Exception as exc:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            return _finish(
                job, heartbeat, State.FAILED, error=_("The job failed: %(error)s") % {"error": exc}
            )
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
    """End a running job; None if it had already ended (cancelled, marked lost)."""
    done = heartbeat.total if state == State.DONE and heartbeat.total else heartbeat.done
    ended = Job.objects.filter(pk=job.pk, state=State.RUNNING).update(
        state=state,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        done=done,
        total=heartbeat.total,
        stage="",
        **fields,
    )
    return state if ended else None
