"""An old spreadsheet never silently undoes newer edits: conflicts in the preview, the choice
at confirm, the command's refusal, the regency rule for rows nobody changed, and the confirm
messages."""

import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from catalogue.models import ImportBatch, Product
from catalogue.spreadsheets.columns import KEYS, row_values
from catalogue.spreadsheets.importing import plan_for_file
from catalogue.spreadsheets.importing.values import CellError, FileTime, parse_file_time
from core import roles
from tests.catalogue.conftest import backdate, last_change
from tests.catalogue.spreadsheets.test_import import csv_bytes, download, upload, xlsx_bytes
from tests.catalogue.test_product_edit import form_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PRICE = KEYS.index("price_idr")
MOQ = KEYS.index("moq")
UPDATED = KEYS.index("updated_at")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def edit_on_page(client, product, **changes):
    """Save ``product`` through its edit page, as a person would."""
    data = form_data(client.get(f"/products/{product.code}/edit/"))
    for name, value in changes.items():
        data[name] = [value]
    assert client.post(f"/products/{product.code}/edit/", data).status_code == 302


def shown(moment):
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def confirm(client, batch, **data):
    return client.post(
        f"/products/import/{batch.pk}/", {"action": "confirm", **data}, follow=True, **EN
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def old_export_reimported(staff_client, budi_client, products, fmt="xlsx"):
    """Staff export; Budi raises BDW-0002 to 777,000; staff upload the old file."""
    data = download(staff_client, f"/products/export/?format={fmt}")
    edit_on_page(budi_client, products[1], price_idr="777000")
    response = upload(staff_client, data, f"old.{fmt}")
    return ImportBatch.objects.get(), response


# --- the scenario of the issue ------------------------------------------------------------


def test_old_file_lists_the_newer_change_apart_with_who_and_when(
    staff_client, budi_client, bondowoso
):
    batch, response = old_export_reimported(staff_client, budi_client, bondowoso)
    page = response.content.decode()
    assert batch.summary["conflicts_total"] == 1
    assert batch.summary["diff_total"] == 0  # not an ordinary change
    [conflict] = batch.summary["conflicts"]
    [field] = conflict["fields"]
    assert (conflict["row"], conflict["code"]) == (3, "BDW-0002")
    assert (field["key"], field["file"], field["stored"]) == ("price_idr", "165000", "777000")
    assert field["by"] == "Budi Santoso" and field["stale"]
    # The preview page: the conflict table, apart from the diff, and the two choices.
    table = page[page.index('data-testid="import-conflict-table"') :]
    table = table[: table.index("</table>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
    text = [re.sub(r"<[^>]+>", " ", cell).split() for cell in cells]
    assert text[:2] == [["3"], ["BDW-0002", "your", "file:", "as", "of"] + text[1][5:]]
    assert [" ".join(t) for t in text[2:]] == [
        "price_idr",
        "165000 as when the file was exported",
        "777000",
        "Budi Santoso",
        shown(last_change(bondowoso[1]).history_date),
    ]
    assert "1 row was changed after your file was exported" in page
    assert 'data-testid="import-diff"' not in page
    assert 'data-testid="import-confirm"' not in page
    assert 'data-testid="import-confirm-overwrite"' in page
    # Nothing but the conflicting row would change: skipping it leaves nothing to import.
    assert 'data-testid="import-confirm-skip"' not in page
    assert "Without the conflicting rows there is nothing to import." in page
    assert 'data-count="conflicts">1<' in page


def test_confirm_without_a_choice_writes_nothing(staff_client, budi_client, bondowoso):
    batch, _response = old_export_reimported(staff_client, budi_client, bondowoso)
    response = confirm(staff_client, batch)
    assert messages_of(response) == [
        "Nothing was written: 1 row was changed after the file was exported. "
        "Choose whether to skip it or to overwrite the newer changes."
    ]
    assert Product.objects.get(code="BDW-0002").price_idr == 777_000
    batch.refresh_from_db()
    assert batch.status == "previewed"


def test_skipping_conflicts_keeps_the_newer_value(staff_client, budi_client, bondowoso, budi):
    data = download(staff_client, "/products/export/?format=xlsx")
    edit_on_page(budi_client, bondowoso[1], price_idr="777000")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook.active["M2"] = 95_000  # the file's own edit of BDW-0001: imported
    assert workbook.active["M1"].value == "price_idr"
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(staff_client, buffer.getvalue(), "old.xlsx").content.decode()
    assert "Import without the conflicting rows: 0 new, 1 changed" in preview
    assert "Import and overwrite the newer changes: 0 new, 2 changed" in preview
    batch = ImportBatch.objects.get()
    response = confirm(staff_client, batch, conflicts="skip")
    assert messages_of(response) == [
        "Imported: 0 new and 1 changed products. 1 row changed since the "
        "file was exported was skipped."
    ]
    stored = {p.code: p for p in Product.objects.all()}
    assert stored["BDW-0002"].price_idr == 777_000
    assert stored["BDW-0002"].updated_by == budi
    assert stored["BDW-0001"].price_idr == 95_000
    batch.refresh_from_db()
    assert batch.changed_codes == ["BDW-0001"]
    page = response.content.decode()
    assert "These rows were skipped: the newer changes stay." in page
    assert "Newer value, kept" in page and "Stored now" not in page
    assert 'data-count="changed">1<' in page  # what was written, not the skipped row


def test_overwriting_writes_the_file_and_the_history_records_the_choice(
    staff_client, staff_user, budi_client, bondowoso
):
    batch, _response = old_export_reimported(staff_client, budi_client, bondowoso)
    response = confirm(staff_client, batch, conflicts="overwrite")
    assert messages_of(response) == [
        "Imported: 0 new and 1 changed products. Newer changes were overwritten in 1 "
        "product; its history records that."
    ]
    product = Product.objects.get(code="BDW-0002")
    assert product.price_idr == 165_000 and product.updated_by == staff_user
    entry = last_change(product)
    assert entry.history_user == staff_user
    assert entry.history_change_reason == (
        f"Import #{batch.pk}, overwriting newer changes: old.xlsx"
    )
    assert "Newer value, overwritten" in response.content.decode()
    listed = staff_client.get(f"/products/?imported={batch.pk}", **EN).content.decode()
    assert "BDW-0002" in listed and "BDW-0001" not in listed


def test_product_history_names_the_import_that_overwrote_newer_changes(
    staff_client, budi_client, bondowoso
):
    batch, _response = old_export_reimported(staff_client, budi_client, bondowoso)
    confirm(staff_client, batch, conflicts="overwrite")
    page = staff_client.get("/products/BDW-0002/", **EN).content.decode()
    assert (
        f'<a href="/products/?imported={batch.pk}">Import #{batch.pk}, which overwrote newer '
        "changes</a>"
    ) in page


def test_a_change_between_preview_and_confirm_is_a_conflict_too(
    staff_client, budi_client, bondowoso
):
    data = download(staff_client, "/products/export/?format=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook.active["N3"] = 12  # moq of BDW-0002, edited in the file
    assert workbook.active["N1"].value == "moq"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload(staff_client, buffer.getvalue(), "edited.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.summary["conflicts_total"] == 0
    edit_on_page(budi_client, bondowoso[1], price_idr="777000")  # after the preview
    response = confirm(staff_client, batch)
    assert (
        "Nothing was written: the catalogue changed since the preview" in (messages_of(response)[0])
    )
    batch.refresh_from_db()
    assert batch.summary["conflicts_total"] == 1
    # The refreshed preview no longer offers a plain confirm: the old form's button is
    # refused and the newer price stays.
    assert 'data-testid="import-confirm"' not in response.content.decode()
    confirm(staff_client, batch)
    assert Product.objects.get(code="BDW-0002").price_idr == 777_000
    confirm(staff_client, batch, conflicts="skip")
    product = Product.objects.get(code="BDW-0002")
    assert (product.price_idr, product.moq) == (777_000, None)  # the whole row skipped


def test_each_field_names_its_own_editor_and_own_edits_are_marked(
    staff_client, budi_client, bondowoso
):
    data = download(staff_client, "/products/export/?format=csv")
    edit_on_page(budi_client, bondowoso[1], price_idr="777000")
    sari = User.objects.create_user("sari", first_name="Sari", last_name="Dewi")
    sari.groups.add(Group.objects.get(name=roles.REGIONAL_STAFF))
    other = Client()
    other.force_login(sari)
    edit_on_page(other, bondowoso[1], moq="40")
    text = data.decode("utf-8-sig").replace("Kotak kopi", "Kotak kopi Ijen")
    upload(staff_client, text.encode("utf-8-sig"), "old.csv")
    [conflict] = ImportBatch.objects.get().summary["conflicts"]
    fields = {f["key"]: (f["file"], f["stored"], f["by"], f["newer"]) for f in conflict["fields"]}
    assert fields == {
        "name_id": ("Kotak kopi Ijen", "Kotak kopi", "", False),
        "price_idr": ("165000", "777000", "Budi Santoso", True),
        "moq": ("", "40", "Sari Dewi", True),
    }
    page = staff_client.get(f"/products/import/{ImportBatch.objects.get().pk}/", **EN)
    assert "changed only in your file" in page.content.decode()


def test_a_change_the_file_does_not_touch_is_no_conflict(staff_client, budi_client, bondowoso):
    data = download(staff_client, "/products/export/?format=xlsx")
    edit_on_page(budi_client, bondowoso[1], weight_kg="1.5")  # a field with no column
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook.active["N3"] = 12  # moq of BDW-0002
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = plan_for_file(buffer.getvalue(), "x.xlsx")
    assert result.errors == [] and not result.conflicts
    assert result.counts["changed"] == 1


# --- precision: an unchanged exported row is never a conflict ----------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ods", "lookbook"])
@pytest.mark.parametrize("microsecond", [0, 1, 999_999])
def test_round_trip_has_no_false_conflicts(staff_client, bondowoso, fmt, microsecond):
    backdate(microsecond=microsecond)
    data = download(staff_client, f"/products/export/?format={fmt}")
    name = "export.xlsx" if fmt == "lookbook" else f"export.{fmt}"
    result = plan_for_file(data, name)
    assert result.errors == [] and result.conflicts == []
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 2, "invalid": 0}
    # An edit in the file of a product nobody touched since: an ordinary change.
    rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")]
    rows[2][PRICE] = 170_000
    edited = plan_for_file(xlsx_bytes(rows), "edited.xlsx")
    assert edited.counts["changed"] == 1 and edited.conflicts == []


def test_a_save_one_second_later_is_a_conflict(bondowoso):
    moment = backdate(microsecond=999_999)
    rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")]
    rows[2][PRICE] = 170_000
    Product.objects.filter(code="BDW-0002").update(
        moq=4,
        updated_at=moment + datetime.timedelta(microseconds=1),  # the next second
    )
    assert [row.code for row in plan_for_file(xlsx_bytes(rows), "x.xlsx").conflicts] == ["BDW-0002"]


def test_excel_resaved_csv_compares_at_its_minute_precision(bondowoso):
    moment = timezone.localtime(backdate(microsecond=0)).replace(second=42)
    Product.objects.update(updated_at=moment)
    Product.history.update(history_date=moment)
    header, rows = KEYS, [row_values(p) for p in Product.objects.order_by("code")]
    for row in rows:
        row[UPDATED] = f"{moment:%d/%m/%Y %H:%M}"  # Excel, Indonesian locale: no seconds
    rows[1][PRICE] = 170_000
    result = plan_for_file(csv_bytes([header, *rows]), "resaved.csv")
    assert result.errors == [] and result.conflicts == []
    later = moment + datetime.timedelta(minutes=1)
    Product.objects.filter(code="BDW-0002").update(moq=4, updated_at=later)
    assert len(plan_for_file(csv_bytes([header, *rows]), "resaved.csv").conflicts) == 1


@pytest.mark.parametrize(
    "value,local,precision",
    [
        (
            46354.645833333336,
            datetime.datetime(2026, 11, 28, 15, 30),
            datetime.timedelta(seconds=1),
        ),
        ("2026-11-28 15:30:07", datetime.datetime(2026, 11, 28, 15, 30, 7), None),
        (
            "2026-11-28T15:30",
            datetime.datetime(2026, 11, 28, 15, 30),
            datetime.timedelta(minutes=1),
        ),
        (
            "28/11/2026 15.30",
            datetime.datetime(2026, 11, 28, 15, 30),
            datetime.timedelta(minutes=1),
        ),
        ("28-11-26", datetime.datetime(2026, 11, 28), datetime.timedelta(days=1)),
        (datetime.date(2026, 11, 28), datetime.datetime(2026, 11, 28), datetime.timedelta(days=1)),
        (
            "2026-11-28 08:30:07+00:00",  # another zone: read as the same moment
            datetime.datetime(2026, 11, 28, 15, 30, 7),
            None,
        ),
    ],
)
def test_updated_at_as_spreadsheets_write_it(value, local, precision):
    stamp = parse_file_time(value)
    assert timezone.localtime(stamp.moment).replace(tzinfo=None) == local
    assert stamp.precision == (precision or datetime.timedelta(seconds=1))


@pytest.mark.parametrize("value", ["yesterday", "31/02/2026", -3, "2026-13-01", True])
def test_unreadable_updated_at_is_explained(value):
    with pytest.raises(CellError, match="is not a date and time: leave updated_at as"):
        parse_file_time(value)


def test_file_time_compares_at_its_precision():
    moment = timezone.make_aware(datetime.datetime(2026, 11, 28, 15, 30))
    second = FileTime(moment)
    assert not second.is_before(moment.replace(microsecond=999_999))
    assert second.is_before(moment.replace(second=1))
    minute = FileTime(moment, datetime.timedelta(minutes=1))
    assert not minute.is_before(moment.replace(second=59, microsecond=999_999))
    assert minute.is_before(moment.replace(minute=31))


def test_unreadable_updated_at_is_an_error_only_on_rows_that_change(bondowoso):
    rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")]
    rows[1][UPDATED] = rows[2][UPDATED] = "yesterday"
    rows[2][PRICE] = 170_000
    result = plan_for_file(xlsx_bytes(rows), "x.xlsx")
    assert [str(e) for e in result.errors] == [
        "Row 3, updated_at: yesterday is not a date and time: leave updated_at as the export "
        "wrote it (for example 2026-11-28 15:30:00), or empty the cell."
    ]


# --- files without updated_at ------------------------------------------------------------


def test_rows_without_updated_at_behave_as_before(staff_client, budi_client, bondowoso):
    rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")]
    edit_on_page(budi_client, bondowoso[0], price_idr="91000")
    edit_on_page(budi_client, bondowoso[1], price_idr="777000")
    rows[1][UPDATED] = None  # a hand-made row: an ordinary change, as before
    result = plan_for_file(xlsx_bytes(rows), "x.xlsx")
    assert {row.code: (row.action, bool(row.conflict)) for row in result.rows} == {
        "BDW-0001": ("changed", False),
        "BDW-0002": ("changed", True),
    }
    hand_made = [["code", "price_idr"], ["BDW-0001", 92_000]]
    upload(staff_client, xlsx_bytes(hand_made), "hand.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.summary["conflicts_total"] == 0
    confirm(staff_client, batch)
    assert Product.objects.get(code="BDW-0001").price_idr == 92_000


# --- regency staff -----------------------------------------------------------------------


def test_regency_staff_reimporting_a_whole_export_are_not_blocked_by_rows_they_kept(
    client, regency_user, make_producer, make_product, budi_client
):
    jember = make_product(make_producer("35.09"), name_id="Kursi drum", moq=5)
    banyuwangi = make_product(make_producer("35.10"), name_id="Tas anyaman", moq=3)
    backdate()
    client.force_login(regency_user)
    data = download(client, "/products/export/?format=xlsx")  # the whole catalogue
    edit_on_page(budi_client, banyuwangi, moq="30")  # Banyuwangi: not theirs
    assert plan_for_file(data, "all.xlsx", regency_user).errors == []
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == jember.code)
    row[MOQ].value = 9  # their own product, edited in the file
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, buffer.getvalue(), "all.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.summary["errors_total"] == 0 and batch.summary["conflicts_total"] == 0
    assert batch.summary["left_alone"] == [banyuwangi.code]
    assert "outside your regencies was changed after your file" in response.content.decode()
    confirm(client, batch)
    assert Product.objects.get(pk=jember.pk).moq == 9
    assert Product.objects.get(pk=banyuwangi.pk).moq == 30


def test_regency_staff_still_may_not_change_rows_outside_their_regencies(
    regency_user, make_producer, make_product, budi_client
):
    banyuwangi = make_product(make_producer("35.10"), name_id="Tas anyaman", moq=3)
    backdate()
    rows = [KEYS, row_values(Product.objects.get(pk=banyuwangi.pk))]  # as exported
    edit_on_page(budi_client, banyuwangi, moq="30")
    rows[1][PRICE] = 1  # changed in the file: theirs to refuse
    result = plan_for_file(xlsx_bytes(rows), "x.xlsx", regency_user)
    assert [e.refused for e in result.errors] == [True]
    assert result.rows[0].conflict is not None  # a conflict too, but not theirs to resolve


# --- queries -----------------------------------------------------------------------------


def test_conflict_queries_do_not_grow_with_rows(bondowoso, make_product, budi):
    producer = bondowoso[0].producer
    for _ in range(20):
        make_product(producer, "kerajinan-kayu", price_idr=10)
    backdate()
    rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")]
    for product in Product.objects.all():
        product.price_idr = 11
        product._history_user = budi
        product.save()

    def queries(count):
        data = xlsx_bytes(rows[: count + 1])
        with CaptureQueriesContext(connection) as captured:
            result = plan_for_file(data, "x.xlsx")
        assert len(result.conflicts) == count
        return len(captured)

    assert queries(2) == queries(20)


# --- confirm messages (8c) ---------------------------------------------------------------


def test_confirming_twice_says_it_was_already_applied(staff_client, bondowoso):
    rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")]
    rows[1][MOQ] = 8
    upload(staff_client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    first = confirm(staff_client, batch)
    assert messages_of(first) == ["Imported: 0 new and 1 changed products."]
    second = confirm(staff_client, batch)  # the same page, still open in a second tab
    batch.refresh_from_db()
    [message] = messages_of(second)
    assert message.startswith(
        f"This import was already applied on {shown(batch.applied_at)}; nothing was written again."
    )
    assert f'<a href="/products/?imported={batch.pk}">' in second.content.decode()
    assert "Imported:" not in second.content.decode()
    assert Product.history.filter(history_change_reason__startswith="Import").count() == 1


def test_confirming_refused_rows_gives_the_real_reason(
    client, regency_user, make_producer, make_product
):
    theirs = make_product(make_producer("35.09"), name_id="Kursi")
    other = make_product(make_producer("35.10"), name_id="Tas")
    client.force_login(regency_user)
    rows = [KEYS, row_values(theirs), row_values(other)]
    rows[1][MOQ] = rows[2][MOQ] = 7
    upload(client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    response = confirm(client, batch)  # a crafted or stale POST: the page offers no button
    assert messages_of(response) == [
        "Nothing was written: 1 row is a product outside your regencies, which you may not "
        "change (listed below). Leave it as exported or remove it, then upload the file again."
    ]
    assert "the catalogue changed since the preview" not in response.content.decode()
    assert not Product.objects.filter(moq=7).exists()


def test_confirming_a_file_with_errors_says_so(staff_client, bondowoso):
    rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")]
    rows[1][KEYS.index("hs_code")] = "9999"
    upload(staff_client, xlsx_bytes(rows))
    response = confirm(staff_client, ImportBatch.objects.get())
    assert messages_of(response) == [
        "Nothing was written: the file has 1 error (listed below). Fix it and upload the "
        "file again."
    ]
