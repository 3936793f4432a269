"""``manage.py import_products FILE [--dry-run] [--user USERNAME]
[--skip-conflicts | --overwrite-newer]`` (README, "Contract")."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import translation

from catalogue.models import ImportBatch, Product, StatusChange
from catalogue.spreadsheets.columns import KEYS, row_values
from tests.catalogue.conftest import backdate, last_change
from tests.catalogue.spreadsheets.test_import import xlsx_bytes

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


MOQ = KEYS.index("moq")


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


# --- conflicts: rows whose product changed after the export -------------------------------


def old_file(tmp_path, budi):
    path = tmp_path / "old.xlsx"
    rows = [KEYS] + [row_values(p) for p in Product.objects.order_by("code")]
    rows[1][MOQ] = 6  # BDW-0001: the file's own edit
    path.write_bytes(xlsx_bytes(rows))
    product = Product.objects.get(code="BDW-0002")
    product.price_idr = 777_000
    product._history_user = budi
    product.stamp(budi)
    product.save()
    return str(path)


def test_command_refuses_conflicts_and_names_the_rows(tmp_path, bondowoso, budi):
    path = old_file(tmp_path, budi)
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"1 rows conflict .* \(rows 3\): nothing was written"):
        call_command("import_products", path, stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Row 3, BDW-0002: changed after the file's updated_at (")
    assert lines[1].startswith(
        "  price_idr: in the file 165000, stored now 777000 (changed by Budi Santoso on "
    )
    assert Product.objects.get(code="BDW-0002").price_idr == 777_000
    assert Product.objects.get(code="BDW-0001").moq is None
    assert not ImportBatch.objects.exists()
    with pytest.raises(CommandError, match="--skip-conflicts"):
        run(path, "--dry-run")


def test_command_exits_non_zero_on_conflicts(tmp_path, bondowoso, budi, capsys):
    path = old_file(tmp_path, budi)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_products", path]).execute()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Row 3, BDW-0002" in err and "(rows 3): nothing was written" in err


def test_command_skip_conflicts(tmp_path, bondowoso, budi):
    out, _err = run(old_file(tmp_path, budi), "--skip-conflicts")
    assert "Imported 0 new and 1 changed products" in out
    assert "Skipped 1 rows changed after the file was exported: 3." in out
    assert Product.objects.get(code="BDW-0002").price_idr == 777_000
    assert Product.objects.get(code="BDW-0001").moq == 6


def test_command_overwrite_newer(tmp_path, bondowoso, budi, staff_user):
    out, _err = run(old_file(tmp_path, budi), "--overwrite-newer", "--user", staff_user.username)
    assert "Overwrote newer changes in 1 products: BDW-0002." in out
    product = Product.objects.get(code="BDW-0002")
    assert product.price_idr == 165_000
    batch = ImportBatch.objects.get()
    assert last_change(product).history_change_reason == (
        f"Import #{batch.pk}, overwriting newer changes: old.xlsx"
    )
    assert set(batch.changed_codes) == {"BDW-0001", "BDW-0002"}


def test_command_flags_exclude_each_other(tmp_path, bondowoso, budi):
    with pytest.raises(CommandError, match="not allowed with argument --skip-conflicts"):
        run(old_file(tmp_path, budi), "--skip-conflicts", "--overwrite-newer")


def test_command_leaves_alone_rows_regency_staff_did_not_change(
    tmp_path, make_producer, make_product, regency_user, budi
):
    theirs = make_product(make_producer("35.09"), name_id="Kursi", moq=5)
    other = make_product(make_producer("35.10"), name_id="Tas", moq=3)
    backdate()
    theirs, other = (Product.objects.get(pk=p.pk) for p in (theirs, other))  # as exported
    rows = [KEYS, row_values(theirs), row_values(other)]
    rows[1][MOQ] = 9
    path = tmp_path / "all.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    other.moq = 30
    other._history_user = budi
    other.save()
    out, err = run(str(path), "--user", regency_user.username)
    assert (
        f"Left as they are: 1 rows outside your regencies that others changed after the "
        f"file was exported: {other.code}." in out
    )
    assert err == ""
    assert Product.objects.get(pk=theirs.pk).moq == 9
    assert Product.objects.get(pk=other.pk).moq == 30
