"""The one way collections, their items, share links and exchange rates are written: the
staff pages, the "add to a collection" action of the product list, the Django admin and
``seed_demo`` all call these functions.

Each function validates everything first and then writes in one transaction; a refusal
(``core.locking.WriteRefused``) writes nothing and says why in words for the page.
Whether the *user* may do it is ``showroom.access``'s question, asked by the views; the
rules here are the records' own (a regency's collection holds only that regency's
products, a link needs a label and an expiry in the future).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.locking import WriteRefused, lock_version
from showroom.models import Collection, CollectionItem, ExchangeRate, ShareLink

# A collection is a page a buyer scrolls through (issue 13: "a 12-product collection");
# 500 keeps "add all matching" of a 100,000-product list from building a page nobody can
# open, and is the lookbook's order of magnitude (catalogue.printables).
MAX_ITEMS = 500
# How long a new link stays live unless staff choose otherwise: a trade-fair season.
DEFAULT_LINK_DAYS = 90
# No link lives longer than two years: a forgotten link should end by itself.
MAX_LINK_DAYS = 730


def save_collection(collection, user, *, version=None):
    """Write ``collection`` (new or changed: names, introductions, regency) as ``user``.

    ``version``: the version the edit form was opened at (None for writes made by code);
    raises ``core.locking.EditConflict`` if someone saved it since. A regency can be given
    to a region-wide collection only if every product in it is of that regency.
    """
    with transaction.atomic():
        lock_version(collection, version)
        if collection.pk and collection.regency_id is not None:
            held = [i.product for i in collection.items.select_related("product__producer")]
            strangers = _strangers(collection, held)
            if strangers:
                raise WriteRefused(
                    ngettext(
                        "%(n)s product of this collection is not of %(regency)s (%(codes)s): "
                        "remove it first, or keep the collection for the whole region.",
                        "%(n)s products of this collection are not of %(regency)s "
                        "(%(codes)s): remove them first, or keep the collection for the "
                        "whole region.",
                        len(strangers),
                    )
                    % _named(collection, strangers),
                    field="regency",
                )
        collection.stamp(user)
        collection.save()
    return collection


def add_products(collection, products, user):
    """Append ``products`` (a queryset or list of catalogue products) to ``collection`` in
    the order given; returns ``(added, already_in)`` counts.

    All are checked before anything is written: a regency's collection refuses every
    product of another regency (naming them), and no collection grows past ``MAX_ITEMS``.
    """
    products = list(products)
    with transaction.atomic():
        # The row lock serialises concurrent additions to one collection (positions).
        Collection.objects.select_for_update().filter(pk=collection.pk).first()
        have = set(collection.items.values_list("product_id", flat=True))
        new, seen = [], set()
        for product in products:
            if product.pk not in have and product.pk not in seen:
                seen.add(product.pk)
                new.append(product)
        strangers = _strangers(collection, new)
        if strangers:
            raise WriteRefused(
                ngettext(
                    "Nothing was added: %(n)s product is not of %(regency)s, and a collection "
                    "of %(regency)s holds only its own products (%(codes)s).",
                    "Nothing was added: %(n)s products are not of %(regency)s, and a "
                    "collection of %(regency)s holds only its own products (%(codes)s).",
                    len(strangers),
                )
                % _named(collection, strangers),
                field="collection",
            )
        if len(have) + len(new) > MAX_ITEMS:
            raise WriteRefused(
                _(
                    "A collection holds at most %(max)s products; this one has %(have)s and "
                    "%(new)s more were chosen. Narrow the selection or start another collection."
                )
                % {"max": MAX_ITEMS, "have": len(have), "new": len(new)}
            )
        start = _next_position(collection)
        CollectionItem.objects.bulk_create(
            [
                CollectionItem(collection=collection, product=product, position=start + offset)
                for offset, product in enumerate(new)
            ]
        )
        if new:
            _touch(collection, user)
    return len(new), len(products) - len(new)


def remove_product(collection, item_pk, user):
    """Take the item ``item_pk`` out of ``collection``; returns whether it was there."""
    with transaction.atomic():
        deleted, _rows = collection.items.filter(pk=item_pk).delete()
        if deleted:
            _renumber(collection)
            _touch(collection, user)
    return bool(deleted)


def move_product(collection, item_pk, offset, user):
    """Move the item ``item_pk`` ``offset`` places (-1 up, +1 down), within the ends."""
    order = list(collection.items.order_by("position", "pk").values_list("pk", flat=True))
    if item_pk not in order:
        return False
    index = order.index(item_pk)
    target = min(max(index + offset, 0), len(order) - 1)
    order.insert(target, order.pop(index))
    return set_order(collection, order, user)


def set_order(collection, item_pks, user):
    """Put the items of ``collection`` in the order of ``item_pks`` (their primary keys);
    items not named keep their relative order after the named ones. Positions become
    1, 2, 3, …"""
    with transaction.atomic():
        items = list(collection.items.select_for_update().order_by("position", "pk"))
        rank = {pk: index for index, pk in enumerate(item_pks)}
        items.sort(key=lambda item: (rank.get(item.pk, len(rank)), item.position, item.pk))
        changed = []
        for position, item in enumerate(items, 1):
            if item.position != position:
                item.position = position
                changed.append(item)
        CollectionItem.objects.bulk_update(changed, ["position"])
        if changed:
            _touch(collection, user)
    return bool(changed)


def default_expiry():
    return timezone.now() + timedelta(days=DEFAULT_LINK_DAYS)


def create_link(collection, user, *, label, expires_at=None, show_prices=False):
    """A new share link of ``collection`` for the recipient ``label``; returns it.

    The token is the model's default (``showroom.models.new_token``: 192 random bits).
    ``expires_at`` defaults to ``DEFAULT_LINK_DAYS`` from now; it must lie in the future
    and within ``MAX_LINK_DAYS``.
    """
    label = (label or "").strip()
    if not label:
        raise WriteRefused(_("Say who this link is for."), field="label")
    now = timezone.now()
    expires_at = expires_at or default_expiry()
    if expires_at <= now:
        raise WriteRefused(_("The expiry must lie in the future."), field="expires_on")
    if expires_at > now + timedelta(days=MAX_LINK_DAYS):
        raise WriteRefused(
            ngettext(
                "A link lives at most %(n)s day.", "A link lives at most %(n)s days.", MAX_LINK_DAYS
            )
            % {"n": MAX_LINK_DAYS},
            field="expires_on",
        )
    link = ShareLink(
        collection=collection, label=label, expires_at=expires_at, show_prices=show_prices
    )
    link.stamp(user)
    with transaction.atomic():
        link.save()
    return link


def revoke_link(link, user):
    """End ``link`` now: from this moment its pages answer 410. Revoking twice keeps the
    first time and person; returns whether this call revoked it."""
    now = timezone.now()
    stamp = {"revoked_at": now, "revoked_by": user, "updated_at": now, "updated_by": user}
    with transaction.atomic():
        done = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(**stamp)
    if done:
        link.revoked_at, link.revoked_by = now, user
    return bool(done)


def set_exchange_rate(idr_per_cny, valid_on, user):
    """Record how many Rupiah one yuan buys on ``valid_on``; the newest rate is the one
    the public pages use."""
    rate = ExchangeRate(idr_per_cny=idr_per_cny, valid_on=valid_on)
    rate.stamp(user)
    rate.full_clean()
    rate.save()
    return rate


def delete_collection(collection):
    """Delete ``collection`` with its items and share links (their pages then answer 404);
    inquiries that came through it stay, without it."""
    with transaction.atomic():
        collection.delete()


# --- Helpers ---------------------------------------------------------------------------


def _strangers(collection, products):
    """The products not of the regency of ``collection`` (none for a region-wide one)."""
    if collection.regency_id is None:
        return []
    return [p for p in products if p.producer.regency_id != collection.regency_id]


def _named(collection, strangers):
    """The message values naming the refused products (up to five codes)."""
    codes = ", ".join(p.code for p in strangers[:5]) + (" …" if len(strangers) > 5 else "")
    return {"n": len(strangers), "regency": collection.regency.short_name, "codes": codes}


def _next_position(collection):
    last = collection.items.aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def _renumber(collection):
    items = list(collection.items.order_by("position", "pk"))
    changed = []
    for position, item in enumerate(items, 1):
        if item.position != position:
            item.position = position
            changed.append(item)
    CollectionItem.objects.bulk_update(changed, ["position"])


def _touch(collection, user):
    """Stamp the collection as changed (its list sorts by it) without bumping its version:
    an edit form of its names stays valid while products come and go."""
    fields = {"updated_at": timezone.now()}
    if user is not None and user.is_authenticated:
        fields["updated_by"] = user
    Collection.objects.filter(pk=collection.pk).update(**fields)
