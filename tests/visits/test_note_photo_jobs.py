"""A note's photos are processed by a background job (visits.photo_jobs): the note is
stored and answered at once, the photos show a placeholder until they are ready, and a
photo that cannot be processed says why."""

import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from core.jobs import runner
from core.jobs.models import Job
from core.photos import THUMBNAIL_SIZE
from tests.catalogue.test_product_edit import form_data
from tests.visits.conftest import jpeg_upload
from tests.visits.test_note_entry import JSON, note_data
from visits.models import VisitNote, VisitNotePhoto

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def queue_only(settings):
    """Jobs wait in the database: no worker runs them in the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _send(client, visit, token, *photos):
    data = note_data(visit, client_token=token, photos=list(photos))
    return client.post(f"/visits/{visit.pk}/notes/new/", data, **JSON)


def test_a_note_is_stored_at_once_and_its_photos_wait_for_the_job(
    client, visitor_user, visit, queue_only
):
    client.force_login(visitor_user)
    token = str(uuid.uuid4())
    response = _send(client, visit, token, jpeg_upload("a.jpg", gps=True), jpeg_upload("b.jpg"))
    assert response.status_code == 201
    note = VisitNote.objects.get()
    photos = list(note.photos.order_by("pk"))
    assert [p.processing for p in photos] == ["pending", "pending"]
    assert all(not p.thumbnail for p in photos)
    job = Job.objects.get()
    assert (job.kind, job.owner, job.state) == ("note_photos", visitor_user, "queued")
    assert job.options == {"photos": [p.pk for p in photos]}
    # The outbox sends it again (it was unsure the answer arrived): nothing new.
    assert _send(client, visit, token, jpeg_upload("a.jpg", gps=True)).status_code == 200
    assert VisitNotePhoto.objects.count() == 2 and Job.objects.count() == 1

    # Never the upload as sent (it still has its GPS): a placeholder, not kept.
    for url in (f"/files/notes/{photos[0].pk}/", f"/files/notes/{photos[0].pk}/thumbnail/"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"].endswith("photo-pending.svg")
        assert answer["Cache-Control"] == "private, no-store"
    page = client.get(f"/visits/{visit.pk}/", **EN).content.decode()
    assert page.count('data-testid="photo-pending"') == 2
    assert "The photo is being processed" in page

    uploads = [p.image.name for p in photos]
    assert runner.execute(job.pk, threaded=False) == "done"
    job.refresh_from_db()
    assert job.result == {"processed": 2, "failed": 0} and (job.done, job.total) == (2, 2)
    for photo, upload in zip(note.photos.order_by("pk"), uploads, strict=True):
        assert photo.processing == "ready" and photo.thumbnail
        assert not default_storage.exists(upload)  # the upload as sent is gone
        with default_storage.open(photo.image.name) as stored, Image.open(stored) as image:
            assert not image.getexif()
        thumb = client.get(f"/files/notes/{photo.pk}/thumbnail/")
        assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as small:
            assert max(small.size) <= max(THUMBNAIL_SIZE)
    page = client.get(f"/visits/{visit.pk}/", **EN).content.decode()
    assert 'data-testid="photo-pending"' not in page


def test_a_photo_that_cannot_be_processed_says_why(client, visitor_user, visit, queue_only):
    client.force_login(visitor_user)
    _send(client, visit, str(uuid.uuid4()), jpeg_upload("a.jpg"), jpeg_upload("b.jpg"))
    broken, fine = VisitNotePhoto.objects.order_by("pk")
    # Damaged in storage after the upload's check (a cut-off write, a bad disk).
    default_storage.delete(broken.image.name)
    default_storage.save(broken.image.name, ContentFile(b"\xff\xd8\xff\xe0 not a photo"))
    damaged = broken.image.name
    job = Job.objects.get()
    assert runner.execute(job.pk, threaded=False) == "done"
    job.refresh_from_db()
    assert job.result == {"processed": 1, "failed": 1}
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert (broken.processing, fine.processing) == ("failed", "ready")
    assert not broken.image and not default_storage.exists(damaged)
    answer = client.get(f"/files/notes/{broken.pk}/thumbnail/")
    assert answer.status_code == 302 and answer["Location"].endswith("photo-failed.svg")
    page = client.get(f"/visits/{visit.pk}/", **EN).content.decode()
    assert 'data-testid="photo-failed"' in page
    assert "This photo could not be read; remove it and take it again." in page


def test_photos_added_when_editing_a_note_go_through_the_job(
    client, visitor_user, visit, make_note, queue_only
):
    note = make_note(author=visitor_user)
    client.force_login(visitor_user)
    data = form_data(client.get(f"/notes/{note.pk}/edit/"), must_have="text")
    data["photos"] = [jpeg_upload("c.jpg")]
    response = client.post(f"/notes/{note.pk}/edit/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    photo = note.photos.get()
    assert photo.processing == "pending"
    job = Job.objects.get(kind="note_photos")
    assert job.options == {"photos": [photo.pk]}
    runner.execute(job.pk, threaded=False)
    photo.refresh_from_db()
    assert photo.processing == "ready" and photo.thumbnail


def test_without_a_worker_the_photos_are_ready_when_the_note_is_answered(
    client, visitor_user, visit
):
    """The immediate backend (tests, scripts) runs the job inside the request."""
    client.force_login(visitor_user)
    _send(client, visit, str(uuid.uuid4()), jpeg_upload("a.jpg"))
    photo = VisitNotePhoto.objects.get()
    assert photo.processing == "ready" and photo.thumbnail
    assert Job.objects.get().state == "done"
