"""Lookbooks of long lists (the XLSX with photos, the printable sheets) are built by
background jobs (catalogue.list_jobs); short lists still answer at once."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import ExportRecord
from catalogue.printables import lookbook as printable
from catalogue.spreadsheets import lookbook_job
from core import roles
from core.jobs import registry, runner
from core.jobs.models import Job
from core.protected_files import is_protected
from tests.catalogue.printables.test_sheets import _sheet_codes
from tests.catalogue.spreadsheets.test_export import catalogue  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
XLSX = "/products/export/?format=lookbook&regency=35.09"  # 2 products, one with a photo
PRINT = "/products/lookbook/?regency=35.09"
KINDS = [(XLSX, lookbook_job.KIND), (PRINT, printable.KIND)]


@pytest.fixture
def queue_only(settings):
    """Jobs wait in the database: no worker runs them in the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def long_lists(settings):
    settings.LOOKBOOK_JOB_ROWS = 1


def _other_staff():
    user = User.objects.create_user("staff-other", password="x")  # noqa: S106
    user.groups.add(Group.objects.get(name=roles.REGIONAL_STAFF))
    return user


def _stored_job_files():
    try:
        folders = default_storage.listdir("jobs")[0]
    except FileNotFoundError:
        return []
    return [name for folder in folders for name in default_storage.listdir(f"jobs/{folder}")[1]]


@pytest.mark.parametrize("url", [XLSX, PRINT])
def test_a_short_list_answers_at_once(staff_client, catalogue, settings, url):  # noqa: F811
    settings.LOOKBOOK_JOB_ROWS = 2
    response = staff_client.get(url, **EN)
    assert response.status_code == 200
    assert not Job.objects.exists()


@pytest.mark.parametrize(("url", "kind"), KINDS)
def test_a_long_list_answers_with_its_job_page(
    staff_client,
    staff_user,
    catalogue,  # noqa: F811
    long_lists,
    queue_only,
    url,
    kind,
):
    response = staff_client.get(url, **EN)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.owner, job.state) == (kind, staff_user, "queued")
    assert job.options["query"] == "regency=35.09"
    # Asked again while it waits (a double click): the same job.
    assert staff_client.get(url)["Location"] == response["Location"]
    page = staff_client.get(f"/jobs/{job.pk}/", **EN).content.decode()
    assert 'data-testid="job-cancel"' in page


def test_the_xlsx_job_builds_the_file_for_its_owner(
    client,
    staff_user,
    admin_user,
    catalogue,  # noqa: F811
    long_lists,
):
    client.force_login(staff_user)
    response = client.get(XLSX, **EN)
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == "done" and (job.done, job.total) == (2, 2)
    assert is_protected(job.file.name) and job.file.name.endswith(".xlsx")
    page = client.get(f"/jobs/{job.pk}/", **EN).content.decode()
    assert f'href="/jobs/{job.pk}/file/" data-testid="job-result">Download the XLSX file' in page

    download = client.get(f"/jobs/{job.pk}/file/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith(
        'attachment; filename="etalase-products-lookbook-'
    )
    assert download["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    sheet = book.worksheets[0]
    assert sheet.max_row == 3 and len(sheet._images) == 1
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        "Kursi drum",
        "Meja jati",
    }
    record = ExportRecord.objects.get()
    assert (record.user, record.format, record.row_count) == (staff_user, "lookbook", 2)

    # Someone else gets nothing, as for a job that does not exist; administrators may.
    client.force_login(_other_staff())
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
    client.force_login(admin_user)
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 200


def test_the_print_job_builds_the_page_for_its_owner(
    client,
    staff_user,
    catalogue,  # noqa: F811
    long_lists,
):
    client.force_login(staff_user)
    job_url = client.get(PRINT, **EN)["Location"]
    job = Job.objects.get()
    assert job.state == "done" and job.result_url == f"/products/lookbook/built/{job.pk}/"
    page = client.get(job_url, **EN).content.decode()
    assert f'href="{job.result_url}" data-testid="job-result">Open the lookbook' in page
    built = client.get(job.result_url)
    assert built["Content-Type"] == "text/html; charset=utf-8"
    assert built["Cache-Control"] == "private, no-store"
    content = built.content.decode()
    assert len(_sheet_codes(content)) == 2 and 'data-testid="lookbook-cover"' in content
    client.force_login(_other_staff())
    assert client.get(job.result_url).status_code == 404


