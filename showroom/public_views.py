"""Buyers' pages, reached through a share link without an account (issue 13, sections 2–3).

- ``/s/<token>/`` the collection, ``/s/<token>/<code>/`` one of its products: built once
  per link, language and content version and served from the cache
  (``showroom.public_cache``), with the form's per-visitor fields put in on each request.
- The inquiry form posts to the page it is on (the collection page: the products ticked;
  the product page: that product); success redirects to ``/s/<token>/thanks/``.
- ``/s/<token>/p/<photo>/<width>.webp`` the WebP thumbnails (``showroom.public_photos``).

A token is looked up by its exact value, always with one query, so an unknown and a
malformed token cost the same and get the same 404 page; a revoked or expired link gets
the 410 page; a product not in the collection, the 404 page.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from catalogue.models import ProductPhoto
from core.views import csrf_failure as staff_csrf_failure
from showroom import rate_limits
from showroom.models import ProductView, ShareLink
from showroom.presenters import public_text
from showroom.public_cache import FORM_STAMP, cached_page, newest_rate
from showroom.public_forms import InquiryForm, filled_too_fast, form_stamp
from showroom.public_pages import (
    HTML_LANG,
    collection_context,
    collection_items,
    lang_query,
    product_context,
    product_in_collection,
    public_language,
    render_public,
    short_language,
)
from showroom.public_photos import WIDTHS, thumbnail
from showroom.receiving import TEXT_FIELDS, receive_inquiry

PHOTO_CACHE_SECONDS = 30 * 24 * 3600


def _page(html, language, status=200, request=None):
    """An HTML response of a public page; ``request`` given: the form's fields put in."""
    if request is not None:
        html = html.replace(FORM_STAMP, form_stamp(request))
    response = HttpResponse(html, status=status)
    response.headers["Content-Language"] = language
    # Never kept by a browser or proxy: a revoked link must stop working at once.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _refusal(template, status):
    """The 404/410 page, in Chinese and English whatever the language asked for."""
    return _page(render_public(template, {}, "zh-hans"), "zh-hans", status)


PUBLIC_FORMS = {"share_collection", "share_product"}


def csrf_failure(request, reason=""):
    """``settings.CSRF_FAILURE_VIEW``: a buyer's inquiry refused by the CSRF check (a browser
    that blocks cookies, a form left open for days) gets a page in the buyer's language
    with the way back; every other form gets core's page for staff."""
    match = request.resolver_match
    if match is None or match.url_name not in PUBLIC_FORMS:
        return staff_csrf_failure(request, reason)
    language = public_language(request)
    context = {
        "back_url": request.path + lang_query(language),
        "html_lang": HTML_LANG[short_language(language)],
    }
    return _page(render_public("csrf.html", context, language), language, 403)


def _live_link(token):
    """``(link, None)`` for a live link, ``(None, refusal page)`` otherwise."""
    link = ShareLink.objects.select_related("collection").filter(token=token).first()
    if link is None:
        return None, _refusal("missing.html", 404)
    if not link.is_live:
        return None, _refusal("gone.html", 410)
    return link, None


def _count_link_view(link):
    ShareLink.objects.filter(pk=link.pk).update(
        view_count=F("view_count") + 1, last_viewed_at=timezone.now()
    )


def _count_product_view(link, product_id):
    """One more view of the product through ``link``: one UPDATE, an INSERT the first time."""
    views = ProductView.objects.filter(share_link=link, product_id=product_id)
    now = timezone.now()
    if views.update(count=F("count") + 1, last_viewed_at=now):
        return
    try:
        with transaction.atomic():
            ProductView.objects.create(share_link=link, product_id=product_id, count=1)
    except IntegrityError:  # created meanwhile by another request
        views.update(count=F("count") + 1, last_viewed_at=now)


