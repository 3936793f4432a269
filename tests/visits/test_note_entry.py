"""Note entry: the phone page, idempotent submission by client token, photos, errors."""

import uuid

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from tests.visits.conftest import jpeg_upload
from visits.models import Visit, VisitNote, VisitNotePhoto, VisitStop

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def note_data(visit, **overrides):
    data = {
        "client_token": str(uuid.uuid4()),
        "stop": visit.stop_drum.pk,
        "producer": "",
        "product": visit.drum_chair.code,
        "text": "Set teras drum menarik untuk kafe di Shanghai.",
        "interest": "5",
        "requested": ["samples", "price_quote"],
        "visibility": "shared",
    }
    data.update(overrides)
    return data


def test_note_page_lists_the_stops_and_their_products(client, visitor_user, visit):
    client.force_login(visitor_user)
    response = client.get(f"/visits/{visit.pk}/notes/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="stop-choice"') == 3
    assert 'capture="environment"' in html
    assert 'accept="image/*"' in html
    assert "js/note_entry.js" in html
    assert "<script>" not in html  # CSP: no inline scripts (json_script is data only)
    products = response.context["products_by_producer"]
    assert sorted(code for code, _name in products[visit.stop_drum.producer.code]) == sorted(
        [visit.drum_chair.code, visit.drum_table.code]
    )
    assert response.context["form"]["client_token"].value()  # a token even without JS


def test_note_page_preselects_a_stop(client, visitor_user, visit):
    client.force_login(visitor_user)
    response = client.get(f"/visits/{visit.pk}/notes/new/?stop={visit.stop_cigar.pk}")
    assert f'value="{visit.stop_cigar.pk}" data-producer' in response.content.decode()
    assert response.context["form"]["stop"].value() == visit.stop_cigar.pk


def test_json_post_stores_the_note_with_its_stop_producer_and_author(client, visitor_user, visit):
    client.force_login(visitor_user)
    response = client.post(f"/visits/{visit.pk}/notes/new/", note_data(visit), **JSON)
    assert response.status_code == 201
    body = response.json()
    note = VisitNote.objects.get()
    assert body == {
        "id": note.pk,
        "url": note.get_absolute_url(),
        "created": True,
        "label": f"UD Drum Pakusari: {note.text}",
    }
    assert note.visit == visit
    assert note.stop == visit.stop_drum
    assert note.producer == visit.stop_drum.producer
    assert note.product == visit.drum_chair
    assert note.author == visitor_user
    assert note.interest == 5
    assert note.requested == ["samples", "price_quote"]
    visit.stop_drum.refresh_from_db()
    assert visit.stop_drum.status == "visited"


def test_same_client_token_twice_stores_one_note(client, visitor_user, visit):
    client.force_login(visitor_user)
    data = note_data(visit)
    first = client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)
    again = client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["created"] is False
    assert VisitNote.objects.count() == 1


def test_resent_note_with_photos_keeps_one_set_of_photos(client, visitor_user, visit):
    client.force_login(visitor_user)
    token = str(uuid.uuid4())
    for _ in range(2):
        data = note_data(visit, client_token=token, photos=[jpeg_upload("a.jpg")])
        client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)
    assert VisitNote.objects.count() == 1
    assert VisitNotePhoto.objects.count() == 1


def test_photos_are_cleaned_like_product_photos(client, visitor_user, visit):
    client.force_login(visitor_user)
    photos = [jpeg_upload("one.jpg", gps=True), jpeg_upload("two.jpg", colour=(10, 90, 200))]
    data = note_data(visit, photos=photos)
    response = client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)
    assert response.status_code == 201
    note = VisitNote.objects.get()
    assert note.photos.count() == 2
    for photo in note.photos.all():
        assert photo.thumbnail
        with default_storage.open(photo.image.name) as stored, Image.open(stored) as image:
            assert not image.getexif()  # GPS and the rest of EXIF dropped


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_stored(client, visitor_user, visit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(visitor_user)
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        f"/visits/{visit.pk}/notes/new/", note_data(visit, photos=[fake]), **JSON
    )
    assert response.status_code == 400
    assert "photos" in response.json()["errors"]
    assert not VisitNote.objects.exists()


def test_any_producer_and_one_of_its_products(client, visitor_user, visit, make_producer):
    client.force_login(visitor_user)
    data = note_data(
        visit, stop="", producer=visit.stop_batik.producer.code, product=visit.batik.code
    )
    assert client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON).status_code == 201
    note = VisitNote.objects.get()
    assert note.stop is None
    assert note.producer == visit.stop_batik.producer


def test_product_of_another_producer_is_refused(client, visitor_user, visit):
    client.force_login(visitor_user)
    data = note_data(visit, product=visit.batik.code)
    response = client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)
    assert response.status_code == 400
    assert "product" in response.json()["errors"]


