"""A hostile review of the import's jobs: "Try again" after losing the import right, a
queued analysis cancelled, database internals in the confirm's reason, and confirms that
race for one batch.

Tests that fail name a bug; the others pin down behaviour no other test covers.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from catalogue.models import ImportBatch, Product
from catalogue.spreadsheets import import_jobs, importing
from catalogue.spreadsheets.columns import KEYS
from catalogue.spreadsheets.importing import apply
from core import roles
from core.jobs import runner
from core.jobs.models import Job
from tests.catalogue.spreadsheets.test_import import (  # noqa: F401 - fixtures
    EN,
    banyuwangi_producer,
    catalogue,
    export_rows,
    jember_producer,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CONSTRAINT = (
    'duplicate key value violates unique constraint "catalogue_product_code_key"\n'
    "DETAIL:  Key (code)=(JBR-0001) already exists."
)


def _changed_file(price=1_300_000):
    rows = export_rows()
    rows[1][KEYS.index("price_idr")] = price
    return xlsx_bytes(rows)


def _upload(client, data, name="p.xlsx"):
    return client.post("/products/import/", {"file": SimpleUploadedFile(name, data)}, **EN)


def _imports_written():
    return Product.history.filter(history_change_reason__startswith="Import").count()


def _failed_confirm(client, monkeypatch, error):
    """Upload, preview and a confirm whose write fails with ``error``: its job and batch."""
    _upload(client, _changed_file())
    batch = ImportBatch.objects.get()

    def fail(*args, **kwargs):
        raise error

    with monkeypatch.context() as patch:
        patch.setattr(apply, "write_many", fail)
        client.post(f"/products/import/{batch.pk}/", {"action": "confirm"}, **EN)
    job = Job.objects.get(kind="import_confirm")
    assert job.state == "failed"
    return job, batch


# --- bugs --------------------------------------------------------------------------------


def test_try_again_needs_the_import_right_still(staff_client, catalogue, monkeypatch):  # noqa: F811
    """An administrator takes the import right from regional staff in /admin/ ("what an
    administrator sets on a group there is what the pages allow from the next request on",
    core/roles.py). Their failed confirm must not be applied by "Try again" afterwards."""
    job, _batch = _failed_confirm(staff_client, monkeypatch, IntegrityError(CONSTRAINT))
    Group.objects.get(name=roles.REGIONAL_STAFF).permissions.remove(
        Permission.objects.get(codename="import_product")
    )
    staff_client.post(f"/jobs/{job.pk}/retry/")
    assert Product.objects.get(pk=catalogue[0].pk).price_idr == 1_250_000
    assert _imports_written() == 0


def test_cancelling_a_queued_analysis_keeps_no_import(staff_client, staff_user, settings):
    """ "A cancelled analysis keeps nothing" (README, the job page's "Cancelled; nothing it
    did was kept."): cancelled before a worker took it, its batch and file stay, listed as
    previewed, and its preview leads to the cancelled job for ever."""
    settings.TASKS = DB_TASKS
    _upload(staff_client, b"code,name_id\r\n,Meja\r\n", "p.csv")
    job = Job.objects.get()
    batch = ImportBatch.objects.get()
    staff_client.post(f"/jobs/{job.pk}/cancel/")
    assert Job.objects.get(pk=job.pk).state == "cancelled"
    assert not ImportBatch.objects.filter(pk=batch.pk, status="previewed").exists()


def test_a_failed_confirm_shows_no_database_internals(staff_client, catalogue, monkeypatch):  # noqa: F811
    job, _batch = _failed_confirm(staff_client, monkeypatch, IntegrityError(CONSTRAINT))
    page = staff_client.get(f"/jobs/{job.pk}/", **EN).content.decode()
    polled = staff_client.get(f"/jobs/{job.pk}/status.json", **EN).json()["error"]
    assert "nothing was written" in page  # the reason is still told
    for shown in (page, polled):
        assert "catalogue_product_code_key" not in shown and "DETAIL" not in shown


@pytest.mark.usefixtures("catalogue")
def test_made_up_choices_do_not_each_make_a_confirm_job(staff_client, settings):
    """``conflicts`` goes from the POST into the job's key and options unchecked: every
    made-up value is a new job row and a new full re-check of the file by a worker (up to
    100,000 rows each), as long as the batch stays previewed. Only none, "skip" and
    "overwrite" mean anything, so at most three confirm jobs per preview."""
    _upload(staff_client, _changed_file())
    batch = ImportBatch.objects.get()
    settings.TASKS = DB_TASKS  # no worker: the batch stays previewed between the posts
    for n in range(5):
        data = {"action": "confirm", "conflicts": f"made-up-{n}"}
        staff_client.post(f"/products/import/{batch.pk}/", data)
    assert Job.objects.filter(kind="import_confirm").count() <= 3


def test_a_preview_back_to_an_earlier_state_can_still_be_confirmed(staff_client, catalogue):  # noqa: F811
    """The confirm's key is (batch, preview fingerprint, choice), and a finished job is
    found again by it even when it wrote nothing. Someone changes a product of the file
    and changes it back: the preview's fingerprint returns to one that already has a job
    ("changed", done), so every later confirm finds that job and nothing is ever written."""
    _upload(staff_client, _changed_file())
    batch = ImportBatch.objects.get()
    other = catalogue[2]

    def confirm():
        staff_client.post(f"/products/import/{batch.pk}/", {"action": "confirm"}, **EN)
        return Job.objects.filter(kind="import_confirm").first().result["outcome"]

    original = other.moq
    other.moq = 7
    other.save()  # someone else, after the export
    assert confirm() == "changed"
    other.moq = original
    other.save()  # and back
    assert confirm() == "changed"  # the preview is the first one again
    confirm()
    assert Product.objects.get(pk=catalogue[0].pk).price_idr == 1_300_000


def test_try_again_on_an_analysis_whose_import_was_discarded(staff_client, staff_user, settings):
    """An analysis that failed (a crash) waits for "Try again"; a week later
    discard_stale_imports discards its batch (previewed, never confirmed) and deletes the
    file. "Try again" then fails on the missing file with Django's internal text, and
    stays offered for ever: the analysis should see the import is gone, for good."""
    settings.TASKS = DB_TASKS
    _upload(staff_client, b"code,name_id\r\n,Meja\r\n", "p.csv")
    job = Job.objects.get()
    batch = ImportBatch.objects.get()
    Job.objects.filter(pk=job.pk).update(state="failed", error="The job failed: boom")
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=batch.created_at - datetime.timedelta(days=8)
    )
    assert importing.discard_stale(7) == 1
    settings.TASKS = IMMEDIATE
    staff_client.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    page = staff_client.get(f"/jobs/{job.pk}/", **EN).content.decode()
    assert job.state == "failed"
    assert "attribute" not in job.error and 'data-testid="job-retry"' not in page


# --- no bug: behaviour not covered elsewhere ---------------------------------------------


@pytest.mark.usefixtures("catalogue")
def test_two_confirms_with_different_choices_write_once(staff_client, staff_user, settings):
    """Two confirm jobs of one batch (skip, then overwrite, from two tabs) both queued and
    run by two workers: the batch's claim lets one write."""
    _upload(staff_client, _changed_file())
    batch = ImportBatch.objects.get()
    settings.TASKS = DB_TASKS
    first = import_jobs.start_confirm(batch, staff_user, "skip")
    second = import_jobs.start_confirm(batch, staff_user, "overwrite")
    assert first.pk != second.pk and (first.state, second.state) == ("queued", "queued")
    for job in (first, second):
        runner.execute(job.pk, threaded=False)
    outcomes = [Job.objects.get(pk=job.pk).result["outcome"] for job in (first, second)]
    assert outcomes == ["applied", "already_applied"]
    assert _imports_written() == 1


@pytest.mark.usefixtures("catalogue")
def test_a_queued_confirm_of_a_discarded_import_writes_nothing(staff_client, staff_user, settings):
    _upload(staff_client, _changed_file())
    batch = ImportBatch.objects.get()
    settings.TASKS = DB_TASKS
    job = import_jobs.start_confirm(batch, staff_user, None)
    assert importing.discard(batch)
    runner.execute(job.pk, threaded=False)
    job.refresh_from_db()
    assert (job.state, job.result["outcome"]) == ("done", "discarded")
    assert _imports_written() == 0
    page = staff_client.get(f"/jobs/{job.pk}/", follow=True, **EN).content.decode()
    assert "This import was discarded; nothing was written." in page


@pytest.mark.usefixtures("catalogue")
def test_a_queued_confirm_of_a_deleted_import_fails_for_good(staff_client, staff_user, settings):
    _upload(staff_client, _changed_file())
    batch = ImportBatch.objects.get()
    settings.TASKS = DB_TASKS
    job = import_jobs.start_confirm(batch, staff_user, None)
    batch.delete()
    runner.execute(job.pk, threaded=False)
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "This import no longer exists.")
    assert not runner.retry(job)
    page = staff_client.get(f"/jobs/{job.pk}/", **EN)
    assert page.status_code == 200 and 'data-testid="job-retry"' not in page.content.decode()


