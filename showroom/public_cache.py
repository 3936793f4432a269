"""The rendered buyers' pages, cached, and what makes a cached copy stale.

A public page is built once per share link, language and *version* and then served from
the Django cache. The version is read from the database on every request, in one cheap
aggregate over the collection's items (``content_version``): the newest ``updated_at`` of
its products and their producers, the number of items, their positions and newest key,
the collection's and the link's own ``updated_at`` and, when the link shows prices, the
number and newest ``updated_at`` of the exchange rates. Every write path of a product
bumps its ``updated_at`` (bulk ones too: ``catalogue.product_writes.write_many`` /
``touch_many``), so a change made in any server process invalidates the pages in every
process. On top of that a generation
counter in the cache is bumped by signals on photos, certifications, collection items and
exchange rates: with a shared cache (Redis) that covers changes which do not touch a
product row (e.g. a photo deleted in the Django admin).

The link's state (revoked, expired) is checked before anything is served, so revocation
takes effect at once. The cached HTML holds no per-visitor value: the form's CSRF token
and its signed start time are put in at ``FORM_STAMP`` on every request (``stamped``).
"""

import hashlib

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalogue.models import Certification, Producer, Product, ProductPhoto
from showroom.models import CollectionItem, ExchangeRate

# Long enough that a collection being looked at by a delegation stays warm; entries of an
# old version are never read again and simply age out.
PAGE_TIMEOUT = 6 * 3600
GENERATION_KEY = "showroom:generation"
# Where the per-request form fields go in the cached HTML (an HTML comment: harmless if it
# were ever left in).
FORM_STAMP = "<!--showroom:form-stamp-->"


def newest_rate():
    """The exchange rate public pages convert prices with (the newest one), or None."""
    return ExchangeRate.objects.order_by("-valid_on", "-pk").first()


def _version_sql():
    """One query for everything a page's version depends on, as plain SQL: the ORM's
    compiling of the same aggregate cost more than running it (cProfile, ~2 ms of a
    cached page's ~8 ms)."""
    item, product = CollectionItem._meta, Product._meta
    producer, rate = Producer._meta, ExchangeRate._meta
    # Table names from the models' own metadata, the collection as a parameter.
    return (
        f"SELECT COUNT(i.id), MAX(i.id), SUM(i.position), MAX(p.updated_at), "  # noqa: S608
        f"MAX(m.updated_at), "
        f"(SELECT COUNT(*) FROM {rate.db_table}), (SELECT MAX(updated_at) FROM {rate.db_table}) "
        f"FROM {item.db_table} i JOIN {product.db_table} p ON p.id = i.product_id "
        f"JOIN {producer.db_table} m ON m.id = p.producer_id WHERE i.collection_id = %s"
    )


def content_version(link):
    """A short digest that changes whenever anything a public page of ``link`` shows does."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(), [link.collection_id])
        row = cursor.fetchone()
    parts = [
        link.updated_at,
        link.show_prices,
        link.collection.updated_at,
        *(row if link.show_prices else row[:5]),
        cache.get(GENERATION_KEY, 0),
    ]
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def page_key(link, language, page, version):
    return f"showroom:page:{link.pk}:{page}:{language}:{version}"


def cached_page(link, language, page, build):
    """``(html, extra)`` of a public page from the cache, or from ``build()`` (which
    returns them, or None for a page that does not exist: not cached)."""
    key = page_key(link, language, page, content_version(link))
    entry = cache.get(key)
    if entry is None:
        entry = build()
        if entry is None:
            return None
        cache.set(key, entry, PAGE_TIMEOUT)
    return entry


def bump_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 1, timeout=None)


@receiver(post_save, sender=ProductPhoto, dispatch_uid="showroom_photo_saved")
@receiver(post_delete, sender=ProductPhoto, dispatch_uid="showroom_photo_deleted")
@receiver(post_save, sender=Certification, dispatch_uid="showroom_cert_saved")
@receiver(post_delete, sender=Certification, dispatch_uid="showroom_cert_deleted")
@receiver(post_save, sender=CollectionItem, dispatch_uid="showroom_item_saved")
@receiver(post_delete, sender=CollectionItem, dispatch_uid="showroom_item_deleted")
@receiver(post_save, sender=ExchangeRate, dispatch_uid="showroom_rate_saved")
@receiver(post_delete, sender=ExchangeRate, dispatch_uid="showroom_rate_deleted")
def public_content_changed(sender, raw=False, **kwargs):
    if not raw:
        bump_generation()
