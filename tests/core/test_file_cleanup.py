"""Stored files leave the media storage with their rows (core/file_cleanup.py)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from catalogue.models import Certification, ProductPhoto
from tests.visits.conftest import jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification(make_product):
    cert = Certification(product=make_product(), kind="halal", number="ID-1")
    cert.document.save("halal.pdf", ContentFile(b"%PDF-1.4 first"), save=True)
    return cert


def test_a_replaced_document_is_removed_after_commit(
    certification, django_capture_on_commit_callbacks
):
    first = certification.document.name
    with django_capture_on_commit_callbacks(execute=True):
        certification.document.save("halal.pdf", ContentFile(b"%PDF-1.4 renewed"), save=True)
    second = certification.document.name
    assert second != first
    assert not default_storage.exists(first) and default_storage.exists(second)


def test_a_cleared_document_is_removed_and_other_saves_keep_it(
    certification, django_capture_on_commit_callbacks
):
    name = certification.document.name
    with django_capture_on_commit_callbacks(execute=True):
        certification.number = "ID-2"
        certification.save()
    assert default_storage.exists(name)  # same file: kept
    with django_capture_on_commit_callbacks(execute=True):
        certification.document = ""
        certification.save()
    assert not default_storage.exists(name)


def test_rows_deleted_by_a_cascade_take_their_files(
    make_product, django_capture_on_commit_callbacks
):
    product = make_product()
    photo = ProductPhoto.objects.create(product=product, image=jpeg_upload())
    cert = Certification(product=product, kind="halal")
    cert.document.save("halal.pdf", ContentFile(b"%PDF-1.4"), save=True)
    names = [photo.image.name, photo.thumbnail.name, cert.document.name]
    assert all(names) and all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert not any(default_storage.exists(n) for n in names)


def test_a_rolled_back_delete_keeps_the_files(make_product):
    photo = ProductPhoto.objects.create(product=make_product(), image=jpeg_upload())
    pk = photo.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        photo.delete()
        raise RuntimeError("the request fails after the delete")
    assert ProductPhoto.objects.filter(pk=pk).exists()
    assert default_storage.exists(photo.image.name)


def test_a_failed_save_keeps_the_old_document(certification, monkeypatch):
    """Outside a transaction ``on_commit`` runs at once: removal must wait for the save."""
    from django.db import transaction as db_transaction
    from django.db.models import Model

    monkeypatch.setattr(db_transaction, "on_commit", lambda run, *args, **kwargs: run())
    name = certification.document.name
    certification.document = ""
    real_save_table = Model._save_table

    def failing_save_table(*args, **kwargs):
        raise RuntimeError("the database refused the row")

    monkeypatch.setattr(Model, "_save_table", failing_save_table)
    with pytest.raises(RuntimeError), db_transaction.atomic():  # a savepoint, for the test
        certification.save()
    assert default_storage.exists(name)  # the row still points to it
    monkeypatch.setattr(Model, "_save_table", real_save_table)
    certification.save()
    assert not default_storage.exists(name)  # saved: now it goes
