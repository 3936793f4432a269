"""Every spreadsheet Etalase writes is formula-safe and never fails on stored text.

One table of (writer, how to get its file) and one list of payloads stored in product
names, producer names, category names, note texts, follow-up descriptions and the
exporting user's name. Each produced file is opened and every text cell checked:
XLSX (openpyxl) — string cells (data_type "s"), no formula, no character XML 1.0 forbids;
ODS (content.xml) — office:value-type="string", no table:formula; CSV — formula-looking
text starts with an apostrophe. A new writer gets a row in ``WRITERS``.
"""

import csv
import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from defusedxml import ElementTree
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import Category, Product, ProductPhoto
from core.spreadsheets.cells import (
    append_row,
    csv_value,
    neutralise_formula,
    restore_formula_text,
    xml_text,
)
from home.drawing import draw_product_photo
from visits.models import FollowUp, Visit, VisitNote, VisitStop

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://x")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "a\x0bb",
    "a\x01b",
    "\uff1d1+1",  # full-width equals sign
]
# W3C XML 1.0 §2.2: anything outside Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | …
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What a spreadsheet may read as a formula in a CSV field (OWASP "CSV Injection"), and
# the exception the CSV rule makes for phone-number-like text, which cannot call anything.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d")
CSV_HARMLESS = re.compile(r"[0-9 +\-()./]*")
ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def stored(text):
    """What a typed cell may hold of ``text``: forbidden characters dropped, and line ends
    as an XML parser hands them back (XML 1.0 §2.11 turns a raw CR into LF)."""
    return XML_FORBIDDEN.sub("", text).replace("\r", "\n")


@pytest.fixture
def payloads(make_producer, make_product, staff_user, visitor_user):
    """Each payload as a producer, a category, a product, a note and a follow-up."""
    staff_user.first_name, staff_user.last_name = PAYLOADS[0], PAYLOADS[6]
    staff_user.save()
    visit = Visit.objects.create(
        title="TEC a\x0bb", start_date=date(2026, 3, 19), end_date=date(2026, 3, 20)
    )
    for position, text in enumerate(PAYLOADS, start=1):
        producer = make_producer("35.09", name=text, village=text, contact_person=text)
        category = Category.objects.create(
            slug=f"payload-{position}", name=text, name_en=text, name_zh=text, profile="general"
        )
        product = make_product(
            producer=producer, category=category, name_id=text, name_en=text, name_zh=text
        )
        stop = VisitStop.objects.create(visit=visit, producer=producer, position=position)
        note = VisitNote.objects.create(
            visit=visit,
            stop=stop,
            producer=producer,
            product=product,
            author=visitor_user,
            text=text,
            requested=["samples"],
        )
        FollowUp.objects.create(
            note=note,
            producer=producer,
            product=product,
            kind="samples",
            description=text,
            owner=staff_user,
            due_date=timezone.localdate(),
        )
    first = Product.objects.order_by("code").first()
    ProductPhoto.objects.create(
        product=first, image=draw_product_photo("x", size=(80, 60)), is_primary=True
    )
    return visit


# --- How to get each file --------------------------------------------------------------


def _get(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content) if response.streaming else response.content


def _url(template):
    return lambda client, visit, tmp_path: _get(client, template.format(visit=visit))


def _command(fmt):
    def run(client, visit, tmp_path):
        path = tmp_path / f"products.{fmt}"
        call_command("export_products", str(path), stdout=io.StringIO())
        return path.read_bytes()

    return run


def _admin_export(title):
    """The Django admin's import-export export of products, in the format ``title``."""

    def run(client, visit, tmp_path, *, admin_client):
        url = "/admin/catalogue/product/export/"
        form = admin_client.get(url).context["form"]
        choices = {label.lower(): key for key, label in form.fields["format"].choices}
        assert title in choices, f"the admin offers no {title} export: {sorted(choices)}"
        data = {"format": choices[title], "resource": 0}
        data.update({name: "on" for name in form.fields if name not in data})
        data.pop("export_items", None)
        response = admin_client.post(url, data)
        assert response.status_code == 200
        assert response.get("Content-Disposition", "").startswith("attachment"), (
            "no file: " + response.content.decode(errors="replace")[:500]
        )
        return response.content

    run.needs_admin = True
    return run


