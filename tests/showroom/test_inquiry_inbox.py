"""The inquiry inbox: filters, export equal to the list, the detail page, status changes
with the optimistic lock and their history, and who sees which inquiry."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from showroom.choices import InquiryStatus
from showroom.models import Inquiry
from tests.showroom.factories import make_collection, make_inquiry, make_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(make_product, make_producer):
    jember_product = make_product(producer=make_producer("35.09"), name_id="Kursi drum")
    banyuwangi_product = make_product(
        producer=make_producer("35.10"), category="batik", name_id="Batik gajah oling"
    )
    collection = make_collection(jember_product, banyuwangi_product)
    link = make_link(collection)
    jember = make_inquiry(jember_product, link=link, company="Ningbo Home", city="Ningbo")
    banyuwangi = make_inquiry(
        banyuwangi_product, company="Yiwu Textiles", message="batik samples please"
    )
    both = make_inquiry(jember_product, banyuwangi_product, company="Shanghai Mix")
    return {
        "jp": jember_product,
        "bp": banyuwangi_product,
        "link": link,
        "collection": collection,
        "jember": jember,
        "banyuwangi": banyuwangi,
        "both": both,
    }


def _listed(client, query=""):
    response = client.get(f"/inquiries/?{query}")
    assert response.status_code == 200
    return {row.pk for row in response.context["page"].object_list}


def _exported(client, query=""):
    response = client.get(f"/inquiries/export/?format=csv&{query}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["reference"] for row in csv.DictReader(io.StringIO(text))]


def test_staff_sees_every_inquiry(staff_client, inbox):
    assert _listed(staff_client) == {i.pk for i in Inquiry.objects.all()}


def test_regency_staff_see_only_inquiries_about_their_regencies_products(
    client, regency_user, inbox
):
    client.force_login(regency_user)
    assert _listed(client) == {inbox["jember"].pk, inbox["both"].pk}
    assert client.get(f"/inquiries/{inbox['banyuwangi'].pk}/").status_code == 404
    assert set(_exported(client)) == {inbox["jember"].reference, inbox["both"].reference}


def test_visitor_may_not_open_the_inbox(client, visitor_user, inbox):
    client.force_login(visitor_user)
    assert client.get("/inquiries/").status_code == 403
    assert client.get(f"/inquiries/{inbox['jember'].pk}/").status_code == 403
    assert client.get("/inquiries/export/?format=csv").status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("regency=35.10", {"banyuwangi", "both"}),
        ("q=batik", {"banyuwangi"}),
        ("q=ningbo", {"jember"}),
        ("product={jp}", {"jember", "both"}),
        ("status=new", {"jember", "banyuwangi", "both"}),
        ("status=order", set()),
        ("collection={collection}", {"jember"}),
        ("share_link={link}", {"jember"}),
        ("owner=none", {"jember", "banyuwangi", "both"}),
        ("owner=mine", set()),
        ("received_from=2000-01-01&received_to=2999-12-31", {"jember", "banyuwangi", "both"}),
        ("received_to=2000-01-01", set()),
    ],
)
def test_filters_list_and_export_the_same_rows(staff_client, inbox, query, expected):
    query = query.format(
        jp=inbox["jp"].code, collection=inbox["collection"].pk, link=inbox["link"].pk
    )
    wanted = {inbox[name].pk for name in expected}
    assert _listed(staff_client, query) == wanted
    assert set(_exported(staff_client, query)) == {
        Inquiry.objects.get(pk=pk).reference for pk in wanted
    }


def test_mine_lists_the_inquiries_the_user_owns(staff_client, staff_user, inbox):
    Inquiry.objects.filter(pk=inbox["both"].pk).update(owner=staff_user)
    assert _listed(staff_client, "owner=mine") == {inbox["both"].pk}
    assert _listed(staff_client, "owner=staff-test") == {inbox["both"].pk}


def test_xlsx_export_streams(staff_client, inbox):
    response = staff_client.get("/inquiries/export/?format=xlsx&regency=35.09")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert staff_client.get("/inquiries/export/?format=pdf").status_code == 400


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("url", ["/inquiries/", "/inquiries/?regency=35.09&status=new&q=n"])
def test_inbox_pages_in_a_constant_number_of_queries(staff_client, inbox, url):
    staff_client.get(url)  # the first visit stores the list URL in the session
    few = _queries(staff_client, url)
    for n in range(10):
        make_inquiry(inbox["jp"], inbox["bp"], company=f"Buyer {n}")
    assert _queries(staff_client, url) == few <= 16


def test_detail_shows_contact_products_message_and_origin(staff_client, inbox):
    with translation.override("en"):
        response = staff_client.get(f"/inquiries/{inbox['jember'].pk}/", HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "wangwei88" in content
    assert "请报价，起订量多少？" in content
    assert f"/products/{inbox['jp'].code}/" in content
    assert inbox["link"].label in content
    assert inbox["collection"].name_id in content


def _handle(client, inquiry, **changes):
    page = client.get(f"/inquiries/{inquiry.pk}/")
    form = page.context["form"]
    data = {
        "version": form["version"].value(),
        "status": form["status"].value(),
        "owner": form["owner"].value() or "",
        "notes": form["notes"].value() or "",
    }
    data.update(changes)
    return client.post(f"/inquiries/{inquiry.pk}/", data)


def test_staff_change_status_owner_and_notes_and_history_records_it(
    staff_client, staff_user, inbox
):
    inquiry = inbox["jember"]
    response = _handle(
        staff_client, inquiry, status="answered", owner=str(staff_user.pk), notes="Sent prices"
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.owner, inquiry.notes) == ("answered", staff_user, "Sent prices")
    latest = inquiry.history.order_by("-history_date").first()
    assert latest.history_user == staff_user
    page = staff_client.get(f"/inquiries/{inquiry.pk}/")
    assert page.context["history"][0][1]  # the change, field by field


def test_a_stale_form_is_refused_and_keeps_the_other_change(
    client, staff_client, admin_user, inbox
):
    inquiry = inbox["jember"]
    stale = staff_client.get(f"/inquiries/{inquiry.pk}/").context["form"]["version"].value()
    client.force_login(admin_user)
    assert _handle(client, inquiry, status="quotation").status_code == 302
    response = staff_client.post(
        f"/inquiries/{inquiry.pk}/",
        {"version": stale, "status": "lost", "owner": "", "notes": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTATION


def test_an_unknown_status_is_refused(staff_client, inbox):
    response = _handle(staff_client, inbox["jember"], status="shipped")
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
