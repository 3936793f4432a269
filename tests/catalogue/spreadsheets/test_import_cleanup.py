"""Unconfirmed import previews do not keep their uploaded files for ever."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_batch(staff_user):
    def make(days_old, status=ImportBatch.Status.PREVIEWED):
        batch = ImportBatch(
            user=staff_user,
            original_name="products.csv",
            status=status,
            created_at=timezone.now() - datetime.timedelta(days=days_old),
        )
        batch.file.save("products.csv", ContentFile(b"code,name_id\n"), save=True)
        return batch

    return make


def test_stale_previews_are_discarded_and_their_files_deleted(
    make_batch, django_capture_on_commit_callbacks
):
    stale = make_batch(days_old=8)
    recent = make_batch(days_old=6)
    applied = make_batch(days_old=30, status=ImportBatch.Status.APPLIED)
    stale_file = stale.file.name
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("discard_stale_imports", stdout=out)
    assert out.getvalue().strip() == "1 import previews older than 7 days discarded."
    stale.refresh_from_db()
    assert stale.status == ImportBatch.Status.DISCARDED and not stale.file
    assert not default_storage.exists(stale_file)
    for kept in (recent, applied):
        status, name = kept.status, kept.file.name
        kept.refresh_from_db()
        assert (kept.status, kept.file.name) == (status, name)
        assert default_storage.exists(name)


def test_days_option_and_a_second_run_changes_nothing(make_batch):
    make_batch(days_old=3)
    out = io.StringIO()
    call_command("discard_stale_imports", "--days", "2", stdout=out)
    call_command("discard_stale_imports", "--days", "2", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 import previews older than 2 days discarded.",
        "0 import previews older than 2 days discarded.",
    ]
    assert ImportBatch.objects.get().status == ImportBatch.Status.DISCARDED


def test_the_file_stays_when_the_discard_is_rolled_back(make_batch):
    from django.db import transaction

    from catalogue.spreadsheets import importing

    batch = make_batch(days_old=10)
    with pytest.raises(RuntimeError), transaction.atomic():
        importing.discard(batch)
        raise RuntimeError("the transaction fails after the discard")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert default_storage.exists(batch.file.name)
