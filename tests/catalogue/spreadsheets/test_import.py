"""Product spreadsheet import: reading, row checks, preview, confirm, roles."""

import csv
import io
import time
import zipfile

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalogue import product_writes
from catalogue.models import Category, ImportBatch, Product, StatusChange
from catalogue.spreadsheets import importing
from catalogue.spreadsheets.columns import KEYS, row_values
from catalogue.spreadsheets.importing import CellError, parse_whole_number, plan_for_file
from core.spreadsheets.reading import files as import_files

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- files -------------------------------------------------------------------------------


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode(encoding)


def ods_bytes(rows):
    dataset = tablib.Dataset(*[tuple(row) for row in rows[1:]], headers=rows[0])
    return dataset.export("ods")


def export_rows(products=None):
    """What an export of ``products`` holds: the header keys, then ``row_values``."""
    products = products if products is not None else Product.objects.order_by("pk")
    return [KEYS] + [row_values(p) for p in products]


def plan(data, name="products.xlsx", user=None):
    return plan_for_file(data, name, user)


def rows_of(keys, *rows):
    return [list(keys)] + [list(row) for row in rows]


def upload(client, data, name="products.xlsx"):
    return client.post(
        "/products/import/", {"file": SimpleUploadedFile(name, data)}, follow=True, **EN
    )


def error_texts(result):
    return [str(error) for error in result.errors]


def file_error(data, name):
    with pytest.raises(import_files.ImportFileError) as info:
        plan(data, name)
    return info.value.message


@pytest.fixture
def jember_producer(make_producer):
    return make_producer("35.09", "35.09.24", name="Drum Kreasi Pakusari")


@pytest.fixture
def banyuwangi_producer(make_producer):
    return make_producer("35.10", name="Anyaman Osing")


@pytest.fixture
def catalogue(make_product, jember_producer, banyuwangi_producer):
    return [
        make_product(
            jember_producer,
            "furnitur-logam",
            name_id="Kursi drum",
            name_en="Drum chair",
            name_zh="油桶椅",
            price_idr=1_250_000,
            moq=5,
            hs_code_id="940320",
            status="candidate",
        ),
        make_product(jember_producer, "makanan-olahan", name_id="Keripik pisang", moq=100),
        make_product(banyuwangi_producer, "anyaman", name_id="Tas anyaman", price_idr=85_000),
    ]


# --- reading files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,make",
    [
        ("list.xlsx", xlsx_bytes),
        ("list.csv", csv_bytes),
        ("list.csv", lambda rows: csv_bytes(rows, "utf-8")),
        ("list.csv", lambda rows: csv_bytes(rows, "utf-8-sig", ";")),
        ("list.ods", ods_bytes),
    ],
    ids=["xlsx", "csv-bom", "csv-utf8", "csv-semicolon", "ods"],
)
def test_unchanged_export_reports_no_changes(catalogue, name, make):
    result = plan(make(export_rows()), name)
    assert result.errors == []
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 3, "invalid": 0}
    # Nothing to write: the rows keep only the products' keys.
    assert [row.pk for row in result.rows] == [p.pk for p in Product.objects.order_by("pk")]


def test_windows_1252_csv_is_read(catalogue):
    product = catalogue[2]
    product.name_en = "Rattan café bag"
    product.save()
    rows = export_rows([product])
    rows[1][KEYS.index("name_zh")] = ""  # Windows-1252 has no Chinese
    rows[1][KEYS.index("name_id")] = "Tas anyaman é"
    result = plan(csv_bytes(rows, "cp1252"), "list.csv")
    assert result.errors == []
    assert result.rows[0].changes == [("name_id", "Tas anyaman", "Tas anyaman é")]


def test_title_row_above_the_keys_is_accepted(catalogue):
    rows = export_rows()
    title = ["Kode", "Nama (Indonesia)"] + [""] * (len(KEYS) - 2)
    result = plan(xlsx_bytes([title] + rows))
    assert result.header_row == 2
    assert result.counts["unchanged"] == 3
    # Row numbers stay those of the spreadsheet: the first product is in row 3.
    assert [row.row for row in result.rows] == [3, 4, 5]


def test_header_keys_ignore_case_and_spaces(catalogue):
    rows = export_rows()
    rows[0] = [f"  {key.upper()} " for key in KEYS]
    assert plan(xlsx_bytes(rows)).counts["unchanged"] == 3


def test_png_renamed_to_xlsx_is_refused(catalogue):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    message = file_error(png, "photo.xlsx")
    assert "photo.xlsx is not a real XLSX file: its content is PNG image" in message


