"""Spreadsheet exports of the product and producer lists, and the export history.

An export URL is the list URL's query string sent to the export endpoint: the same list
query (``core.listing.ListQuery``: FilterSet, queryset, canonical query string) as the list,
so the file holds exactly the rows the list shows, on all its pages, in its sort order. The
export reads no page of the list: its rows are streamed from the query as they come (see
``core.spreadsheets.writing``); the export is recorded once the last byte has been produced.
Streaming needs a WSGI server: under ASGI Django would buffer a synchronous iterator.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalogue import access
from catalogue.filtersets import ProducerFilterSet, ProductFilterSet
from catalogue.models import ExportRecord, Producer, Product, ProductPhoto
from catalogue.querysets import producer_queryset, product_queryset
from catalogue.spreadsheets import readable
from catalogue.spreadsheets.columns import (
    COLUMNS,
    iter_producer_rows,
    iter_row_values,
    producer_columns,
)
from core import roles
from core.large_json import json_from_text
from core.listing import ListQuery, StoredQueries, with_query
from core.roles import allowed_if, role_required
from core.spreadsheets.writing import (
    FORMATS,
    LOOKBOOK,
    LOOKBOOK_MAX_ROWS,
    Export,
    file_name,
    lookbook_bytes,
    stream,
)

logger = logging.getLogger(__name__)

DIFF_LIST_LIMIT = 500  # codes shown per section of a comparison


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


def _recorded(chunks, export, **record):
    # Runs while the server sends the file, after the view has returned (fine under
    # WSGI); a download cancelled half-way is not recorded.
    yield from chunks
    record_export(export, **record)


def _attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _export(request, kind):
    if not access.can_export(request.user):
        raise PermissionDenied
    key = request.GET.get("format", "xlsx")
    if kind == "products" and key == LOOKBOOK.key:
        return _lookbook(request)
    fmt = FORMATS.get(key)
    if fmt is None:
        allowed = ", ".join([*FORMATS, LOOKBOOK.key] if kind == "products" else FORMATS)
        return HttpResponseBadRequest(
            _("Unknown export format “%(format)s”. Use one of: %(allowed)s.")
            % {"format": key, "allowed": allowed},
            content_type="text/plain; charset=utf-8",
        )
    export, _listing, query, filters = build_export(request.GET, kind, request.user, request)
    chunks = _recorded(
        stream(fmt, export),
        export,
        user=request.user,
        fmt=fmt.key,
        kind=kind,
        query=query,
        filters=filters,
    )
    response = StreamingHttpResponse(chunks, content_type=fmt.content_type)
    response["X-Accel-Buffering"] = "no"  # let a proxy pass the chunks on as they come
    return _attachment(response, file_name(kind, fmt, export.created_at))


def _lookbook(request):
    export, listing, query, filters = build_export(request.GET, "products", request.user, request)
    if listing.more_than(LOOKBOOK_MAX_ROWS):
        messages.error(
            request,
            _(
                "A lookbook holds at most %(max)s products; this list has %(count)s. "
                "Filter the list further, or export it as XLSX without photos."
            )
            % {"max": LOOKBOOK_MAX_ROWS, "count": listing.queryset.count()},
        )
        return redirect(listing.url_at(reverse("product_list")))
    photos = {
        photo.product.code: photo
        for photo in ProductPhoto.objects.filter(
            is_primary=True, product__in=listing.queryset.order_by().values("pk")
        ).select_related("product")
    }
    content = lookbook_bytes(export, photos)
    record_export(
        export, user=request.user, fmt=LOOKBOOK.key, kind="products", query=query, filters=filters
    )
    response = HttpResponse(content, content_type=LOOKBOOK.content_type)
    return _attachment(response, file_name("products", LOOKBOOK, export.created_at))


@allowed_if(access.can_view_products)
def product_export(request):
    return _export(request, "products")


@allowed_if(access.can_view_producers)
def producer_export(request):
    return _export(request, "producers")


# --- History ----------------------------------------------------------------------------


def visible_exports(user):
    """Visitors see their own exports; staff roles see everyone's."""
    records = ExportRecord.objects.select_related("user")
    if roles.role_of(user) == roles.VISITOR:
        records = records.filter(user=user)
    return records


