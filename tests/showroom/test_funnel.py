"""The promotion funnel on the dashboard and on the product page: each number counts the
products its product-list link lists, in a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from showroom.choices import InquiryStatus
from tests.showroom.factories import make_collection, make_inquiry, make_link, make_sample, view

pytestmark = pytest.mark.django_db


@pytest.fixture
def funnel(make_product, make_producer):
    jember, banyuwangi = make_producer("35.09"), make_producer("35.10")
    promoted = make_product(producer=jember, status="promoted")
    interest = make_product(producer=jember, status="buyer_interest")
    exported = make_product(producer=banyuwangi, category="batik", status="exported")
    draft = make_product(producer=banyuwangi, category="batik")
    link = make_link(make_collection(promoted, interest, exported))
    view(link, promoted, 3)
    view(link, interest)
    make_inquiry(interest, link=link)
    make_inquiry(exported, status=InquiryStatus.ORDER)
    make_sample(exported)
    return {"promoted": promoted, "interest": interest, "exported": exported, "draft": draft}


def _cells(html):
    """{(step, product-list query): number} of the dashboard's funnel links."""
    section = html.split('data-testid="funnel"', 1)[1].split("</section>", 1)[0]
    return [
        (step, query.replace("&amp;", "&"), int(n))
        for query, step, n in re.findall(
            r'href="/products/\?([^"]*)" data-step="(\w+)">(\d+)</a>', section
        )
    ]


def test_each_funnel_number_is_the_count_of_its_product_list(staff_client, funnel):
    with translation.override("en"):
        html = staff_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cells = _cells(html)
    totals = {
        step: n for step, query, n in cells if "regency" not in query and "category" not in query
    }
    assert totals == {"promoted": 3, "viewed": 2, "in_inquiry": 2, "has_sample": 1, "ordered": 1}
    for _step, query, n in cells:
        listed = staff_client.get(f"/products/?{query}").context["page"].paginator.count
        assert listed == n, query


def test_the_dashboard_counts_the_funnel_in_a_constant_number_of_queries(
    staff_client, funnel, make_product, make_producer
):
    staff_client.get("/")
    with CaptureQueriesContext(connection) as before:
        staff_client.get("/")
    producer = make_producer("35.12")
    for _n in range(5):
        product = make_product(producer=producer, category="batik", status="promoted")
        make_inquiry(product)
        make_sample(product)
    with CaptureQueriesContext(connection) as after:
        staff_client.get("/")
    assert len(before) == len(after)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("viewed=1", {"promoted", "interest"}),
        ("viewed=0", {"exported", "draft"}),
        ("in_inquiry=1", {"interest", "exported"}),
        ("has_sample=1", {"exported"}),
        ("ordered=1", {"exported"}),
        ("ordered=0&regency=35.10", {"draft"}),
    ],
)
def test_product_list_filters_of_the_funnel(staff_client, funnel, query, expected):
    listed = {p.code for p in staff_client.get(f"/products/?{query}").context["page"].object_list}
    assert listed == {funnel[name].code for name in expected}


def test_product_page_shows_its_own_counts_and_latest_inquiries(staff_client, funnel):
    product = funnel["exported"]
    with translation.override("en"):
        response = staff_client.get(f"/products/{product.code}/", HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    block = content.split('data-testid="product-showroom"', 1)[1].split("</section>", 1)[0]
    assert "<strong>1</strong> inquiry" in block
    assert "<strong>1</strong> order" in block
    assert "<strong>1</strong> sample" in block
    assert response.context["showroom"]["counts"] == {
        "views": 0,
        "inquiries": 1,
        "orders": 1,
        "samples": 1,
    }
    assert f"/inquiries/?product={product.code}" in block
    assert "/inquiries/" in block and 'data-testid="product-inquiries"' in block


def test_regency_staff_see_only_their_inquiries_on_a_product_page(
    client, regency_user, funnel, make_producer, make_product
):
    """An inquiry about a Jember and a Banyuwangi product is theirs; one only about the
    Banyuwangi product is not, and is neither counted nor listed."""
    client.force_login(regency_user)
    product = funnel["exported"]  # Banyuwangi: its one inquiry is not theirs
    response = client.get(f"/products/{product.code}/")
    assert response.context["showroom"]["counts"]["inquiries"] == 0
    assert response.context["showroom"]["inquiries"] == []
    assert response.context["showroom"]["samples"] == []


def test_visitors_see_views_but_no_inquiries_or_samples_on_a_product_page(
    client, visitor_user, funnel
):
    client.force_login(visitor_user)
    response = client.get(f"/products/{funnel['exported'].code}/")
    showroom = response.context["showroom"]
    assert not showroom["may_see_inquiries"] and not showroom["may_see_samples"]
    assert b'data-testid="product-inquiries"' not in response.content
    assert b"/inquiries/" not in response.content


def test_the_product_page_block_costs_a_constant_number_of_queries(staff_client, funnel):
    product = funnel["interest"]
    url = f"/products/{product.code}/"
    staff_client.get(url)
    with CaptureQueriesContext(connection) as before:
        staff_client.get(url)
    for _n in range(6):
        make_inquiry(product)
        make_sample(product)
    with CaptureQueriesContext(connection) as after:
        staff_client.get(url)
    assert len(before) == len(after)
