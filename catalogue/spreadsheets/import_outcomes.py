"""What the person who confirmed an import is told: ``importing.confirm``'s outcome as a
message (level, text), shown on the preview page after the confirm job."""

from django.contrib import messages
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy


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


def _refused_rows(summary):
    return len({error["row"] for error in summary.get("errors", []) if error["refused"]})


def _counted(level, text, count):
    """An outcome whose text names a count: ``text`` is an ``ngettext_lazy`` with its
    number named ``n``, ``count(summary)`` that number."""
    return lambda batch: (level, text % {"n": count(batch.summary)})


def _errors_total(summary):
    return summary.get("errors_total", 0)


_refused = _counted(
    messages.ERROR,
    ngettext_lazy(
        "Nothing was written: %(n)s row is a product outside your regencies, which you may "
        "not change (listed below). Leave it as exported or remove it, then upload the "
        "file again.",
        "Nothing was written: %(n)s rows are products outside your regencies, which you may "
        "not change (listed below). Leave them as exported or remove them, then upload the "
        "file again.",
        "n",
    ),
    _refused_rows,
)
_invalid = _counted(
    messages.ERROR,
    ngettext_lazy(
        "Nothing was written: the file has %(n)s error (listed below). Fix it and upload "
        "the file again.",
        "Nothing was written: the file has %(n)s errors (listed below). Fix them and "
        "upload the file again.",
        "n",
    ),
    _errors_total,
)
_became_invalid = _counted(
    messages.ERROR,
    ngettext_lazy(
        "Nothing was written: the catalogue changed since the preview, and the rows no "
        "longer pass the checks: %(n)s error (listed below).",
        "Nothing was written: the catalogue changed since the preview, and the rows no "
        "longer pass the checks: %(n)s errors (listed below).",
        "n",
    ),
    _errors_total,
)
_choose = _counted(
    messages.WARNING,
    ngettext_lazy(
        "Nothing was written: %(n)s row was changed after the file was "
        "exported. Choose whether to skip it or to overwrite the newer changes.",
        "Nothing was written: %(n)s rows were changed after the file was "
        "exported. Choose whether to skip them or to overwrite the newer changes.",
        "n",
    ),
    lambda summary: summary.get("conflicts_total", 0),
)


def _changed(_batch):
    return messages.WARNING, _(
        "Nothing was written: the catalogue changed since the preview, so the import "
        "would now change something else. Check the updated preview and confirm again."
    )


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
