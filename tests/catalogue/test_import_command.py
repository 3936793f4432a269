"""``manage.py import_products FILE [--dry-run] [--user USERNAME]`` (DESIGN.md, "Contract")."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from catalogue.columns import KEYS, row_values
from catalogue.models import ImportBatch, Product, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def products(make_producer, make_product):
    jember = make_producer("35.09", name="Cerutu Jember")
    banyuwangi = make_producer("35.10", name="Anyaman Osing")
    return [
        make_product(jember, "cerutu", name_id="Cerutu", moq=10, status="candidate"),
        make_product(banyuwangi, "anyaman", name_id="Tas", price_idr=85_000),
    ]


def write_xlsx(path, products, edit=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(KEYS)
    for product in products:
        row = row_values(product)
        if edit:
            edit(product, row)
        sheet.append(row)
    workbook.save(path)
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_products", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def set_moq(value):
    def edit(product, row):
        if product.name_id == "Cerutu":
            row[KEYS.index("moq")] = value

    return edit


def test_dry_run_reports_and_writes_nothing(tmp_path, products):
    path = write_xlsx(tmp_path / "list.xlsx", products, set_moq(25))
    out, err = run(path, "--dry-run")
    assert "Rows: 2 — new 0, changed 1, unchanged 1, invalid 0." in out
    assert "Dry run: nothing was written." in out
    assert err == ""
    assert Product.objects.get(name_id="Cerutu").moq == 10
    assert not ImportBatch.objects.exists()


def test_import_writes_and_records_the_batch(tmp_path, products, staff_user):
    path = write_xlsx(tmp_path / "list.xlsx", products, set_moq(25))
    out, _err = run(path, "--user", staff_user.username)
    cigar = Product.objects.get(name_id="Cerutu")
    assert cigar.moq == 25 and cigar.version == 2 and cigar.updated_by == staff_user
    batch = ImportBatch.objects.get()
    assert batch.status == "applied" and batch.changed_codes == [cigar.code]
    assert f"Imported 0 new and 1 changed products (import #{batch.pk})" in out
    assert f"/products/?imported={batch.pk}" in out


def test_errors_are_all_printed_and_nothing_is_written(tmp_path, products):
    def edit(product, row):
        row[KEYS.index("hs_code")] = "9999"
        row[KEYS.index("moq")] = 25

    path = write_xlsx(tmp_path / "list.xlsx", products, edit)
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 errors in 2 rows: nothing was written."):
        call_command("import_products", path, stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "Row 2, hs_code: 9999 is not an HS code: use 6 digits, for example 2402.10.",
        "Row 3, hs_code: 9999 is not an HS code: use 6 digits, for example 2402.10.",
    ]
    assert Product.objects.get(name_id="Cerutu").moq == 10


def test_bad_file_is_a_clear_error(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    with pytest.raises(CommandError, match="photo.xlsx is not a real XLSX file"):
        run(str(path))
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.xlsx"))


def test_regency_user_limits_apply(tmp_path, products, regency_user):
    def edit(product, row):
        row[KEYS.index("moq")] = 99

    path = write_xlsx(tmp_path / "list.xlsx", products, edit)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_products",
            path,
            "--user",
            regency_user.username,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "outside your regencies" in err.getvalue()
    assert not Product.objects.filter(moq=99).exists()


def test_unknown_or_unauthorised_user(tmp_path, products, visitor_user):
    path = write_xlsx(tmp_path / "list.xlsx", products)
    with pytest.raises(CommandError, match="No user is called nobody."):
        run(path, "--user", "nobody")
    with pytest.raises(CommandError, match="may not import products"):
        run(path, "--user", visitor_user.username)


def test_new_rows_are_created_with_status_log(tmp_path, products):
    producer = products[0].producer
    workbook = openpyxl.Workbook()
    workbook.active.append(["code", "name_id", "producer_code", "category", "status"])
    workbook.active.append(["", "Cerutu Robusto", producer.code, "cerutu", "candidate"])
    path = tmp_path / "new.xlsx"
    workbook.save(path)
    run(str(path))
    created = Product.objects.get(name_id="Cerutu Robusto")
    assert created.code == "JBR-0002"
    assert StatusChange.objects.filter(product=created, to_status="candidate").exists()
