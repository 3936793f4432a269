"""The product page: gallery, certifications, readiness gaps, histories, notes, follow-ups."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from catalogue.models import Certification, ProductPhoto
from catalogue.product_writes import change_status
from catalogue.readiness import RULES_BY_KEY
from core import roles
from home.drawing import draw_product_photo
from tests.catalogue.test_product_edit import form_data
from visits.models import FollowUp, VisitNote

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(make_producer, make_product):
    producer = make_producer("35.09", name="Drum Pakusari")
    return make_product(producer=producer, name_id="Kursi drum", price_idr=850_000)


def _photo(product, seed, primary=False):
    return ProductPhoto.objects.create(
        product=product,
        image=draw_product_photo("Kursi", seed=seed, size=(160, 120)),
        position=seed,
        is_primary=primary,
    )


def _page(client, product):
    response = client.get(f"/products/{product.code}/")
    assert response.status_code == 200
    return response, response.content.decode()


def test_gallery_shows_the_primary_photo_and_thumbnails(client, visitor_user, product):
    primary = _photo(product, 1, primary=True)
    others = [_photo(product, 2), _photo(product, 3)]
    client.force_login(visitor_user)
    _response, content = _page(client, product)
    assert f'id="gallery-main" src="{primary.image.url}"' in content
    for photo in [primary, *others]:
        assert photo.thumbnail.url in content
        assert f'href="{photo.image.url}"' in content


def test_product_without_photos_says_so(client, visitor_user, product):
    client.force_login(visitor_user)
    response, content = _page(client, product)
    assert response.context["primary"] is None
    assert 'id="gallery-main"' not in content


def test_certifications_flag_expired_and_soon_expiring(client, staff_user, product):
    today = timezone.localdate()
    Certification.objects.create(
        product=product, kind="svlk", number="VL-OLD", expires_on=today - datetime.timedelta(days=1)
    )
    Certification.objects.create(
        product=product,
        kind="iso",
        number="ISO-SOON",
        expires_on=today + datetime.timedelta(days=60),
    )
    Certification.objects.create(
        product=product,
        kind="sni",
        number="SNI-LATER",
        expires_on=today + datetime.timedelta(days=61),
    )
    Certification.objects.create(product=product, kind="halal", number="HALAL-FOREVER")
    client.force_login(staff_user)
    response, content = _page(client, product)
    states = {row["cert"].number: row["state"] for row in response.context["certifications"]}
    assert states == {
        "VL-OLD": "expired",
        "ISO-SOON": "expiring",
        "SNI-LATER": "valid",
        "HALAL-FOREVER": "valid",
    }
    assert content.count('class="flag-expired"') == 1
    assert content.count('class="flag-expiring"') == 1
    row = content.split("VL-OLD")[1].split("</tr>")[0]
    assert "flag-expired" in row
    row = content.split("ISO-SOON")[1].split("</tr>")[0]
    assert "flag-expiring" in row


def test_certification_expiring_today_is_flagged_as_expiring(client, staff_user, product):
    Certification.objects.create(
        product=product, kind="svlk", number="VL-TODAY", expires_on=timezone.localdate()
    )
    client.force_login(staff_user)
    response, _content = _page(client, product)
    assert response.context["certifications"][0]["state"] == "expiring"


def test_readiness_gaps_are_listed(client, visitor_user, product):
    client.force_login(visitor_user)
    product.refresh_from_db()
    assert "name_zh" in product.readiness_gaps
    response, content = _page(client, product)
    with translation.override("id"):
        labels = [str(RULES_BY_KEY[key].label) for key in product.readiness_gaps]
    for label in labels:
        assert label in content
    assert [rule.key for rule in response.context["gaps"]] == product.readiness_gaps


def test_status_history_lists_each_step(client, staff_user, product):
    change_status(product, "candidate", staff_user, "Rapi")
    change_status(product, "not_suitable", staff_user, "Terlalu berat untuk dikirim")
    client.force_login(staff_user)
    response, content = _page(client, product)
    steps = [(c.from_status, c.to_status) for c in response.context["status_changes"]]
    assert steps == [("candidate", "not_suitable"), ("draft", "candidate")]
    assert "Terlalu berat untuk dikirim" in content
    assert staff_user.username in content


def test_change_history_shows_old_and_new_value_after_an_edit(client, staff_user, product):
    client.force_login(staff_user)
    data = form_data(client.get(f"/products/{product.code}/edit/"))
    data["name_id"] = ["Kursi drum daur ulang"]
    data["price_idr"] = ["900000"]
    assert client.post(f"/products/{product.code}/edit/", data).status_code == 302
    response, content = _page(client, product)
    latest = response.context["history"][0]
    changes = {str(c["field"]): (c["old"], c["new"]) for c in latest["changes"]}
    assert ("Kursi drum", "Kursi drum daur ulang") in changes.values()
    assert (850_000, 900_000) in changes.values()
    assert latest["record"].history_user == staff_user
    assert "Kursi drum → Kursi drum daur ulang" in content


def test_change_history_lists_only_what_the_person_changed(client, staff_user, product):
    client.force_login(staff_user)
    data = form_data(client.get(f"/products/{product.code}/edit/"))
    data["name_id"] = ["Kursi drum daur ulang"]
    assert client.post(f"/products/{product.code}/edit/", data).status_code == 302
    response, _content = _page(client, product)
    fields = [c["old"] for c in response.context["history"][0]["changes"]]
    assert fields == ["Kursi drum"]


def _note(product, author, text, visibility="shared"):
    return VisitNote.objects.create(
        producer=product.producer, product=product, author=author, text=text, visibility=visibility
    )


def test_visitors_see_their_own_notes_only(client, visitor_user, staff_user, product):
    other = User.objects.create_user("visitor-two")
    other.groups.add(Group.objects.get(name=roles.VISITOR))
    _note(product, visitor_user, "Catatan bersama: finishing bagus")
    _note(product, visitor_user, "Catatan pribadi: harga terlalu tinggi", visibility="private")

    client.force_login(other)  # README, "Roles and demo logins": visitors, own notes only
    _response, content = _page(client, product)
    assert "Catatan bersama" not in content
    assert "Catatan pribadi" not in content

    client.force_login(visitor_user)
    _response, content = _page(client, product)
    assert "Catatan bersama" in content
    assert "Catatan pribadi" in content

    client.force_login(staff_user)
    _response, content = _page(client, product)
    assert "Catatan pribadi" in content


def test_private_notes_are_hidden_from_regency_staff(client, visitor_user, regency_user, product):
    _note(product, visitor_user, "Catatan pribadi: harga terlalu tinggi", visibility="private")
    client.force_login(regency_user)
    _response, content = _page(client, product)
    assert "Catatan pribadi" not in content


def test_follow_ups_of_the_product_are_shown(client, visitor_user, staff_user, product):
    FollowUp.objects.create(
        producer=product.producer,
        product=product,
        kind="samples",
        description="Kirim 3 sampel ke TEC",
        owner=staff_user,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    FollowUp.objects.create(
        producer=product.producer, kind="price_quote", description="Penawaran untuk produsen"
    )
    client.force_login(visitor_user)
    _response, content = _page(client, product)
    assert "Kirim 3 sampel ke TEC" in content
    assert "Penawaran untuk produsen" not in content  # not about this product
    assert 'class="flag-expired"' in content  # overdue


def test_tobacco_products_carry_the_restricted_channel_notice(client, visitor_user, make_product):
    cigar = make_product(category="cerutu", name_id="Cerutu Besuki")
    client.force_login(visitor_user)
    response, _content = _page(client, cigar)
    assert response.context["restricted_channel"] is True


def _detail_queries(client, product):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/products/{product.code}/")
    assert response.status_code == 200
    return len(captured)


def test_detail_query_count_does_not_grow_with_photos_notes_and_history(
    client, staff_user, visitor_user, product, make_product
):
    client.force_login(staff_user)
    other = make_product(producer=product.producer, name_id="Meja drum")
    for target in (product, other):
        _photo(target, 1, primary=True)
        _photo(target, 2)
        Certification.objects.create(product=target, kind="svlk", number="VL-1")
        _note(target, visitor_user, "Bagus")
        FollowUp.objects.create(producer=target.producer, product=target, kind="samples")
        change_status(target, "candidate", staff_user)
    for number in range(3, 8):
        _photo(other, number)
        Certification.objects.create(product=other, kind="iso", number=f"ISO-{number}")
        _note(other, visitor_user, f"Catatan {number}")
        FollowUp.objects.create(producer=other.producer, product=other, kind="price_quote")
    change_status(other, "shortlisted", staff_user)
    change_status(other, "promoted", staff_user)
    assert _detail_queries(client, product) == _detail_queries(client, other)


def test_product_page_links_to_a_note_about_this_product(client, visitor_user, make_product):
    product = make_product()
    client.force_login(visitor_user)
    content = client.get(f"/products/{product.code}/").content.decode()
    link = f"/notes/new/?producer={product.producer.code}&amp;product={product.code}"
    assert link in content
    form = client.get(link.replace("&amp;", "&"))
    assert form.status_code == 200
