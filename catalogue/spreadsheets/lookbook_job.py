"""The lookbook XLSX (the product export with a photo per row).

Up to ``LOOKBOOK_JOB_ROWS`` products it is built in the request and downloaded at once; a
longer list (up to ``LOOKBOOK_MAX_ROWS``) is built by the ``lookbook_xlsx`` job
(``catalogue.list_jobs``): rows done of total on its page, cancellable while it builds
(nothing is stored until the file is whole), and the file kept in the media storage under
``jobs/`` for its owner and administrators (``core.jobs``, ``job_file``).
"""

from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue import list_jobs
from catalogue.models import ProductPhoto
from catalogue.spreadsheets.exports import build_export, record_export
from core.jobs import registry
from core.spreadsheets.writing import LOOKBOOK, LOOKBOOK_MAX_ROWS, file_name, lookbook_bytes

KIND = "lookbook_xlsx"


def primary_photos(listing):
    """{product code: its primary photo} of the listed products, in one query."""
    return {
        photo.product.code: photo
        for photo in ProductPhoto.objects.filter(
            is_primary=True, product__in=listing.queryset.order_by().values("pk")
        ).select_related("product")
    }


def _too_many(count):
    return _(
        "A lookbook holds at most %(max)s products; this list has %(count)s. "
        "Filter the list further, or export it as XLSX without photos."
    ) % {"max": LOOKBOOK_MAX_ROWS, "count": count}


def _built(export, listing, user, query, filters, progress=None):
    content = lookbook_bytes(export, primary_photos(listing), progress=progress)
    record_export(
        export, user=user, fmt=LOOKBOOK.key, kind="products", query=query, filters=filters
    )
    return content


def lookbook_response(request):
    """The XLSX at once for a short list; the job's page for a long one."""
    export, listing, query, filters = build_export(request.GET, "products", request.user, request)
    if listing.more_than(LOOKBOOK_MAX_ROWS):
        messages.error(request, _too_many(listing.queryset.count()))
        return redirect(listing.url_at(reverse("product_list")))
    if list_jobs.is_large(listing):
        return redirect(list_jobs.start(KIND, request.user, query))
    content = _built(export, listing, request.user, query, filters)
    response = HttpResponse(content, content_type=LOOKBOOK.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name("products", LOOKBOOK, export.created_at)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _run(job, progress):
    data = QueryDict(job.options.get("query", ""))
    export, listing, query, filters = build_export(data, "products", job.owner)
    total = listing.queryset.count()
    if total > LOOKBOOK_MAX_ROWS:  # the list grew since it was asked for
        raise registry.JobFailed(_too_many(total), retryable=False)
    progress(0, total, "building")
    content = _built(export, listing, job.owner, query, filters, progress=progress)
    name = file_name("products", LOOKBOOK, export.created_at)
    return {"file": ContentFile(content, name=name), "rows": export.row_count}


def register():
    registry.register(
        registry.Kind(
            name=KIND,
            label=gettext_lazy("Lookbook XLSX with photos"),
            run=_run,
            cancellable=True,
            result_label=gettext_lazy("Download the XLSX file"),
        )
    )
