"""What a product or producer list row shows; the lists, their exports, the producer page
and the printable sheets share these querysets."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from catalogue.models import Producer, Product, ProductPhoto


def product_queryset():
    """Products with what a list row shows, in a constant number of queries."""
    return Product.objects.select_related("producer__regency", "category").prefetch_related(
        Prefetch(
            "photos",
            queryset=ProductPhoto.objects.filter(is_primary=True).only(
                "pk", "product_id", "thumbnail", "is_primary"
            ),
            to_attr="primary_photos",
        )
    )


def producer_queryset():
    """What a producer list row shows; the list and its export both use it.

    ``product_count`` is a correlated subquery rather than a join + GROUP BY: PostgreSQL
    then counts the products of the 50 producers on the page only, not of all 5,000
    (165 ms → a few ms at 100,000 products), and the page count stays a plain count.
    """
    per_producer = (
        Product.objects.filter(producer=OuterRef("pk"))
        .order_by()
        .values("producer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Producer.objects.select_related("regency", "district")
        .annotate(
            product_count=Coalesce(Subquery(per_producer, output_field=IntegerField()), Value(0))
        )
        .order_by("code")
    )
