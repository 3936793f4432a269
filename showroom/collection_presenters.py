"""What the collection pages show, read in a fixed number of queries: the list's rows
with their counts, a collection's products in order and its share links with the rights
of the page's user."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import ProductPhoto
from showroom import access
from showroom.models import Collection, CollectionItem, ExchangeRate, ShareLink

LIVE, EXPIRED, REVOKED = "live", "expired", "revoked"
STATUS_LABELS = {LIVE: _("Live"), EXPIRED: _("Expired"), REVOKED: _("Revoked")}


def _count(queryset):
    """A correlated COUNT per collection (as ``catalogue.querysets.producer_queryset``: no
    GROUP BY over the whole table, and the page count stays a plain count)."""
    counted = queryset.order_by().values("collection").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def collection_rows():
    """Collections with what a list row shows: regency, product and live link counts."""
    now = timezone.now()
    items = CollectionItem.objects.filter(collection=OuterRef("pk"))
    live = ShareLink.objects.filter(
        collection=OuterRef("pk"), revoked_at__isnull=True, expires_at__gt=now
    )
    return Collection.objects.select_related("regency").annotate(
        product_count=_count(items), live_link_count=_count(live)
    )


def public_url(link):
    """The absolute address a buyer opens (``SITE_URL`` + the link's public path)."""
    return settings.SITE_URL + link.get_absolute_url()


def link_status(link, now=None):
    now = now or timezone.now()
    if link.revoked_at is not None:
        return REVOKED
    return EXPIRED if link.expires_at <= now else LIVE


@dataclass(frozen=True)
class LinkRow:
    link: ShareLink
    status: str
    status_label: str
    url: str
    can_revoke: bool


@dataclass(frozen=True)
class ItemRow:
    item: CollectionItem
    product: object
    thumbnail: str
    # Chinese texts incomplete: see ``_zh_incomplete``.
    zh_incomplete: bool


def _zh_incomplete(product):
    # COMPLETENESS_ZH: issue 13, section 5 adds ``Product.completeness_zh`` (a percentage
    # 0-100) in another branch; until it is merged no product is flagged. The lead wires
    # the final rule here; the template marks the spot as "COMPLETENESS_ZH" too.
    completeness = getattr(product, "completeness_zh", None)
    return completeness is not None and completeness < 100


def item_rows(collection):
    """The products of ``collection`` in order with their primary thumbnails (2 queries)."""
    primary = ProductPhoto.objects.filter(is_primary=True).only(
        "pk", "product_id", "thumbnail", "is_primary"
    )
    items = (
        collection.items.select_related("product__producer__regency", "product__category")
        .prefetch_related(Prefetch("product__photos", queryset=primary, to_attr="primary_photos"))
        .order_by("position", "pk")
    )
    rows = []
    for item in items:
        photos = item.product.primary_photos
        thumbnail = photos[0].thumbnail.url if photos and photos[0].thumbnail else ""
        rows.append(ItemRow(item, item.product, thumbnail, _zh_incomplete(item.product)))
    return rows


def link_rows(user, collection):
    """The share links of ``collection``, newest first, with status and rights (1 query)."""
    now = timezone.now()
    rows = []
    for link in collection.share_links.select_related("created_by", "revoked_by"):
        link.collection = collection  # the rights ask for it: no query per link
        status = link_status(link, now)
        rows.append(
            LinkRow(
                link, status, STATUS_LABELS[status], public_url(link), access.can_revoke(user, link)
            )
        )
    return rows


def current_rate():
    return ExchangeRate.objects.order_by("-valid_on", "-pk").first()


def add_action_context(request):
    """The product list's "add to a collection" (``catalogue.list_actions``): the
    collections the user may curate, or None if they may create none and curate none."""
    user = request.user
    collections = list(
        access.curatable_collections(user, Collection.objects.all())
        .order_by("name_id", "pk")
        .only("pk", "name_id", "regency_id")
    )
    if not collections and not access.can_add_collection(user):
        return None
    return {"collections": collections, "can_create": access.can_add_collection(user)}
