"""The record of one background job: what it does, for whom, how far it is, how it ended.

django-tasks runs the work (``core.jobs.tasks``); this row is what people see. Its
``state`` moves only by conditional updates (``UPDATE … WHERE state = …``, in
``core.jobs.runner``), so two workers, a retry and a cancel can never both win.
"""

import datetime
import posixpath
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.jobs import registry
from core.protected_files import ProtectedFileField


@deconstructible
class ResultFilePath:
    """``jobs/<random>/<name>``: the file keeps its download name in an unguessable folder;
    ``jobs/`` is a protected folder (``core.protected_files``), refused on /media/."""

    folder = "jobs"

    def __call__(self, instance, filename):
        return f"{self.folder}/{uuid.uuid4().hex}/{posixpath.basename(filename)}"

    def __eq__(self, other):
        return isinstance(other, ResultFilePath)


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    FINISHED = (State.DONE, State.FAILED, State.CANCELLED)
    # error_code values whose text is written at display time, in the reader's language.
    LOST = "lost"
    NOT_QUEUED = "not_queued"  # its task could not be queued, or was lost before it ran
    CRASHED = "crashed"  # an unexpected error (its text is in the log only)
    DB_ERROR = "db_error"  # a database error (its text is in the log only)
    BAD_OUTCOME = "bad_outcome"  # it ended, but its outcome could not be stored
    NOT_ALLOWED = "not_allowed"  # its owner may no longer do what it does

    kind = models.CharField(_("kind"), max_length=50)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    # What the job works on, in the terms of its kind (an import's id): no foreign key,
    # since core knows no app.
    subject = models.CharField(_("subject"), max_length=100, blank=True, db_index=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    # The language of the person who started it: messages written while it runs use it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    result_url = models.CharField(_("result"), max_length=500, blank=True)
    result = models.JSONField(_("outcome"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    # The same request made twice (a double click, a retried form) finds the same job.
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, unique=True, null=True, blank=True
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    # What the job built (a lookbook), served by the job_file view to whoever may see the
    # job, and removed JOB_FILES_DAYS after the job ended (manage.py prune_job_files).
    file = ProtectedFileField(
        _("file"), upload_to=ResultFilePath(), view_name="job_file", blank=True, max_length=300
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["owner", "-created_at"], name="core_job_owner_recent")]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.state})"

    def get_absolute_url(self):
        return reverse("job_detail", args=[self.pk])

    @property
    def is_finished(self):
        return self.state in self.FINISHED

    @property
    def error_text(self):
        """Why it failed, in the current language where the reason is a known code."""
        kind = registry.get(self.kind)
        text = (
            kind.error_text(self.error_code)
            if self.error_code and kind and kind.error_text
            else None
        )
        if text:
            return text
        if self.error_code == self.LOST:
            return _("The worker stopped before the job ended; try again.")
        reasons = {
            self.NOT_QUEUED: _("it could not be handed to a worker"),
            self.CRASHED: _("an unexpected error (the details are in the server's log)"),
            self.DB_ERROR: _("a database error (the details are in the server's log)"),
            self.BAD_OUTCOME: _("its result could not be stored"),
            self.NOT_ALLOWED: _("the person who started it may no longer do this"),
        }
        if self.error_code in reasons:
            return gettext("The job failed: %(error)s") % {"error": reasons[self.error_code]}
        return self.error

    @property
    def file_name(self):
        return posixpath.basename(self.file.name) if self.file else ""

    @property
    def file_removed(self):
        """Done with a file that was removed since (older than JOB_FILES_DAYS)."""
        return self.state == self.State.DONE and self.result.get("file") and not self.file

    @property
    def percent(self):
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    def seconds_left(self, now=None):
        """Estimated seconds to go at the speed so far, or None when it cannot be told."""
        if self.state != self.State.RUNNING or not (self.total and self.done and self.started_at):
            return None
        elapsed = ((now or timezone.now()) - self.started_at).total_seconds()
        rate = self.done / max(elapsed, 0.001)
        return max(0, round((self.total - self.done) / rate))

    def lost_since(self):
        return timezone.now() - datetime.timedelta(seconds=settings.JOBS_LOST_AFTER_SECONDS)
