"""The import's two background jobs (``core.jobs``): the analysis behind the preview, and
the confirm that writes it.

The upload only stores the file and starts the analysis; the job page follows its
progress and, once done, opens the preview. Confirming starts the confirm job, which checks
everything again and writes all rows or none in one transaction (``importing.confirm``).
It is idempotent: the same batch, preview and choice find the same job (its key), a retry
reruns that job, and the batch itself is claimed by a conditional update (previewed →
applied), so no click or retry applies an import twice. A confirm that has started is not
cancelled: it runs to its end or rolls back whole.
"""

import logging

from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue import access
from catalogue.models import ImportBatch
from catalogue.spreadsheets import importing
from catalogue.spreadsheets.import_outcomes import OUTCOMES
from core.jobs import registry, runner
from core.jobs.models import Job
from core.spreadsheets.reading.files import ImportFileError

ANALYSE = "import_analysis"
CONFIRM = "import_confirm"
# The conflict choices a confirm may be started with (none, apply.SKIP, apply.OVERWRITE).
CHOICES = ("", "skip", "overwrite")
logger = logging.getLogger(__name__)


def _batch(job):
    batch = ImportBatch.objects.filter(pk=job.subject).first()
    if batch is None:
        raise registry.JobFailed(_("This import no longer exists."), retryable=False)
    return batch


def _analyse(job, progress):
    batch = _batch(job)
    if batch.status != ImportBatch.Status.PREVIEWED:  # discarded (discard_stale_imports)
        raise registry.JobFailed(
            _("This import was discarded; upload the file again."), retryable=False
        )
    try:
        importing.analyse(batch, job.owner, progress=progress)
    except ImportFileError as exc:
        batch.delete()  # its file goes with it (core.file_cleanup)
        raise registry.JobFailed(exc.message, retryable=False) from exc
    except registry.Cancelled:
        batch.delete()  # nothing was written: the file was only being read
        raise
    return {"url": batch.get_absolute_url()}


def _confirm(job, progress):
    batch = _batch(job)
    try:
        outcome = importing.confirm(
            batch, job.owner, conflicts=job.options.get("conflicts"), progress=progress
        )
    except ImportFileError as exc:
        raise registry.JobFailed(exc.message, retryable=False) from exc
    except DatabaseError as exc:
        # Its text (SQL, constraint names) goes to the log only; the page says it by code.
        logger.exception("Import %s: the confirm failed", batch.pk)
        raise registry.JobFailed(code=Job.DB_ERROR) from exc
    return {"url": batch.get_absolute_url(), "outcome": outcome}


def _may_import(user):
    return access.can_import(user)


def _discard_queued(job):
    """A queued analysis cancelled: its batch (and file) go, as when it is cancelled
    while running."""
    batch = ImportBatch.objects.filter(pk=job.subject, status=ImportBatch.Status.PREVIEWED).first()
    if batch is not None and not batch.summary:
        batch.delete()


def _confirm_error(code):
    if code == Job.DB_ERROR:
        return _("The import failed and nothing was written: %(error)s") % {
            "error": _("a database error (the details are in the server's log)")
        }
    return None


def _confirm_message(job):
    batch = ImportBatch.objects.get(pk=job.subject)
    return OUTCOMES[job.result["outcome"]](batch)


def register():
    registry.register(
        registry.Kind(
            name=ANALYSE,
            label=gettext_lazy("Import check"),
            run=_analyse,
            cancellable=True,
            redirect_when_done=True,
            may_run=_may_import,
            on_cancel=_discard_queued,
        )
    )
    registry.register(
        registry.Kind(
            name=CONFIRM,
            label=gettext_lazy("Import confirmation"),
            run=_confirm,
            redirect_when_done=True,
            done_message=_confirm_message,
            may_run=_may_import,
            error_text=_confirm_error,
        )
    )


def start_analysis(batch, user):
    return runner.start(ANALYSE, user, subject=batch.pk, key=f"import-analysis:{batch.pk}")


def start_confirm(batch, user, conflicts):
    """The confirm job of this batch, this preview and this choice (one of ``CHOICES``):
    the one made before while it is queued, running, failed or has applied the import,
    else a new one (a done job that wrote nothing, "changed", must not stand for the
    preview when it comes back to that fingerprint)."""
    fingerprint = batch.summary.get("fingerprint", "")
    return runner.start(
        CONFIRM,
        user,
        subject=batch.pk,
        options={"conflicts": conflicts},
        key=f"import-confirm:{batch.pk}:{fingerprint}:{conflicts or ''}"[:200],
        reuse=_applied,
    )


def _applied(job):
    return job.state == Job.State.DONE and job.result.get("outcome") == "applied"


def pending_analysis(batch):
    """The analysis job of a batch without a preview yet (queued, running, or failed and
    waiting for "Try again"), or None."""
    if batch.summary:
        return None
    return (
        Job.objects.filter(kind=ANALYSE, subject=str(batch.pk))
        .exclude(state=Job.State.DONE)
        .first()
    )
