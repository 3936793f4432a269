"""The printable lookbook: a cover page and one promotion sheet per listed product.

Up to ``LOOKBOOK_JOB_ROWS`` products the page is rendered in the request; a longer list
(up to ``LOOKBOOK_LIMIT``) is rendered by the ``lookbook_print`` job
(``catalogue.list_jobs``): sheets done of total on the job page, cancellable while it
builds (nothing is stored until the page is whole), and the HTML kept in the media storage
under ``jobs/``; ``built_lookbook`` shows it to the job's owner and administrators, as the
page itself would be shown. The built page chooses no share link any more: its QR codes
open the link given with ``?link=`` when the job was started (or the staff pages).

The photos of a built page are the storage's URLs of the time it was built: with a bucket
they are signed for ``AWS_QUERYSTRING_EXPIRE`` (1 hour by default), so print it soon or
build it again (README, "Background jobs").
"""

from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from catalogue import access, list_jobs
from catalogue.filtersets import ProductFilterSet
from catalogue.models import Product
from catalogue.printables import share_links
from catalogue.printables.sheets import (
    LOOKBOOK_LIMIT,
    cover_summary,
    link_state,
    qr_links,
    sheet_data,
    sheet_queryset,
)
from core.jobs import registry
from core.jobs.models import Job
from core.jobs.views import visible_jobs
from core.listing import ListQuery
from core.protected_files import CACHE_CONTROL
from core.roles import allowed_if

KIND = "lookbook_print"
TEMPLATE = "catalogue/lookbook.html"


def _context(listing, products, paths, today, progress=None):
    sheets = []
    for done, product in enumerate(products, start=1):
        sheets.append(sheet_data(product, today, public_path=paths.get(product.code, "")))
        if progress is not None:
            progress(done)
    return {
        "limit": LOOKBOOK_LIMIT,
        "list_url": listing.url_at(reverse("product_list")),
        "count": len(products),
        "cover": cover_summary(listing, products, today),
        "sheets": sheets,
    }


@allowed_if(access.can_view_products)
def product_lookbook(request):
    """One sheet per product of the filtered list, after a cover page (at most 200)."""
    listing = ListQuery(ProductFilterSet, request.GET, sheet_queryset(), request=request)
    if listing.more_than(LOOKBOOK_LIMIT):
        context = {
            "limit": LOOKBOOK_LIMIT,
            "list_url": listing.url_at(reverse("product_list")),
            "count": listing.queryset.count(),
            "too_many": True,
        }
        return render(request, TEMPLATE, context)
    if list_jobs.is_large(listing):
        link = request.GET.get("link", "")
        return redirect(list_jobs.start(KIND, request.user, listing.query_string, link=link))
    products: list[Product] = list(listing.queryset)
    links, paths = qr_links(request, products)
    context = _context(listing, products, paths, timezone.localdate())
    return render(request, TEMPLATE, context | links)


def _run(job, progress):
    data = QueryDict(job.options.get("query", ""))
    listing = ListQuery(ProductFilterSet, data, sheet_queryset())
    total = listing.queryset.count()
    if total > LOOKBOOK_LIMIT:  # the list grew since it was asked for
        raise registry.JobFailed(
            # The text the page shows for the same case (templates/catalogue/lookbook.html).
            ngettext(
                "The filter matches %(counter)s product, but a lookbook holds at most %(limit)s.",
                "The filter matches %(counter)s products, but a lookbook holds at most %(limit)s.",
                total,
            )
            % {"counter": total, "limit": LOOKBOOK_LIMIT},
            retryable=False,
        )
    progress(0, total, "building")
    products = list(listing.queryset)
    provider = share_links.provider()
    links, paths = {}, {}
    if provider is not None:
        links, paths = link_state(provider, job.options.get("link", ""), products)
        links["link_choices"] = []  # a stored page has no form to choose another
    today = timezone.localdate()
    context = _context(listing, products, paths, today, progress=progress) | links
    html = render_to_string(TEMPLATE, context)
    name = f"etalase-lookbook-{timezone.localtime():%Y%m%d-%H%M}.html"
    return {
        "file": ContentFile(html.encode("utf-8"), name=name),
        "url": reverse("built_lookbook", args=[job.pk]),
        "sheets": len(products),
    }


@allowed_if(access.can_view_products)
def built_lookbook(request, pk):
    """The page a ``lookbook_print`` job built, for whoever may see the job."""
    job = get_object_or_404(visible_jobs(request.user), pk=pk, kind=KIND, state=Job.State.DONE)
    if not job.file:
        raise Http404  # removed after JOB_FILES_DAYS
    try:
        with job.file.open("rb") as stored:
            content = stored.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = CACHE_CONTROL
    return response


def register():
    registry.register(
        registry.Kind(
            name=KIND,
            label=gettext_lazy("Printable lookbook"),
            run=_run,
            cancellable=True,
            result_label=gettext_lazy("Open the lookbook to print it"),
        )
    )
