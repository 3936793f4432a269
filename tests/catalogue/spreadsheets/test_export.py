"""Spreadsheet exports: exactly the listed rows, in every format, typed, safe and streamed."""

import csv
import datetime
import io
import re
import zipfile

import openpyxl
import pytest
import tablib
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from odf.opendocument import load as load_ods
from odf.table import Table

from catalogue.models import Certification, Product, ProductPhoto
from catalogue.spreadsheets import lookbook_job
from catalogue.spreadsheets.columns import (
    KEYS,
    PRODUCER_KEYS,
    export_queryset,
    iter_row_values,
    row_values,
    sequential_reads,
)
from core.spreadsheets.cells import restore_formula_text
from home.drawing import draw_product_photo

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def catalogue(make_producer, make_product):
    """Five products over two regencies: Chinese names, a formula name, odd characters."""
    drum = make_producer(
        "35.09",
        "35.09.24",
        name="Drum Pakusari",
        nib="9120001234567",
        phone="+62 812-3456-7890",
        workers=12,
        year_founded=2015,
        has_exported=True,
    )
    batik = make_producer("35.10", name="Batik Gandrung", kind="cooperative")
    items = {
        "chair": make_product(
            producer=drum,
            category="furnitur-logam",
            name_id="Kursi drum",
            name_en="Drum chair",
            name_zh="油桶椅",
            price_idr=850_000,
            hs_code_id="940171",
            moq=10,
            capacity_per_month=200,
            lead_time_days=30,
        ),
        "table": make_product(
            producer=drum,
            category="furnitur-kayu",
            name_id="Meja jati",
            price_idr=2_500_000,
            status="candidate",
        ),
        "batik": make_product(
            producer=batik,
            category="batik",
            name_id="Batik gajah oling",
            name_zh="蜡染布 “象”",
            price_idr=400_000,
            status="shortlisted",
        ),
        "evil": make_product(
            producer=batik, category="batik", name_id=EVIL, name_en="@SUM(1+1)", price_idr=10
        ),
        "chips": make_product(
            producer=batik,
            category="makanan-olahan",
            name_id="Keripik <pisang> & cabai\x0b",
            name_en=" leading space",
            price_idr=25_000,
        ),
    }
    Certification.objects.create(
        product=items["chips"], kind="halal", number="ID-123", expires_on=datetime.date(2027, 1, 31)
    )
    Certification.objects.create(product=items["chips"], kind="pirt", number="P-9")
    ProductPhoto.objects.create(
        product=items["chair"], image=draw_product_photo("Kursi", size=(160, 120)), is_primary=True
    )
    return {key: Product.objects.get(pk=p.pk).code for key, p in items.items()}


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def download(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def list_codes(client, query="", path="/products/"):
    """The codes the list shows for ``query``, over all its pages (25 per page), in English
    like ``download`` (a sort by name follows the language of the names shown)."""
    codes, number = [], 1
    while True:
        response = client.get(
            f"{path}?{query}&per_page=25&page={number}", HTTP_ACCEPT_LANGUAGE="en"
        )
        page = response.context["page"]
        codes += [obj.code for obj in page.object_list]
        if not page.has_next():
            return codes
        number += 1


def xlsx_rows(body):
    book = openpyxl.load_workbook(io.BytesIO(body))
    return book, [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def csv_rows(body):
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def ods_rows(body):
    data = tablib.Dataset().load(body, format="ods")
    return [list(data.headers), *[list(row) for row in data]]


READERS = {"xlsx": lambda body: xlsx_rows(body)[1], "csv": csv_rows, "ods": ods_rows}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ods"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "regency=35.09",
        "regency=35.10&category=makanan-olahan",
        "status=candidate&status=shortlisted",
        "q=drum",
        "q=油桶",
        "sort=-price",
        "sort=name&regency=35.10",
        "min_readiness=0&has_photo=1",
        "regency=99.99",  # not understood: ignored by the list and by the export alike
    ],
)
def test_export_holds_exactly_the_listed_rows_in_order(staff_client, catalogue, fmt, query):
    _response, body = download(staff_client, f"/products/export/?format={fmt}&{query}")
    rows = READERS[fmt](body)
    assert rows[0] == KEYS
    assert [row[0] for row in rows[1:]] == list_codes(staff_client, query)


