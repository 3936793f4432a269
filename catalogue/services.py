"""Writes that keep derived product state current: readiness and the status log."""

from django.db import transaction
from django.utils import timezone

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


@transaction.atomic
def change_status(product, to_status, user=None, reason="", overrode_gaps=()):
    """Move a product along the promotion pipeline and record the step."""
    from_status = product.status
    if from_status == to_status:
        return None
    product.status = to_status
    if to_status == "not_suitable":
        product.not_suitable_reason = reason
    product.stamp(user)
    product.save()
    return StatusChange.objects.create(
        product=product,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        overrode_gaps=list(overrode_gaps),
        changed_by=user if user is not None and user.is_authenticated else None,
    )
