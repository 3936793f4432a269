"""Stored readiness kept current: recomputed for one product, once per write, or in bulk.

Products are written by ``catalogue.product_writes``, which calls these; the signals of
``catalogue.signals`` call them for photos, certifications and categories saved
elsewhere.
"""

from collections import defaultdict, namedtuple
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Count
from django.utils import timezone

from catalogue import completeness
from catalogue.bulk_sql import chunks, update_rows
from catalogue.models import Certification, Product, ProductPhoto
from catalogue.readiness import assess, facts_for, route_settings


def refresh_readiness(product):
    """Recompute and store a product's readiness; returns the assessment.

    Uses ``update()`` so that the change log records edits by people, not recomputations.
    """
    assessment = assess(
        facts_for(
            product,
            photo_count=product.photos.count(),
            certifications=list(product.certifications.all()),
            today=timezone.localdate(),
        ),
        route_settings(),
    )
    if (product.readiness_score, product.readiness_gaps) != (assessment.score, assessment.gaps):
        Product.objects.filter(pk=product.pk).update(
            readiness_score=assessment.score, readiness_gaps=assessment.gaps
        )
        product.readiness_score, product.readiness_gaps = assessment.score, assessment.gaps
    return assessment


# Products whose readiness waits for the end of ``readiness_once`` ({pk: instance or None}).
_pending: ContextVar[dict | None] = ContextVar("readiness_pending", default=None)


@contextmanager
def readiness_once():
    """Recompute readiness once for each product written inside, when the block ends.

    For a write path that saves a product with its photos and certifications: without it,
    every related save recomputes the product's readiness (``catalogue.signals``). The
    product instance saved inside is updated in place. Nested blocks join the outer one;
    a block left by an exception recomputes nothing (its transaction is rolled back).
    """
    if _pending.get() is not None:
        yield
        return
    token = _pending.set({})
    try:
        yield
        pending = _pending.get() or {}
    finally:
        _pending.reset(token)
    stored = [pk for pk, instance in pending.items() if instance is None]
    for instance in pending.values():
        if instance is not None:
            refresh_readiness(instance)
    if stored:
        refresh_readiness_many(Product.objects.filter(pk__in=stored))


def readiness_changed(product_id, instance=None):
    """A readiness input of ``product_id`` changed: recompute now, or at the end of
    ``readiness_once``."""
    pending = _pending.get()
    if pending is not None:
        if instance is not None or product_id not in pending:
            pending[product_id] = instance
        return
    if instance is None:
        instance = Product.objects.filter(pk=product_id).select_related("category").first()
    if instance is not None:
        refresh_readiness(instance)


def refresh_readiness_many(products, progress=None):
    """Recompute the stored readiness of every product in a queryset; returns how many changed.

    For changes that touch many products at once (a category's profile, certifications
    that expired, new route settings). Photos and certifications are fetched in bulk.
    ``progress(done, total)`` hears every 500 products (a background job's progress bar).
    """
    changed = 0
    total = products.count() if progress else 0
    queryset = products.select_related("category").prefetch_related("photos", "certifications")
    for done, product in enumerate(queryset.iterator(chunk_size=500)):
        if progress and done % 500 == 0:
            progress(done, total)
        before = (product.readiness_score, product.readiness_gaps)
        assessment = refresh_readiness(product)
        changed += before != (assessment.score, assessment.gaps)
    return changed


def refresh_completeness_many(products):
    """Recompute the stored text completeness of every product in a queryset (when the
    category's profile changed: storage conditions count for food only); returns how
    many changed. Not a change by a person: no change-log entry, no version bump."""
    changed = []
    for product in products.select_related("category").iterator(chunk_size=500):
        if completeness.apply(product):
            changed.append(product)
    update_rows(changed, ["completeness_en", "completeness_zh"])
    return len(changed)


_Certification = namedtuple("_Certification", "kind expires_on")


def readiness_of(products):
    """The readiness assessment of each product as it stands in memory (same order).

    Photos and certifications of stored products are fetched in bulk; each product's
    ``category`` must already be set (no query per row).
    """
    ids = [p.pk for p in products if p.pk]
    photo_counts, certifications = {}, defaultdict(list)
    for chunk in chunks(ids):
        photo_counts.update(
            ProductPhoto.objects.filter(product_id__in=chunk)
            .values("product_id")
            .annotate(n=Count("pk"))
            .values_list("product_id", "n")
        )
        # Readiness looks at a certification's kind and expiry only.
        for product_id, kind, expires_on in Certification.objects.filter(
            product_id__in=chunk
        ).values_list("product_id", "kind", "expires_on"):
            certifications[product_id].append(_Certification(kind, expires_on))
    route, today = route_settings(), timezone.localdate()
    return [
        assess(
            facts_for(
                product,
                photo_count=photo_counts.get(product.pk, 0),
                certifications=certifications.get(product.pk, []),
                today=today,
            ),
            route,
        )
        for product in products
    ]
