"""The one write path of a buyer's inquiry: ``receive_inquiry``.

Called by the public pages' inquiry form (``showroom.public_views``) and by demo data.
Validates first, then in one transaction stores the inquiry with its link, collection and
products and moves those products on to *buyer interest* through the catalogue's write
path (``catalogue.product_writes.write_many``: the status history records the step, with
no user, as made by the inquiry). Only products before that step move (draft, candidate,
shortlisted, promoted); products already at buyer interest, exported or not suitable keep
their status. The readiness gate guards only shortlisted and promoted
(``product_writes.GATED_STATUSES``), so it never stops this move: a buyer asking about a
product is a fact to record, whatever the product still lacks.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from catalogue.choices import PromotionStatus
from catalogue.models import Product
from catalogue.product_writes import write_many
from showroom.models import Inquiry

MOVES_TO_BUYER_INTEREST = (
    PromotionStatus.DRAFT,
    PromotionStatus.CANDIDATE,
    PromotionStatus.SHORTLISTED,
    PromotionStatus.PROMOTED,
)
CONTACT_FIELDS = ("wechat", "phone", "email")
TEXT_FIELDS = (
    "name",
    "company",
    "city",
    "wechat",
    "phone",
    "email",
    "quantity",
    "target_price",
    "message",
)


def check_contact(values):
    """At least one way to answer: WeChat ID, phone or e-mail."""
    if not any((values.get(field) or "").strip() for field in CONTACT_FIELDS):
        raise ValidationError(
            _("Give at least one way to reach you: WeChat ID, phone or e-mail."),
            code="no_contact",
        )


def receive_inquiry(link, products, language, **values):
    """Store a buyer's inquiry sent through ``link`` about ``products`` (of its collection)
    and move those products to buyer interest; returns the ``Inquiry``.

    ``values``: the texts of ``TEXT_FIELDS`` (``name`` required, one contact required).
    Raises ``ValidationError`` (nothing written) for bad values, no products, or products
    outside the link's collection.
    """
    unknown = set(values) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown inquiry fields: {sorted(unknown)}")
    product_ids = sorted({product.pk for product in products})
    if not product_ids:
        raise ValidationError(_("Choose at least one product."), code="no_products")
    in_collection = set(
        link.collection.items.filter(product_id__in=product_ids).values_list(
            "product_id", flat=True
        )
    )
    if in_collection != set(product_ids):
        raise ValidationError(_("Choose products of this collection."), code="not_in_collection")
    check_contact(values)
    inquiry = Inquiry(
        share_link=link,
        collection_id=link.collection_id,
        language=language,
        **{field: (values.get(field) or "").strip() for field in TEXT_FIELDS},
    )
    inquiry.full_clean(exclude=["products"])
    with transaction.atomic():
        inquiry.save()
        inquiry.products.set(product_ids)
        moving = list(
            Product.objects.select_for_update()
            .filter(pk__in=product_ids, status__in=MOVES_TO_BUYER_INTEREST)
            .order_by("pk")
        )
        from_statuses = {product.pk: product.status for product in moving}
        for product in moving:
            product.status = PromotionStatus.BUYER_INTEREST
        if moving:
            reason = f"{inquiry.reference} ({link.label})"
            write_many(
                updated=moving,
                attributes=("status",),
                from_statuses=from_statuses,
                history_reason=reason,
                status_reason=reason,
            )
    return inquiry
