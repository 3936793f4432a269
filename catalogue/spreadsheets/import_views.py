"""Spreadsheet import pages: upload → preview (counts, diff, every row error) → confirm.

Whole-file problems (wrong type, damaged, too big, no keys) are shown on the upload form
and nothing is kept. A readable file becomes an ``ImportBatch`` whose preview is stored in
its summary; confirming checks everything again and writes all rows or none
(``catalogue.spreadsheets.importing``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from catalogue import access
from catalogue.models import ImportBatch
from catalogue.spreadsheets import importing
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
        "changed_url": _changed_url(batch),
        "plain_changed": summary.get("counts", {}).get("changed", 0)
        - summary.get("conflicts_total", 0),
    }


def _changed_url(batch):
    return reverse("product_list") + f"?imported={batch.pk}"


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


def _confirm(request, batch):
    try:
        outcome = importing.confirm(batch, request.user, conflicts=request.POST.get("conflicts"))
    except ImportFileError as exc:
        messages.error(request, exc.message)
        return
    except DatabaseError as exc:
        messages.error(
            request,
            _("The import failed and nothing was written: %(error)s") % {"error": exc},
        )
        return
    batch.refresh_from_db()
    level, text = _OUTCOMES[outcome](batch)
    messages.add_message(request, level, text)


def _applied(batch):
    done = batch.summary.get("applied") or {
        "new": batch.summary["counts"]["new"],
        "changed": batch.summary["counts"]["changed"],
    }
    text = _("Imported: %(new)s new and %(changed)s changed products.") % done
    if done.get("skipped"):
        text += " " + ngettext(
            "%(n)s row changed since the file was exported was skipped.",
            "%(n)s rows changed since the file was exported were skipped.",
            done["skipped"],
        ) % {"n": done["skipped"]}
    if done.get("overwritten"):
        text += " " + ngettext(
            "Newer changes were overwritten in %(n)s product; its history records that.",
            "Newer changes were overwritten in %(n)s products; their history records that.",
            done["overwritten"],
        ) % {"n": done["overwritten"]}
    return messages.SUCCESS, text


def _already_applied(batch):
    when = formats.date_format(timezone.localtime(batch.applied_at), "SHORT_DATETIME_FORMAT")
    return messages.INFO, format_html(
        '{} <a href="{}">{}</a>',
        _("This import was already applied on %(when)s; nothing was written again.")
        % {"when": when},
        _changed_url(batch),
        _("Show the products it created or changed."),
    )


def _count_rows(errors):
    return len({error["row"] for error in errors})


def _refused(batch):
    rows = _count_rows(e for e in batch.summary.get("errors", []) if e["refused"])
    return messages.ERROR, ngettext(
        "Nothing was written: %(n)s row is a product outside your regencies, which you may "
        "not change (listed below). Leave it as exported or remove it, then upload the "
        "file again.",
        "Nothing was written: %(n)s rows are products outside your regencies, which you may "
        "not change (listed below). Leave them as exported or remove them, then upload the "
        "file again.",
        rows,
    ) % {"n": rows}


def _invalid(batch):
    total = batch.summary.get("errors_total", 0)
    return messages.ERROR, ngettext(
        "Nothing was written: the file has %(n)s error (listed below). Fix it and upload "
        "the file again.",
        "Nothing was written: the file has %(n)s errors (listed below). Fix them and "
        "upload the file again.",
        total,
    ) % {"n": total}


def _became_invalid(batch):
    total = batch.summary.get("errors_total", 0)
    return messages.ERROR, ngettext(
        "Nothing was written: the catalogue changed since the preview, and the rows no "
        "longer pass the checks: %(n)s error (listed below).",
        "Nothing was written: the catalogue changed since the preview, and the rows no "
        "longer pass the checks: %(n)s errors (listed below).",
        total,
    ) % {"n": total}


def _changed(_batch):
    return messages.WARNING, _(
        "Nothing was written: the catalogue changed since the preview, so the import "
        "would now change something else. Check the updated preview and confirm again."
    )


def _choose(batch):
    total = batch.summary.get("conflicts_total", 0)
    return messages.WARNING, ngettext(
        "Nothing was written: %(n)s row was changed after the file was "
        "exported. Choose whether to skip it or to overwrite the newer changes.",
        "Nothing was written: %(n)s rows were changed after the file was "
        "exported. Choose whether to skip them or to overwrite the newer changes.",
        total,
    ) % {"n": total}


def _discarded(_batch):
    return messages.INFO, _("This import was discarded; nothing was written.")


# confirm()'s outcome -> (message level, text) for the person who confirmed.
_OUTCOMES = {
    "applied": _applied,
    "already_applied": _already_applied,
    "discarded": _discarded,
    "refused": _refused,
    "invalid": _invalid,
    "became_invalid": _became_invalid,
    "changed": _changed,
    "choose": _choose,
}


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
