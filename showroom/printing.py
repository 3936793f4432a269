"""Share links for paper: the QR codes of promotion sheets and lookbooks lead buyers to
the public product pages (``catalogue.printables.share_links`` asks this provider)."""

from datetime import timedelta
from urllib.parse import parse_qsl

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue.access import editable_regency_ids
from catalogue.models import Product
from core.redirects import safe_next
from showroom import access
from showroom.collection_writes import add_products, create_link, save_collection
from showroom.models import Collection, CollectionItem, ShareLink

PRINT_LINK_DAYS = 365  # paper lives longer than an e-mail
PRINT_LIMIT = 200  # the lookbook's limit


def live_links():
    return ShareLink.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PrintLinks:
    """The ``ShareLinks`` provider of ``catalogue.printables.share_links``."""

    def choices(self, user, products):
        if not access.can_view_collections(user) or not user.has_perm(access.ADD_LINK):
            return []
        links = (
            live_links()
            .filter(collection__items__product__in=[p.pk for p in products])
            .select_related("collection")
            .distinct()
            .order_by("-created_at")[:50]
        )
        return [(link.token, f"{link.collection.name_id} — {link.label}") for link in links]

    def product_urls(self, token, products):
        link = live_links().filter(token=token).first()
        if link is None:
            return {}
        shown = set(
            CollectionItem.objects.filter(
                collection_id=link.collection_id, product__in=[p.pk for p in products]
            ).values_list("product_id", flat=True)
        )
        return {p.code: link.product_url(p.code) for p in products if p.pk in shown}

    def create_url(self, user):
        return reverse("print_share_link") if access.can_add_collection(user) else ""


def _regency_for(user, products):
    """The collection's regency: none for region-wide users, else the one regency of the
    user's that holds every product (``False`` when there is none)."""
    ids = editable_regency_ids(user)
    if ids is None:
        return None
    regencies = {p.producer.regency_id for p in products}
    return regencies.pop() if len(regencies) == 1 and regencies <= ids else False


@require_POST
def print_share_link(request):
    """A new collection of the printed products and a share link to it; back to the print
    with ``?link=`` so that its QR codes lead there."""
    if not access.can_add_collection(request.user):
        raise PermissionDenied
    back = safe_next(request, reverse("product_list"))
    codes = request.POST.getlist("codes")[:PRINT_LIMIT]
    products = list(Product.objects.filter(code__in=codes).select_related("producer"))
    regency = _regency_for(request.user, products)
    if not products or regency is False:
        messages.error(
            request,
            _("A share link for print needs products of one of your regencies.")
            if products
            else _("No product to share."),
        )
        return redirect(back)
    link = _create(request.user, products, regency)
    messages.success(request, _("Share link “%(label)s” created.") % {"label": link.label})
    base, _sep, query = back.partition("?")
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "link"]
    return redirect(f"{base}?{urlencode(kept + [('link', link.token)])}")


@transaction.atomic
def _create(user, products, regency):
    """Through the collections' write path (``showroom.collection_writes``)."""
    today = timezone.localdate()
    if len(products) == 1:
        name = _("Promotion sheet: %(name)s") % {"name": products[0].name_id}
    else:
        name = _("Lookbook of %(date)s (%(count)s products)") % {
            "date": today.isoformat(),
            "count": len(products),
        }
    collection = save_collection(Collection(name_id=name[:200], regency_id=regency), user)
    add_products(collection, products, user)
    return create_link(
        collection,
        user,
        label=_("Printed on %(date)s") % {"date": today.isoformat()},
        expires_at=timezone.now() + timedelta(days=PRINT_LINK_DAYS),
    )
