"""The QR codes of promotion sheets and lookbooks lead buyers through a share link
(showroom.printing, catalogue.printables.share_links)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from showroom.models import Collection, CollectionItem, ShareLink

pytestmark = pytest.mark.django_db


def _qr_urls(response):
    return re.findall(r'data-qr-url="([^"]+)"', response.content.decode())


def _link(products, label="Ningbo importers", **fields):
    collection = Collection.objects.create(name_id="Pameran Ningbo")
    for position, product in enumerate(products):
        CollectionItem.objects.create(collection=collection, product=product, position=position)
    defaults = {"expires_at": timezone.now() + timedelta(days=30)}
    return ShareLink.objects.create(collection=collection, label=label, **defaults | fields)


@pytest.fixture
def chair(make_product):
    return make_product(name_id="Kursi drum")


def test_without_a_link_the_sheet_code_opens_the_staff_page_and_says_so(
    client, staff_user, chair, settings
):
    client.force_login(staff_user)
    response = client.get(f"/products/{chair.code}/sheet/")
    assert _qr_urls(response) == [settings.SITE_URL + chair.get_absolute_url()]
    assert b'data-testid="qr-staff"' in response.content


def test_a_chosen_link_makes_the_code_open_the_buyers_page(client, staff_user, chair, settings):
    link = _link([chair])
    client.force_login(staff_user)
    response = client.get(f"/products/{chair.code}/sheet/?link={link.token}")
    assert _qr_urls(response) == [settings.SITE_URL + f"/s/{link.token}/{chair.code}/"]
    body = response.content.decode()
    assert 'data-testid="qr-public"' in body
    assert f'<option value="{link.token}" selected>' in body
    # The URL is printed under the code, so it can be typed.
    assert f'<span class="url">{settings.SITE_URL}/s/{link.token}/{chair.code}/</span>' in body


@pytest.mark.parametrize("state", ["revoked", "expired", "other collection"])
def test_a_dead_or_foreign_link_is_not_printed(client, staff_user, chair, make_product, state):
    if state == "other collection":
        link = _link([make_product(name_id="Meja")])
    elif state == "revoked":
        link = _link([chair], revoked_at=timezone.now())
    else:
        link = _link([chair], expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(staff_user)
    response = client.get(f"/products/{chair.code}/sheet/?link={link.token}")
    assert "/s/" not in _qr_urls(response)[0]
    assert b'data-testid="qr-staff"' in response.content
    assert link.token.encode() not in response.content


def test_staff_create_a_link_for_a_sheet_in_one_click(client, staff_user, chair, settings):
    client.force_login(staff_user)
    sheet = f"/products/{chair.code}/sheet/"
    response = client.post("/collections/for-print/", {"codes": [chair.code], "next": sheet})
    link = ShareLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{sheet}?link={link.token}"
    assert link.is_live and link.expires_at > timezone.now() + timedelta(days=300)
    assert list(link.collection.products.all()) == [chair]
    assert link.collection.regency is None and link.created_by == staff_user
    assert len(link.token) >= 22  # ≥ 128 bits in URL-safe base64
    page = client.get(response["Location"])
    assert _qr_urls(page) == [settings.SITE_URL + f"/s/{link.token}/{chair.code}/"]


def test_the_lookbook_keeps_its_filters_and_marks_products_outside_the_link(
    client, staff_user, make_product, settings
):
    a = make_product(name_id="Kursi drum A", status="promoted")
    b = make_product(name_id="Kursi drum B", status="promoted")
    make_product(name_id="Draft", status="draft")
    link = _link([a])
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    response = client.get(f"/products/lookbook/?status=promoted&link={link.token}")
    urls = _qr_urls(response)
    assert settings.SITE_URL + f"/s/{link.token}/{a.code}/" in urls
    assert settings.SITE_URL + b.get_absolute_url() in urls
    assert len(urls) == 2
    body = response.content.decode()
    assert '<input type="hidden" name="status" value="promoted">' in body
    assert "1 product is not in that link" in body


def test_creating_a_link_from_the_lookbook_shares_every_listed_product(
    client, staff_user, make_product
):
    products = [make_product(name_id=f"Kursi {i}", status="promoted") for i in range(3)]
    client.force_login(staff_user)
    lookbook = "/products/lookbook/?status=promoted"
    response = client.post(
        "/collections/for-print/", {"codes": [p.code for p in products], "next": lookbook}
    )
    link = ShareLink.objects.get()
    assert response["Location"] == f"/products/lookbook/?status=promoted&link={link.token}"
    items = CollectionItem.objects.filter(collection=link.collection).order_by("position")
    assert [item.product for item in items] == products


def test_visitors_choose_existing_links_but_create_none(client, visitor_user, chair):
    link = _link([chair])
    client.force_login(visitor_user)
    response = client.get(f"/products/{chair.code}/sheet/")
    assert link.token.encode() in response.content
    assert b'data-testid="qr-link-create"' not in response.content
    response = client.post("/collections/for-print/", {"codes": [chair.code], "next": "/"})
    assert response.status_code == 403
    assert ShareLink.objects.count() == 1 and Collection.objects.count() == 1


def test_regency_staff_share_only_their_regencys_products(
    client, regency_user, make_producer, make_product
):
    mine = make_product(producer=make_producer("35.09"))
    theirs = make_product(producer=make_producer("35.10"))
    client.force_login(regency_user)
    client.post("/collections/for-print/", {"codes": [mine.code, theirs.code], "next": "/"})
    assert not ShareLink.objects.exists()
    client.post("/collections/for-print/", {"codes": [mine.code], "next": "/"})
    link = ShareLink.objects.get()
    assert link.collection.regency == mine.producer.regency


def test_the_next_address_stays_on_this_site(client, staff_user, chair):
    client.force_login(staff_user)
    response = client.post(
        "/collections/for-print/", {"codes": [chair.code], "next": "https://evil.example/"}
    )
    assert response["Location"].startswith("/products/?link=")
