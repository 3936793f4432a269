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

from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import ImportBatch
from catalogue.spreadsheets import importing
from catalogue.spreadsheets.import_outcomes import OUTCOMES
from core.jobs import registry, runner
from core.jobs.models import Job
from core.spreadsheets.reading.files import ImportFileError

ANALYSE = "import_analysis"
CONFIRM = "import_confirm"


def _batch(job):
    batch = ImportBatch.objects.filter(pk=job.subject).first()
    if batch is None:
        raise registry.JobFailed(_("This import no longer exists."), retryable=False)
    return batch


def _analyse(job, progress):
    batch = _batch(job)
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
        raise registry.JobFailed(
            _("The import failed and nothing was written: %(error)s") % {"error": exc}
        ) from exc
    return {"url": batch.get_absolute_url(), "outcome": outcome}


def _confirm_message(job):
    batch = ImportBatch.objects.get(pk=job.subject)
    return OUTCOMES[job.result["outcome"]](batch)


def register():
    registry.register(
        registry.Kind(
            name=ANALYSE,
            label=gettext_lazy("Checking an import"),
            run=_analyse,
            cancellable=True,
            redirect_when_done=True,
        )
    )
    registry.register(
        registry.Kind(
            name=CONFIRM,
            label=gettext_lazy("Applying an import"),
            run=_confirm,
            redirect_when_done=True,
            done_message=_confirm_message,
        )
    )


def start_analysis(batch, user):
    return runner.start(ANALYSE, user, subject=batch.pk, key=f"import-analysis:{batch.pk}")


def start_confirm(batch, user, conflicts):
    """The confirm job of this batch, this preview and this choice (a new one only if none)."""
    fingerprint = batch.summary.get("fingerprint", "")
    return runner.start(
        CONFIRM,
        user,
        subject=batch.pk,
        options={"conflicts": conflicts},
        key=f"import-confirm:{batch.pk}:{fingerprint}:{conflicts or ''}"[:200],
    )


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
