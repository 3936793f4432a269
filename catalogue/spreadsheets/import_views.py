"""Spreadsheet import pages: upload → analysis job → preview (counts, diff, every row
error) → confirm job.

The upload stores the file as an ``ImportBatch`` and answers at once with the page of its
analysis job (``import_jobs``); the preview is stored in the batch's summary. Whole-file
problems (wrong type, damaged, too big, no keys) end that job as failed, with the reason,
and nothing is kept. Confirming checks everything again and writes all rows or none
(``catalogue.spreadsheets.importing``), in a job too.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue import access
from catalogue.models import ImportBatch
from catalogue.spreadsheets import import_jobs, importing
from catalogue.spreadsheets.import_outcomes import OUTCOMES, changed_url
from catalogue.spreadsheets.importing.template import template_workbook
from core.roles import role_required
from core.spreadsheets.reading.files import ImportFileError, check_size, file_format

ERRORS_PER_PAGE = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("XLSX, CSV or ODS with the column keys in the first row."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,.ods,text/csv,application/vnd.oasis.opendocument."
                "spreadsheet," + XLSX
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if file_format(upload.name) is None:
            raise forms.ValidationError(_("Upload an .xlsx, .csv or .ods file."))
        try:
            check_size(upload.size)
        except ImportFileError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


def _require_import(user):
    if not access.can_import(user):
        raise PermissionDenied


def _batches_of(user):
    return access.visible_imports(user, ImportBatch.objects.select_related("user"))


@role_required
def product_import(request):
    _require_import(request.user)
    # Bound on every POST, so that a POST without a file gets the "required" message.
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = ImportBatch(user=request.user, original_name=upload.name[-255:])
        batch.file.save(upload.name, upload, save=True)
        return redirect(import_jobs.start_analysis(batch, request.user))
    return render(
        request,
        "catalogue/product_import.html",
        {
            "form": form,
            "recent": _batches_of(request.user)[:10],
            "restricted": access.editable_regency_ids(request.user) is not None,
        },
    )


@role_required
def product_import_preview(request, pk):
    _require_import(request.user)
    batch = get_object_or_404(_batches_of(request.user), pk=pk)
    analysis = import_jobs.pending_analysis(batch)
    if analysis is not None:
        return redirect(analysis)
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            return _discard(request, batch)
        if batch.status != ImportBatch.Status.PREVIEWED:  # another tab confirmed or discarded it
            messages.add_message(request, *OUTCOMES[importing.handled_outcome(batch)](batch))
            return redirect(batch)
        conflicts = request.POST.get("conflicts")
        if (conflicts or "") not in import_jobs.CHOICES:
            messages.error(request, _("Choose what to do with the conflicting rows."))
            return redirect(batch)
        return redirect(import_jobs.start_confirm(batch, request.user, conflicts))
    return render(
        request,
        "catalogue/product_import_preview.html",
        _preview_context(batch, request.GET.get("page")),
    )


def _preview_context(batch, page):
    summary = batch.summary
    errors = summary.get("errors", [])
    applied = summary.get("applied", {})
    counts = summary.get("counts", {})
    if applied:  # what was written: conflicting rows skipped are not counted as changed
        counts = {**counts, "new": applied["new"], "changed": applied["changed"]}
    return {
        "batch": batch,
        "summary": summary,
        "counts": counts,
        "applied": applied,
        "conflicts": _with_dates(summary.get("conflicts", [])),
        "refused": [error for error in errors if error["refused"]],
        "errors_page": Paginator(
            [error for error in errors if not error["refused"]], ERRORS_PER_PAGE
        ).get_page(page),
        "can_apply": batch.status == ImportBatch.Status.PREVIEWED
        and not summary.get("errors_total")
        and (summary.get("diff_total") or summary.get("conflicts_total")),
        "changed_url": changed_url(batch),
        "plain_changed": summary.get("counts", {}).get("changed", 0)
        - summary.get("conflicts_total", 0),
    }


def _with_dates(conflicts):
    """Conflicts as stored (ISO text), with their times as datetimes for the template."""
    return [
        {
            **item,
            "file_time": parse_datetime(item["file_time"]),
            "changed_at": parse_datetime(item["changed_at"]),
            "fields": [
                {**f, "at": parse_datetime(f["at"]) if f["at"] else None} for f in item["fields"]
            ],
        }
        for item in conflicts
    ]


def _discard(request, batch):
    if importing.discard(batch):
        messages.info(request, _("Import discarded; nothing was written."))
    return redirect("product_import")


@role_required
def product_import_template(request):
    _require_import(request.user)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="etalase-import-template.xlsx"'
    return response
