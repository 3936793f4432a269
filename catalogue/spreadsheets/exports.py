"""What an export holds: the list query of a list's rows as an ``Export`` to write, and
the export history entry once it is written. The export views, the lookbook job and the
``export_products`` command share them."""

import logging

from django.db import DatabaseError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalogue import access
from catalogue.filtersets import ProducerFilterSet, ProductFilterSet
from catalogue.models import ExportRecord
from catalogue.querysets import producer_queryset, product_queryset
from catalogue.spreadsheets import readable
from catalogue.spreadsheets.columns import (
    COLUMNS,
    iter_producer_rows,
    iter_row_values,
    producer_columns,
)
from core.large_json import json_from_text
from core.listing import ListQuery
from core.spreadsheets.writing import Export

logger = logging.getLogger(__name__)


# What each list exports: its FilterSet and the queryset of its rows.
LISTS = {
    "products": (ProductFilterSet, product_queryset),
    "producers": (ProducerFilterSet, producer_queryset),
}


def build_export(data, kind, user, request=None):
    """(Export, ListQuery, query string, filters in words) of the list ``kind``
    ("products" or "producers") that the query string ``data`` asks for.

    ``user`` decides the producer columns (no NIB for visitors); ``None`` (the command
    line) sees everything.
    """
    filterset_class, queryset = LISTS[kind]
    listing = ListQuery(filterset_class, data, queryset(), request=request)
    if kind == "products":
        columns = COLUMNS
        rows = iter_row_values(listing.queryset)
    else:
        columns = producer_columns(with_nib=user is None or access.can_see_nib(user))
        rows = iter_producer_rows(listing.queryset, columns)
    present = None
    if readable.wants_readable(data):  # same rows, in words (catalogue.spreadsheets.readable)
        presenter = (
            readable.product_presenter if kind == "products" else readable.producer_presenter
        )
        present = presenter(columns)
        columns = readable.readable_columns(columns)
    now = timezone.now()
    who = (user.get_full_name() or user.get_username()) if user else _("command line")
    query = listing.query_string
    filters = listing.words()
    # Sheet names stay English ("Products", "About") whatever the language, so tools and
    # imports can rely on them; the About sheet's contents follow the user's language.
    export = Export(
        columns=columns,
        rows=rows,
        present=present,
        sheet_title=kind.capitalize(),
        created_at=now,
        rows_label=_("Rows"),
        about=[
            ("Etalase", _("Products") if kind == "products" else _("Producers")),
            (_("Exported at"), date_format(timezone.localtime(now), "Y-m-d H:i")),
            (_("Exported by"), who),
            (_("Filters"), filters or _("none (all rows)")),
            (_("Query"), query or "—"),
            *(
                [(_("Layout"), _("readable: for reading, not for importing"))]
                if present is not None
                else []
            ),
        ],
    )
    return export, listing, query, filters


def record_export(export, *, user, fmt, kind, query, filters):
    """Save the export history entry; a failure here must not break the download.

    The fingerprints go in from their temporary file in pieces (``core.large_json``): as one
    text they cost an export of a million rows ~160 MB at this point.
    """
    try:
        with json_from_text(export.fingerprint_chunks()) as fingerprints:
            record = ExportRecord.objects.create(
                user=user,
                created_at=export.created_at,
                format=fmt,
                kind=kind,
                query=query,
                filters_text=filters,
                row_count=export.row_count,
                fingerprints=fingerprints,
            )
    except DatabaseError:
        logger.exception("Could not record the %s export", kind)
        return None
    finally:
        export.close()
    # Deferred: read from the database if asked for, not the expression it was written with.
    del record.fingerprints
    return record
