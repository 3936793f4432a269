"""Private notes: seen by their author and staff only; who edits which note."""

import pytest

from visits.models import VisitNote

pytestmark = pytest.mark.django_db

SECRET = "Harga terlalu tinggi, rahasia"


@pytest.fixture
def private_note(make_note, staff_user, visit):
    return make_note(author=staff_user, text=SECRET, visibility="private", product=visit.drum_chair)


@pytest.fixture
def shared_note(make_note, regency_user, visit):
    return make_note(author=regency_user, text="Catatan bersama", product=visit.drum_chair)


def pages(visit):
    producer = visit.stop_drum.producer
    return [
        f"/visits/{visit.pk}/",
        f"/visits/{visit.pk}/report/",
        f"/producers/{producer.code}/",
        f"/products/{visit.drum_chair.code}/",
    ]


def test_visitors_never_see_others_private_notes(client, visitor_user, visit, private_note):
    client.force_login(visitor_user)
    for url in pages(visit):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url


@pytest.mark.parametrize("role", ["regency", "visitor"])
def test_private_notes_are_hidden_from_the_export_too(
    client, role_users, visit, private_note, role
):
    import io

    from openpyxl import load_workbook

    client.force_login(role_users[role])
    response = client.get(f"/visits/{visit.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert SECRET not in [row[-1] for row in sheet.iter_rows(values_only=True)]


def test_staff_and_the_author_see_private_notes(client, staff_user, admin_user, visit, make_note):
    from tests.conftest import _user

    note = make_note(text=SECRET, visibility="private")  # by the visitor fixture user
    for user in (staff_user, admin_user, note.author):
        client.force_login(user)
        assert SECRET in client.get(f"/visits/{visit.pk}/").content.decode()
    other_visitor = _user("visitor-two", "Visitor")
    client.force_login(other_visitor)
    assert SECRET not in client.get(f"/visits/{visit.pk}/").content.decode()


def test_author_edits_own_note(client, regency_user, shared_note, visit):
    client.force_login(regency_user)
    url = f"/notes/{shared_note.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["producer"].value() == visit.stop_drum.producer.code
    assert page.context["form"]["product"].value() == visit.drum_chair.code
    response = client.post(
        url,
        {
            "stop": visit.stop_drum.pk,
            "producer": "",
            "product": visit.drum_table.code,
            "text": "Diperbaiki",
            "interest": "4",
            "requested": ["packaging"],
            "visibility": "shared",
        },
    )
    assert response.status_code == 302
    shared_note.refresh_from_db()
    assert shared_note.text == "Diperbaiki"
    assert shared_note.product == visit.drum_table
    assert shared_note.requested == ["packaging"]
    assert shared_note.author == regency_user


def test_edit_adds_and_removes_photos(
    client, regency_user, shared_note, visit, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from tests.visits.conftest import jpeg_upload
    from visits.models import VisitNotePhoto

    old = VisitNotePhoto.objects.create(note=shared_note, image=jpeg_upload("old.jpg"))
    old_files = [old.image.name, old.thumbnail.name]
    assert all(old_files) and all(default_storage.exists(name) for name in old_files)
    client.force_login(regency_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/notes/{shared_note.pk}/edit/",
            {
                "stop": visit.stop_drum.pk,
                "text": "Dengan foto baru",
                "visibility": "shared",
                "delete_photos": [old.pk],
                "photos": [jpeg_upload("new.jpg")],
            },
        )
    assert response.status_code == 302
    photos = list(shared_note.photos.all())
    assert len(photos) == 1
    assert photos[0].pk != old.pk
    assert not any(default_storage.exists(name) for name in old_files)  # files removed too
    assert default_storage.exists(photos[0].image.name)


def test_staff_edit_any_note(client, staff_user, shared_note):
    client.force_login(staff_user)
    assert client.get(f"/notes/{shared_note.pk}/edit/").status_code == 200


def test_others_cannot_edit_a_shared_note(client, visitor_user, shared_note):
    client.force_login(visitor_user)  # a visitor does not even see others' notes
    assert client.get(f"/notes/{shared_note.pk}/edit/").status_code == 404
    response = client.post(f"/notes/{shared_note.pk}/edit/", {"text": "hacked"})
    assert response.status_code == 404
    assert VisitNote.objects.get(pk=shared_note.pk).text == "Catatan bersama"


def test_private_note_of_someone_else_is_404(client, visitor_user, private_note):
    client.force_login(visitor_user)
    assert client.get(f"/notes/{private_note.pk}/edit/").status_code == 404


def test_edit_link_only_for_notes_the_user_may_edit(
    client, visitor_user, visit, make_note, shared_note
):
    own = make_note(text="Milik saya")
    client.force_login(visitor_user)
    html = client.get(f"/visits/{visit.pk}/").content.decode()
    assert f"/notes/{own.pk}/edit/" in html
    assert f"/notes/{shared_note.pk}/edit/" not in html
