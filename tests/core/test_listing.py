"""FilteredList's paginator: primary keys of the page first, then the rows with their joins
(the count in a query of its own, or in the page's query when searching)."""

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


def _paginator(queryset, per_page, count_with_page, orphans=0):
    return DeferredJoinPaginator(
        queryset,
        per_page,
        rows=product_queryset(),
        orphans=orphans,
        count_with_page=count_with_page,
    )


@pytest.mark.parametrize(
    "ordering", [("code",), ("-price_idr", "code"), ("producer__name", "-code"), ("-name_id",)]
)
@pytest.mark.parametrize("per_page, orphans", [(5, 0), (5, 2), (50, 0)])
@pytest.mark.parametrize("count_with_page", [False, True])
def test_pages_hold_the_same_rows_in_the_same_order_as_slicing(
    products, ordering, per_page, orphans, count_with_page
):
    filtered = Product.objects.filter(price_idr__gt=0).order_by(*ordering)
    expected = list(filtered.values_list("pk", flat=True))
    pages = _paginator(filtered, per_page, False, orphans).num_pages
    seen = []
    for number in range(1, pages + 1):  # a paginator per page: each counts in its page
        paginator = _paginator(filtered, per_page, count_with_page, orphans)
        seen += [product.pk for product in paginator.page(number).object_list]
        assert (paginator.count, paginator.num_pages) == (9, pages)
    assert seen == expected and len(expected) == 9


@pytest.mark.parametrize(("count_with_page", "queries"), [(False, 4), (True, 3)])
def test_counting_in_the_page_saves_the_count_query(products, count_with_page, queries):
    paginator = _paginator(Product.objects.filter(price_idr__gt=0).order_by("code"), 5, True)
    paginator.count_with_page = count_with_page
    with CaptureQueriesContext(connection) as captured:
        page = paginator.get_page(2)  # count, keys, rows, photos (the count in the keys)
    assert (paginator.count, len(page)) == (9, 4)
    assert len(captured) == queries, [q["sql"][:80] for q in captured]


@pytest.mark.parametrize("number", ["7", "0", "-1", "x", None, 2])
def test_counting_in_the_page_answers_any_page_number_as_the_count_does(products, number):
    filtered = Product.objects.filter(price_idr__gt=0).order_by("code")
    plain, counted = (_paginator(filtered, 5, flag).get_page(number) for flag in (False, True))
    assert counted.number == plain.number
    assert [p.pk for p in counted] == [p.pk for p in plain]
    assert counted.paginator.count == plain.paginator.count == 9


@pytest.mark.parametrize("number", [1, 3])
def test_counting_in_the_page_of_no_rows_asks_one_query(db, number):
    paginator = _paginator(Product.objects.filter(code="NOPE"), 5, True)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.get_page(number)
    assert (page.paginator.count, list(page), page.number) == (0, [], 1)
    assert len(captured) == (1 if number == 1 else 2)  # page 3: is there a page 3? count


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

    def in_bulk_after_a_delete(queryset, keys, **kwargs):
        Product.objects.filter(pk=gone.pk).delete()
        return real_in_bulk(queryset, keys, **kwargs)

    monkeypatch.setattr(type(paginator.rows), "in_bulk", in_bulk_after_a_delete)
    codes = [p.code for p in paginator.page(1)]
    assert codes == [p.code for p in sorted(products, key=lambda p: p.code)[:5] if p != gone]
