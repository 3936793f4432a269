"""Import file readers (core/spreadsheets/reading/files.py, xlsx.py, ods.py): bounded
cost, UTF-16.

Files over the limits are made small by lowering the limits; the
figures for the real limits are printed by ``benchmarks/import_files.py``.
"""

import codecs
import io
import zipfile
from datetime import date

import pytest
from django.utils import translation

from core.spreadsheets.reading import files as import_files
from core.spreadsheets.reading.files import CompactRows, ImportFileError, read_spreadsheet

KEYS = ["code", "name_id", "name_zh", "price_idr"]
ROWS = [["JBR-0001", "Kursi drum", "鼓椅", "850000"], ["JBR-0002", "Meja jati", "柚木桌", "1200"]]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refusal(data, name):
    with pytest.raises(ImportFileError) as info:
        read_spreadsheet(data, name, KEYS)
    return info.value.message


def values(sheet):
    return [[str(v) for v in row] for _number, row in sheet.rows]


# --- ODS ----------------------------------------------------------------------------------

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods(*rows, tables=""):
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}>'
        "<office:body><office:spreadsheet><table:table>"
        + "".join(rows)
        + f"</table:table>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def cell(value="", repeat=1, extra=""):
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    paragraph = f"<text:p>{value}</text:p>" if value else ""
    attributes = f'office:value-type="string"{repeated}'
    return f"<table:table-cell {attributes}>{paragraph}{extra}</table:table-cell>"


def row(*cells, repeat=1):
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{''.join(cells)}</table:table-row>"


def product_rows():
    return [row(*(cell(key) for key in KEYS))] + [row(*(cell(v) for v in r)) for r in ROWS]


def test_ods_is_read_as_before_with_text_spaces_comments_and_padding():
    spaced = '<text:p>Kursi<text:s text:c="2"/>drum<text:line-break/>jati</text:p>'
    comment = "<office:annotation><text:p>not a value</text:p></office:annotation>"
    data = ods(
        row(
            *(cell(key) for key in KEYS), '<table:table-cell table:number-columns-repeated="1000"/>'
        ),
        row(cell("JBR-0001"), f"<table:table-cell>{spaced}{comment}</table:table-cell>"),
        row("<table:table-cell/>", repeat=1_048_000),
        row(
            cell("JBR-0002"),
            cell("Meja"),
            '<table:table-cell table:number-columns-repeated="16000"/>',
        ),
        tables=f"<table:table>{row(cell('JBR-9999'))}</table:table>",
    )
    sheet = read_spreadsheet(data, "list.ods", KEYS)
    assert sheet.header == KEYS
    assert sheet.rows == [(2, ["JBR-0001", "Kursi  drum\njati"]), (1_048_003, ["JBR-0002", "Meja"])]


def test_ods_with_too_many_elements_is_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_XML_ELEMENTS", 1000)
    # The shape of the 255 KB file that took 45 s: a row of millions of empty elements.
    data = ods(*product_rows(), row(cell("JBR-0003"), *["<table:table-cell/>"] * 2000))
    message = refusal(data, "list.ods")
    assert message.startswith("The file has more than 1,000 XML elements")
    assert "Delete the empty rows and columns" in message