def test_text_renamed_to_xlsx_is_refused(catalogue):
    message = file_error(csv_bytes(export_rows()), "list.xlsx")
    assert "list.xlsx is not a real XLSX file: its content is plain text" in message


def test_xlsx_renamed_to_csv_is_refused(catalogue):
    message = file_error(xlsx_bytes(export_rows()), "list.csv")
    assert "is not a real CSV file: its content is a ZIP archive" in message


def test_old_excel_file_is_refused(catalogue):
    message = file_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xlsx")
    assert "Excel 97–2003 (.xls)" in message


def test_truncated_xlsx_is_refused(catalogue):
    data = xlsx_bytes(export_rows())
    message = file_error(data[: len(data) // 2], "cut.xlsx")
    assert "The XLSX file is damaged or incomplete" in message


def test_zip_that_is_not_a_workbook_is_refused(catalogue):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not an XLSX workbook" in file_error(buffer.getvalue(), "x.xlsx")


@pytest.mark.parametrize("data", [b"", b"   \r\n"])
def test_empty_file_is_refused(data):
    assert file_error(data, "empty.csv") == "The file is empty."


def test_file_with_keys_but_no_rows_is_refused(catalogue):
    assert "no data rows" in file_error(xlsx_bytes([KEYS]), "keys.xlsx")


def test_file_without_keys_is_refused(catalogue):
    message = file_error(csv_bytes([["a", "b"], ["1", "2"], ["3", "4"]]), "x.csv")
    assert "The first row must hold the column keys" in message


def test_unknown_extension_is_refused():
    assert file_error(b"code\nX-1\n", "list.txt") == "Upload an .xlsx, .csv or .ods file."


def test_file_over_the_size_limit_is_refused(catalogue, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_FILE_BYTES", 1000)
    message = file_error(xlsx_bytes(export_rows()), "big.xlsx")
    assert "files over 0 MB cannot be imported" in message or "cannot be imported" in message


def test_file_over_the_row_limit_is_refused(catalogue, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_DATA_ROWS", 2)
    message = file_error(xlsx_bytes(export_rows()), "many.xlsx")
    assert message == "The file has more than 2 rows; split it into smaller files."


BOMB_DTD = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _replace_member(data, member, content):
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info.filename))
        target.writestr(member, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "member,content",
    [
        (
            "xl/worksheets/sheet1.xml",
            BOMB_DTD + f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" '
            't="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>',
        ),
        (
            "xl/sharedStrings.xml",
            BOMB_DTD + f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t>'
            "</si></sst>",
        ),
        (
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
            "<is><t>&xxe;</t></is></c></row></sheetData></worksheet>",
        ),
    ],
    ids=["billion-laughs-sheet", "billion-laughs-shared-strings", "external-entity"],
)
def test_xml_entity_bombs_are_refused_quickly(member, content):
    workbook = openpyxl.Workbook()
    workbook.active.append(["code", "name_id"])
    workbook.active.append(["JBR-0001", "Kursi"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if member == "xl/sharedStrings.xml":
        # openpyxl writes inline strings only when asked; add a shared-strings part.
        data = _replace_member(data, member, content)
        data = _replace_member(
            data,
            "xl/_rels/workbook.xml.rels",
            zipfile.ZipFile(io.BytesIO(data))
            .read("xl/_rels/workbook.xml.rels")
            .decode()
            .replace(
                "</Relationships>",
                '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>",
            ),
        )
    else:
        data = _replace_member(data, member, content)
    started = time.monotonic()
    message = file_error(data, "bomb.xlsx")
    assert time.monotonic() - started < 2
    assert "refused for safety" in message


def test_ods_entity_bomb_is_refused():
    data = ods_bytes([["code", "name_id"], ["JBR-0001", "Kursi"]])
    content = (
        BOMB_DTD + '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
        'xmlns:office:1.0"><office:body>&lol9;</office:body></office:document-content>'
    )
    assert "refused for safety" in file_error(
        _replace_member(data, "content.xml", content), "b.ods"
    )


def test_zip_bomb_is_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_UNCOMPRESSED_BYTES", 1000)
    data = xlsx_bytes([["code"], ["x" * 5000]])
    assert "unpacks to more than" in file_error(data, "zip.xlsx")


# --- parsing values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        (1250000, 1250000),
        (1250000.0, 1250000),
        ("1250000", 1250000),
        ("1.250.000", 1250000),
        ("1.250", 1250),
        ("Rp 1.250.000,00", 1250000),
        ("Rp1.250.000", 1250000),
        ("IDR 1,250,000", 1250000),
        ("1,250,000", 1250000),
        ("1,250,000.00", 1250000),
        ("Rp 50.000,-", 50000),
        ("1 250 000", 1250000),
        ("\u00a01.250.000 ", 1250000),
        ("0", 0),
        ("", None),
        (None, None),
    ],
)
def test_prices_written_the_indonesian_or_english_way(value, expected):
    assert parse_whole_number(value, "price_idr") == expected


@pytest.mark.parametrize(
    "value,message",
    [
        (
            "1.250.000,50",
            "1.250.000,50 has decimals: prices in rupiah are whole numbers (write 1.250.000, "
            "not 1.250.000,50).",
        ),
        (1250000.5, "1250000.5 has decimals: prices in rupiah are whole numbers"),
        ("-5", "-5 is negative; use 0 or more."),
        (-5, "-5 is negative; use 0 or more."),
        ("Rp -1.000", "Rp -1.000 is negative; use 0 or more."),
        ("abc", "abc is not a number."),
        ("1.2.3", "1.2.3 is not a number."),
        (True, "TRUE is not a number."),
    ],
)
def test_bad_prices_are_explained(value, message):
    with pytest.raises(CellError) as info:
        parse_whole_number(value, "price_idr")
    assert str(info.value).startswith(message)


def test_counts_must_be_whole_and_moq_at_least_one():
    with pytest.raises(CellError, match=r"^1,5 is not a whole number\.$"):
        parse_whole_number("1,5", "moq")
    with pytest.raises(CellError, match="at least 1"):
        parse_whole_number(0, "moq")
    with pytest.raises(CellError, match=r"^40000 is too large: at most 730\.$"):
        parse_whole_number(40000, "lead_time_days")
    # The same plausible limits as the product form: a price with three zeros too many.
    with pytest.raises(CellError, match=r"^Rp 850\.000\.000\.000 is too large"):
        parse_whole_number("Rp 850.000.000.000", "price_idr")
    assert parse_whole_number("Rp 85.000.000.000", "price_idr") == 85_000_000_000


@pytest.mark.parametrize(
    "value,code",
    [
        ("2402.10", "240210"),
        ("2402 10", "240210"),
        (240210, "240210"),
        (2402.1, "240210"),
        (30617, "030617"),
        ("0306.17", "030617"),
    ],
)
def test_hs_codes_in_any_usual_form(value, code):
    assert importing.hs_code_text(value) == code


# --- row checks --------------------------------------------------------------------------


def test_changes_and_new_rows_are_counted_with_a_diff(catalogue, jember_producer):
    rows = export_rows()
    rows[1][KEYS.index("price_idr")] = "Rp 1.300.000"
    rows[1][KEYS.index("status")] = "Shortlisted"  # a label works as well as the key
    new = [""] * len(KEYS)
    new[KEYS.index("name_id")] = "Meja drum"
    new[KEYS.index("producer_code")] = jember_producer.code
    new[KEYS.index("category")] = "Metal & drum furniture"  # English name
    new[KEYS.index("hs_code")] = "9403.20"
    rows.append(new)
    result = plan(xlsx_bytes(rows))
    assert result.errors == []
    assert result.counts == {"new": 1, "changed": 1, "unchanged": 2, "invalid": 0}
    changed = result.rows[0]
    assert changed.code == catalogue[0].code
    assert changed.changes == [
        ("status", "candidate", "shortlisted"),
        ("price_idr", 1250000, 1300000),
    ]
    created = result.rows[3]
    assert created.action == "new" and created.auto_code
    assert created.code == "JBR-0003"  # the next free code of the producer's regency
    assert ("category", None, "furnitur-logam") in created.changes
    summary = result.summary()
    assert summary["diff"][0]["changes"] == [
        ["status", "candidate", "shortlisted"],
        ["price_idr", "1250000", "1300000"],
    ]


def test_errors_read_row_and_column_and_all_are_listed(catalogue):
    rows = export_rows()
    rows[1][KEYS.index("hs_code")] = 9999
    rows[1][KEYS.index("price_idr")] = "1.250.000,50"
    rows[2][KEYS.index("category")] = "spaceships"
    rows[3][KEYS.index("status")] = "sold"
    rows[3][KEYS.index("moq")] = -3
    result = plan(xlsx_bytes(rows))
    assert error_texts(result) == [
        "Row 2, hs_code: 9999 is not an HS code: use 6 digits, for example 2402.10.",
        "Row 2, price_idr: 1.250.000,50 has decimals: prices in rupiah are whole numbers "
        "(write 1.250.000, not 1.250.000,50).",
        "Row 3, category: spaceships is not a category: use a slug such as makanan-olahan (the "
        "template's second sheet lists them).",
        "Row 4, status: sold is not one of: draft, candidate, shortlisted, promoted, "
        "buyer_interest, exported, not_suitable.",
        "Row 4, moq: -3 is negative; use 0 or more.",
    ]
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 0, "invalid": 3}


def test_unknown_hs_code_is_named(catalogue):
    rows = export_rows(catalogue[:1])
    rows[1][KEYS.index("hs_code")] = "9999.99"
    assert error_texts(plan(xlsx_bytes(rows))) == [
        "Row 2, hs_code: 9999.99 is not an HS code in the HS 2022 list."
    ]


def test_duplicate_codes_are_reported_on_every_row(catalogue):
    rows = export_rows()
    rows.append(list(rows[1]))
    texts = error_texts(plan(xlsx_bytes(rows)))
    code = catalogue[0].code
    assert texts == [
        f"Row 2, code: {code} appears more than once in the file (rows 2, 5).",
        f"Row 5, code: {code} appears more than once in the file (rows 2, 5).",
    ]


def test_unknown_columns_are_reported_and_ignored(catalogue):
    rows = export_rows()
    rows[0] = rows[0] + ["notes"]
    for row in rows[1:]:
        row.append("call back")
    result = plan(xlsx_bytes(rows))
    assert result.unknown_columns == ["notes"]
    assert result.counts["unchanged"] == 3


def test_missing_code_column_is_a_file_error(catalogue):
    message = file_error(xlsx_bytes([["name_id"], ["Kursi"]]), "x.xlsx")
    assert message.startswith("The column code is missing")


def test_new_rows_need_name_producer_and_category(catalogue):
    result = plan(xlsx_bytes([["code", "name_en"], ["JBR-0100", "Chair"]]))
    assert error_texts(result) == [
        "Row 2, name_id: Required for a new product, but the file has no name_id column.",
        "Row 2, producer_code: Required for a new product, but the file has no producer_code "
        "column.",
        "Row 2, category: Required for a new product, but the file has no category column.",
    ]


def test_partial_columns_update_only_those_columns(catalogue):
    product = catalogue[0]
    result = plan(xlsx_bytes([["code", "moq"], [product.code, 10]]))
    assert result.errors == []
    assert result.rows[0].changes == [("moq", 5, 10)]


def test_food_needs_a_shelf_life(catalogue, jember_producer):
    rows = rows_of(
        ["code", "name_id", "producer_code", "category"],
        ["", "Dodol", jember_producer.code, "makanan-olahan"],
    )
    assert error_texts(plan(xlsx_bytes(rows))) == [
        "Row 2, shelf_life_days: Shelf life is required for food and beverage products."
    ]


def test_regency_and_district_must_agree_with_the_producer(catalogue):
    rows = export_rows(catalogue[:1])
    for regency in ("35.09", "Jember", "kabupaten jember"):
        rows[1][KEYS.index("regency")] = regency
        rows[1][KEYS.index("district")] = "Pakusari"
        assert plan(xlsx_bytes(rows)).errors == [], regency
    rows[1][KEYS.index("regency")] = "Banyuwangi"
    rows[1][KEYS.index("district")] = "35.09.01"
    producer = catalogue[0].producer
    assert error_texts(plan(xlsx_bytes(rows))) == [
        f"Row 2, regency: Banyuwangi does not match producer {producer.code}, which is in "
        "Kabupaten Jember. The regency and district come from the producer: change the "
        "producer, or leave this cell as exported.",
        f"Row 2, district: 35.09.01 does not match producer {producer.code}, which is in "
        "Pakusari. The regency and district come from the producer: change the producer, or "
        "leave this cell as exported.",
    ]


def test_producer_by_name_when_the_code_is_empty(catalogue, make_producer):
    rows = rows_of(
        ["code", "name_id", "producer_code", "producer_name", "category"],
        ["", "Meja", "", "drum kreasi pakusari", "furnitur-logam"],
    )
    result = plan(xlsx_bytes(rows))
    assert result.errors == [] and result.rows[0].values["producer_id"] == catalogue[0].producer_id
    make_producer("35.11", name="Drum Kreasi Pakusari")
    assert error_texts(plan(xlsx_bytes(rows))) == [
        "Row 2, producer_name: 2 producers are called drum kreasi pakusari: give the "
        "producer_code instead."
    ]


def test_unknown_producer_code(catalogue):
    rows = export_rows(catalogue[:1])
    rows[1][KEYS.index("producer_code")] = "P-XXX-999"
    assert error_texts(plan(xlsx_bytes(rows))) == [
        "Row 2, producer_code: P-XXX-999 is not a producer code."
    ]


def test_not_suitable_needs_the_product_page(catalogue):
    rows = export_rows(catalogue[:1])
    rows[1][KEYS.index("status")] = "not_suitable"
    assert error_texts(plan(xlsx_bytes(rows)))[0].startswith(
        "Row 2, status: not_suitable needs a reason"
    )


def test_readonly_columns_are_ignored(catalogue):
    rows = export_rows()
    rows[1][KEYS.index("readiness")] = 100
    rows[1][KEYS.index("certifications")] = "halal 1"
    rows[1][KEYS.index("producer_name")] = "Someone else"
    rows[1][KEYS.index("updated_at")] = "yesterday"
    assert plan(xlsx_bytes(rows)).counts["unchanged"] == 3


def test_bad_new_code_is_refused(catalogue, jember_producer):
    rows = rows_of(
        ["code", "name_id", "producer_code", "category"],
        ["import", "Meja", jember_producer.code, "furnitur-logam"],
    )
    assert error_texts(plan(xlsx_bytes(rows)))[0].startswith(
        "Row 2, code: import is not a usable product code"
    )


def test_planning_queries_do_not_grow_with_rows(catalogue, make_product, jember_producer):
    def queries(count):
        rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")[:count]]
        with CaptureQueriesContext(connection) as captured:
            plan(xlsx_bytes(rows))
        return len(captured)

    for _ in range(20):
        make_product(jember_producer, "furnitur-logam")
    assert queries(2) == queries(20)


def _instances_in(value, seen=None):
    """The model instances reachable from ``value`` (dataclasses, lists, dicts, tuples)."""
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, models.Model):
        return [value]
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set)):
        items = list(value)
    elif hasattr(value, "__dataclass_fields__"):
        items = [getattr(value, name) for name in value.__dataclass_fields__]
    else:
        return []
    return [found for item in items for found in _instances_in(item, seen)]


