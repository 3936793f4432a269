"""The dashboard's counts over all products come from the cache for
``DASHBOARD_CACHE_SECONDS`` (home/dashboard.py), and the page says how old they are."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def product_queries(client):
    # The products themselves, or their tally (catalogue_producttally).
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "catalogue_product' in q["sql"]]
    return response, reads


def shown_products(response):
    return response.content.decode().split('data-testid="stat-products">')[1].split("<")[0]


def test_a_second_visit_reads_no_product_counts(staff_client, make_product, settings):
    settings.DASHBOARD_CACHE_SECONDS = 120
    make_product()
    first, counted = product_queries(staff_client)
    assert len(counted) >= 5 and shown_products(first) == "1"
    assert 'data-testid="figures-as-of"' in first.content.decode()
    make_product()
    second, again = product_queries(staff_client)
    assert again == [] and shown_products(second) == "1"  # cached: counted as of the first
    cache.clear()  # as when DASHBOARD_CACHE_SECONDS have passed
    third, _reads = product_queries(staff_client)
    assert shown_products(third) == "2"


def test_without_the_cache_every_visit_counts(staff_client, make_product, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    make_product()
    product_queries(staff_client)
    make_product()
    response, counted = product_queries(staff_client)
    assert counted and shown_products(response) == "2"
    assert 'data-testid="figures-as-of"' not in response.content.decode()


def test_each_threshold_has_its_own_figures(staff_client, make_product, settings):
    settings.DASHBOARD_CACHE_SECONDS = 120
    make_product()
    product_queries(staff_client)
    with CaptureQueriesContext(connection) as queries:
        staff_client.get("/?below=30")
    assert any('FROM "catalogue_product' in q["sql"] for q in queries.captured_queries)


def test_a_category_deleted_after_the_counts_does_not_break_the_page(
    staff_client, make_product, settings
):
    """Cached figures may name a category that was deleted since they were counted."""
    from catalogue.models import Category

    settings.DASHBOARD_CACHE_SECONDS = 120
    short_lived = Category.objects.create(name="Sementara", slug="sementara")
    make_product(category=short_lived)
    make_product()
    product_queries(staff_client)  # counted with the short-lived category
    short_lived.products.all().delete()
    short_lived.delete()
    response, reads = product_queries(staff_client)
    assert reads == []  # the cached figures, which still name it
    assert shown_products(response) == "1"  # the products of the categories that exist