@pytest.mark.parametrize(("url", "kind"), KINDS)
def test_cancel_stops_the_build_and_keeps_nothing(
    staff_client,
    catalogue,  # noqa: F811
    long_lists,
    queue_only,
    monkeypatch,
    url,
    kind,
):
    staff_client.get(url)
    job = Job.objects.get(kind=kind)
    reports = []
    report = runner.Heartbeat.progress

    def cancelled_after_the_first_row(self, done, total=None, stage=None):
        reports.append(done)
        if done == 1:  # someone presses Cancel while the first row is written
            staff_client.post(f"/jobs/{job.pk}/cancel/")
            self.beat()
        return report(self, done, total, stage)

    monkeypatch.setattr(runner.Heartbeat, "progress", cancelled_after_the_first_row)
    assert runner.execute(job.pk, threaded=False) == "cancelled"
    job.refresh_from_db()
    assert job.state == "cancelled" and not job.file and reports == [0, 1]
    assert _stored_job_files() == [] and not ExportRecord.objects.exists()


@pytest.mark.parametrize(
    ("url", "kind", "module", "limit"),
    [
        (XLSX, lookbook_job.KIND, lookbook_job, "LOOKBOOK_MAX_ROWS"),
        (PRINT, printable.KIND, printable, "LOOKBOOK_LIMIT"),
    ],
)
def test_a_list_grown_too_long_fails_with_the_reason_in_the_users_language(
    staff_client,
    catalogue,  # noqa: F811
    long_lists,
    queue_only,
    monkeypatch,
    url,
    kind,
    module,
    limit,
):
    staff_client.get(url, HTTP_ACCEPT_LANGUAGE="id")
    job = Job.objects.get(kind=kind)
    monkeypatch.setattr(module, limit, 1)  # more products matched since it was asked for
    assert runner.execute(job.pk, threaded=False) == "failed"
    page = staff_client.get(f"/jobs/{job.pk}/", **EN).content.decode()
    assert "lookbook memuat paling banyak 1 produk" in page
    assert 'data-testid="job-retry"' not in page  # the same list fails the same way
    assert _stored_job_files() == []


def test_a_job_ended_meanwhile_keeps_no_file(staff_user, catalogue, queue_only):  # noqa: F811
    """A cancel that wins the race against the end: the file just stored is removed."""
    job = runner.start(lookbook_job.KIND, staff_user, options={"query": "regency=35.09"})
    built = registry.get(lookbook_job.KIND).run

    def run_then_lose(job, progress):
        outcome = built(job, progress)
        Job.objects.filter(pk=job.pk).update(state="cancelled")
        return outcome

    kind = registry.get(lookbook_job.KIND)
    registry.register(registry.Kind(**{**kind.__dict__, "run": run_then_lose}))
    try:
        assert runner.execute(job.pk, threaded=False) is None
    finally:
        registry.register(kind)
    assert _stored_job_files() == []


def test_old_job_files_are_removed(staff_client, catalogue, long_lists, settings):  # noqa: F811
    settings.JOB_FILES_DAYS = 7
    staff_client.get(XLSX)
    staff_client.get("/products/export/?format=lookbook&regency=35.10")
    old, recent = Job.objects.order_by("pk")
    Job.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    old_name = old.file.name
    call_command("prune_job_files", stdout=io.StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and not default_storage.exists(old_name)
    assert recent.file and default_storage.exists(recent.file.name)
    assert staff_client.get(f"/jobs/{old.pk}/file/").status_code == 404
    page = staff_client.get(f"/jobs/{old.pk}/", **EN).content.decode()
    assert 'data-testid="job-file-removed"' in page and 'data-testid="job-result"' not in page


def test_a_deleted_job_takes_its_file_with_it(
    staff_client,
    catalogue,  # noqa: F811
    long_lists,
    django_capture_on_commit_callbacks,
):
    staff_client.get(XLSX)
    job = Job.objects.get()
    name = job.file.name
    with django_capture_on_commit_callbacks(execute=True):
        job.delete()
    assert not default_storage.exists(name)
