"""The readable layout of the product and producer exports (``layout=readable``).

For partners who read the file rather than import it: the same rows as the machine
layout (the same ``ListQuery`` and row stream, ``exports.build_export``), with
headers in the user's language and units in them ("Price (IDR)", "Lead time (days)"), and
choice values in words (promotion status "Buyer interest", category names, packaging
status, certification kinds, producer kinds, yes/no). The machine layout (column keys,
codes and slugs) stays the import contract: an import refuses a readable file with a
message saying so (``refuse_readable_header``) instead of importing words as codes.
"""

import re
from dataclasses import replace

from django.utils import translation
from django.utils.translation import gettext as _

from catalogue.choices import CertificationKind, PackagingStatus, ProducerKind, PromotionStatus
from catalogue.models import Category
from catalogue.spreadsheets.columns import COLUMNS, KEYS, PRODUCER_COLUMNS
from core.localization import pick
from core.spreadsheets.reading.files import normalise_header

READABLE = "readable"
# "halal ID35110000123 (until 2027-01-31)": kind, number, expiry (columns.format_certifications).
_CERTIFICATE = re.compile(r"^(?P<kind>\S+)(?: (?P<number>.*?))?(?: \(until (?P<date>[\d-]+)\))?$")


def wants_readable(data):
    return data.get("layout") == READABLE


def readable_columns(columns):
    """``columns`` with their label (in the active language, as text now: the file is
    written after the view returns) as header; yes/no columns become words."""
    return [
        replace(
            column,
            header=str(column.label),
            width=max(column.width, min(len(str(column.label)) + 2, 40)),
            kind="text" if column.kind == "bool" else column.kind,
        )
        for column in columns
    ]


def _labels(choices):
    return {value: str(label) for value, label in choices}


def _certifications(text, kinds, until):
    parts = []
    for part in text.split("; ") if text else ():
        match = _CERTIFICATE.match(part)
        if match is None:
            parts.append(part)
            continue
        words = " ".join(w for w in (kinds.get(match["kind"], match["kind"]), match["number"]) if w)
        if match["date"]:
            words += f" ({until % {'date': match['date']}})"
        parts.append(words)
    return "; ".join(parts)


def product_presenter(columns):
    """A function machine row → readable row of the product ``columns`` (choice labels and
    category names looked up once, in the active language)."""
    at = {column.key: i for i, column in enumerate(columns)}
    statuses, packaging = _labels(PromotionStatus.choices), _labels(PackagingStatus.choices)
    kinds = _labels(CertificationKind.choices)
    categories = {
        slug: pick(*names)
        for slug, *names in Category.objects.values_list("slug", "name", "name_en", "name_zh")
    }
    until = _("until %(date)s")

    def present(row):
        row = list(row)
        row[at["status"]] = statuses.get(row[at["status"]], row[at["status"]])
        row[at["category"]] = categories.get(row[at["category"]], row[at["category"]])
        row[at["packaging_status"]] = packaging.get(
            row[at["packaging_status"]], row[at["packaging_status"]]
        )
        row[at["certifications"]] = _certifications(row[at["certifications"]], kinds, until)
        return row

    return present


def producer_presenter(columns):
    at = {column.key: i for i, column in enumerate(columns)}
    kinds = _labels(ProducerKind.choices)
    yes, no = _("Yes"), _("No")

    def present(row):
        row = list(row)
        if "kind" in at:
            row[at["kind"]] = kinds.get(row[at["kind"]], row[at["kind"]])
        if "has_exported" in at and row[at["has_exported"]] is not None:
            row[at["has_exported"]] = yes if row[at["has_exported"]] else no
        return row

    return present


def readable_headers():
    """The normalised header cells of readable product files in every UI language, less
    those that are column keys too ("Code" → ``code``)."""
    labels = set()
    for language in ("id", "en", "zh-hans"):
        with translation.override(language):
            labels |= {normalise_header(str(c.label)) for c in (*COLUMNS, *PRODUCER_COLUMNS)}
    return labels - set(KEYS) - {""}


def refuse_readable_header(cells):
    """For ``read_spreadsheet``: a header row with more readable labels than column keys
    is a readable export, which would import words where codes belong."""
    known = readable_headers()
    keys = sum(cell in KEYS for cell in cells)
    labels = sum(cell in known for cell in cells)
    if labels > keys:
        return _(
            "This file is a readable export (headers and values in words), made for "
            "reading, not for importing. To edit products in a spreadsheet, export the list "
            "as XLSX, CSV or ODS without “readable” (its first row holds the column keys "
            "code, name_id, …), or start from the import template."
        )
    return None