def test_try_again_after_a_narrower_role_uses_the_narrower_scope(
    staff_client,
    staff_user,
    catalogue,  # noqa: F811
    monkeypatch,
):
    """Moved from regional to regency staff (no regency yet): the retried confirm checks
    the rows again with the owner's scope of now and writes nothing."""
    job, _batch = _failed_confirm(staff_client, monkeypatch, IntegrityError(CONSTRAINT))
    staff_user.groups.set([Group.objects.get(name=roles.REGENCY_STAFF)])
    staff_client.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.state == "done" and job.result["outcome"] != "applied"
    assert Product.objects.get(pk=catalogue[0].pk).price_idr == 1_250_000
    assert _imports_written() == 0


def test_try_again_after_a_crash_past_the_commit_writes_nothing_more(
    staff_client,
    catalogue,  # noqa: F811
    monkeypatch,
):
    """The worker died after the confirm's transaction committed but before the job's end
    was written: the job is taken for lost, and "Try again" only says it was applied."""
    job, batch = _failed_confirm(staff_client, monkeypatch, IntegrityError(CONSTRAINT))
    plan = importing.plan_for_file(_changed_file(), "p.xlsx", job.owner)
    importing.apply_to_batch(ImportBatch.objects.get(pk=batch.pk), plan, job.owner, None)
    Job.objects.filter(pk=job.pk).update(error="", error_code="lost")
    staff_client.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert (job.state, job.result["outcome"]) == ("done", "already_applied")
    assert _imports_written() == 1
