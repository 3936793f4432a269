"""Spreadsheet exports of the product and producer lists, and the export history.

An export URL is the list URL's query string sent to the export endpoint: the same list
query (``core.listing.ListQuery``: FilterSet, queryset, canonical query string) as the list,
so the file holds exactly the rows the list shows, on all its pages, in its sort order. The
export reads no page of the list: its rows are streamed from the query as they come (see
``core.spreadsheets.writing``); the export is recorded once the last byte has been produced.
Streaming needs a WSGI server: under ASGI Django would buffer a synchronous iterator.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue import access
from catalogue.models import ExportRecord, Producer, Product
from catalogue.spreadsheets.exports import LISTS, build_export, record_export
from catalogue.spreadsheets.lookbook_job import lookbook_response
from core import roles
from core.listing import StoredQueries, with_query
from core.roles import allowed_if, role_required
from core.spreadsheets.writing import FORMATS, LOOKBOOK, file_name, stream

DIFF_LIST_LIMIT = 500  # codes shown per section of a comparison


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
        return lookbook_response(request)
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
