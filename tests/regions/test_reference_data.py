"""The shipped Kemendagri region list (regions/data/regions.csv, regions_SOURCE.txt)."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from regions import reference
from regions.models import District, Regency

DATA = Path(reference.__file__).resolve().parent / "data"

# The counts written in regions/data/regions_SOURCE.txt ("COUNTS: 7 regencies + 146 kecamatan").
SOURCE_NOTE_COUNTS = {
    "35.09": ("Jember", 31),
    "35.10": ("Banyuwangi", 25),
    "35.11": ("Bondowoso", 23),
    "35.12": ("Situbondo", 17),
    "35.08": ("Lumajang", 21),
    "35.13": ("Probolinggo", 24),
    "35.74": ("Kota Probolinggo", 5),
}

pytestmark = pytest.mark.django_db


def csv_rows():
    with (DATA / "regions.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_seven_regencies_and_146_districts_are_loaded():
    assert Regency.objects.count() == 7
    assert District.objects.count() == 146


def test_loaded_regions_are_exactly_the_csv_rows():
    rows = csv_rows()
    regencies = {r["code"]: r for r in rows if r["level"] == "regency"}
    districts = {r["code"]: r for r in rows if r["level"] == "district"}
    assert {r.code: (r.name, r.kind) for r in Regency.objects.all()} == {
        code: (r["name"], r["kind"]) for code, r in regencies.items()
    }
    assert {
        d.code: (d.name, d.regency.code) for d in District.objects.select_related("regency")
    } == {code: (r["name"], r["parent_code"]) for code, r in districts.items()}


def test_pakusari_is_35_09_24_in_jember():
    pakusari = District.objects.select_related("regency").get(name="Pakusari")
    assert pakusari.code == "35.09.24"
    assert pakusari.regency.code == "35.09"
    assert pakusari.regency.name == "Kabupaten Jember"


def test_district_counts_per_regency_match_the_csv_and_the_source_note():
    csv_counts = Counter(r["parent_code"] for r in csv_rows() if r["level"] == "district")
    db_counts = {r.code: r.districts.count() for r in Regency.objects.all()}
    assert db_counts == dict(csv_counts)
    assert db_counts == {code: count for code, (_name, count) in SOURCE_NOTE_COUNTS.items()}
    for code, (name, _count) in SOURCE_NOTE_COUNTS.items():
        assert Regency.objects.get(code=code).name.endswith(name)


def test_source_note_states_the_counts_the_tests_use():
    note = (DATA / "regions_SOURCE.txt").read_text(encoding="utf-8")
    assert "7 regencies + 146 kecamatan" in note
    for code, (name, count) in SOURCE_NOTE_COUNTS.items():
        assert re.search(rf"{re.escape(code)} {re.escape(name)} {count}\b", note), code


def test_codes_are_in_dotted_kemendagri_form():
    for regency in Regency.objects.all():
        assert re.fullmatch(r"35\.\d{2}", regency.code), regency.code
        regency.full_clean()
    for district in District.objects.select_related("regency"):
        assert re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", district.code), district.code
        assert district.code.startswith(district.regency.code + "."), district.code


def test_regency_code_in_bps_form_is_rejected_by_full_clean():
    from django.core.exceptions import ValidationError

    regency = Regency(code="3509", name="Kabupaten X", kind="kabupaten", abbreviation="XXX")
    with pytest.raises(ValidationError) as excinfo:
        regency.full_clean()
    assert "code" in excinfo.value.message_dict


def test_kota_probolinggo_is_a_city_and_the_rest_are_regencies():
    kinds = dict(Regency.objects.values_list("code", "kind"))
    assert kinds.pop("35.74") == "kota"
    assert set(kinds.values()) == {"kabupaten"}


def test_abbreviations_are_unique_three_capital_letters():
    abbreviations = list(Regency.objects.values_list("abbreviation", flat=True))
    assert len(abbreviations) == len(set(abbreviations)) == 7
    for abbreviation in abbreviations:
        assert re.fullmatch(r"[A-Z]{3}", abbreviation), abbreviation
    assert Regency.objects.get(code="35.09").abbreviation == "JBR"


def test_every_csv_regency_has_an_abbreviation():
    regency_codes = {r["code"] for r in csv_rows() if r["level"] == "regency"}
    assert set(reference.ABBREVIATIONS) == regency_codes
    assert len(set(reference.ABBREVIATIONS.values())) == len(reference.ABBREVIATIONS)


def test_load_regions_again_changes_nothing():
    before = {
        "regencies": list(
            Regency.objects.values_list("pk", "code", "name", "kind", "abbreviation")
        ),
        "districts": list(District.objects.values_list("pk", "code", "name", "regency_id")),
    }
    reference.load_regions(Regency, District)
    reference.load_regions(Regency, District)
    after = {
        "regencies": list(
            Regency.objects.values_list("pk", "code", "name", "kind", "abbreviation")
        ),
        "districts": list(District.objects.values_list("pk", "code", "name", "regency_id")),
    }
    assert after == before


def test_load_regions_restores_an_edited_name_without_new_rows():
    District.objects.filter(code="35.09.24").update(name="Pakusari (typo)")
    pk = District.objects.get(code="35.09.24").pk
    reference.load_regions(Regency, District)
    pakusari = District.objects.get(code="35.09.24")
    assert (pakusari.pk, pakusari.name) == (pk, "Pakusari")
    assert District.objects.count() == 146