WRITERS = [
    ("products xlsx", "xlsx", _url("/products/export/?format=xlsx")),
    ("products csv", "csv", _url("/products/export/?format=csv")),
    ("products ods", "ods", _url("/products/export/?format=ods")),
    ("products lookbook", "xlsx", _url("/products/export/?format=lookbook")),
    ("producers xlsx", "xlsx", _url("/producers/export/?format=xlsx")),
    ("producers csv", "csv", _url("/producers/export/?format=csv")),
    ("producers ods", "ods", _url("/producers/export/?format=ods")),
    ("export_products command xlsx", "xlsx", _command("xlsx")),
    ("export_products command csv", "csv", _command("csv")),
    ("export_products command ods", "ods", _command("ods")),
    ("visit export", "xlsx", _url("/visits/{visit.pk}/export.xlsx")),
    ("import template", "xlsx", _url("/products/import/template.xlsx")),
    ("admin export xlsx", "xlsx", _admin_export("xlsx")),
    ("admin export csv", "csv", _admin_export("csv")),
    ("admin export ods", "ods", _admin_export("ods")),
]


# --- How to read each format -----------------------------------------------------------


def xlsx_texts(body):
    book = openpyxl.load_workbook(io.BytesIO(body))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", f"{sheet.title}!{cell.coordinate}"
                    assert not XML_FORBIDDEN.search(cell.value), repr(cell.value)
                    texts.append(cell.value)
    return texts


def ods_texts(body):
    archive = zipfile.ZipFile(io.BytesIO(body))
    for name in archive.namelist():  # every part well-formed (meta.xml holds the user)
        if name.endswith(".xml"):
            ElementTree.fromstring(archive.read(name))
    content = archive.read("content.xml")
    assert b"table:formula" not in content and b"of:=" not in content
    root = ElementTree.fromstring(content)
    texts = []
    for cell in root.iter(f"{ODS_TABLE}table-cell"):
        assert f"{ODS_TABLE}formula" not in cell.attrib
        paragraphs = cell.findall(f"{ODS_TEXT}p")
        if paragraphs:
            assert cell.get(f"{ODS_OFFICE}value-type") in {"string", "float", "date", "boolean"}
            text = "\n".join("".join(p.itertext()) for p in paragraphs)
            if cell.get(f"{ODS_OFFICE}value-type") == "string":
                assert not XML_FORBIDDEN.search(text), repr(text)
                texts.append(text)
    return texts


def csv_texts(body):
    text = body.decode("utf-8-sig")
    texts = []
    for row in csv.reader(io.StringIO(text, newline="")):
        for field in row:
            if field.startswith(CSV_FORMULA_START):
                assert CSV_HARMLESS.fullmatch(field), f"{field!r} would run as a formula"
            texts.append(field)
    return texts


@pytest.mark.parametrize(
    ("name", "fmt", "produce"), WRITERS, ids=[name for name, _fmt, _produce in WRITERS]
)
def test_every_writer_keeps_stored_text_as_safe_text(
    client, staff_user, admin_user, payloads, tmp_path, name, fmt, produce
):
    client.force_login(staff_user)
    if getattr(produce, "needs_admin", False):
        client.force_login(admin_user)
        body = produce(client, payloads, tmp_path, admin_client=client)
    else:
        body = produce(client, payloads, tmp_path)
    if fmt == "csv":
        found = {restore_formula_text(text) for text in csv_texts(body)}
        missing = [p for p in PAYLOADS if p not in found]
    else:
        found = {stored(text) for text in (xlsx_texts if fmt == "xlsx" else ods_texts)(body)}
        missing = [p for p in PAYLOADS if stored(p) not in found]
    # Each writer writes at least one of the fields that hold every payload.
    assert not missing, f"{name} lost or changed {missing!r}"


