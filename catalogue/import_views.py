"""Spreadsheet import pages: upload → preview (counts, diff, every row error) → confirm.

Whole-file problems (wrong type, damaged, too big, no keys) are shown on the upload form
and nothing is kept. A readable file becomes an ``ImportBatch`` whose preview is stored in
its summary; confirming checks everything again and writes all rows or none
(``catalogue.importing``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue import access, importing
from catalogue.importing.files import ImportFileError, check_size, file_format
from catalogue.importing.template import template_workbook
from catalogue.models import ImportBatch
from core.roles import role_required

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
        try:
            importing.analyse(batch, request.user)
        except ImportFileError as exc:
            batch.delete()  # its file goes with it (core.file_cleanup)
            form.add_error("file", exc.message)
        else:
            return redirect(batch)
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
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            return _discard(request, batch)
        _confirm(request, batch)
        return redirect(batch)
    summary = batch.summary
    errors = summary.get("errors", [])
    return render(
        request,
        "catalogue/product_import_preview.html",
        {
            "batch": batch,
            "summary": summary,
            "counts": summary.get("counts", {}),
            "refused": [error for error in errors if error["refused"]],
            "errors_page": Paginator(
                [error for error in errors if not error["refused"]], ERRORS_PER_PAGE
            ).get_page(request.GET.get("page")),
            "can_apply": batch.status == ImportBatch.Status.PREVIEWED
            and not summary.get("errors_total")
            and summary.get("diff_total"),
            "changed_url": reverse("product_list") + f"?imported={batch.pk}",
        },
    )


def _confirm(request, batch):
    try:
        outcome = importing.confirm(batch, request.user)
    except ImportFileError as exc:
        messages.error(request, exc.message)
        return
    except DatabaseError as exc:
        messages.error(
            request,
            _("The import failed and nothing was written: %(error)s") % {"error": exc},
        )
        return
    if outcome == "applied":
        batch.refresh_from_db()
        messages.success(
            request,
            _("Imported: %(new)s new and %(changed)s changed products.")
            % {
                "new": batch.summary["counts"]["new"],
                "changed": batch.summary["counts"]["changed"],
            },
        )
    elif outcome == "invalid":
        messages.error(
            request,
            _(
                "Nothing was written: the rows no longer pass the checks (the catalogue changed "
                "since the preview). See the errors below."
            ),
        )
    elif outcome == "changed":
        messages.warning(
            request,
            _(
                "Nothing was written: the catalogue changed since the preview, so the import "
                "would now change something else. Check the updated preview and confirm again."
            ),
        )
    else:
        label = (
            ImportBatch.Status(outcome).label if outcome in ImportBatch.Status.values else outcome
        )
        messages.info(
            request, _("This import was already handled: %(status)s.") % {"status": label}
        )


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
