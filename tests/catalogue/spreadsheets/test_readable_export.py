"""The readable layout of the exports (``layout=readable``): the same rows as the list and
the machine layout, with headers and values in the user's language; importing one is
refused with a clear message."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from catalogue.models import Certification, ImportBatch
from catalogue.spreadsheets.columns import KEYS
from catalogue.spreadsheets.importing import ImportFileError, plan_for_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _restore_language():
    # Requests below activate en, zh-hans and id: leave the language as it was after them.
    with translation.override("en"):
        yield


@pytest.fixture
def catalogue(make_product, make_producer):
    producer = make_producer("35.09", name="UD Kreasi Drum", kind="home_industry")
    chair = make_product(
        producer=producer,
        category="furnitur-logam",
        name_id="Kursi drum",
        status="buyer_interest",
        packaging_status="export_ready",
        price_idr=850_000,
        lead_time_days=21,
    )
    Certification.objects.create(product=chair, kind="halal", number="ID123")
    make_product(producer=make_producer("35.10"), category="batik", name_id="Batik")
    return chair


def workbook(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return body, openpyxl.load_workbook(io.BytesIO(body))


def rows(book):
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_english_headers_and_values_in_words(client, staff_user, catalogue):
    client.force_login(staff_user)
    url = "/products/export/?format=xlsx&layout=readable&regency=35.09"
    _body, book = workbook(client, url, "en")
    header, *data = rows(book)
    assert header[:3] == ["Code", "Name (Indonesian)", "Name (English)"]
    assert "Price (IDR)" in header and "Lead time (days)" in header
    chair = dict(zip(header, data[0], strict=True))
    assert chair["Promotion status"] == "Buyer interest"
    assert chair["Category"] == "Metal & drum furniture"
    assert chair["Packaging status"] == "Export-ready"
    assert chair["Certifications"].startswith("Halal") and "ID123" in chair["Certifications"]
    assert chair["Price (IDR)"] == 850_000  # numbers stay numbers
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Layout"] == "readable: for reading, not for importing"


def test_chinese_ui_gets_chinese_headers(client, staff_user, catalogue):
    client.force_login(staff_user)
    url = "/products/export/?format=xlsx&layout=readable&regency=35.09"
    _body, book = workbook(client, url, "zh-hans")
    header, *data = rows(book)
    assert "价格（印尼盾）" in header and "交货期（天）" in header
    chair = data[0]
    assert "有买家意向" in chair


@pytest.mark.parametrize("query", ["", "regency=35.09", "sort=-name", "status=buyer_interest"])
def test_same_rows_in_the_same_order_as_the_machine_layout(client, staff_user, catalogue, query):
    client.force_login(staff_user)
    _b, machine = workbook(client, f"/products/export/?format=xlsx&{query}", "en")
    _b, readable = workbook(client, f"/products/export/?format=xlsx&layout=readable&{query}", "en")
    machine_rows, readable_rows = rows(machine), rows(readable)
    assert machine_rows[0] == KEYS
    assert [r[0] for r in machine_rows[1:]] == [r[0] for r in readable_rows[1:]]


def test_the_machine_layout_is_unchanged(client, staff_user, catalogue):
    client.force_login(staff_user)
    _b, book = workbook(client, "/products/export/?format=xlsx&regency=35.09", "en")
    header, *data = rows(book)
    row = dict(zip(header, data[0], strict=True))
    assert (row["status"], row["category"]) == ("buyer_interest", "furnitur-logam")


def test_both_layouts_record_the_same_fingerprints(client, staff_user, catalogue):
    from catalogue.models import ExportRecord

    client.force_login(staff_user)
    for url in ("/products/export/?format=csv", "/products/export/?format=csv&layout=readable"):
        b"".join(client.get(url).streaming_content)
    machine, readable = ExportRecord.objects.order_by("pk")
    assert machine.fingerprints == readable.fingerprints


def test_readable_producer_export(client, staff_user, catalogue):
    client.force_login(staff_user)
    _body, book = workbook(client, "/producers/export/?format=xlsx&layout=readable", "en")
    header, *data = rows(book)
    assert header[:3] == ["Code", "Name", "Kind"]
    row = dict(zip(header, data[0], strict=True))
    assert row["Kind"] == "Home industry"
    assert row["Has exported"] in ("Yes", "No")


@pytest.mark.parametrize("language", ["en", "zh-hans", "id"])
def test_importing_a_readable_file_is_refused(client, staff_user, catalogue, language):
    client.force_login(staff_user)
    body, _book = workbook(client, "/products/export/?format=xlsx&layout=readable", language)
    # The file's language must not matter; the message is read in English here.
    with translation.override("en"), pytest.raises(ImportFileError, match="readable export"):
        plan_for_file(body, "products.xlsx", staff_user)


def test_the_import_page_says_why_and_imports_nothing(client, staff_user, catalogue):
    client.force_login(staff_user)
    body, _book = workbook(client, "/products/export/?format=xlsx&layout=readable", "en")
    upload = SimpleUploadedFile("readable.xlsx", body)
    response = client.post(
        "/products/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "readable export" in response.content.decode()
    assert not ImportBatch.objects.filter(status=ImportBatch.Status.APPLIED).exists()


def test_the_list_links_the_readable_export_with_its_filters(client, staff_user, catalogue):
    client.force_login(staff_user)
    content = client.get("/products/?regency=35.09", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/products/export/?regency=35.09&amp;format=xlsx&amp;layout=readable"' in content
    producers = client.get("/producers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/producers/export/?format=xlsx&amp;layout=readable"' in producers
