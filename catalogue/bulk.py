"""Bulk actions of the product list: status changes and tags, in a fixed number of queries.

They write through ``catalogue.product_writes`` like the edit page: a status change has
the same status log (who, when, from, to, reason, gaps overridden), change-log entry,
editor stamp, version bump and current readiness; a tag change stamps the editor and bumps
the version, so that an edit form opened before cannot undo it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from catalogue.bulk_sql import chunks
from catalogue.choices import PromotionStatus
from catalogue.models import Product, Tag
from catalogue.product_writes import check_status_change, touch_many, write_many


def change_status_many(queryset, to_status, user=None, reason="", confirm_gaps=False):
    """Move every product of ``queryset`` to ``to_status``; returns the products changed.

    Products already in ``to_status`` are left alone. A move through the readiness gate of
    products with gaps open needs ``confirm_gaps`` (else ``NeedsConfirmation``, nothing
    written); the gaps overridden are those stored, as the list showed them.
    """
    check_status_change(to_status, reason)
    with transaction.atomic():
        products = list(
            queryset.exclude(status=to_status).select_related("category").select_for_update()
        )
        from_statuses = {product.pk: product.status for product in products}
        for product in products:
            product.status = to_status
            if to_status == PromotionStatus.NOT_SUITABLE:
                product.not_suitable_reason = reason
        write_many(
            updated=products,
            attributes=["status", "not_suitable_reason"],
            from_statuses=from_statuses,
            user=user,
            when=timezone.now(),
            status_reason=reason,
            confirm_gaps=confirm_gaps,
            gate_on_stored_gaps=True,
        )
    return products


def add_tag_many(queryset, name, user=None):
    """Tag every product of ``queryset`` with the tag called ``name`` (created if needed);
    returns how many products got it."""
    Through = Product.tags.through
    with transaction.atomic():
        tag = tag_named(name)
        ids = list(queryset.values_list("pk", flat=True))
        have = set()
        for chunk in chunks(ids):
            links = Through.objects.filter(tag=tag, product_id__in=chunk)
            have.update(links.values_list("product_id", flat=True))
        new = [pk for pk in ids if pk not in have]
        Through.objects.bulk_create([Through(product_id=pk, tag=tag) for pk in new])
        touch_many(new, user)
    return len(new)


def remove_tag_many(queryset, name, user=None):
    """Take the tag called ``name`` off every product of ``queryset``; returns how many
    products lost it."""
    tag = Tag.objects.filter(name__iexact=name.strip()).first()
    if tag is None:
        return 0
    Through = Product.tags.through
    with transaction.atomic():
        removed = []
        for chunk in chunks(list(queryset.values_list("pk", flat=True))):
            links = Through.objects.filter(tag=tag, product_id__in=chunk)
            removed += links.values_list("product_id", flat=True)
            links.delete()
        touch_many(removed, user)
    return len(removed)


def tag_named(name):
    """The tag called ``name`` (case-insensitive), created with a free slug if needed."""
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
