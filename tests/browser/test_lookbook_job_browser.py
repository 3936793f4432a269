"""The lookbook XLSX of a long list in a real browser: the list's link answers with the
job page, which ends on a link that downloads the built file."""

import io

import openpyxl
import pytest

from catalogue.models import ProductPhoto
from home.drawing import draw_product_photo
from tests.browser.test_jobs_browser import db_worker  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def three_products(make_producer, make_product, settings):
    settings.LOOKBOOK_JOB_ROWS = 2  # three products make a long list
    producer = make_producer("35.09", name="Drum Pakusari")
    products = [make_product(producer, name_id=f"Kursi drum {n}") for n in range(3)]
    ProductPhoto.objects.create(
        product=products[0], image=draw_product_photo("Kursi", size=(160, 120)), is_primary=True
    )
    return products


def _download_from_the_job_page(page, live_server, shot, name):
    page.goto(f"{live_server.url}/products/?regency=35.09")
    page.locator("a[href*='format=lookbook']").click()
    page.wait_for_url(f"{live_server.url}/jobs/*/", timeout=10_000)
    link = page.locator('[data-testid="job-result"]')
    link.wait_for(timeout=30_000)  # job.js reloads the page once the job has ended
    assert page.locator('[data-testid="job-state"]').inner_text() in ("Done", "Selesai", "完成")
    shot(name)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("etalase-products-lookbook-")
    book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    sheet = book.worksheets[0]
    assert sheet.max_row == 4 and len(sheet._images) == 1


def test_lookbook_job_page_ends_on_its_download(
    page, live_server, login, shot, staff_user, three_products
):
    login(staff_user)
    _download_from_the_job_page(page, live_server, shot, "jobs-03-lookbook-done")


def test_lookbook_job_page_follows_a_worker_to_its_download(
    page,
    live_server,
    login,
    shot,
    staff_user,
    three_products,
    db_worker,  # noqa: F811
):
    login(staff_user)
    _download_from_the_job_page(page, live_server, shot, "jobs-04-lookbook-worker-done")
