"""Loads the shipped Kemendagri region list (``regions/data/regions.csv``).

Source and licence: ``regions/data/regions_SOURCE.txt`` (Kepmendagri No. 300.2.2-2138/2025).
"""

import csv
from pathlib import Path

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"

# Three-letter prefixes for product and producer codes. They follow the usual local
# abbreviations (e.g. JBR for Jember); they are ours, not Kemendagri's.
ABBREVIATIONS = {
    "35.08": "LMJ",
    "35.09": "JBR",
    "35.10": "BWI",
    "35.11": "BDW",
    "35.12": "SIT",
    "35.13": "PBL",
    "35.74": "KPR",
}


def read_regions():
    with REGIONS_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_regions(Regency, District):
    """Create or update every regency and district; safe to run again."""
    rows = read_regions()
    regencies = {}
    for row in rows:
        if row["level"] == "regency":
            regencies[row["code"]], _ = Regency.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "kind": row["kind"],
                    "abbreviation": ABBREVIATIONS[row["code"]],
                },
            )
    for row in rows:
        if row["level"] == "district":
            District.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "regency": regencies[row["parent_code"]]},
            )