# --- The shared path itself, and who uses it -------------------------------------------


def test_admin_exports_offer_only_the_safe_formats():
    """Any ModelAdmin with import-export's export (now or later) goes through the path."""
    from django.contrib import admin
    from import_export.mixins import BaseExportMixin

    from core.admin_formats import SAFE_EXPORT_FORMATS

    exporting = [a for a in admin.site._registry.values() if isinstance(a, BaseExportMixin)]
    assert exporting, "no admin exports: this test would check nothing"
    for model_admin in exporting:
        formats = model_admin.get_export_formats()
        assert formats and set(formats) <= set(SAFE_EXPORT_FORMATS), model_admin


def test_admin_xlsx_export_keeps_numbers_and_dates_native(client, admin_user, make_product):
    product = make_product(name_id="Kursi drum", price_idr=850_000)
    client.force_login(admin_user)
    body = _admin_export("xlsx")(client, None, None, admin_client=client)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["code"] == product.code and row["name_id"] == "Kursi drum"
    assert row["price_idr"] == 850_000  # a number, as the stock XLSX format gives it
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize(
    ("text", "neutralised"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign, as "="
        ("'\uff1d1", "''\uff1d1"),
        ("+62 812-3456-7890", "+62 812-3456-7890"),  # a phone number cannot do harm
        ("-2+3", "-2+3"),  # nor can arithmetic on digits: no function, no reference
        ("-", "-"),
        ("'=1", "''=1"),  # an apostrophe the user typed survives the round trip
        ("'plain", "'plain"),
        ("Kursi", "Kursi"),
        ("油桶椅", "油桶椅"),
        ("", ""),
    ],
)
def test_neutralise_formula_round_trip(text, neutralised):
    assert neutralise_formula(text) == neutralised
    assert csv_value(text) == neutralised
    assert restore_formula_text(neutralised) == text


def test_csv_value_leaves_other_values_alone():
    assert [csv_value(v) for v in (None, 12, -3, True)] == [None, 12, -3, True]


@pytest.mark.parametrize("code", [*range(0x20), 0xD800, 0xDFFF, 0xFFFE, 0xFFFF])
def test_xml_text_drops_exactly_what_xml_forbids(code):
    allowed = code in (0x9, 0xA, 0xD)
    assert xml_text(f"a{chr(code)}b") == (f"a{chr(code)}b" if allowed else "ab")


def test_xml_text_keeps_every_other_character():
    text = "Kursi drum 油桶椅 \u00a0\ud7ff\ue000\ufffd\U0001f600 <&>"
    assert xml_text(text) == text


def test_append_row_writes_text_as_strings_and_keeps_native_values():
    book = openpyxl.Workbook()
    moment = datetime(2026, 3, 19, 9, 40)
    cells = append_row(
        book.active, ["=1+1", "a\x0bb", 7, 2.5, moment, date(2026, 1, 2), True, None]
    )
    assert [c.data_type for c in cells[:4]] == ["s", "s", "n", "n"]
    assert [c.value for c in cells] == ["=1+1", "ab", 7, 2.5, moment, date(2026, 1, 2), True, None]
    buffer = io.BytesIO()
    book.save(buffer)
    again = openpyxl.load_workbook(buffer).active
    assert [c.data_type for c in again[1][:2]] == ["s", "s"]
    assert again["A1"].value == "=1+1" and again["E1"].value == moment


def test_the_admin_has_no_product_import(client, admin_user):
    """Products are imported on /products/import/ only (conflicts with newer edits, the
    readiness gate, all rows in one transaction); the admin exports."""
    client.force_login(admin_user)
    changelist = client.get("/admin/catalogue/product/").content.decode()
    assert "/admin/catalogue/product/export/" in changelist
    assert "/admin/catalogue/product/import/" not in changelist
    # Django's admin reads the path as an object id "import" and redirects: no import form.
    response = client.get("/admin/catalogue/product/import/", follow=True)
    assert response.status_code == 200
    assert 'name="import_file"' not in response.content.decode()
