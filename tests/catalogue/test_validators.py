"""NIB and HS-code validators, and the HS 2022 list they check against (hs_SOURCE.txt)."""

import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalogue import reference
from catalogue.models import HSCode, Producer
from catalogue.validators import normalise_hs_code, validate_hs_code, validate_nib

DATA = Path(reference.__file__).resolve().parent / "data"


def read_csv(name):
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- HS 2022 list -------------------------------------------------------------------------


@pytest.mark.django_db
def test_all_5612_subheadings_of_hs6_csv_are_loaded():
    rows = read_csv("hs6.csv")
    assert len(rows) == 5612  # hs_SOURCE.txt: "5,612 subheadings"
    loaded = dict(HSCode.objects.filter(level=6).values_list("code", "parent"))
    assert loaded == {row["code"]: row["parent"] for row in rows}


@pytest.mark.django_db
def test_headings_and_chapters_of_hs4_csv_are_loaded():
    rows = read_csv("hs4.csv")
    chapters = {r["code"] for r in rows if len(r["code"]) == 2}
    headings = {r["code"] for r in rows if len(r["code"]) == 4}
    assert (len(chapters), len(headings)) == (96, 1228)  # hs_SOURCE.txt
    assert set(HSCode.objects.filter(level=2).values_list("code", flat=True)) == chapters
    assert set(HSCode.objects.filter(level=4).values_list("code", flat=True)) == headings
    assert HSCode.objects.count() == 5612 + 96 + 1228


@pytest.mark.django_db
def test_every_subheading_parent_is_a_loaded_heading():
    headings = set(HSCode.objects.filter(level=4).values_list("code", flat=True))
    parents = set(HSCode.objects.filter(level=6).values_list("parent", flat=True))
    assert parents <= headings


@pytest.mark.django_db
def test_regional_flag_is_set_exactly_for_hs_selected_codes():
    selected = {row["code"] for row in read_csv("hs_selected.csv")}
    assert len(selected) == 89  # hs_SOURCE.txt: "89 subheadings"
    assert set(HSCode.objects.filter(regional=True).values_list("code", flat=True)) == selected


@pytest.mark.django_db
def test_cigars_subheading_is_regional_and_written_dotted():
    cigars = HSCode.objects.get(code="240210")
    assert cigars.regional
    assert cigars.dotted == "2402.10"
    assert HSCode.objects.get(code="2402").dotted == "2402"


@pytest.mark.django_db
def test_loading_hs_codes_again_adds_nothing():
    count = HSCode.objects.count()
    reference.load_hs_codes(HSCode)
    assert HSCode.objects.count() == count


# --- validate_hs_code ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["240210", "2402.10", "2402 10", " 240210 "])
def test_hs_code_in_the_list_is_accepted_in_any_usual_spelling(value):
    validate_hs_code(value)
    assert normalise_hs_code(value) == "240210"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9999", "invalid_hs_code"),
        ("999999", "unknown_hs_code"),  # Comtrade pseudo-code, dropped from hs6.csv
        ("abc", "invalid_hs_code"),
        ("24021", "invalid_hs_code"),
        ("2402101", "invalid_hs_code"),
        ("2402", "invalid_hs_code"),  # a heading, not a subheading
        ("２４０２１０", "invalid_hs_code"),  # full-width digits
    ],
)
def test_bad_hs_code_is_rejected_with_a_message_naming_it(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_hs_code(value)
    assert excinfo.value.code == code
    assert value in excinfo.value.messages[0]


@pytest.mark.django_db
def test_every_hs_selected_code_passes_validation():
    for row in read_csv("hs_selected.csv"):
        validate_hs_code(f"{row['code'][:4]}.{row['code'][4:]}")


# --- NIB ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["9120001234567", "0000000000000", "1234567890123"])
def test_thirteen_digit_nib_is_accepted(value):
    validate_nib(value)


@pytest.mark.parametrize(
    "value",
    [
        "912000123456",  # 12 digits
        "91200012345678",  # 14 digits
        "912000123456A",
        "NIB9120001234",
        "9120 001234567",
        " 9120001234567",
        "9120001234567\n",
        "912-000-1234567",
        "９１２０００１２３４５６７",  # full-width digits
        "١٢٣٤٥٦٧٨٩٠١٢٣",  # Arabic-Indic digits
        "",
    ],
)
def test_nib_that_is_not_exactly_13_ascii_digits_is_rejected(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_nib(value)
    assert excinfo.value.code == "invalid_nib"


@pytest.mark.django_db
def test_producer_full_clean_rejects_bad_nib(make_producer):
    producer = make_producer()
    producer.nib = "12345"
    with pytest.raises(ValidationError) as excinfo:
        producer.full_clean()
    assert set(excinfo.value.message_dict) == {"nib"}
    producer.nib = "9120001234567"
    producer.full_clean()


@pytest.mark.django_db
def test_nib_is_unique_when_given(make_producer):
    make_producer(nib="9120001234567")
    twin = make_producer(name="Twin")
    twin.nib = "9120001234567"
    with pytest.raises(ValidationError):
        twin.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        twin.save()
    twin.nib = "9120001234568"
    twin.full_clean()
    twin.save()


@pytest.mark.django_db
def test_several_producers_may_have_no_nib(make_producer):
    first = make_producer(nib="")
    second = make_producer(nib="")
    second.full_clean()
    assert Producer.objects.filter(pk__in=[first.pk, second.pk], nib="").count() == 2
