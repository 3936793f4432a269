"""Samples: list filters and export, the form (prefill, received not before sent, scope),
and a sample for an inquiry moving that inquiry to "sample sent"."""

import csv
import io
from datetime import date

import pytest

from showroom.choices import InquiryStatus
from showroom.models import Sample
from tests.showroom.factories import make_inquiry, make_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def samples(make_product, make_producer):
    jp = make_product(producer=make_producer("35.09"), name_id="Kursi drum")
    bp = make_product(producer=make_producer("35.10"), category="batik", name_id="Batik")
    inquiry = make_inquiry(jp)
    return {
        "jp": jp,
        "bp": bp,
        "inquiry": inquiry,
        "sent": make_sample(
            jp, sent_on=date(2026, 5, 2), courier="DHL", tracking_number="JD0001", inquiry=inquiry
        ),
        "received": make_sample(
            bp, sent_on=date(2026, 5, 2), received_on=date(2026, 5, 9), courier="SF Express"
        ),
        "draft": make_sample(jp, recipient_kind="tec", recipient="TEC Surabaya"),
    }


def _listed(client, query=""):
    response = client.get(f"/samples/?{query}")
    assert response.status_code == 200
    return {row.pk for row in response.context["page"].object_list}


def _exported(client, query=""):
    response = client.get(f"/samples/export/?format=csv&{query}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {int(row["id"]) for row in csv.DictReader(io.StringIO(text))}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"sent", "received", "draft"}),
        ("product={jp}", {"sent", "draft"}),
        ("regency=35.10", {"received"}),
        ("state=sent", {"sent", "received"}),
        ("state=not_sent", {"draft"}),
        ("state=in_transit", {"sent"}),
        ("state=received", {"received"}),
        ("courier=dhl", {"sent"}),
        ("inquiry={inquiry}", {"sent"}),
        ("recipient_kind=tec", {"draft"}),
        ("q=JD0001", {"sent"}),
        ("sent_from=2026-05-01&sent_to=2026-05-31", {"sent", "received"}),
    ],
)
def test_filters_list_and_export_the_same_rows(staff_client, samples, query, expected):
    query = query.format(jp=samples["jp"].code, inquiry=samples["inquiry"].pk)
    wanted = {samples[name].pk for name in expected}
    assert _listed(staff_client, query) == wanted
    assert _exported(staff_client, query) == wanted


def test_regency_staff_see_and_edit_only_their_regencies_samples(client, regency_user, samples):
    client.force_login(regency_user)
    assert _listed(client) == {samples["sent"].pk, samples["draft"].pk}
    assert client.get(f"/samples/{samples['received'].pk}/").status_code == 404
    assert client.get(f"/samples/{samples['sent'].pk}/edit/").status_code == 200


def test_visitor_sees_no_samples(client, visitor_user, samples):
    client.force_login(visitor_user)
    assert client.get("/samples/").status_code == 403
    assert client.get("/samples/new/").status_code == 403


def _form(**fields):
    data = {
        "product_code": "",
        "quantity": "2",
        "recipient_kind": "buyer",
        "recipient": "",
        "inquiry": "",
        "occasion": "",
        "sent_on": "",
        "courier": "",
        "tracking_number": "",
        "received_on": "",
        "feedback": "",
        "cost_idr": "",
    }
    data.update(fields)
    return data


def test_a_sample_for_a_new_inquiry_moves_it_to_sample_sent(staff_client, samples):
    inquiry = make_inquiry(samples["bp"])
    response = staff_client.post(
        "/samples/new/",
        _form(product_code=samples["bp"].code, inquiry=str(inquiry.pk), sent_on="2026-06-01"),
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.SAMPLE_SENT
    assert inquiry.history.count() == 2  # received, then moved by the sample


def test_a_sample_leaves_an_inquiry_further_along_alone(staff_client, samples):
    inquiry = make_inquiry(samples["bp"], status=InquiryStatus.QUOTATION)
    staff_client.post(
        "/samples/new/", _form(product_code=samples["bp"].code, inquiry=str(inquiry.pk))
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTATION


def test_received_before_sent_is_refused(staff_client, samples):
    response = staff_client.post(
        "/samples/new/",
        _form(product_code=samples["jp"].code, sent_on="2026-06-10", received_on="2026-06-01"),
    )
    assert response.status_code == 200
    assert "received_on" in response.context["form"].errors
    assert Sample.objects.count() == 3


def test_regency_staff_cannot_record_a_sample_of_another_regency(client, regency_user, samples):
    client.force_login(regency_user)
    response = client.post("/samples/new/", _form(product_code=samples["bp"].code))
    assert response.status_code == 200
    assert "product_code" in response.context["form"].errors
    response = client.post("/samples/new/", _form(product_code=samples["jp"].code))
    assert response.status_code == 302


def test_new_sample_is_prefilled_from_an_inquiry(staff_client, samples):
    response = staff_client.get(f"/samples/new/?inquiry={samples['inquiry'].pk}")
    form = response.context["form"]
    assert form["inquiry"].value() == samples["inquiry"].pk
    assert form["product_code"].value() == samples["jp"].code
    response = staff_client.get(f"/samples/new/?product={samples['bp'].code}")
    assert response.context["form"]["product_code"].value() == samples["bp"].code


def test_editing_a_sample_with_a_stale_form_is_refused(staff_client, samples):
    sample = samples["draft"]
    page = staff_client.get(f"/samples/{sample.pk}/edit/")
    version = page.context["form"]["version"].value()
    Sample.objects.filter(pk=sample.pk).update(version=sample.version + 1)
    response = staff_client.post(
        f"/samples/{sample.pk}/edit/",
        _form(product_code=samples["jp"].code, version=str(version), courier="JNE"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    sample.refresh_from_db()
    assert sample.courier == ""


def test_sample_list_in_a_constant_number_of_queries(staff_client, samples):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff_client.get("/samples/")
    with CaptureQueriesContext(connection) as few:
        staff_client.get("/samples/")
    for _n in range(10):
        make_sample(samples["bp"], inquiry=samples["inquiry"])
    with CaptureQueriesContext(connection) as many:
        staff_client.get("/samples/")
    assert len(few) == len(many) <= 12