def test_plan_keeps_no_product_instances_for_changed_rows(catalogue, monkeypatch):
    # A plan of 100,000 changed rows once held 100,000 products with their texts in three
    # languages: the rows keep keys, values and changes, and the products are checked a
    # slice at a time (here slices of two rows) and let go.
    from catalogue.spreadsheets.importing import plan as import_plan

    monkeypatch.setattr(import_plan, "CHECK_SLICE", 2)
    rows = export_rows()
    for row in rows[1:]:
        row[KEYS.index("price_idr")] = 99_000
    rows[1][KEYS.index("status")] = "shortlisted"  # a gated move: readiness overrides
    result = plan(xlsx_bytes(rows))
    assert result.errors == [] and result.counts["changed"] == 3
    assert [row.pk for row in result.rows] == [p.pk for p in catalogue]
    assert result.rows[0].status_before == "candidate" and result.rows[0].overrides
    assert _instances_in(result.rows) == []
    written = importing.apply_plan(result, reason="sliced")
    assert [p.code for p in written.updated] == [p.code for p in catalogue]
    assert _instances_in(written.updated) == []
    assert set(Product.objects.values_list("price_idr", flat=True)) == {99_000}
    assert Product.objects.get(pk=catalogue[0].pk).status == "shortlisted"


def test_planning_and_writing_changes_do_not_grow_queries_with_rows(
    catalogue, make_product, jember_producer
):
    for _ in range(20):
        make_product(jember_producer, "furnitur-logam", status="candidate")

    def queries(count):
        rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")[:count]]
        for number, row in enumerate(rows[1:]):
            row[KEYS.index("price_idr")] = 55_000 + count
            row[KEYS.index("status")] = "shortlisted" if number % 2 else "draft"
        data = xlsx_bytes(rows)
        with CaptureQueriesContext(connection) as planned:
            result = plan_for_file(data, "products.xlsx", lock=True)
        assert result.counts["changed"] == count
        with CaptureQueriesContext(connection) as written:
            importing.apply_plan(result, reason=f"{count} rows")
        return len(planned), len(written)

    assert queries(2) == queries(20)