def test_ods_repeats_count_as_the_cells_they_stand_for(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_CELLS", 100)
    data = ods(*product_rows(), row(*(cell(v) for v in ROWS[0]), repeat=50))
    assert refusal(data, "list.ods") == (
        "The file has more than 100 filled cells; split it into smaller files."
    )


def test_ods_value_repeated_across_a_million_columns_is_cut_at_the_column_limit(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_COLUMNS", 10)
    data = ods(*product_rows(), row(cell("x", repeat=1_000_000)))
    sheet = read_spreadsheet(data, "list.ods", KEYS)
    assert sheet.rows[-1][1] == ["x"] * 20


def test_ods_row_repeated_past_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_DATA_ROWS", 5)
    data = ods(*product_rows(), row(*(cell(v) for v in ROWS[0]), repeat=1_000_000))
    assert refusal(data, "list.ods") == (
        "The file has more than 5 rows; split it into smaller files."
    )


def test_ods_long_run_of_spaces_is_capped():
    data = ods(*product_rows(), row(cell("JBR-0003"), cell('a<text:s text:c="1000000000"/>b')))
    sheet = read_spreadsheet(data, "list.ods", KEYS)
    assert sheet.rows[-1][1][1] == "a" + " " * 1000 + "b"


# --- XLSX ---------------------------------------------------------------------------------


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx(rows):
    """A minimal workbook whose every cell is a shared string (as Excel writes text)."""
    strings = sorted({str(value) for values_ in rows for value in values_})
    index = {text: number for number, text in enumerate(strings)}
    sheet_rows = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{"ABCDEFGH"[c]}{r}" t="s"><v>{index[str(v)]}</v></c>'
            for c, v in enumerate(values_)
        )
        + "</row>"
        for r, values_ in enumerate(rows, start=1)
    )
    members = {
        "xl/workbook.xml": f'<workbook {MAIN} xmlns:r="{RELS}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{RELS}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f"<sst {MAIN}>"
        + "".join(f"<si><t>{text}</t></si>" for text in strings)
        + "</sst>",
        "xl/worksheets/sheet1.xml": f"<worksheet {MAIN}><sheetData>{sheet_rows}</sheetData>"
        "</worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_xlsx_with_too_many_shared_strings_is_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_SHARED_STRINGS", 10)
    data = xlsx([KEYS] + [[f"JBR-{n:04d}", f"Produk {n}"] for n in range(20)])
    assert refusal(data, "list.xlsx") == (
        "The workbook holds more than 10 different texts, far more than a product list "
        "needs; split it into smaller files."
    )
    monkeypatch.setattr(import_files, "MAX_SHARED_STRINGS", 100)
    assert len(read_spreadsheet(data, "list.xlsx", KEYS).rows) == 20


def test_xlsx_with_too_much_shared_text_is_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_SHARED_CHARACTERS", 1000)
    data = xlsx([KEYS, ["JBR-0001", "x" * 2000]])
    assert "more than 1,000 characters of text" in refusal(data, "list.xlsx")


def test_xlsx_with_too_many_elements_is_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_XML_ELEMENTS", 500)
    data = xlsx([KEYS] + [list(r) for r in ROWS] * 100)
    assert refusal(data, "list.xlsx").startswith("The file has more than 500 XML elements")


def test_xlsx_cells_are_counted(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_CELLS", 30)
    data = xlsx([KEYS] + [list(r) for r in ROWS] * 10)
    assert refusal(data, "list.xlsx") == (
        "The file has more than 30 filled cells; split it into smaller files."
    )


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_utf16_csv_with_a_bom_is_read(encoding, delimiter):
    # Excel's "Unicode Text" is UTF-16LE with a BOM, TAB-separated.
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    text = "\r\n".join(delimiter.join(line) for line in [KEYS, *ROWS]) + "\r\n"
    data = bom + text.encode(encoding)
    assert b"\x00" in data[:20]
    sheet = read_spreadsheet(data, "Produk.csv", KEYS)
    assert sheet.header == KEYS
    assert values(sheet) == ROWS


def test_utf16_csv_that_is_not_valid_utf16_is_refused():
    data = codecs.BOM_UTF16_LE + "code\tname_id\r\n".encode("utf-16-le") + b"\x00\xd8"
    assert "not valid UTF-16" in refusal(data, "list.csv")


def test_binary_data_renamed_to_csv_is_still_refused():
    data = b"\x01\x02\x00\x00" * 100
    assert "binary data" in refusal(data, "list.csv")


def test_packed_rows_give_back_their_values_and_can_be_let_go():
    # A sheet's rows are held packed (marshal); what marshal cannot pack (an ODS date)
    # is kept as it is.
    rows = CompactRows([(2, ["JBR-0001", 1_250_000, 2.5, None, True, "油桶椅"])])
    rows.append((3, ["JBR-0002", date(2026, 12, 3)]))
    assert rows == [
        (2, ["JBR-0001", 1_250_000, 2.5, None, True, "油桶椅"]),
        (3, ["JBR-0002", date(2026, 12, 3)]),
    ]
    assert rows[-1][1][1] == date(2026, 12, 3) and len(rows) == 2
    rows[0] = None
    assert rows[0] is None and list(rows)[1][0] == 3