def _form(link, language, data=None, product=None):
    products = link.collection.products.all()
    form = InquiryForm(data, products=products, single=product is not None)
    if product is not None and data is None:
        form.initial["products"] = [product.code]
    form.fields["products"].label_from_instance = lambda p: public_text(p, "name", language).text
    return form


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def share_collection(request, token):
    language = public_language(request)
    link, refusal = _live_link(token)
    if refusal:
        return refusal
    if request.method == "POST":
        return _inquiry(request, link, language)

    def build():
        rate = newest_rate() if link.show_prices else None
        items = collection_items(link)

        def context():
            form = _form(link, language)
            return collection_context(link, language, rate, items, form) | _stamp()

        return {"html": render_public("collection.html", context, language)}

    entry = cached_page(link, language, "collection", build)
    if request.method == "GET":
        _count_link_view(link)
    return _page(entry["html"], language, request=request)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def share_product(request, token, code):
    language = public_language(request)
    link, refusal = _live_link(token)
    if refusal:
        return refusal
    if request.method == "POST":
        product = product_in_collection(link, code)
        if product is None:
            return _refusal("missing.html", 404)
        return _inquiry(request, link, language, product)

    def build():
        product = product_in_collection(link, code)
        if product is None:
            return None
        rate = newest_rate() if link.show_prices else None

        def context():
            form = _form(link, language, product=product)
            return product_context(link, language, rate, product, form) | _stamp()

        return {"html": render_public("product.html", context, language), "product_id": product.pk}

    entry = cached_page(link, language, f"product:{code}", build)
    if entry is None:
        return _refusal("missing.html", 404)
    if request.method == "GET":
        _count_link_view(link)
        _count_product_view(link, entry["product_id"])
    return _page(entry["html"], language, request=request)


def _stamp():
    return {"form_stamp": mark_safe(FORM_STAMP)}  # noqa: S308 (a constant of ours)


def _rerender(request, link, language, form, product, notice="", status=400):
    """The page again with the buyer's entries and what is wrong (not cached)."""
    rate = newest_rate() if link.show_prices else None
    items = collection_items(link) if product is None else None

    def context():
        if product is None:
            page = collection_context(link, language, rate, items, form)
        else:
            page = product_context(link, language, rate, product, form)
        return page | _stamp() | {"notice": notice}

    template = "collection.html" if product is None else "product.html"
    return _page(render_public(template, context, language), language, status, request)


def _inquiry(request, link, language, product=None):
    """Check and store an inquiry sent from a public page (see ``showroom.receiving``)."""
    if rate_limits.is_limited(request, link):
        context = lambda: collection_context(link, language, None, [], None)  # noqa: E731
        return _page(render_public("limited.html", context, language), language, 429)
    form = _form(link, language, request.POST, product)
    if form.is_spam():
        rate_limits.count(request, link)  # a bot: it is told nothing, nothing is stored
        return redirect(_thanks_url(link, language))
    problem = filled_too_fast(request.POST.get("started"))
    if problem:
        rate_limits.count(request, link)
        return _rerender(request, link, language, form, product, notice=problem)
    if not form.is_valid():
        return _rerender(request, link, language, form, product)
    values = {field: form.cleaned_data.get(field) or "" for field in TEXT_FIELDS}
    try:
        receive_inquiry(link, list(form.cleaned_data["products"]), language, **values)
    except ValidationError as error:
        form.add_error(None, error)
        return _rerender(request, link, language, form, product)
    rate_limits.count(request, link)
    return redirect(_thanks_url(link, language))


def _thanks_url(link, language):
    return link.get_absolute_url() + "thanks/" + lang_query(language)


@login_not_required
@require_safe
def share_thanks(request, token):
    language = public_language(request)
    link, refusal = _live_link(token)
    if refusal:
        return refusal
    context = lambda: collection_context(link, language, None, [], None)  # noqa: E731
    return _page(render_public("thanks.html", context, language), language)


@login_not_required
@require_safe
def share_photo(request, token, photo, width):
    """A product photo of a live link's collection as a WebP thumbnail ``width`` px wide."""
    if width not in WIDTHS:
        raise Http404
    link = ShareLink.objects.filter(token=token).first()
    if link is None or not link.is_live:
        raise Http404
    found = ProductPhoto.objects.filter(
        pk=photo, product__collection_items__collection_id=link.collection_id
    ).first()
    if found is None:
        raise Http404
    response = FileResponse(
        default_storage.open(thumbnail(found, width)), content_type="image/webp"
    )
    response.headers["Cache-Control"] = f"private, max-age={PHOTO_CACHE_SECONDS}, immutable"
    return response
