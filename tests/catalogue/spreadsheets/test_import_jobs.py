"""The import as background jobs: the upload answers with its analysis job, the preview
waits for it, and the confirm job applies an import once whatever is clicked or retried."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from catalogue.models import ImportBatch, Product
from catalogue.spreadsheets import import_jobs, importing
from catalogue.spreadsheets.columns import KEYS
from catalogue.spreadsheets.importing import apply
from catalogue.spreadsheets.importing.batches import AlreadyApplied
from core.jobs import registry, runner
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


def _changed_file(price=1_300_000):
    rows = export_rows()
    rows[1][KEYS.index("price_idr")] = price
    return xlsx_bytes(rows)


def _upload(client, data, name="p.xlsx"):
    return client.post("/products/import/", {"file": SimpleUploadedFile(name, data)}, **EN)


def test_upload_answers_with_the_analysis_job_page(staff_client, staff_user, catalogue):  # noqa: F811
    response = _upload(staff_client, _changed_file())
    job = Job.objects.get()
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.owner, job.subject) == ("import_analysis", staff_user, str(batch.pk))
    assert job.state == "done" and job.result_url == f"/products/import/{batch.pk}/"
    # Done: the job page leads on to the preview.
    page = staff_client.get(f"/jobs/{job.pk}/")
    assert page["Location"] == f"/products/import/{batch.pk}/"


def test_the_preview_waits_for_its_analysis(staff_client, staff_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = _upload(staff_client, b"code,name_id\r\n,Meja\r\n", "p.csv")
    job = Job.objects.get()
    assert job.state == "queued"  # no worker in this test: it waits
    batch = ImportBatch.objects.get()
    preview = staff_client.get(f"/products/import/{batch.pk}/")
    assert preview.status_code == 302 and preview["Location"] == response["Location"]
    page = staff_client.get(f"/jobs/{job.pk}/", **EN).content.decode()
    assert "Waiting for a worker to start it." in page and 'data-testid="job-cancel"' in page


def test_a_bad_file_fails_its_analysis_with_the_reason(staff_client, catalogue):  # noqa: F811
    response = _upload(staff_client, b"\x89PNG\r\n\x1a\n\x00\x00")
    page = staff_client.get(response["Location"], **EN).content.decode()
    assert "is not a real XLSX file" in page
    assert 'data-testid="job-retry"' not in page  # the same file would fail the same way
    assert not ImportBatch.objects.exists()


def test_confirm_clicked_twice_is_one_job_and_one_import(staff_client, catalogue):  # noqa: F811
    _upload(staff_client, _changed_file())
    batch = ImportBatch.objects.get()
    first = staff_client.post(f"/products/import/{batch.pk}/", {"action": "confirm"})
    batch.status = ImportBatch.Status.PREVIEWED  # as the second tab still sees it
    ImportBatch.objects.filter(pk=batch.pk).update(status="previewed")
    second = staff_client.post(f"/products/import/{batch.pk}/", {"action": "confirm"})
    assert first["Location"] == second["Location"]
    assert Job.objects.filter(kind="import_confirm").count() == 1
    assert Product.history.filter(history_change_reason__startswith="Import").count() == 1


def test_a_failed_confirm_is_tried_again_and_applies_once(
    staff_client,
    catalogue,  # noqa: F811
    monkeypatch,
):
    _upload(staff_client, _changed_file())
    batch = ImportBatch.objects.get()

    def fail(*args, **kwargs):
        raise DatabaseError("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr(apply, "write_many", fail)
        response = staff_client.post(f"/products/import/{batch.pk}/", {"action": "confirm"}, **EN)
    job = Job.objects.get(kind="import_confirm")
    page = staff_client.get(response["Location"], **EN).content.decode()
    assert "The import failed and nothing was written: a database error" in page
    assert "connection lost" not in page  # the exception's text is in the log only
    assert 'data-testid="job-retry"' in page
    assert Product.objects.get(pk=catalogue[0].pk).price_idr == 1_250_000
    staff_client.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result["outcome"]) == ("done", 2, "applied")
    assert Product.objects.get(pk=catalogue[0].pk).price_idr == 1_300_000
    assert not runner.retry(job)
    assert Product.history.filter(history_change_reason__startswith="Import").count() == 1


def test_an_applied_batch_cannot_be_claimed_again(staff_user, catalogue):  # noqa: F811
    batch = ImportBatch.objects.create(user=staff_user, original_name="p.xlsx", file="p.xlsx")
    plan = importing.plan_for_file(_changed_file(), "p.xlsx", staff_user)
    importing.apply_to_batch(batch, plan, staff_user, None)
    plan = importing.plan_for_file(_changed_file(1_400_000), "p.xlsx", staff_user)
    with pytest.raises(AlreadyApplied):
        importing.apply_to_batch(ImportBatch.objects.get(pk=batch.pk), plan, staff_user, None)
    assert Product.objects.get(pk=catalogue[0].pk).price_idr == 1_300_000


def test_analysis_reports_rows_checked(staff_user, catalogue):  # noqa: F811
    batch = ImportBatch.objects.create(user=staff_user, original_name="p.xlsx")
    batch.file.save("p.xlsx", SimpleUploadedFile("p.xlsx", _changed_file()), save=True)
    reports = []
    importing.analyse(batch, staff_user, progress=lambda *a: reports.append(a))
    assert reports == [(0, None, "reading"), (0, 3, "checking")]
    assert import_jobs.pending_analysis(batch) is None


def test_a_cancelled_analysis_keeps_nothing(staff_user, catalogue):  # noqa: F811
    batch = ImportBatch.objects.create(user=staff_user, original_name="p.xlsx")
    batch.file.save("p.xlsx", SimpleUploadedFile("p.xlsx", _changed_file()), save=True)
    job = Job.objects.create(kind="import_analysis", owner=staff_user, subject=str(batch.pk))
    Job.objects.filter(pk=job.pk).update(state="running")

    def cancelled(*args):
        raise registry.Cancelled

    with pytest.raises(registry.Cancelled):
        registry.get("import_analysis").run(job, cancelled)
    assert not ImportBatch.objects.exists()


def test_a_big_upload_answers_within_two_seconds(staff_client, jember_producer, settings):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lines = ["code,name_id,producer_code,category"]
    lines += [f",Kursi {n},{jember_producer.code},kerajinan-kayu" for n in range(20_000)]
    started = time.monotonic()
    response = _upload(staff_client, "\r\n".join(lines).encode(), "big.csv")
    elapsed = time.monotonic() - started
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/" and job.state == "queued"
    assert elapsed < 2, f"{elapsed:.1f} s"
