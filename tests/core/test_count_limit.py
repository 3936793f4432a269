"""Lists stop counting at ``LIST_COUNT_LIMIT`` (core/paginators.py) and say "more than …",
with one bounded count query, and their pages still lead on to the last row."""

import re

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalogue.models import Category, Producer, Product
from core.paginators import CountLimitPaginator
from regions.models import Regency

pytestmark = pytest.mark.django_db


@pytest.fixture
def producers():
    regency = Regency.objects.get(code="35.09")
    district = regency.districts.order_by("code").first()
    Producer.objects.bulk_create(
        Producer(
            code=f"P-T-{n:04d}",
            name=f"Produsen {n:04d}",
            kind="home_industry",
            regency=regency,
            district=district,
        )
        for n in range(60)
    )
    return Producer.objects.filter(code__startswith="P-T-").order_by("code")


def result_count(html):
    """The text of the list's count (in the page's language)."""
    return re.search(r'data-testid="result-count">([^<]*)<', html).group(1)


def count_queries(queries):
    """The queries that count a list's rows (not the per-row annotations of a page)."""
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]


def test_the_count_stops_after_the_limit(producers, django_assert_num_queries):
    paginator = CountLimitPaginator(producers, 25, count_limit=10)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(1)
    (count_sql,) = count_queries(queries)
    assert "LIMIT 26" in count_sql  # page 1 of 25 rows: one more than it shows, no more
    assert not paginator.count_is_exact
    assert paginator.count == 26 and page.has_next() and len(page) == 25
    with django_assert_num_queries(0):  # counted once
        assert paginator.num_pages == 2


def test_later_pages_count_far_enough_to_go_on(producers):
    second = CountLimitPaginator(producers, 25, count_limit=10).get_page(2)
    assert [p.code for p in second] == [f"P-T-{n:04d}" for n in range(25, 50)]
    assert second.has_next() and not second.paginator.count_is_exact
    third = CountLimitPaginator(producers, 25, count_limit=10).get_page(3)
    assert len(third) == 10 and not third.has_next()
    assert third.paginator.count_is_exact and third.paginator.count == 60
    past = CountLimitPaginator(producers, 25, count_limit=10).get_page(9)
    assert past.number == 3  # past the end: the last page, as Django's get_page


def test_below_the_limit_the_count_is_exact(producers):
    paginator = CountLimitPaginator(producers, 25, count_limit=1000)
    assert paginator.count == 60 and paginator.count_is_exact
    assert paginator.num_pages == 3


def test_the_limit_is_a_setting(producers, settings):
    settings.LIST_COUNT_LIMIT = 59
    assert CountLimitPaginator(producers, 25).get_page(1).paginator.count_is_exact is False
    settings.LIST_COUNT_LIMIT = 60
    assert CountLimitPaginator(producers, 25).get_page(1).paginator.count_is_exact is True


def test_producer_list_says_more_than_and_pages_on(staff_client, producers, settings):
    settings.LIST_COUNT_LIMIT = 1000
    Producer.objects.bulk_create(
        Producer(
            code=f"P-U-{n:04d}",
            name=f"Usaha {n:04d}",
            kind="home_industry",
            regency_id=producers[0].regency_id,
            district_id=producers[0].district_id,
        )
        for n in range(1000)
    )
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get("/producers/?per_page=25")
    (count_sql,) = count_queries(queries)
    assert "LIMIT 1001" in count_sql
    html = response.content.decode()
    assert response["Content-Language"] == "id"
    with translation.override("id"):
        assert f"lebih dari {intcomma(1000)} produsen" in html
    assert 'rel="next"' in html
    settings.LIST_COUNT_LIMIT = 10_000
    exact = staff_client.get("/producers/?per_page=25").content.decode()
    assert result_count(exact).split() == ["1060", "produsen"]  # Indonesian, the default


def test_a_later_page_of_the_product_list_links_on(staff_client, make_producer, settings):
    settings.LIST_COUNT_LIMIT = 30
    producer = make_producer()
    category = Category.objects.get(slug="kerajinan-kayu")
    Product.objects.bulk_create(
        Product(code=f"JBR-C{n:03d}", producer=producer, category=category, name_id=f"Meja {n}")
        for n in range(120)
    )
    staff_client.cookies["django_language"] = "en"
    html = staff_client.get("/products/?per_page=25").content.decode()
    assert "more than 30 products" in html and "all matching products (more than 30)" in html
    staff_client.cookies["django_language"] = "zh-hans"
    chinese = staff_client.get("/products/?per_page=25").content.decode()
    assert "超过 30 个产品" in chinese
    third = staff_client.get("/products/?per_page=25&page=3").content.decode()
    assert "JBR-C050" in third and 'rel="next"' in third
    last = staff_client.get("/products/?per_page=25&page=5").content.decode()
    assert "JBR-C119" in last and 'rel="next"' not in last
    assert result_count(last).split()[0] == "120"
    # A search counts in the page's query (COUNT(*) OVER ()): exact, so shown as it is.
    searched = staff_client.get("/products/?per_page=25&q=meja").content.decode()
    assert result_count(searched).split()[0] == "120"
