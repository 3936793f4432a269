"""The dashboard recounted (``DASHBOARD_CACHE_SECONDS=0``) reads the product tally: its
figures are right at once after any write, and its queries do not depend on how many
products there are (home/dashboard.py, catalogue/models/tallies.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import bulk
from catalogue.models import Product
from showroom import funnel

pytestmark = pytest.mark.django_db


def dashboard(client):
    response = client.get("/")
    assert response.status_code == 200
    return response


def figures(response):
    context = response.context
    return {
        "products": context["product_count"],
        "statuses": {bar["query"]: bar["n"] for bar in context["statuses"]},
        "regencies": {bar["label"]: bar["n"] for bar in context["regencies"] if bar["n"]},
        "promoted": next(s["n"] for s in context["funnel_total"] if s["step"] == "promoted"),
    }


def test_figures_are_right_after_each_write(staff_client, make_producer, make_product, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    jember, banyuwangi = make_producer("35.09"), make_producer("35.10")
    products = [make_product(jember) for _ in range(4)] + [make_product(banyuwangi)]
    shown = figures(dashboard(staff_client))
    assert shown["products"] == 5 and shown["promoted"] == 0
    assert set(shown["regencies"].values()) == {4, 1}
    bulk.change_status_many(Product.objects.filter(producer=jember), "candidate")
    products[0].delete()
    shown = figures(dashboard(staff_client))
    assert shown["products"] == 4
    assert shown["statuses"]["status=candidate"] == 3
    Product.objects.filter(pk=products[4].pk).update(status="promoted")
    assert figures(dashboard(staff_client))["promoted"] == 1
    counted = funnel.counts_by_regency_and_category()  # reads every product
    assert funnel.tallied_counts() == {key: c for key, c in counted.items() if any(c.values())}


def test_recount_queries_do_not_grow_with_the_catalogue(
    staff_client, make_producer, make_product, settings, django_assert_num_queries
):
    settings.DASHBOARD_CACHE_SECONDS = 0
    make_product()
    dashboard(staff_client)  # the session and the like, once
    with CaptureQueriesContext(connection) as few:
        dashboard(staff_client)
    for code in ("35.09", "35.10", "35.08"):
        producer = make_producer(code)
        for category in ("kerajinan-kayu", "makanan-olahan", "anyaman"):
            make_product(producer, category, status="promoted")
    with django_assert_num_queries(len(few)):
        response = dashboard(staff_client)
    assert figures(response)["products"] == 10 and figures(response)["promoted"] == 9
