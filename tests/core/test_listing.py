"""FilteredList's paginator: primary keys of the page first, then the rows with their joins."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Product
from catalogue.querysets import product_queryset
from core.listing import DeferredJoinPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(make_product, make_producer):
    producers = [make_producer(name=name) for name in ("Zaenal", "Ahmad", "Mawar")]
    return [
        make_product(producer=producers[i % 3], name_id=f"Produk {i:02d}", price_idr=1000 * (i % 4))
        for i in range(12)
    ]


@pytest.mark.parametrize(
    "ordering", [("code",), ("-price_idr", "code"), ("producer__name", "-code"), ("-name_id",)]
)
@pytest.mark.parametrize("per_page, orphans", [(5, 0), (5, 2), (50, 0)])
def test_pages_hold_the_same_rows_in_the_same_order_as_slicing(
    products, ordering, per_page, orphans
):
    filtered = Product.objects.filter(price_idr__gt=0).order_by(*ordering)
    expected = list(filtered.values_list("pk", flat=True))
    paginator = DeferredJoinPaginator(filtered, per_page, rows=product_queryset(), orphans=orphans)
    seen = []
    for number in paginator.page_range:
        seen += [product.pk for product in paginator.page(number).object_list]
    assert seen == expected and len(expected) == 9


def test_rows_come_from_the_loader_with_its_joins(products):
    paginator = DeferredJoinPaginator(Product.objects.order_by("code"), 5, rows=product_queryset())
    page = paginator.page(2)
    with CaptureQueriesContext(connection) as queries:
        shown = [(p.producer.regency.code, p.category.slug, p.primary_photos) for p in page]
    assert len(shown) == 5 and len(queries) == 0  # joined and prefetched already


def test_a_row_deleted_between_the_two_queries_is_left_out(products, monkeypatch):
    paginator = DeferredJoinPaginator(Product.objects.order_by("code"), 5, rows=product_queryset())
    gone = products[1]
    real_in_bulk = type(paginator.rows).in_bulk

    def in_bulk_after_a_delete(queryset, keys):
        Product.objects.filter(pk=gone.pk).delete()
        return real_in_bulk(queryset, keys)

    monkeypatch.setattr(type(paginator.rows), "in_bulk", in_bulk_after_a_delete)
    codes = [p.code for p in paginator.page(1)]
    assert codes == [p.code for p in sorted(products, key=lambda p: p.code)[:5] if p != gone]
