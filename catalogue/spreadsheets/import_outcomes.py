"""What the person who confirmed an import is told: ``importing.confirm``'s outcome as a
message (level, text), shown on the preview page after the confirm job."""

from django.contrib import messages
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def changed_url(batch):
    return reverse("product_list") + f"?imported={batch.pk}"


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
        changed_url(batch),
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
OUTCOMES = {
    "applied": _applied,
    "already_applied": _already_applied,
    "discarded": _discarded,
    "refused": _refused,
    "invalid": _invalid,
    "became_invalid": _became_invalid,
    "changed": _changed,
    "choose": _choose,
}
