"""The texts in three languages in the product and producer spreadsheets (issue 13, §5):
exported after the contract columns by both row paths, imported like the names, absent
columns left alone, old single-language headers read as Indonesian."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalogue.models import Product
from catalogue.spreadsheets.columns import (
    CONTRACT_KEYS,
    KEYS,
    PRODUCER_KEYS,
    TEXT_KEYS,
    export_queryset,
    iter_row_values,
    row_values,
)
from catalogue.spreadsheets.importing import ImportFileError, apply_plan, plan_for_file
from tests.catalogue.spreadsheets.test_export import READERS, download
from tests.catalogue.spreadsheets.test_import import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

# README, "Contract": these keys come first, in this order.
CONTRACT = [
    "code",
    "name_id",
    "name_en",
    "name_zh",
    "producer_code",
    "producer_name",
    "regency",
    "district",
    "category",
    "status",
    "readiness",
    "hs_code",
    "price_idr",
    "moq",
    "capacity_per_month",
    "lead_time_days",
    "shelf_life_days",
    "packaging_status",
    "certifications",
    "photo_url",
    "updated_at",
]
TEXTS = [
    "description_id",
    "description_en",
    "description_zh",
    "materials_id",
    "materials_en",
    "materials_zh",
    "packaging_description_id",
    "packaging_description_en",
    "packaging_description_zh",
    "storage_conditions_id",
    "storage_conditions_en",
    "storage_conditions_zh",
]

CHIPS_TEXTS = {
    "description_id": "Keripik pisang renyah.\r\nTanpa pengawet.",
    "description_en": "Crisp banana chips.\r\nNo preservatives.",
    "description_zh": "香脆香蕉片。\r\n不含防腐剂。",
    "materials_id": "Pisang kepok, minyak kelapa",
    "materials_en": "Kepok banana, coconut oil",
    "materials_zh": "",
    "packaging_description_id": "Standing pouch 250 g",
    "packaging_description_en": "=250 g stand-up pouch",  # formula-looking: CSV-neutralised
    "packaging_description_zh": "250 克自立袋",
    "storage_conditions_id": "Simpan di tempat kering",
    "storage_conditions_en": "Keep dry",
    "storage_conditions_zh": "",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def chips(make_producer, make_product):
    producer = make_producer(
        "35.09", name="Keripik Bu Sri", description_id="Usaha rumahan", description_zh="家庭作坊"
    )
    make_product(producer=producer, category="kerajinan-kayu", name_id="Nampan kayu")
    return make_product(
        producer=producer, category="makanan-olahan", name_id="Keripik pisang", **CHIPS_TEXTS
    )


def by_key(header, row):
    return dict(zip(header, row, strict=True))


def plan_of(rows, fmt="xlsx"):
    data = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
    return plan_for_file(data, f"products.{fmt}")


def stored_texts(product):
    product.refresh_from_db()
    return {key: getattr(product, key) for key in ("name_id", "name_en", "name_zh", *TEXT_KEYS)}


# --- export ------------------------------------------------------------------------------


def test_the_contract_columns_come_first_and_the_texts_after_them():
    assert CONTRACT_KEYS == CONTRACT
    assert KEYS == CONTRACT + TEXTS
    assert TEXT_KEYS == TEXTS


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_holds_the_texts(staff_client, chips, fmt):
    _response, body = download(staff_client, f"/products/export/?format={fmt}&q=pisang")
    header, row = READERS[fmt](body)
    assert header == CONTRACT + TEXTS
    exported = by_key(header, row)
    assert exported["code"] == chips.code
    if fmt == "csv":  # what Excel shows: the apostrophe keeps the cell from being a formula
        assert exported.pop("packaging_description_en") == "'=250 g stand-up pouch"
    expected = {k: v for k, v in CHIPS_TEXTS.items() if k in exported}
    assert {key: exported[key] or "" for key in expected} == expected


def test_both_row_paths_give_the_same_texts(chips):
    queryset = Product.objects.order_by("code")
    model_rows = [row_values(product) for product in export_queryset(queryset)]
    assert list(iter_row_values(queryset, chunk_size=1)) == model_rows
    chips_row = next(row for row in model_rows if row[0] == chips.code)
    assert chips_row[len(CONTRACT) :] == [CHIPS_TEXTS[key] for key in TEXTS]


def test_export_queries_do_not_grow_with_translated_rows(staff_client, chips, make_product):
    def count():
        with CaptureQueriesContext(connection) as queries:
            download(staff_client, "/products/export/?format=xlsx")
        return len(queries)

    before = count()
    for number in range(4):
        make_product(name_id=f"Produk {number}", **CHIPS_TEXTS)
    assert count() == before


# --- import ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ods"])
def test_an_exported_file_imports_as_unchanged(staff_client, chips, fmt):
    _response, body = download(staff_client, f"/products/export/?format={fmt}")
    result = plan_for_file(body, f"export.{fmt}")
    assert result.errors == []
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 2, "invalid": 0}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_translator_edits_chinese_and_only_that_changes(staff_client, chips, fmt):
    before = stored_texts(chips)
    completeness = chips.completeness_zh
    _response, body = download(staff_client, "/products/export/?format=xlsx")
    # Open the export, type two Chinese texts, save it (as XLSX, or as CSV).
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book.worksheets[0]
    number = next(cell.row for cell in sheet["A"] if cell.value == chips.code)
    sheet.cell(number, KEYS.index("materials_zh") + 1).value = "香蕉、椰子油"
    sheet.cell(number, KEYS.index("storage_conditions_zh") + 1).value = "置于干燥处"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    else:
        data = csv_bytes([list(row) for row in sheet.iter_rows(values_only=True)])
    result = plan_for_file(data, f"translated.{fmt}")
    assert result.errors == [] and result.counts["changed"] == 1
    (changed,) = [row for row in result.rows if row.action == "changed"]
    assert changed.changes == [
        ("materials_zh", "", "香蕉、椰子油"),
        ("storage_conditions_zh", "", "置于干燥处"),
    ]
    apply_plan(result, reason="translation")
    after = stored_texts(chips)
    assert after == {
        **before,
        "materials_zh": "香蕉、椰子油",
        "storage_conditions_zh": "置于干燥处",
    }
    assert chips.completeness_zh > completeness  # recomputed by the write path
    assert chips.history.first().materials_zh == "香蕉、椰子油"  # in the change log


def test_a_file_without_the_text_columns_leaves_the_texts_alone(chips):
    before = stored_texts(chips)
    # A file of the contract columns only (as exported before the texts were added).
    rows = [CONTRACT, row_values(chips)[: len(CONTRACT)]]
    rows[1][CONTRACT.index("price_idr")] = 30_000
    result = plan_of(rows)
    assert result.errors == []
    (row,) = result.rows
    assert row.changes == [("price_idr", None, 30_000)]
    apply_plan(result)
    assert stored_texts(chips) == before
    assert chips.price_idr == 30_000


def test_only_the_columns_present_are_written(chips):
    before = stored_texts(chips)
    result = plan_of([["code", "description_zh"], [chips.code, "新的描述"]])
    apply_plan(result)
    assert stored_texts(chips) == {**before, "description_zh": "新的描述"}


def test_an_empty_cell_in_a_present_column_clears_the_text(chips):
    before = stored_texts(chips)
    result = plan_of([["code", "description_en", "materials_id"], [chips.code, "", None]])
    assert result.errors == []
    apply_plan(result)
    assert stored_texts(chips) == {**before, "description_en": "", "materials_id": ""}


@pytest.mark.parametrize(
    ("key", "length", "limit"),
    [("materials_zh", 256, 255), ("storage_conditions_en", 300, 255)],
)
def test_a_too_long_text_is_refused_and_nothing_is_written(chips, key, length, limit):
    before = stored_texts(chips)
    rows = [["code", "name_zh", key], [chips.code, "香蕉片", "x" * length]]
    result = plan_of(rows)
    assert [str(e) for e in result.errors] == [
        f"Row 2, {key}: {length} characters is too long: at most {limit}."
    ]
    with translation.override("id"):
        indonesian = [str(e) for e in plan_of(rows).errors]
    assert indonesian == [
        f"Baris 2, {key}: {length} karakter terlalu panjang: paling banyak {limit}."
    ]
    with pytest.raises(ValueError, match="errors"):
        apply_plan(result)
    assert stored_texts(chips) == before


def test_a_description_longer_than_a_spreadsheet_cell_is_refused(chips):
    result = plan_of([["code", "description_id"], [chips.code, "x" * 32_768]], fmt="csv")
    assert [str(e) for e in result.errors] == [
        "Row 2, description_id: 32768 characters is too long: at most 32767."
    ]


def test_a_new_product_takes_its_texts_from_the_file(chips):
    rows = [
        ["code", "name_id", "producer_code", "category", "materials_zh", "description"],
        ["", "Nampan jati", chips.producer.code, "kerajinan-kayu", "柚木", "Nampan dari jati"],
    ]
    result = plan_of(rows)
    assert result.errors == []
    apply_plan(result)
    tray = Product.objects.get(name_id="Nampan jati")
    assert (tray.materials_zh, tray.description_id) == ("柚木", "Nampan dari jati")


def test_old_single_language_headers_are_read_as_indonesian(chips):
    before = stored_texts(chips)
    rows = [
        ["code", "Description", "materials", "packaging_description", "storage_conditions"],
        [chips.code, "Deskripsi lama", "Pisang", "Plastik", "Kering"],
    ]
    result = plan_of(rows)
    assert result.errors == [] and result.unknown_columns == []
    apply_plan(result)
    assert stored_texts(chips) == {
        **before,
        "description_id": "Deskripsi lama",
        "materials_id": "Pisang",
        "packaging_description_id": "Plastik",
        "storage_conditions_id": "Kering",
    }


def test_an_old_header_next_to_its_new_one_is_a_duplicate(chips):
    rows = [["code", "materials_id", "materials"], [chips.code, "a", "b"]]
    with pytest.raises(ImportFileError) as info:
        plan_of(rows)
    assert info.value.message == "These columns appear more than once: materials_id (materials)."


def test_import_queries_do_not_grow_with_translated_rows(chips, make_product):
    def queries(count):
        products = Product.objects.order_by("code")[:count]
        rows = [KEYS] + [row_values(p) for p in export_queryset(products)]
        for row in rows[1:]:
            row[KEYS.index("description_zh")] = f"描述 {row[0]}"
        with CaptureQueriesContext(connection) as captured:
            apply_plan(plan_of(rows))
        return len(captured)

    for number in range(6):
        make_product(chips.producer, name_id=f"Produk {number}", description_id="Teks")
    assert queries(2) == queries(8)
    assert Product.objects.filter(description_zh__startswith="描述").count() == 8


# --- readable layout, producers, template ------------------------------------------------


def workbook_rows(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("language", "headers"),
    [
        ("en", ["Description (Indonesian)", "Description (English)", "Description (Chinese)"]),
        ("zh-hans", ["描述（印尼语）", "描述（英语）", "描述（中文）"]),
        ("id", ["Deskripsi (Indonesia)", "Deskripsi (Inggris)", "Deskripsi (Mandarin)"]),
    ],
)
def test_readable_layout_names_the_text_columns_in_the_users_language(
    staff_client, chips, language, headers
):
    rows = workbook_rows(staff_client, "/products/export/?format=xlsx&layout=readable", language)
    header = rows[0]
    assert header[len(CONTRACT) : len(CONTRACT) + 3] == headers
    assert len(header) == len(KEYS) and not set(header) & set(TEXTS)  # no key left as header
    chips_row = next(row for row in rows[1:] if row[0] == chips.code)
    assert chips_row[len(CONTRACT)] == CHIPS_TEXTS["description_id"]
    with translation.override("en"), pytest.raises(ImportFileError, match="readable export"):
        plan_of(rows)  # still refused as an import


def test_producer_export_holds_the_descriptions(staff_client, chips):
    rows = workbook_rows(staff_client, "/producers/export/?format=xlsx", "en")
    header = rows[0]
    assert header == PRODUCER_KEYS
    assert header[-3:] == ["description_id", "description_en", "description_zh"]
    producer = by_key(header, next(row for row in rows[1:] if row[1] == "Keripik Bu Sri"))
    assert (producer["description_id"], producer["description_zh"]) == ("Usaha rumahan", "家庭作坊")
    assert producer["description_en"] is None  # an empty text is an empty cell
    readable = workbook_rows(
        staff_client, "/producers/export/?format=xlsx&layout=readable", "zh-hans"
    )
    assert readable[0][-1] == "描述（中文）"


def test_producer_export_queries_do_not_grow_with_rows(staff_client, chips, make_producer):
    def count():
        with CaptureQueriesContext(connection) as queries:
            download(staff_client, "/producers/export/?format=csv")
        return len(queries)

    before = count()
    for number in range(4):
        make_producer(name=f"Pengrajin {number}", description_zh="手工")
    assert count() == before


def test_the_template_explains_the_text_columns(staff_client, make_producer):
    make_producer("35.09")
    response = staff_client.get("/products/import/template.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    products, columns = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets
    header, example = products.iter_rows(values_only=True)
    assert list(header) == KEYS
    assert dict(zip(header, example, strict=True))["description_zh"]
    explained = {row[0]: row for row in columns.iter_rows(values_only=True) if row[0]}
    for key in TEXTS:
        _key, meaning, imported, allowed = explained[key]
        assert imported == "yes" and "An empty cell clears the text" in allowed
    assert "At most 255 characters" in explained["materials_zh"][3]
    assert "At most 32,767 characters" in explained["description_en"][3]
    assert "headed materials (older files)" in explained["materials_id"][3]
    assert explained["storage_conditions_zh"][1] == "Storage conditions (Chinese)"


def test_a_translation_made_after_the_export_is_a_conflict_not_overwritten(
    staff_client, budi_client, bondowoso
):
    from tests.catalogue.spreadsheets.test_import_conflicts import edit_on_page

    data = download(staff_client, "/products/export/?format=xlsx")[1]
    edit_on_page(budi_client, bondowoso[1], description_zh="咖啡木盒")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    sheet.cell(3, KEYS.index("materials_zh") + 1).value = "柚木"  # BDW-0002, the file's edit
    buffer = io.BytesIO()
    book.save(buffer)
    result = plan_for_file(buffer.getvalue(), "old.xlsx")
    [conflict] = [row.conflict for row in result.rows if row.conflict]
    fields = {f.key: f for f in conflict.fields}
    assert fields["description_zh"].stale and fields["description_zh"].stored == "咖啡木盒"
    assert not fields["materials_zh"].newer  # the translator's own edit
