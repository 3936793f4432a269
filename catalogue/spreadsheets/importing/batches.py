"""Import batches: the preview stored with an uploaded file, and its confirmation."""

import datetime

from django.db import transaction
from django.utils import timezone

from catalogue.models import ImportBatch, Product
from catalogue.spreadsheets.columns import KEYS
from catalogue.spreadsheets.importing.apply import OVERWRITE, SKIP, apply_plan
from catalogue.spreadsheets.importing.plan import build_plan
from catalogue.spreadsheets.readable import refuse_readable_header
from core.spreadsheets.reading.files import check_size, read_spreadsheet


def change_reason(batch, overwrote=False):
    """The change-log reason written with a batch's rows (the product list filters on it).

    Rows written over changes made after the file was exported say so (``overwrote``):
    the person chose to overwrite them in the preview or with ``--overwrite-newer``.
    """
    if overwrote:
        return f"Import #{batch.pk}, overwriting newer changes: {batch.original_name}"[:100]
    return f"Import #{batch.pk}: {batch.original_name}"[:100]


def products_changed_by(batch):
    """Ids of the products a batch created or changed: its rows in the change log.

    A subquery rather than ``code IN (…changed_codes)``, which would break the databases'
    parameter limits (SQLite 32,766, PostgreSQL 65,535) for big imports.
    """
    if batch.applied_at is None:
        return Product.objects.none().values("pk")
    return Product.history.filter(
        history_change_reason__in=[change_reason(batch), change_reason(batch, overwrote=True)],
        history_date=batch.applied_at,
    ).values("id")


def read_file(file):
    """Bytes of an uploaded or stored file, refusing oversized files before reading them."""
    size = getattr(file, "size", None)
    if size is not None:
        check_size(size)
    file.seek(0)
    return file.read()


def plan_for_file(data, name, user=None, lock=False, progress=None):
    return build_plan(read_sheet(data, name, progress), user, lock=lock, progress=progress)


def read_sheet(data, name, progress=None):
    if progress:
        progress(0, None, "reading")
    return read_spreadsheet(data, name, KEYS, refuse_header=refuse_readable_header)


def _stored_bytes(batch):
    with batch.file.open("rb") as handle:
        return read_file(handle)


def analyse(batch, user, progress=None):
    """Preview: check the batch's file and store the outcome in ``batch.summary``."""
    sheet = read_sheet(_stored_bytes(batch), batch.original_name, progress)
    plan = build_plan(sheet, user, progress=progress)  # the file's bytes let go meanwhile
    del sheet
    batch.summary = plan.summary()
    batch.save(update_fields=["summary"])
    return plan


def handled_outcome(batch):
    return {
        ImportBatch.Status.APPLIED: "already_applied",
        ImportBatch.Status.DISCARDED: "discarded",
    }[batch.status]


def confirm(batch, user, conflicts=None, progress=None):
    """Apply a previewed batch, checking everything again first.

    ``conflicts`` is the person's choice for rows whose product changed after the file's
    updated_at: ``"skip"`` or ``"overwrite"`` (``apply.SKIP``, ``apply.OVERWRITE``).
    Returns ``"applied"``, or why nothing was written:

    - ``"already_applied"``, ``"discarded"``: the batch was handled before (another tab);
    - ``"refused"``: rows are outside the user's regencies;
    - ``"invalid"``: the rows have the errors the preview showed;
    - ``"became_invalid"``: the preview passed, but the rows no longer do;
    - ``"changed"``: they pass, but would now write something other than the preview
      showed (a product changed meanwhile, which may make its row a conflict);
    - ``"choose"``: rows conflict with newer changes and ``conflicts`` was not given.

    When the checks changed their outcome the preview is refreshed.
    """
    if batch.status != ImportBatch.Status.PREVIEWED:
        return handled_outcome(batch)
    data = _stored_bytes(batch)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            return handled_outcome(batch)
        sheet = read_sheet(data, batch.original_name, progress)
        del data  # the file's bytes (25 MB for 100,000 rows), not needed while checking
        plan = build_plan(sheet, user, lock=True, progress=progress)
        del sheet
        previewed = batch.summary
        if not plan.is_valid or plan.fingerprint() != previewed.get("fingerprint"):
            batch.summary = plan.summary()
            batch.save(update_fields=["summary"])
            if plan.is_valid:
                return "changed"
            if any(error.refused for error in plan.errors):
                return "refused"
            return "invalid" if previewed.get("errors_total") else "became_invalid"
        if plan.conflicts and conflicts not in (SKIP, OVERWRITE):
            return "choose"
        if progress:
            progress(len(plan.rows), len(plan.rows), "writing")
        try:
            apply_to_batch(batch, plan, user, conflicts)
        except AlreadyApplied:
            return "already_applied"
    return "applied"


def apply_to_batch(batch, plan, user, conflicts):
    """Write ``plan`` as ``batch`` (the page's confirm and ``import_products``): its rows
    carry the batch's change reason, and the batch records what was written.

    The batch is claimed first by a conditional update (previewed → applied) in the same
    transaction as the rows: whatever is clicked, retried or run twice, one claim wins and
    the other writes nothing, and a failure rolls the claim back with the rows.
    """
    with transaction.atomic():
        return _apply_claimed(batch, plan, user, conflicts)


def _apply_claimed(batch, plan, user, conflicts):
    batch.applied_at = timezone.now()
    if batch.pk is not None:
        claimed = ImportBatch.objects.filter(
            pk=batch.pk, status=ImportBatch.Status.PREVIEWED
        ).update(status=ImportBatch.Status.APPLIED, applied_at=batch.applied_at)
        if not claimed:
            raise AlreadyApplied(batch.pk)
    result = apply_plan(
        plan,
        user,
        reason=change_reason(batch),
        when=batch.applied_at,
        conflicts=conflicts,
        overwrite_reason=change_reason(batch, overwrote=True),
    )
    batch.summary = applied_summary(plan, result, conflicts)
    batch.status = ImportBatch.Status.APPLIED
    batch.changed_codes = result.codes
    batch.save(update_fields=["summary", "status", "applied_at", "changed_codes"])
    return result


class AlreadyApplied(Exception):  # noqa: N818
    """The batch was applied or discarded meanwhile: nothing is written."""


def applied_summary(plan, result, conflicts):
    """The preview as written: the codes given to new products, and what was written."""
    summary = plan.summary()
    summary["applied"] = {
        "new": len(result.created),
        "changed": len(result.updated),
        "skipped": len(result.skipped),
        "overwritten": len(result.overwritten),
        "conflicts": conflicts if plan.conflicts else "",
    }
    return summary


def discard(batch):
    """Drop a preview that was never confirmed: its status says so and its file is deleted
    (after commit, by ``core.file_cleanup``).

    Returns False for a batch that was already applied or discarded (nothing changes).
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            return False
        batch.status = ImportBatch.Status.DISCARDED
        batch.file = ""
        batch.save(update_fields=["status", "file"])
    return True


def discard_stale(days, now=None):
    """Discard the previews left unconfirmed for more than ``days`` days; their number."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    stale = ImportBatch.objects.filter(
        status=ImportBatch.Status.PREVIEWED, created_at__lt=cutoff
    ).order_by("pk")
    return sum(discard(batch) for batch in stale)
