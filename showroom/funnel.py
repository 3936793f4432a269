"""The promotion funnel (issue 13, section 7): how many products were promoted, viewed on
a share link, asked about, sampled and ordered — per regency, per top-level category and
for one product.

Each step counts products on its own (a product viewed on a link counts as viewed also if
it is no longer "promoted"), so that each figure is exactly the product list of its filter:
``status=promoted&status=buyer_interest&status=exported``, ``viewed=1``, ``in_inquiry=1``,
``has_sample=1``, ``ordered=1`` (``showroom.product_filters``). One query for the whole
table, whatever the number of regencies and categories.
"""

from django.db.models import Count, Exists, Q, Sum

from catalogue.choices import PromotionStatus
from catalogue.models import Product, ProductTally
from showroom.choices import InquiryStatus
from showroom.product_filters import STEPS

# "Promoted or later" (DESIGN.md, "Promotion status": promoted → buyer interest → exported).
PROMOTED_STATUSES = [
    PromotionStatus.PROMOTED.value,
    PromotionStatus.BUYER_INTEREST.value,
    PromotionStatus.EXPORTED.value,
]
STEP_NAMES = ("promoted", *STEPS)  # promoted, viewed, in_inquiry, has_sample, ordered


def counts_by_regency_and_category(products=None):
    """{(regency id, category id): {step: number of products}} in one query."""
    products = Product.objects.all() if products is None else products
    flags = {f"is_{name}": Exists(rows()) for name, rows in STEPS.items()}
    rows = (
        products.annotate(**flags)
        .values("producer__regency", "category")
        .annotate(
            promoted=Count("pk", filter=Q(status__in=PROMOTED_STATUSES)),
            **{name: Count("pk", filter=Q(**{f"is_{name}": True})) for name in STEPS},
        )
        .order_by()
    )
    return {
        (row["producer__regency"], row["category"]): {name: row[name] for name in STEP_NAMES}
        for row in rows
    }


def tallied_counts():
    """``counts_by_regency_and_category()`` of all products, without reading them all:
    "promoted" from the product tally (``catalogue.ProductTally``), the other steps from
    the products that the showroom's rows name (one query each)."""
    counts = {}

    def cell(regency_id, category_id):
        return counts.setdefault((regency_id, category_id), dict.fromkeys(STEP_NAMES, 0))

    promoted = (
        ProductTally.objects.filter(status__in=PROMOTED_STATUSES)
        .values("regency", "category")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for row in promoted:
        if row["total"]:  # a key's rows may sum to 0 (catalogue/models/tallies.py)
            cell(row["regency"], row["category"])["promoted"] = row["total"]
    for name, rows in STEPS.items():
        found = (
            Product.objects.filter(Exists(rows()))
            .values("regency", "category")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in found:
            cell(row["regency"], row["category"])[name] = row["n"]
    return counts


def product_counts(product, inquiries, samples):
    """The funnel of one product as the page's user sees it: share-link views, and the
    inquiries, orders and samples in ``inquiries``/``samples`` (already narrowed to what
    the user may read). Three queries."""
    asked = inquiries.filter(products=product).aggregate(
        inquiries=Count("pk"), orders=Count("pk", filter=Q(status=InquiryStatus.ORDER))
    )
    return {
        "views": product.share_views.aggregate(n=Sum("count"))["n"] or 0,
        "inquiries": asked["inquiries"],
        "orders": asked["orders"],
        "samples": samples.filter(product=product).count(),
    }
