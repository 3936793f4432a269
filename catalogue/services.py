"""Writes that keep derived product state current: readiness and the status log."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.choices import PromotionStatus
from catalogue.models import Product, StatusChange
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


def refresh_readiness_many(products):
    """Recompute the stored readiness of every product in a queryset; returns how many changed.

    For changes that touch many products at once (a category's profile, certifications
    that expired, new route settings). Photos and certifications are fetched in bulk.
    """
    changed = 0
    queryset = products.select_related("category").prefetch_related("photos", "certifications")
    for product in queryset.iterator(chunk_size=500):
        before = (product.readiness_score, product.readiness_gaps)
        assessment = refresh_readiness(product)
        changed += before != (assessment.score, assessment.gaps)
    return changed


# Moving a product on to these statuses with readiness gaps still open needs a person to
# confirm it; the confirmation is recorded with the step.
GATED_STATUSES = {PromotionStatus.SHORTLISTED, PromotionStatus.PROMOTED}


def gaps_to_confirm(from_status, to_status, gaps):
    """The open gaps a move from ``from_status`` to ``to_status`` would override."""
    if to_status == from_status or to_status not in GATED_STATUSES:
        return []
    return list(gaps)


def check_status_change(to_status, reason=""):
    """Refuse a status that does not exist, or *not suitable* without a reason."""
    if to_status not in PromotionStatus.values:
        raise ValidationError(
            _("%(status)s is not a promotion status."),
            code="invalid_status",
            params={"status": to_status},
        )
    if to_status == PromotionStatus.NOT_SUITABLE and not (reason or "").strip():
        raise ValidationError(
            {"not_suitable_reason": _("Say why the product is not suitable.")},
            code="reason_required",
        )


@transaction.atomic
def change_status(product, to_status, user=None, reason="", overrode_gaps=()):
    """Move a product along the promotion pipeline and record the step."""
    check_status_change(to_status, reason)
    from_status = product.status
    if from_status == to_status:
        return None
    product.status = to_status
    if to_status == PromotionStatus.NOT_SUITABLE:
        product.not_suitable_reason = reason
    product.stamp(user)
    product.version += 1  # forms opened before this change must not overwrite it
    product.save()
    return log_status_change(product, from_status, user, reason, overrode_gaps)


def log_status_change(product, from_status, user=None, reason="", overrode_gaps=()):
    """Record that ``product`` moved from ``from_status`` to its current status."""
    return StatusChange.objects.create(
        product=product,
        from_status=from_status,
        to_status=product.status,
        reason=reason,
        overrode_gaps=list(overrode_gaps),
        changed_by=user if user is not None and user.is_authenticated else None,
    )


def tag_named(name):
    """The tag called ``name`` (case-insensitive), created with a free slug if needed."""
    from django.utils.text import slugify

    from catalogue.models import Tag

    name = name.strip()
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is not None:
        return tag
    base = slugify(name, allow_unicode=True)[:40] or "tag"
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Tag.objects.create(name=name, slug=slug)