def test_regency_staff_rows_outside_their_regencies_are_refused(
    catalogue, regency_user, banyuwangi_producer
):
    rows = export_rows()
    jember, _food, banyuwangi = catalogue
    rows[1][KEYS.index("moq")] = 7  # Jember: allowed
    rows[3][KEYS.index("moq")] = 7  # Banyuwangi: refused
    result = plan(xlsx_bytes(rows), user=regency_user)
    assert error_texts(result) == [
        f"Row 4, code: {banyuwangi.code} is a product of Kabupaten Banyuwangi, outside your "
        "regencies: you may not change it."
    ]
    assert result.errors[0].refused
    # Moving a Jember product to a Banyuwangi producer is refused too.
    rows[3][KEYS.index("moq")] = banyuwangi.moq
    rows[1][KEYS.index("producer_code")] = banyuwangi_producer.code
    rows[1][KEYS.index("regency")] = ""
    rows[1][KEYS.index("district")] = ""
    assert error_texts(plan(xlsx_bytes(rows), user=regency_user)) == [
        f"Row 2, producer_code: producer {banyuwangi_producer.code} is in Kabupaten "
        "Banyuwangi, outside your regencies."
    ]


# --- pages -------------------------------------------------------------------------------


def test_upload_shows_the_preview_with_counts_diff_and_errors(staff_client, catalogue):
    rows = export_rows()
    rows[1][KEYS.index("price_idr")] = 1_300_000
    rows[2][KEYS.index("hs_code")] = "9999"
    response = upload(staff_client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    assert response.redirect_chain[-1][0] == f"/products/import/{batch.pk}/"
    page = response.content.decode()
    assert 'data-count="changed">1<' in page
    assert 'data-count="invalid">1<' in page
    assert "Row 3, hs_code: 9999 is not an HS code: use 6 digits, for example 2402.10." in page
    assert "<del>1250000</del> → <strong>1300000</strong>" in page
    assert 'data-testid="import-confirm"' not in page  # errors: nothing can be confirmed
    assert batch.summary["counts"] == {"new": 0, "changed": 1, "unchanged": 1, "invalid": 1}


def test_bad_file_is_refused_on_the_form_and_nothing_is_kept(staff_client, catalogue):
    response = upload(staff_client, b"\x89PNG\r\n\x1a\n\x00\x00", "photo.xlsx")
    assert "is not a real XLSX file" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_confirm_applies_everything_and_links_to_the_changed_rows(
    staff_client, staff_user, catalogue, jember_producer
):
    chair, crisps, bag = catalogue
    rows = export_rows()
    rows[1][KEYS.index("price_idr")] = 1_300_000
    rows[1][KEYS.index("status")] = "promoted"
    rows[1][KEYS.index("name_en")] = ""
    rows.append(
        [
            "",
            "Meja drum",
            "",
            "",
            jember_producer.code,
            "",
            "",
            "",
            "furnitur-logam",
            "",
            "",
            "940320",
            "2.500.000",
            2,
            10,
            30,
            "",
            "needs_improvement",
            "",
            "",
            "",
        ]
    )
    upload(staff_client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    response = staff_client.post(
        f"/products/import/{batch.pk}/", {"action": "confirm"}, follow=True, **EN
    )
    assert "Imported: 1 new and 1 changed products." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.applied_at
    chair.refresh_from_db()
    assert (chair.price_idr, chair.status, chair.name_en) == (1_300_000, "promoted", "")
    assert chair.version == 2 and chair.updated_by == staff_user
    assert chair.history.first().history_user == staff_user
    new = Product.objects.get(name_id="Meja drum")
    assert new.code == "JBR-0003" and new.created_by == staff_user
    assert new.price_idr == 2_500_000 and new.readiness_score > 0
    assert set(batch.changed_codes) == {chair.code, new.code}
    steps = StatusChange.objects.order_by("pk")
    assert [(s.product, s.from_status, s.to_status, s.changed_by) for s in steps] == [
        (new, "", "draft", staff_user),
        (chair, "candidate", "promoted", staff_user),
    ]
    # Readiness was recomputed: the chair lost its English name.
    assert "name_en" in chair.readiness_gaps
    # The link lists exactly the rows the import changed.
    listed = staff_client.get(f"/products/?imported={batch.pk}", **EN).content.decode()
    assert chair.code in listed and new.code in listed
    assert crisps.code not in listed and bag.code not in listed
    assert f'href="/products/?imported={batch.pk}"' in response.content.decode()


def test_promoting_with_open_gaps_is_shown_and_recorded(staff_client, catalogue):
    chair = catalogue[0]
    rows = export_rows([chair])
    rows[1][KEYS.index("status")] = "promoted"
    response = upload(staff_client, xlsx_bytes(rows))
    page = response.content.decode()
    assert "Moved on with readiness gaps still open" in page
    assert f"Row 2, {chair.code} → promoted:" in page and "At least 2 photos" in page
    batch = ImportBatch.objects.get()
    staff_client.post(f"/products/import/{batch.pk}/", {"action": "confirm"})
    step = StatusChange.objects.get(product=chair)
    chair.refresh_from_db()
    assert step.to_status == "promoted"
    assert step.overrode_gaps == chair.readiness_gaps and "photos" in step.overrode_gaps


def test_confirm_is_all_or_nothing(staff_client, catalogue, jember_producer, monkeypatch):
    rows = export_rows()
    rows[1][KEYS.index("status")] = "shortlisted"
    rows[3][KEYS.index("moq")] = 9
    rows.append(
        ["", "Meja", "", "", jember_producer.code, "", "", "", "furnitur-logam"]
        + [""] * (len(KEYS) - 9)
    )
    upload(staff_client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()

    def fail(*args, **kwargs):
        raise DatabaseError("disk full at row 3")

    # Products are written first; the failure comes after, as on a failing last row.
    monkeypatch.setattr(product_writes, "status_step", fail)
    before = list(Product.objects.order_by("pk").values())
    response = staff_client.post(
        f"/products/import/{batch.pk}/", {"action": "confirm"}, follow=True, **EN
    )
    page = response.content.decode()
    assert "The import failed and nothing was written: a database error" in page
    assert "disk full" not in page  # the exception's text is in the log only
    assert list(Product.objects.order_by("pk").values()) == before
    assert not StatusChange.objects.exists()
    assert Product.history.filter(history_type="~").count() == 0
    batch.refresh_from_db()
    assert batch.status == "previewed"


def test_confirm_checks_again_and_refuses_a_changed_catalogue(staff_client, catalogue):
    chair = catalogue[0]
    rows = export_rows()
    rows[1][KEYS.index("moq")] = 50
    upload(staff_client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    Product.objects.filter(pk=chair.pk).update(moq=7)  # someone edits meanwhile
    response = staff_client.post(
        f"/products/import/{batch.pk}/", {"action": "confirm"}, follow=True, **EN
    )
    assert "Nothing was written: the catalogue changed since the preview" in (
        response.content.decode()
    )
    chair.refresh_from_db()
    assert chair.moq == 7
    batch.refresh_from_db()
    assert batch.status == "previewed"
    assert batch.summary["diff"][0]["changes"] == [["moq", "7", "50"]]


def test_confirm_refuses_rows_that_became_invalid(staff_client, catalogue, jember_producer):
    rows = rows_of(
        ["code", "name_id", "producer_code", "category"],
        ["JBR-0100", "Meja", jember_producer.code, "furnitur-logam"],
    )
    upload(staff_client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    Category.objects.filter(slug="furnitur-logam").update(profile="food")
    response = staff_client.post(
        f"/products/import/{batch.pk}/", {"action": "confirm"}, follow=True, **EN
    )
    page = response.content.decode()
    assert (
        "Nothing was written: the catalogue changed since the preview, and the rows no longer "
        "pass the checks: 1 error (listed below)." in page
    )
    assert "Row 2, shelf_life_days: Shelf life is required" in page
    assert not Product.objects.filter(code="JBR-0100").exists()


def test_discard_writes_nothing(staff_client, catalogue):
    rows = export_rows()
    rows[1][KEYS.index("moq")] = 50
    upload(staff_client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    response = staff_client.post(
        f"/products/import/{batch.pk}/", {"action": "discard"}, follow=True, **EN
    )
    assert "Import discarded; nothing was written." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "discarded" and not batch.file
    assert (
        staff_client.post(f"/products/import/{batch.pk}/", {"action": "confirm"}).status_code == 302
    )
    assert Product.objects.get(pk=catalogue[0].pk).moq == 5


def test_a_file_without_changes_offers_nothing_to_confirm(staff_client, catalogue):
    response = upload(staff_client, xlsx_bytes(export_rows()))
    page = response.content.decode()
    assert "Nothing to import: every row matches the catalogue." in page
    assert 'data-testid="import-confirm"' not in page


def test_preview_lists_refused_rows_for_regency_staff(client, regency_user, catalogue):
    client.force_login(regency_user)
    rows = export_rows()
    rows[3][KEYS.index("moq")] = 9
    response = upload(client, xlsx_bytes(rows))
    page = response.content.decode()
    assert "1 row refused: outside your regencies" in page
    assert "is a product of Kabupaten Banyuwangi, outside your regencies" in page


def test_regency_staff_import_their_own_rows(client, regency_user, catalogue):
    client.force_login(regency_user)
    rows = export_rows()  # Banyuwangi's row is unchanged, so it is not refused
    rows[1][KEYS.index("moq")] = 9
    upload(client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    client.post(f"/products/import/{batch.pk}/", {"action": "confirm"})
    assert Product.objects.get(pk=catalogue[0].pk).moq == 9


@pytest.mark.parametrize(
    "url", ["/products/import/", "/products/import/template.xlsx", "/products/import/{pk}/"]
)
def test_visitors_may_not_import(client, visitor_user, staff_user, url):
    batch = ImportBatch.objects.create(user=staff_user, original_name="x.xlsx", file="x.xlsx")
    client.force_login(visitor_user)
    assert client.get(url.format(pk=batch.pk)).status_code == 403
    assert client.post(url.format(pk=batch.pk), {"action": "confirm"}).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/products/import/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_someone_elses_import_is_not_found(client, staff_user, regency_user):
    batch = ImportBatch.objects.create(user=regency_user, original_name="x.xlsx", file="x.xlsx")
    client.force_login(staff_user)
    assert client.get(f"/products/import/{batch.pk}/").status_code == 404


def test_import_button_only_for_importers(client, staff_user, visitor_user):
    client.force_login(staff_user)
    assert 'href="/products/import/"' in client.get("/products/").content.decode()
    client.force_login(visitor_user)
    assert 'href="/products/import/"' not in client.get("/products/").content.decode()


# --- template ----------------------------------------------------------------------------


def test_template_has_keys_an_example_and_an_explanation_sheet(staff_client, jember_producer):
    response = staff_client.get("/products/import/template.xlsx", **EN)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = response.content
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert len(workbook.worksheets) == 2
    products, columns = workbook.worksheets
    rows = list(products.iter_rows(values_only=True))
    assert list(rows[0]) == KEYS and len(rows) == 2
    explained = {row[0]: row for row in columns.iter_rows(values_only=True) if row[0]}
    assert set(KEYS) <= set(explained)
    assert "furnitur-logam" in explained and "candidate" in explained["status"][3]
    # The example row imports as one new product.
    result = plan(data, "template.xlsx")
    assert result.errors == [] and result.counts["new"] == 1


# --- round trip through the real export ----------------------------------------------------


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ods", "lookbook"])
@pytest.mark.parametrize("query", ["", "regency=35.09&"])
def test_export_then_import_reports_no_changes(staff_client, catalogue, fmt, query):
    catalogue[0].name_en = '=HYPERLINK("http://x")'  # neutralised in the CSV, restored here
    catalogue[0].save()
    data = download(staff_client, f"/products/export/?{query}format={fmt}")
    result = plan(data, "export.xlsx" if fmt == "lookbook" else f"export.{fmt}")
    assert result.errors == []
    listed = 2 if query else 3
    assert result.counts == {"new": 0, "changed": 0, "unchanged": listed, "invalid": 0}


def test_edit_an_exported_file_and_see_exactly_those_changes(staff_client, catalogue):
    chair, crisps, _bag = catalogue
    data = download(staff_client, "/products/export/?regency=35.09&format=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    rows[chair.code][header.index("moq")].value = 42
    rows[crisps.code][header.index("price_idr")].value = "Rp 15.000"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(staff_client, buffer.getvalue(), "edited.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.summary["counts"] == {"new": 0, "changed": 2, "unchanged": 0, "invalid": 0}
    assert {row["code"]: row["changes"] for row in batch.summary["diff"]} == {
        chair.code: [["moq", "5", "42"]],
        crisps.code: [["price_idr", "", "15000"]],
    }
    assert "<del>5</del> → <strong>42</strong>" in response.content.decode()


# --- Django admin: django-import-export resource (export only) -----------------------------


def test_admin_resource_exports_the_contract_columns(catalogue):
    from catalogue.resources import ProductResource

    dataset = ProductResource().export(Product.objects.order_by("pk"))
    assert dataset.headers == KEYS
    assert dataset[0][KEYS.index("code")] == catalogue[0].code
    assert dataset[0][KEYS.index("hs_code")] == "940320"


def test_admin_export_page_opens(client, admin_user):
    # The admin exports only; imports go through the page (tests/core/test_spreadsheet_safety.py).
    client.force_login(admin_user)
    assert client.get("/admin/catalogue/product/export/").status_code == 200


def test_big_imports_are_written_in_slices_with_the_same_outcome(
    catalogue, staff_user, monkeypatch
):
    # Slices of two rows: three changed products and three new ones take three slices,
    # and every product, change-log row and code comes out as written in one go.
    from catalogue.spreadsheets.importing import apply as import_apply

    monkeypatch.setattr(import_apply, "WRITE_SLICE", 2)
    rows = export_rows()
    price = KEYS.index("price_idr")
    for row in rows[1:]:
        row[price] = 77_000
    for name in ("Meja drum", "Lampu drum", "Rak drum"):
        new = list(rows[1])
        new[KEYS.index("code")] = ""
        new[KEYS.index("name_id")] = name
        rows.append(new)
    result = plan(xlsx_bytes(rows), user=staff_user)
    assert result.counts == {"new": 3, "changed": 3, "unchanged": 0, "invalid": 0}
    written = importing.apply_plan(result, staff_user, reason="sliced")
    assert len(written.created) == 3 and len(written.updated) == 3
    assert set(Product.objects.values_list("price_idr", flat=True)) == {77_000}
    assert sorted(written.codes) == sorted(Product.objects.values_list("code", flat=True))
    assert Product.history.filter(history_change_reason="sliced").count() == 6