def test_export_covers_all_pages_of_the_list(staff_client, make_product, make_producer):
    producer = make_producer()
    for number in range(30):
        make_product(producer=producer, name_id=f"Produk {number:02d}", price_idr=number)
    listed = list_codes(staff_client, "sort=-price")
    assert len(listed) == 30  # two pages of 25
    _response, body = download(staff_client, "/products/export/?format=csv&sort=-price&page=2")
    assert [row[0] for row in csv_rows(body)[1:]] == listed


def test_sort_is_respected(staff_client, catalogue):
    _response, body = download(staff_client, "/products/export/?format=xlsx&sort=-price")
    prices = [row[KEYS.index("price_idr")] for row in xlsx_rows(body)[1][1:]]
    assert prices == [2_500_000, 850_000, 400_000, 25_000, 10]


def test_file_name_and_content_type(staff_client, catalogue):
    for fmt, content_type in [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
        ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ]:
        response, _body = download(staff_client, f"/products/export/?format={fmt}")
        assert response["Content-Type"] == content_type
        assert re.fullmatch(
            rf'attachment; filename="etalase-products-\d{{8}}-\d{{4}}\.{fmt}"',
            response["Content-Disposition"],
        )


def test_xlsx_cells_are_typed_with_frozen_header_autofilter_and_about_sheet(
    staff_client, staff_user, catalogue
):
    _response, body = download(staff_client, "/products/export/?format=xlsx&regency=35.09")
    book, rows = xlsx_rows(body)
    sheet = book.worksheets[0]
    assert book.sheetnames == ["Products", "About"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:AG3"  # 21 contract + 12 text columns
    assert sheet.column_dimensions["B"].width == pytest.approx(32.7)
    chair = next(dict(zip(KEYS, row, strict=True)) for row in rows[1:] if row[1] == "Kursi drum")
    assert chair["price_idr"] == 850_000 and type(chair["price_idr"]) is int
    assert type(chair["moq"]) is int and type(chair["readiness"]) is int
    assert isinstance(chair["updated_at"], datetime.datetime)
    assert chair["updated_at"].microsecond == 0
    assert chair["name_en"] == "Drum chair"
    assert chair["name_zh"] == "油桶椅"
    assert chair["hs_code"] == "940171"
    assert re.fullmatch(r"http://[^ ]+/media/products/[0-9a-f]{32}\.jpg", chair["photo_url"])
    table = next(dict(zip(KEYS, row, strict=True)) for row in rows[1:] if row[1] == "Meja jati")
    assert table["moq"] is None and table["hs_code"] is None  # empty cells stay empty
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["Rows"] == 2
    assert about["Filters"] == "Regency: Kabupaten Jember"
    assert about["Exported by"] == staff_user.username
    assert about["Query"] == "regency=35.09"


def test_xlsx_is_a_valid_package(staff_client, catalogue):
    _response, body = download(staff_client, "/products/export/?format=xlsx")
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    assert archive.namelist()[0] == "[Content_Types].xml"
    sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert 't="inlineStr"' in sheet and "<f>" not in sheet


def test_text_is_escaped_and_illegal_characters_removed(staff_client, catalogue):
    for fmt in ("xlsx", "ods"):
        _response, body = download(staff_client, f"/products/export/?format={fmt}&q=keripik")
        rows = READERS[fmt](body)
        assert rows[1][1] == "Keripik <pisang> & cabai"
        if fmt == "xlsx":
            assert rows[1][2] == " leading space"
        certifications = rows[1][KEYS.index("certifications")]
        assert certifications == "halal ID-123 (until 2027-01-31); pirt P-9"


def test_csv_has_a_bom_one_header_row_and_chinese_round_trips(staff_client, catalogue):
    _response, body = download(staff_client, "/products/export/?format=csv&sort=code")
    assert body.startswith(b"\xef\xbb\xbfcode,name_id,")
    rows = csv_rows(body)
    assert rows[0] == KEYS
    assert sum(1 for row in rows if row[0] == "code") == 1
    names = {row[3] for row in rows[1:]}
    assert {"油桶椅", "蜡染布 “象”"} <= names
    chair = next(row for row in rows if row[1] == "Kursi drum")
    assert chair[KEYS.index("price_idr")] == "850000"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", chair[KEYS.index("updated_at")])


def test_ods_is_readable_with_typed_cells(staff_client, catalogue):
    _response, body = download(staff_client, "/products/export/?format=ods&regency=35.09")
    archive = zipfile.ZipFile(io.BytesIO(body))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert (
        body[30:38] == b"mimetype"
        and body[38:84] == b"application/vnd.oasis.opendocument.spreadsheet"
    )
    document = load_ods(io.BytesIO(body))
    assert len(document.spreadsheet.getElementsByType(Table)) == 1
    rows = ods_rows(body)
    assert rows[0] == KEYS
    chair = next(dict(zip(KEYS, row, strict=True)) for row in rows[1:] if row[1] == "Kursi drum")
    assert chair["price_idr"] == 850_000.0
    assert isinstance(chair["updated_at"], datetime.datetime)
    assert chair["name_zh"] == "油桶椅"
    meta = archive.read("meta.xml").decode()
    assert "Rows: 2" in meta and "Regency: Kabupaten Jember" in meta


def test_formula_names_export_as_text_in_every_format(staff_client, catalogue):
    _response, body = download(staff_client, "/products/export/?format=xlsx&q=hyperlink")
    book, rows = xlsx_rows(body)
    cell = book.worksheets[0]["B2"]
    assert cell.value == EVIL and cell.data_type == "s"
    assert rows[1][2] == "@SUM(1+1)"

    _response, body = download(staff_client, "/products/export/?format=ods&q=hyperlink")
    assert ods_rows(body)[1][1] == EVIL
    content = zipfile.ZipFile(io.BytesIO(body)).read("content.xml").decode()
    assert "table:formula" not in content

    _response, body = download(staff_client, "/products/export/?format=csv&q=hyperlink")
    row = csv_rows(body)[1]
    assert row[1] == "'" + EVIL
    assert row[2] == "'@SUM(1+1)"
    assert restore_formula_text(row[1]) == EVIL


def test_fast_rows_equal_model_rows(catalogue):
    queryset = Product.objects.order_by("-price_idr", "code")
    model_rows = [row_values(product) for product in export_queryset(queryset)]
    assert list(iter_row_values(queryset, chunk_size=2)) == model_rows


def test_sequential_reads_shrink_and_restore_the_sqlite_cache():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings only")

    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    with sequential_reads():
        assert cache_size() == -2000
    assert cache_size() == before


def test_export_queries_do_not_grow_with_rows(staff_client, catalogue, make_product):
    def count():
        with CaptureQueriesContext(connection) as queries:
            download(staff_client, "/products/export/?format=csv")
        return len(queries)

    before = count()
    for number in range(5):
        product = make_product(name_id=f"Tambahan {number}")
        Certification.objects.create(product=product, kind="halal")
    assert count() == before


def _list_queries(captured):
    """The captured SQL without the session, the user and their permissions, and SQLite's
    scan settings."""
    skipped = ('"django_session"', '"auth_user"', '"auth_group"', '"auth_permission"', "PRAGMA")
    return [q["sql"] for q in captured if not any(word in q["sql"] for word in skipped)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
@pytest.mark.parametrize(
    "query, budget",
    [
        # the FilterSet's category menu; rows, photos, certifications; the export record
        ("", 1 + 3 + 1),
        # + the regency, the category and its descendants
        ("regency=35.09&category=furnitur&status=draft&q=kursi&sort=-price", 1 + 3 + 1 + 3),
    ],
)
def test_the_export_streams_the_query_without_a_page_of_the_list(
    staff_client, make_product, make_producer, fmt, query, budget
):
    producer = make_producer("35.09")
    for number in range(60):  # more than a page of the list
        make_product(producer=producer, category="furnitur-logam", name_id=f"Kursi {number}")
    with CaptureQueriesContext(connection) as captured:
        _response, body = download(staff_client, f"/products/export/?format={fmt}&{query}")
    assert len(READERS[fmt](body)) == 61
    queries = _list_queries(captured)
    assert not [sql for sql in queries if "COUNT(" in sql]  # no page count
    # (PostgreSQL streams through a named cursor: "DECLARE … CURSOR FOR SELECT …".)
    products = [sql for sql in queries if re.search(r'SELECT .*? FROM "catalogue_product" ', sql)]
    assert len(products) == 1  # the stream itself, once: no page of keys, no page of rows
    assert "LIMIT" not in products[0]
    if connection.vendor == "postgresql":
        budget += 2  # the fingerprints' staging table, created and dropped (core.large_json)
    assert len(queries) <= budget, queries


def test_first_bytes_leave_before_the_rows_are_queried(staff_client, catalogue):
    for fmt in ("xlsx", "csv", "ods"):
        response = staff_client.get(f"/products/export/?format={fmt}")
        chunks = iter(response.streaming_content)
        with CaptureQueriesContext(connection) as queries:
            first = next(chunks)
        assert first and not queries.captured_queries
        with CaptureQueriesContext(connection) as queries:
            rest = b"".join(chunks)
        assert rest and any("catalogue_product" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("role", ["admin", "staff", "regency", "visitor"])
def test_every_role_may_export(client, role_users, catalogue, role):
    client.force_login(role_users[role])
    for url in ("/products/export/?format=csv", "/producers/export/?format=xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)


def test_anonymous_is_sent_to_log_in(client, catalogue):
    for url in ("/products/export/?format=xlsx", "/producers/export/?format=csv", "/exports/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_user_without_role_is_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody"))
    assert client.get("/products/export/?format=xlsx").status_code == 403


@pytest.mark.parametrize("fmt", ["pdf", "xls", ""])
def test_unknown_format_is_a_bad_request_with_a_message(staff_client, catalogue, fmt):
    response = staff_client.get(f"/products/export/?format={fmt}")
    assert response.status_code == 400
    assert b"xlsx, csv, ods" in response.content
    assert staff_client.get(f"/producers/export/?format={fmt}").status_code == 400


def test_producer_export_columns_and_rows(staff_client, catalogue):
    _response, body = download(staff_client, "/producers/export/?format=xlsx&sort=-name")
    rows = xlsx_rows(body)[1]
    assert rows[0] == PRODUCER_KEYS
    assert [row[0] for row in rows[1:]] == list_codes(staff_client, "sort=-name", "/producers/")
    drum = next(
        dict(zip(PRODUCER_KEYS, row, strict=True)) for row in rows if row[1] == "Drum Pakusari"
    )
    assert drum["nib"] == "9120001234567"
    assert drum["product_count"] == 2 and drum["workers"] == 12 and drum["year_founded"] == 2015
    assert drum["has_exported"] is True
    assert drum["regency"] == "Kabupaten Jember" and drum["kind"] == "home_industry"
    assert isinstance(drum["updated_at"], datetime.datetime)
    _response, body = download(staff_client, "/producers/export/?format=csv&regency=35.10")
    rows = csv_rows(body)
    assert [row[1] for row in rows[1:]] == ["Batik Gandrung"]
    assert rows[1][PRODUCER_KEYS.index("has_exported")] == "FALSE"


def test_producer_export_keeps_phone_numbers_readable_in_csv(staff_client, catalogue):
    _response, body = download(staff_client, "/producers/export/?format=csv&q=drum")
    assert csv_rows(body)[1][PRODUCER_KEYS.index("phone")] == "+62 812-3456-7890"


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ods"])
def test_visitors_producer_export_has_no_nib(client, visitor_user, catalogue, fmt):
    client.force_login(visitor_user)
    _response, body = download(client, f"/producers/export/?format={fmt}")
    header = READERS[fmt](body)[0]
    assert "nib" not in header and header == [k for k in PRODUCER_KEYS if k != "nib"]
    assert b"9120001234567" not in body
    if fmt == "csv":
        assert "9120001234567" not in body.decode("utf-8-sig")


def test_list_pages_link_to_the_export_with_their_filters(staff_client, catalogue):
    page = staff_client.get(
        "/products/?regency=35.09&sort=-price&page=1&view=grid"
    ).content.decode()
    assert 'href="/products/export/?regency=35.09&amp;sort=-price&amp;format=xlsx"' in page
    assert "format=csv" in page and "format=ods" in page and "format=lookbook" in page
    page = staff_client.get("/producers/?kind=cooperative").content.decode()
    assert 'href="/producers/export/?kind=cooperative&amp;format=ods"' in page


def test_lookbook_embeds_the_primary_photos(staff_client, catalogue):
    response, body = download(staff_client, "/products/export/?format=lookbook&regency=35.09")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="etalase-products-lookbook-'
    )
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["photo", *KEYS]
    assert len(sheet._images) == 1  # the chair has a photo, the table none
    anchor = sheet._images[0].anchor._from
    chair_row = next(r for r in range(2, 4) if sheet.cell(row=r, column=3).value == "Kursi drum")
    assert anchor.row + 1 == chair_row and anchor.col == 0
    assert sheet.row_dimensions[chair_row].height >= 60
    assert sheet.freeze_panes == "C2"
    assert "About" in book.sheetnames


def test_lookbook_keeps_formulas_as_text(staff_client, catalogue):
    _response, body = download(staff_client, "/products/export/?format=lookbook&q=hyperlink")
    cell = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]["C2"]
    assert cell.value == EVIL and cell.data_type == "s"


def test_lookbook_refuses_too_many_rows(staff_client, catalogue, monkeypatch):
    monkeypatch.setattr(lookbook_job, "LOOKBOOK_MAX_ROWS", 2)
    response = staff_client.get(
        "/products/export/?format=lookbook&regency=35.10", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.redirect_chain[0][0] == "/products/?regency=35.10"
    assert "at most 2 products" in response.content.decode()


@translation.override("en")
def test_export_products_command_writes_the_filtered_rows(catalogue, tmp_path, capsys):
    target = tmp_path / "jember.xlsx"
    call_command("export_products", str(target), "--regency", "35.09", "--status", "draft")
    rows = xlsx_rows(target.read_bytes())[1]
    assert [row[0] for row in rows[1:]] == [catalogue["chair"]]
    assert "Exported 1 product to" in capsys.readouterr().out

    target = tmp_path / "out.dat"
    call_command(
        "export_products", str(target), "--format", "csv", "--query", "regency=35.10&sort=-price"
    )
    codes = [row[0] for row in csv_rows(target.read_bytes())[1:]]
    assert codes == [catalogue["batik"], catalogue["chips"], catalogue["evil"]]

    target = tmp_path / "food.ods"
    call_command("export_products", str(target), "--category", "makanan-olahan", "--q", "keripik")
    assert [row[0] for row in ods_rows(target.read_bytes())[1:]] == [catalogue["chips"]]


def test_export_products_command_refuses_an_unknown_format(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="xlsx, csv or ods"):
        call_command("export_products", str(tmp_path / "list.pdf"))


def test_format_defaults_to_xlsx(staff_client, catalogue):
    response, body = download(staff_client, "/products/export/?regency=35.09")
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert xlsx_rows(body)[1][0] == KEYS


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ods"])
def test_an_empty_list_exports_a_valid_file_with_the_header(staff_client, catalogue, fmt):
    _response, body = download(staff_client, f"/products/export/?format={fmt}&q=nothing-matches")
    assert READERS[fmt](body) == [KEYS]
