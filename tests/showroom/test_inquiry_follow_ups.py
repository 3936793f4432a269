"""Turning an inquiry into follow-ups (home, which joins showroom and visits): one per
product, for its producer, naming the inquiry; listed on the inquiry page; once only."""

import pytest
from django.utils import translation

from tests.showroom.factories import make_inquiry
from visits.models import FollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry(make_product, make_producer):
    jp = make_product(producer=make_producer("35.09"), name_id="Kursi drum")
    bp = make_product(producer=make_producer("35.10"), category="batik", name_id="Batik")
    return make_inquiry(jp, bp, message="Need 200 chairs by July", quantity="200 pcs")


def test_staff_turn_an_inquiry_into_one_follow_up_per_product(staff_client, staff_user, inquiry):
    url = f"/inquiries/{inquiry.pk}/follow-ups/"
    response = staff_client.post(url, {"kind": "price_quote", "due_date": "2026-07-01"})
    assert response.status_code == 302
    follow_ups = list(FollowUp.objects.order_by("product__code"))
    assert [(f.product, f.producer) for f in follow_ups] == [
        (p, p.producer) for p in inquiry.products.order_by("code")
    ]
    assert all(f.source == inquiry and f.owner == staff_user for f in follow_ups)
    assert all(inquiry.reference in f.description for f in follow_ups)
    # The buyer's words stay with the inquiry: quoted to its readers only (below).
    assert not any("Need 200 chairs" in f.description for f in follow_ups)
    # A second click creates nothing more.
    staff_client.post(url, {"kind": "price_quote"})
    assert FollowUp.objects.count() == 2


def test_only_the_ticked_products_get_follow_ups(staff_client, inquiry):
    code = inquiry.products.order_by("code").first().code
    staff_client.post(
        f"/inquiries/{inquiry.pk}/follow-ups/", {"kind": "samples", "products": [code]}
    )
    assert list(FollowUp.objects.values_list("product__code", flat=True)) == [code]


def test_the_inquiry_page_lists_its_follow_ups(staff_client, inquiry):
    staff_client.post(f"/inquiries/{inquiry.pk}/follow-ups/", {"kind": "samples"})
    with translation.override("en"):
        page = staff_client.get(f"/inquiries/{inquiry.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    for follow_up in FollowUp.objects.all():
        assert f'id="followup-{follow_up.pk}"' in content


@pytest.mark.parametrize(("role", "expected"), [("regency", 403), ("visitor", 403)])
def test_who_may_not_create_follow_ups_from_inquiries(client, role_users, inquiry, role, expected):
    client.force_login(role_users[role])
    response = client.post(f"/inquiries/{inquiry.pk}/follow-ups/", {"kind": "samples"})
    assert response.status_code == expected
    assert not FollowUp.objects.exists()


def test_an_unknown_kind_creates_nothing(staff_client, inquiry):
    response = staff_client.post(f"/inquiries/{inquiry.pk}/follow-ups/", {"kind": "lunch"})
    assert response.status_code == 302
    assert not FollowUp.objects.exists()


def _product_page(client, product):
    with translation.override("en"):
        return client.get(f"/products/{product.code}/", HTTP_ACCEPT_LANGUAGE="en").content


def test_follow_ups_quote_the_inquiry_only_to_those_who_read_it(
    client, staff_client, role_users, inquiry
):
    staff_client.post(f"/inquiries/{inquiry.pk}/follow-ups/", {"kind": "samples"})
    jember_product = inquiry.products.get(producer__regency__code="35.09")
    batik = inquiry.products.get(producer__regency__code="35.10")
    assert b"Need 200 chairs by July" in _product_page(staff_client, jember_product)
    assert b"Need 200 chairs by July" in staff_client.get("/follow-ups/").content
    client.force_login(role_users["visitor"])
    page = _product_page(client, jember_product)
    assert inquiry.reference.encode() in page  # the follow-up says where it came from
    assert b"Need 200 chairs by July" not in page
    assert b"Need 200 chairs by July" not in client.get("/follow-ups/").content
    client.force_login(role_users["regency"])  # Jember: reads this inquiry
    assert b"Need 200 chairs by July" in _product_page(client, jember_product)
    assert b"Need 200 chairs by July" not in _product_page(client, batik)


def test_follow_up_lists_load_their_sources_in_a_constant_number_of_queries(
    staff_client, make_product, inquiry
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff_client.post(f"/inquiries/{inquiry.pk}/follow-ups/", {"kind": "samples"})
    staff_client.get("/follow-ups/")
    with CaptureQueriesContext(connection) as few:
        staff_client.get("/follow-ups/")
    for _n in range(5):
        other = make_inquiry(make_product(), inquiry.products.first())
        staff_client.post(f"/inquiries/{other.pk}/follow-ups/", {"kind": "samples"})
    with CaptureQueriesContext(connection) as many:
        staff_client.get("/follow-ups/")
    assert len(few) == len(many)


def _offered_owners(client, inquiry):
    """(offered ids, preselected id or "") of the follow-up form's owner select."""
    import re

    html = client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    select = re.search(r'<select name="owner" id="fu-owner">(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option value="(\d*)"( selected)?>', select)
    return {pk for pk, _s in options if pk}, next((pk for pk, s in options if s), "")


def test_the_page_offers_as_follow_up_owners_only_those_the_form_accepts(
    staff_client, admin_user, regency_user, inquiry
):
    """A superuser made by ``createsuperuser`` has no group: an administrator to the roles
    (``core.roles.role_of``) and a possible inquiry owner, but no follow-up owner
    (``visits.forms.owners``). The page must not offer, nor preselect, whom the form
    refuses: the click would create nothing."""
    from django.contrib.auth.models import User

    from showroom.inquiries import save_inquiry
    from visits.forms import owners

    root = User.objects.create_superuser("root", "root@example.org", "x")
    inquiry.owner = root
    save_inquiry(inquiry, admin_user, inquiry.version)
    offered, selected = _offered_owners(staff_client, inquiry)
    assert offered == {str(pk) for pk in owners().values_list("pk", flat=True)}
    assert str(regency_user.pk) in offered and str(root.pk) not in offered
    response = staff_client.post(
        f"/inquiries/{inquiry.pk}/follow-ups/", {"kind": "samples", "owner": selected}
    )
    assert response.status_code == 302
    assert FollowUp.objects.count() == 2


def test_the_inquiry_owner_is_the_follow_ups_preselected_owner(staff_client, admin_user, inquiry):
    from showroom.inquiries import save_inquiry

    inquiry.owner = admin_user
    save_inquiry(inquiry, admin_user, inquiry.version)
    assert _offered_owners(staff_client, inquiry)[1] == str(admin_user.pk)