def test_no_stop_and_no_producer_is_refused(client, visitor_user, visit):
    client.force_login(visitor_user)
    data = note_data(visit, stop="", producer="", product="")
    response = client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)
    assert response.status_code == 400
    assert "producer" in response.json()["errors"]


def test_interest_outside_1_to_5_is_refused(client, visitor_user, visit):
    client.force_login(visitor_user)
    data = note_data(visit, interest="6")
    assert client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON).status_code == 400


def test_expired_session_redirects_to_login_and_stores_nothing(client, visit):
    response = client.post(f"/visits/{visit.pk}/notes/new/", note_data(visit), **JSON)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not VisitNote.objects.exists()


def test_token_of_another_users_note_is_a_conflict(client, visitor_user, regency_user, visit):
    client.force_login(visitor_user)
    data = note_data(visit)
    client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)
    client.force_login(regency_user)
    response = client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)
    assert response.status_code == 409
    assert "text" not in response.json()
    assert VisitNote.objects.count() == 1


def test_plain_form_post_without_javascript_comes_back_for_the_next_note(
    client, visitor_user, visit
):
    client.force_login(visitor_user)
    response = client.post(f"/visits/{visit.pk}/notes/new/", note_data(visit))
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/notes/new/"
    assert VisitNote.objects.count() == 1


def test_plain_form_post_with_errors_shows_the_form_again(client, visitor_user, visit):
    client.force_login(visitor_user)
    response = client.post(f"/visits/{visit.pk}/notes/new/", note_data(visit, text=""))
    assert response.status_code == 200
    assert response.context["form"].errors["text"]


def test_note_without_a_visit(client, regency_user, visit):
    client.force_login(regency_user)
    assert client.get("/notes/new/").status_code == 200
    data = note_data(visit, stop="", producer=visit.stop_cigar.producer.code, product="")
    assert client.post("/notes/new/", data, **JSON).status_code == 201
    note = VisitNote.objects.get()
    assert note.visit is None
    assert note.author == regency_user


def test_skipped_stop_stays_skipped_when_a_note_is_written(client, visitor_user, visit):
    VisitStop.objects.filter(pk=visit.stop_cigar.pk).update(status="skipped")
    client.force_login(visitor_user)
    data = note_data(visit, stop=visit.stop_cigar.pk, product="")
    client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)
    visit.stop_cigar.refresh_from_db()
    assert visit.stop_cigar.status == "skipped"


def test_products_of_a_producer_as_json(client, visitor_user, visit):
    client.force_login(visitor_user)
    response = client.get(f"/notes/products/?producer={visit.stop_drum.producer.code}")
    assert response.status_code == 200
    codes = [code for code, _name in response.json()["products"]]
    assert codes == sorted([visit.drum_chair.code, visit.drum_table.code])
    assert client.get("/notes/products/?producer=NOPE").json() == {"products": []}


def test_note_page_queries_do_not_grow_with_stops(
    client, visitor_user, visit, make_producer, django_assert_max_num_queries
):
    client.force_login(visitor_user)
    client.get(f"/visits/{visit.pk}/notes/new/")  # warm caches (session, groups)
    for _ in range(5):
        VisitStop.objects.create(visit=visit, producer=make_producer(), position=9)
    with django_assert_max_num_queries(20):
        client.get(f"/visits/{visit.pk}/notes/new/")


def test_producer_choices_are_grouped_by_regency_and_valued_by_code(
    client, visitor_user, visit, make_producer
):
    kota = make_producer("35.74", name="Bakpia Kota")  # Kota Probolinggo keeps "Kota"
    client.force_login(visitor_user)
    response = client.get("/notes/new/")
    choices = dict(response.context["form"].fields["producer"].choices)
    drum = visit.stop_drum.producer
    assert (drum.code, f"{drum.name} · {drum.district.name}") in choices["Jember"]
    assert [code for code, _label in choices["Kota Probolinggo"]] == [kota.code]
    html = response.content.decode()
    assert '<optgroup label="Jember">' in html and f'<option value="{kota.code}">' in html


def test_a_note_ahead_of_a_visit_does_not_mark_its_stop_visited(client, visitor_user, visit):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.localdate() + timedelta(days=10)
    Visit.objects.filter(pk=visit.pk).update(start_date=start, end_date=start)
    client.force_login(visitor_user)
    page = client.get(f"/visits/{visit.pk}/notes/new/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["upcoming"]
    assert "This visit has not begun yet: it starts on" in page.content.decode()
    response = client.post(f"/visits/{visit.pk}/notes/new/", note_data(visit), **JSON)
    assert response.status_code == 201
    visit.stop_drum.refresh_from_db()
    assert visit.stop_drum.status == "planned"  # stored, but the stop is not "visited"


def test_a_visit_under_way_shows_no_upcoming_notice(client, visitor_user, visit):
    client.force_login(visitor_user)
    page = client.get(f"/visits/{visit.pk}/notes/new/")
    assert not page.context["upcoming"]
    assert 'data-testid="upcoming-visit"' not in page.content.decode()
