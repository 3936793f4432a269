"""Deleting products and producers: confirmation first, who may, the history row, the files."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from catalogue.models import Certification, Producer, Product, ProductPhoto
from home.drawing import draw_product_photo
from visits.models import FollowUp, VisitNote


@pytest.fixture
def product(make_producer, make_product):
    producer = make_producer("35.09", name="Drum Pakusari")
    return make_product(producer=producer, name_id="Kursi drum")


@pytest.fixture
def photo(product):
    return ProductPhoto.objects.create(
        product=product,
        image=draw_product_photo("Kursi", seed=1, size=(160, 120)),
        is_primary=True,
    )


def _login(client, user):
    client.force_login(user)
    return client


def test_get_asks_for_confirmation_and_deletes_nothing(client, staff_user, product, photo):
    Certification.objects.create(product=product, kind="halal", number="ID-1")
    VisitNote.objects.create(producer=product.producer, product=product, text="Bagus")
    page = _login(client, staff_user).get(
        f"/products/{product.code}/delete/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="confirm-delete"' in text
    assert "1 photo is deleted, with its file." in text
    assert "1 certification is deleted, with its document." in text
    assert "1 visit note stays with the producer" in text
    assert Product.objects.filter(pk=product.pk).exists()


def test_staff_deletes_product_in_history_and_back_to_the_list(
    client, staff_user, product, photo, django_capture_on_commit_callbacks
):
    files = [photo.image.name, photo.thumbnail.name]
    assert all(default_storage.exists(name) for name in files)
    _login(client, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/products/{product.code}/delete/", {"reason": "Duplicate"})
    assert response.status_code == 302
    assert response["Location"] == "/products/"
    assert not Product.objects.filter(pk=product.pk).exists()
    assert not ProductPhoto.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    deleted = Product.history.filter(code=product.code, history_type="-").get()
    assert deleted.history_user == staff_user
    assert deleted.history_change_reason == "Duplicate"
    assert deleted.name_id == "Kursi drum"


def test_files_stay_when_the_deletion_is_not_committed(client, staff_user, product, photo):
    # Without the commit (the test's transaction is rolled back), no file is touched.
    _login(client, staff_user).post(f"/products/{product.code}/delete/")
    assert default_storage.exists(photo.image.name)


def test_notes_and_follow_ups_stay_with_the_producer(client, staff_user, product):
    note = VisitNote.objects.create(producer=product.producer, product=product, text="Bagus")
    follow_up = FollowUp.objects.create(
        producer=product.producer, product=product, note=note, kind="samples"
    )
    _login(client, staff_user).post(f"/products/{product.code}/delete/")
    note.refresh_from_db()
    follow_up.refresh_from_db()
    assert note.product is None and note.producer == product.producer
    assert follow_up.product is None


def test_certificate_documents_are_removed(
    client, staff_user, product, django_capture_on_commit_callbacks
):
    cert = Certification(product=product, kind="halal")
    cert.document.save("halal.pdf", ContentFile(b"%PDF-1.4"), save=True)
    name = cert.document.name
    _login(client, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/products/{product.code}/delete/")
    assert not default_storage.exists(name)


def test_visitor_cannot_delete_a_product(client, visitor_user, product):
    _login(client, visitor_user)
    assert client.get(f"/products/{product.code}/delete/").status_code == 403
    assert client.post(f"/products/{product.code}/delete/").status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


def test_regency_staff_delete_only_in_their_regencies(
    client, regency_user, make_producer, make_product
):
    own = make_product(producer=make_producer("35.09"))
    other = make_product(producer=make_producer("35.10"))
    _login(client, regency_user)
    assert client.post(f"/products/{other.code}/delete/").status_code == 403
    assert Product.objects.filter(pk=other.pk).exists()
    assert client.post(f"/products/{own.code}/delete/").status_code == 302
    assert not Product.objects.filter(pk=own.pk).exists()


def test_unknown_product_is_404(client, staff_user):
    assert _login(client, staff_user).get("/products/NOPE-0001/delete/").status_code == 404


def test_delete_button_only_for_those_who_may_edit(client, staff_user, visitor_user, product):
    url = f"/products/{product.code}/"
    assert 'data-testid="delete-product"' in _login(client, staff_user).get(url).content.decode()
    assert 'data-testid="delete-product"' not in (
        _login(client, visitor_user).get(url).content.decode()
    )


def test_producer_with_products_cannot_be_deleted(client, staff_user, product):
    producer = product.producer
    _login(client, staff_user)
    page = client.get(f"/producers/{producer.code}/delete/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert 'data-testid="delete-blocked"' in text
    assert "It has 1 product" in text
    assert 'data-testid="confirm-delete"' not in text
    response = client.post(f"/producers/{producer.code}/delete/")
    assert response.status_code == 409
    assert Producer.objects.filter(pk=producer.pk).exists()


def test_staff_deletes_a_producer_without_products_in_history(client, staff_user, make_producer):
    producer = make_producer("35.09", name="Kosong")
    _login(client, staff_user)
    assert 'data-testid="delete-producer"' in (
        client.get(f"/producers/{producer.code}/").content.decode()
    )
    assert client.get(f"/producers/{producer.code}/delete/").status_code == 200
    response = client.post(f"/producers/{producer.code}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == "/producers/"
    assert not Producer.objects.filter(pk=producer.pk).exists()
    deleted = Producer.history.get(code=producer.code, history_type="-")
    assert deleted.history_user == staff_user
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_visitor_and_other_regency_cannot_delete_a_producer(
    client, visitor_user, regency_user, make_producer
):
    producer = make_producer("35.10")
    assert (
        _login(client, visitor_user).post(f"/producers/{producer.code}/delete/").status_code == 403
    )
    assert (
        _login(client, regency_user).post(f"/producers/{producer.code}/delete/").status_code == 403
    )
    assert Producer.objects.filter(pk=producer.pk).exists()


def test_delete_needs_post(client, staff_user, product):
    _login(client, staff_user)
    assert client.put(f"/products/{product.code}/delete/").status_code == 405


def test_the_confirmation_names_the_product_in_the_language_shown(staff_client, make_product):
    product = make_product(name_id="Meja kopi drum", name_en="Drum coffee table")
    page = staff_client.get(f"/products/{product.code}/delete/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    code = f'<span class="code muted">{product.code}</span>'
    assert f"<strong>Drum coffee table</strong> {code}" in html
    assert 'href="/products/">Products</a>' in html  # the breadcrumb goes through the list