def list_url(record):
    name = "product_list" if record.kind == "products" else "producer_list"
    return with_query(reverse(name), record.query)


def filters_in_words_of(request, records):
    """{(kind, query): ``ListQuery.words``} of stored exports, in the language of this request.

    The history shows each export's filters in the reader's language, not in the language
    of whoever exported (the text stored with the record). The same lookups serve the
    whole page (``StoredQueries``): no FilterSet and no queries per record.
    """
    described = {}
    for kind, (filterset_class, _queryset) in LISTS.items():
        queries = {record.query for record in records if record.kind == kind}
        if queries:
            stored = StoredQueries(filterset_class, queries, request)
            described |= {(kind, query): stored.words(query) for query in queries}
    return described


@role_required
def export_history(request):
    records = visible_exports(request.user).defer("fingerprints")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    described = filters_in_words_of(request, page.object_list)
    for record in page.object_list:
        record.list_url = list_url(record)
        record.filters_shown = described.get((record.kind, record.query), "")
    # Preselected for comparison: the newest export and the one before it of the same list.
    newest = records.values_list("pk", "kind").first()
    previous = (
        records.filter(kind=newest[1]).exclude(pk=newest[0]).values_list("pk", flat=True).first()
        if newest
        else None
    )
    return render(
        request,
        "catalogue/export_history.html",
        {"page": page, "default_b": newest and newest[0], "default_a": previous},
    )


def diff_fingerprints(old, new):
    """Codes added, removed and changed from ``old`` to ``new`` ({code: hash} each)."""
    added = sorted(code for code in new if code not in old)
    removed = sorted(code for code in old if code not in new)
    changed = sorted(code for code, digest in new.items() if code in old and old[code] != digest)
    return added, removed, changed


def _described(kind, codes):
    """[(code, name, url or None)] for the first ``DIFF_LIST_LIMIT`` codes."""
    shown = codes[:DIFF_LIST_LIMIT]
    if kind == "products":
        names = dict(Product.objects.filter(code__in=shown).values_list("code", "name_id"))
        url_name = "product_detail"
    else:
        names = dict(Producer.objects.filter(code__in=shown).values_list("code", "name"))
        url_name = "producer_detail"
    return [
        (code, names.get(code), reverse(url_name, args=[code]) if code in names else None)
        for code in shown
    ]


def _record_id(request, name):
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


@role_required
def export_diff(request):
    ids = _record_id(request, "a"), _record_id(request, "b")
    if None in ids:
        messages.error(request, _("Choose two exports to compare."))
        return redirect("export_history")
    records = visible_exports(request.user)
    a, b = (get_object_or_404(records, pk=pk) for pk in ids)
    if a.kind != b.kind:
        messages.error(request, _("Only exports of the same list (products or producers) compare."))
        return redirect("export_history")
    if (a.created_at, a.pk) > (b.created_at, b.pk):
        a, b = b, a  # older first: "what is new since"
    added, removed, changed = diff_fingerprints(a.fingerprints, b.fingerprints)
    return render(
        request,
        "catalogue/export_diff.html",
        {
            "a": a,
            "b": b,
            "a_url": list_url(a),
            "b_url": list_url(b),
            "unchanged": len(b.fingerprints) - len(added) - len(changed),
            "limit": DIFF_LIST_LIMIT,
            "sections": _diff_sections(a.kind, added, removed, changed),
        },
    )


def _diff_sections(kind, added, removed, changed):
    sections = [
        ("added", _("Added"), added, _("In the newer export, not in the older one.")),
        ("removed", _("Removed"), removed, _("In the older export, not in the newer one.")),
        ("changed", _("Changed"), changed, _("In both, with different values.")),
    ]
    return [
        {
            "key": key,
            "title": title,
            "help": help_text,
            "count": len(codes),
            "items": _described(kind, codes),
            "more": max(0, len(codes) - DIFF_LIST_LIMIT),
        }
        for key, title, codes, help_text in sections
    ]
