"""Product spreadsheet import: validate every row, show what would change, then apply it all.

The flow (STYLE.md, "imports"): ``read_spreadsheet`` (``catalogue.import_files``) gives the
rows; ``build_plan`` checks every row against the catalogue and works out, per row, whether
it creates, changes or leaves a product alone, collecting *every* error as
"Row 12, hs_code: …" (row numbers as the spreadsheet shows them, the header being row 1);
``apply_plan`` writes a plan without errors in one transaction. The web preview
(``analyse``/``confirm``) and ``manage.py import_products`` share these functions.

Columns and keys are those of ``catalogue.columns`` (DESIGN.md, "Contract"); rows match
products on ``code``. Only ``columns.WRITABLE`` is written: readiness, certifications,
photos and timestamps are computed or kept elsewhere, and regency/district belong to the
producer (checked against it, never written). Everything is loaded in bulk (producers,
categories, HS codes, the products named in the file), so the time does not grow with
queries per row.
"""

import copy
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from catalogue import access
from catalogue.choices import PackagingStatus, PromotionStatus, ReadinessProfile
from catalogue.columns import KEYS, WRITABLE, restore_formula_text
from catalogue.import_files import ImportFileError, check_size, read_spreadsheet
from catalogue.models import (
    Category,
    Certification,
    HSCode,
    ImportBatch,
    Producer,
    Product,
    ProductPhoto,
    StatusChange,
    next_code,
)
from catalogue.readiness import RULES_BY_KEY, assess, facts_for, route_settings
from catalogue.services import GATED_STATUSES, gaps_to_confirm
from regions.models import District, Regency

__all__ = ["ImportFileError", "analyse", "apply_plan", "build_plan", "confirm", "read_file"]

# Shown in the preview and stored with the batch; the command prints everything.
MAX_DIFF_SHOWN = 500
MAX_ERRORS_STORED = 10_000
BATCH_SIZE = 500
IN_CHUNK = 900  # SQLite allows 999 parameters per query

# Model limits of the number columns (PositiveIntegerField and friends).
NUMBER_LIMITS = {
    "price_idr": 9_223_372_036_854_775_807,
    "moq": 2_147_483_647,
    "capacity_per_month": 2_147_483_647,
    "lead_time_days": 32_767,
    "shelf_life_days": 2_147_483_647,
}
TEXT_LIMITS = {"name_id": 200, "name_en": 200, "name_zh": 200}
# Column key -> model attribute written.
ATTRIBUTES = {
    "name_id": "name_id",
    "name_en": "name_en",
    "name_zh": "name_zh",
    "producer_code": "producer_id",
    "category": "category_id",
    "status": "status",
    "hs_code": "hs_code_id",
    "price_idr": "price_idr",
    "moq": "moq",
    "capacity_per_month": "capacity_per_month",
    "lead_time_days": "lead_time_days",
    "shelf_life_days": "shelf_life_days",
    "packaging_status": "packaging_status",
}
REQUIRED_FOR_NEW = ("name_id", "producer_code", "category")
# Product codes appear in URLs (/products/<code>/): letters, digits, - . _, with a digit.
_CODE = re.compile(r"(?=[^0-9]*[0-9])[A-Za-z0-9][A-Za-z0-9._-]{0,19}")
_HS6 = re.compile(r"[0-9]{6}")


@dataclass
class RowError:
    row: int
    key: str
    message: str
    refused: bool = False  # outside the user's regencies

    def __str__(self):
        return _("Row %(row)s, %(key)s: %(message)s") % {
            "row": self.row,
            "key": self.key,
            "message": self.message,
        }

    def as_dict(self):
        return {
            "row": self.row,
            "key": self.key,
            "message": self.message,
            "refused": self.refused,
            "text": str(self),
        }


@dataclass
class RowPlan:
    row: int
    code: str
    action: str = "unchanged"  # new | changed | unchanged | invalid
    auto_code: bool = False
    changes: list = field(default_factory=list)  # (key, old, new) as shown to people
    values: dict = field(default_factory=dict)  # model attribute -> value to write
    product: Product | None = None
    overrides: list = field(default_factory=list)  # readiness gaps a gated move leaves open


@dataclass
class Plan:
    format: str
    header_row: int
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    unknown_columns: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)

    @property
    def counts(self):
        counted = Counter(row.action for row in self.rows)
        return {key: counted.get(key, 0) for key in ("new", "changed", "unchanged", "invalid")}

    @property
    def is_valid(self):
        return not self.errors

    def fingerprint(self):
        """What the plan would write; confirm refuses if it differs from the preview's."""
        payload = [
            (row.row, "" if row.auto_code else row.code, row.action, row.changes, row.overrides)
            for row in self.rows
            if row.action in ("new", "changed")
        ]
        return hashlib.sha256(json.dumps(payload, default=str).encode()).hexdigest()

    def summary(self):
        changed = [row for row in self.rows if row.action in ("new", "changed")]
        return {
            "format": self.format,
            "header_row": self.header_row,
            "rows": len(self.rows),
            "counts": self.counts,
            "unknown_columns": self.unknown_columns,
            "ignored_columns": self.ignored_columns,
            "errors": [error.as_dict() for error in self.errors[:MAX_ERRORS_STORED]],
            "errors_total": len(self.errors),
            "refused_rows": len({e.row for e in self.errors if e.refused}),
            "diff": [
                {
                    "row": row.row,
                    "code": row.code,
                    "action": row.action,
                    "auto_code": row.auto_code,
                    "changes": [[key, _shown(old), _shown(new)] for key, old, new in row.changes],
                }
                for row in changed[:MAX_DIFF_SHOWN]
            ],
            "diff_total": len(changed),
            "overrides": [
                {
                    "row": row.row,
                    "code": row.code,
                    "status": row.values["status"],
                    "gaps": [str(RULES_BY_KEY[key].label) for key in row.overrides],
                }
                for row in self.rows
                if row.overrides and row.action in ("new", "changed")
            ],
            "fingerprint": self.fingerprint(),
        }


def _shown(value):
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------- values


class CellError(ValueError):
    """A cell's value is not acceptable; the message is for the user."""


def cell_text(value):
    """A cell as trimmed text: numbers without a spurious ``.0``, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\u00a0", " ").strip()


_DIGITS = re.compile(r"[0-9]+")
_DOT_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_COMMA_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
# 1.250.000,50 (Indonesian) and 1,250,000.50 / 1250.5 (English).
_COMMA_DECIMAL = re.compile(r"([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+),([0-9]+)")
_DOT_DECIMAL = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\.([0-9]+)")
_CURRENCY = re.compile(r"^(?:rp|idr)\.?\s*", re.IGNORECASE)


def parse_whole_number(value, key):
    """A non-negative whole number from a cell, or None for an empty cell.

    Accepts numbers (``1250000``, ``1250000.0``) and text written the Indonesian or the
    English way: ``1.250.000``, ``Rp 1.250.000,00``, ``Rp 50.000,-``, ``1,250,000``,
    ``1 250 000``. A dot or comma followed by exactly three digits separates thousands
    (``1.250`` is one thousand two hundred and fifty, as in Indonesian); anything after a
    decimal separator must be zeros: rupiah prices and counts are whole numbers.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    shown = cell_text(value)
    if isinstance(value, bool | datetime | date):
        raise CellError(_("%(value)s is not a number.") % {"value": shown})
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not value == value:  # NaN
            raise CellError(_("%(value)s is not a number.") % {"value": shown})
        if value < 0:
            raise CellError(_not_negative(shown))
        if value != int(value):
            raise CellError(_no_decimals(shown, key))
        number = int(value)
    else:
        number = _parse_number_text(shown, key)
    if key == "moq" and number < 1:
        raise CellError(_("The minimum order must be at least 1."))
    if number > NUMBER_LIMITS.get(key, 2_147_483_647):
        raise CellError(_("%(value)s is too large.") % {"value": shown})
    return number


def _parse_number_text(shown, key):
    text = _CURRENCY.sub("", shown.replace(" ", ""))
    for suffix in (",-", ".-"):
        text = text.removesuffix(suffix)
    negative = text.startswith(("-", "\u2212")) or (text.startswith("(") and text.endswith(")"))
    digits = text.lstrip("-\u2212").strip("()")
    if _DIGITS.fullmatch(digits):
        number = int(digits)
    elif _DOT_THOUSANDS.fullmatch(digits):
        number = int(digits.replace(".", ""))
    elif _COMMA_THOUSANDS.fullmatch(digits):
        number = int(digits.replace(",", ""))
    else:
        match = _COMMA_DECIMAL.fullmatch(digits) or _DOT_DECIMAL.fullmatch(digits)
        if not match:
            raise CellError(_("%(value)s is not a number.") % {"value": shown})
        whole, fraction = match.groups()
        if fraction.strip("0"):
            raise CellError(_no_decimals(shown, key))
        number = int(whole.replace(".", "").replace(",", ""))
    if negative and number:
        raise CellError(_not_negative(shown))
    return number


def _not_negative(shown):
    return _("%(value)s is negative; use 0 or more.") % {"value": shown}


def _no_decimals(shown, key):
    if key == "price_idr":
        return _(
            "%(value)s has decimals: prices in rupiah are whole numbers (write 1.250.000, "
            "not 1.250.000,50)."
        ) % {"value": shown}
    return _("%(value)s is not a whole number.") % {"value": shown}


def hs_code_text(value):
    """Six digits from ``2402.10``, ``2402 10``, ``240210`` or a number cell.

    A number cell loses leading zeros (``030617`` becomes 30617) and typing ``2402.10``
    into a number cell gives 2402.1, so numbers are read as ``dddd.dd`` and zero-padded.
    """
    if isinstance(value, float) and not value.is_integer():
        value = f"{value:.2f}"
    text = re.sub(r"[\s.]", "", cell_text(value))
    if isinstance(value, int | float | str) and text.isdigit() and len(text) == 5:
        text = text.zfill(6)
    return text


# ---------------------------------------------------------------------------- context


def _chunks(items, size=IN_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def choice_lookup(choices):
    """Key or label (in any UI language, any case) -> key."""
    lookup = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                lookup[str(label).strip().lower()] = value
    for value in choices.values:
        lookup[value.lower()] = value
    return lookup


class Catalogue:
    """Everything rows refer to, loaded in a few queries."""

    def __init__(self, codes, lock=False):
        self.categories = {c.pk: c for c in Category.objects.all()}
        self.category_lookup = {}
        ambiguous = set()
        for category in self.categories.values():
            for name in {category.name, category.name_en, category.name_zh} - {""}:
                key = name.strip().lower()
                if key in self.category_lookup and self.category_lookup[key] != category:
                    ambiguous.add(key)
                self.category_lookup[key] = category
        for key in ambiguous:
            self.category_lookup[key] = None
        for category in self.categories.values():  # slugs win over names
            self.category_lookup[category.slug.lower()] = category
        self.producers = {
            p.pk: p
            for p in Producer.objects.only("pk", "code", "name", "regency_id", "district_id")
        }
        self.producer_by_code = {p.code: p for p in self.producers.values()}
        self.producers_by_name = defaultdict(list)
        for producer in self.producers.values():
            self.producers_by_name[producer.name.strip().lower()].append(producer)
        self.regencies = {r.pk: r for r in Regency.objects.all()}
        self.districts = {d.pk: d for d in District.objects.all()}
        self.hs_codes = set(HSCode.objects.filter(level=6).values_list("code", flat=True))
        self.statuses = choice_lookup(PromotionStatus)
        self.packaging = choice_lookup(PackagingStatus)
        self.products = {}
        queryset = Product.objects.all()
        if lock:
            queryset = queryset.select_for_update()
        for chunk in _chunks(codes):
            for product in queryset.filter(code__in=chunk):
                self.products[product.code] = product

    def regency_names(self, regency_id):
        regency = self.regencies[regency_id]
        return {regency.code, regency.name.lower(), regency.short_name.lower()}

    def district_names(self, district_id):
        district = self.districts[district_id]
        return {district.code, district.name.lower()}


# ---------------------------------------------------------------------------- planning


def build_plan(sheet, user=None, lock=False):
    """Check every row of ``sheet`` and work out what importing it would do."""
    columns = {}
    duplicated = []
    for index, key in enumerate(sheet.header):
        if not key:
            continue
        if key in columns:
            duplicated.append(key)
        columns.setdefault(key, index)
    if duplicated:
        raise ImportFileError(
            _("These columns appear more than once: %(keys)s.") % {"keys": ", ".join(duplicated)}
        )
    if "code" not in columns:
        raise ImportFileError(
            _(
                "The column code is missing: rows are matched on it (leave a cell empty to "
                "create a product with a new code)."
            )
        )
    plan = Plan(
        format=sheet.format,
        header_row=sheet.header_row,
        unknown_columns=[key for key in columns if key not in KEYS],
        ignored_columns=[key for key in columns if key in KEYS and key not in WRITABLE],
    )
    known = [key for key in columns if key in KEYS]
    records = [
        (
            number,
            {key: values[columns[key]] if columns[key] < len(values) else None for key in known},
        )
        for number, values in sheet.rows
    ]
    if sheet.format == "csv":
        # Our CSV export prefixes text that looks like a formula with an apostrophe.
        for _number, record in records:
            for key, value in record.items():
                if isinstance(value, str):
                    record[key] = restore_formula_text(value)
    codes = [cell_text(record.get("code")) for _n, record in records]
    catalogue = Catalogue({code for code in codes if code}, lock=lock)
    seen = defaultdict(list)
    for (number, _record), code in zip(records, codes, strict=True):
        if code:
            seen[code].append(number)
    checker = RowChecker(catalogue, columns, user)
    for (number, record), code in zip(records, codes, strict=True):
        row, errors = checker.check(number, code, record)
        if len(seen.get(code, ())) > 1:
            errors.insert(
                0,
                RowError(
                    number,
                    "code",
                    _("%(code)s appears more than once in the file (rows %(rows)s).")
                    % {"code": code, "rows": ", ".join(map(str, seen[code]))},
                ),
            )
        if errors:
            row.action = "invalid"
            plan.errors.extend(errors)
        plan.rows.append(row)
    _assign_codes(plan, catalogue, set(seen))
    _find_overrides(plan, catalogue)
    return plan


def _find_overrides(plan, catalogue):
    """Rows that shortlist or promote a product whose readiness gaps stay open.

    The edit form asks a person to confirm such a move; here the preview lists them and
    confirming the import confirms them (``log_status_changes`` records the gaps).
    """
    moving = [
        row
        for row in plan.rows
        if row.action in ("new", "changed") and row.values.get("status") in GATED_STATUSES
    ]
    drafts = []
    for row in moving:
        draft = copy.copy(row.product) if row.product else Product()
        for attribute, value in row.values.items():
            setattr(draft, attribute, value)
        draft.category = catalogue.categories[draft.category_id]
        drafts.append(draft)
    for row, draft, assessment in zip(moving, drafts, readiness_of(drafts), strict=True):
        from_status = row.product.status if row.product else ""
        row.overrides = gaps_to_confirm(from_status, draft.status, assessment.gaps)


def _assign_codes(plan, catalogue, taken):
    """New products without a code get the next free ``<regency abbreviation>-NNNN``."""
    counters = {}
    for row in plan.rows:
        if not (row.auto_code and row.action == "new"):
            continue
        producer = catalogue.producers[row.values["producer_id"]]
        prefix = f"{catalogue.regencies[producer.regency_id].abbreviation}-"
        if prefix not in counters:
            counters[prefix] = int(next_code(Product, prefix, 4)[len(prefix) :])
        code = f"{prefix}{counters[prefix]:04d}"
        while code in taken:
            counters[prefix] += 1
            code = f"{prefix}{counters[prefix]:04d}"
        counters[prefix] += 1
        taken.add(code)
        row.code = code


class RowChecker:
    """Validates one row at a time against the bulk-loaded ``Catalogue``."""

    def __init__(self, catalogue, columns, user):
        self.catalogue = catalogue
        self.columns = columns
        self.allowed_regencies = None if user is None else access.editable_regency_ids(user)

    def check(self, number, code, record):
        catalogue = self.catalogue
        product = catalogue.products.get(code) if code else None
        row = RowPlan(row=number, code=code, product=product, auto_code=not code)
        errors = []

        def error(key, message, refused=False):
            errors.append(RowError(number, key, message, refused))

        if code and product is None and not _CODE.fullmatch(code):
            error(
                "code",
                _(
                    "%(code)s is not a usable product code: use at most 20 letters, digits, "
                    "'-', '.' or '_', with at least one digit (for example JBR-0042)."
                )
                % {"code": code},
            )
        new = {}  # key -> value in the form people see (slug, code, key, number)
        values = {}  # model attribute -> value
        for key in ("name_id", "name_en", "name_zh"):
            if key in record:
                text = cell_text(record[key])
                if key == "name_id" and not text:
                    error(key, _required(product))
                elif len(text) > TEXT_LIMITS[key]:
                    error(
                        key,
                        _("%(n)s characters is too long: at most %(limit)s.")
                        % {"n": len(text), "limit": TEXT_LIMITS[key]},
                    )
                else:
                    new[key], values[key] = text, text
        producer = self._producer(record, product, error)
        if producer is not None:
            new["producer_code"], values["producer_id"] = producer.code, producer.pk
        category = self._category(record, product, error)
        if category is not None:
            new["category"], values["category_id"] = category.slug, category.pk
        for key, lookup in (
            ("status", catalogue.statuses),
            ("packaging_status", catalogue.packaging),
        ):
            text = cell_text(record.get(key))
            if not text:
                continue  # empty: keep the current value (or the default for new products)
            choice = lookup.get(text.lower())
            if choice is None:
                choices = PromotionStatus if key == "status" else PackagingStatus
                error(
                    key,
                    _("%(value)s is not one of: %(choices)s.")
                    % {"value": text, "choices": ", ".join(choices.values)},
                )
            else:
                new[key], values[key] = choice, choice
        if "hs_code" in record:
            self._hs_code(record["hs_code"], new, values, error)
        for key in NUMBER_LIMITS:
            if key in record:
                try:
                    parsed = parse_whole_number(record[key], key)
                except CellError as exc:
                    error(key, str(exc))
                else:
                    new[key], values[key] = parsed, parsed
        if product is None:
            for key in REQUIRED_FOR_NEW:
                reported = ("producer_code", "producer_name") if key == "producer_code" else (key,)
                if key not in new and not any(e.key in reported for e in errors):
                    if key in self.columns or (
                        key == "producer_code" and "producer_name" in record
                    ):
                        error(key, _("Required for a new product."))
                    else:
                        error(
                            key,
                            _("Required for a new product, but the file has no %(key)s column.")
                            % {"key": key},
                        )
        target_producer = producer or (
            catalogue.producers.get(product.producer_id) if product else None
        )
        if target_producer is not None:
            self._check_location(record, target_producer, error)
        if errors:
            return row, errors
        self._diff(row, product, new, values)
        if row.action in ("new", "changed"):
            self._check_rules(row, product, error)
            self._check_regency(row, product, target_producer, error)
        return row, errors

    def _producer(self, record, product, error):
        catalogue = self.catalogue
        code = cell_text(record.get("producer_code"))
        if code:
            producer = catalogue.producer_by_code.get(code)
            if producer is None:
                error("producer_code", _("%(code)s is not a producer code.") % {"code": code})
            return producer
        name = cell_text(record.get("producer_name"))
        if name:
            found = catalogue.producers_by_name.get(name.lower(), [])
            if len(found) == 1:
                return found[0]
            if not found:
                error("producer_name", _("No producer is called %(name)s.") % {"name": name})
            else:
                error(
                    "producer_name",
                    _("%(n)s producers are called %(name)s: give the producer_code instead.")
                    % {"n": len(found), "name": name},
                )
            return None
        if product is not None and "producer_code" in record:
            error("producer_code", _required(product))
        return None

    def _category(self, record, product, error):
        if "category" not in record:
            return None
        text = cell_text(record["category"])
        if not text:
            if product is not None:
                error("category", _required(product))
            return None
        category = self.catalogue.category_lookup.get(text.lower())
        if category is None:
            error(
                "category",
                _(
                    "%(value)s is not a category: use a slug such as makanan-olahan (the "
                    "template's second sheet lists them)."
                )
                % {"value": text},
            )
        return category

    def _hs_code(self, raw, new, values, error):
        code = hs_code_text(raw)
        if not code:
            new["hs_code"], values["hs_code_id"] = "", None
        elif not _HS6.fullmatch(code):
            error(
                "hs_code",
                _("%(value)s is not an HS code: use 6 digits, for example 2402.10.")
                % {"value": cell_text(raw)},
            )
        elif code not in self.catalogue.hs_codes:
            error(
                "hs_code",
                _("%(value)s is not an HS code in the HS 2022 list.") % {"value": cell_text(raw)},
            )
        else:
            new["hs_code"], values["hs_code_id"] = code, code

    def _check_location(self, record, producer, error):
        """regency/district belong to the producer: they may only agree with it."""
        catalogue = self.catalogue
        for key, accepted, actual in (
            ("regency", catalogue.regency_names(producer.regency_id), producer.regency_id),
            ("district", catalogue.district_names(producer.district_id), producer.district_id),
        ):
            text = cell_text(record.get(key))
            if text and text.lower() not in accepted:
                place = (catalogue.regencies if key == "regency" else catalogue.districts)[actual]
                error(
                    key,
                    _(
                        "%(value)s does not match producer %(producer)s, which is in "
                        "%(place)s. The regency and district come from the producer: change "
                        "the producer, or leave this cell as exported."
                    )
                    % {"value": text, "producer": producer.code, "place": place.name},
                )

    def _diff(self, row, product, new, values):
        if product is None:
            row.action = "new"
            row.changes = [
                (key, None, value) for key, value in new.items() if value not in ("", None)
            ]
            row.values = values
            return
        old = current_values(product, self.catalogue)
        for key, value in new.items():
            before = old[key]
            if isinstance(before, str):
                before = before.strip()
            if before != value:
                row.changes.append((key, old[key], value))
                row.values[ATTRIBUTES[key]] = values[ATTRIBUTES[key]]
        row.action = "changed" if row.changes else "unchanged"

    def _check_rules(self, row, product, error):
        """Model rules a form would enforce: food needs a shelf life; not_suitable a reason."""
        catalogue = self.catalogue
        category_id = row.values.get("category_id", product.category_id if product else None)
        shelf_life = row.values.get("shelf_life_days", product.shelf_life_days if product else None)
        category = catalogue.categories.get(category_id)
        if category and category.profile == ReadinessProfile.FOOD and not shelf_life:
            error("shelf_life_days", _("Shelf life is required for food and beverage products."))
        if row.values.get("status") == PromotionStatus.NOT_SUITABLE:
            error(
                "status",
                _(
                    "not_suitable needs a reason, which a spreadsheet cannot give: set this "
                    "status on the product's page."
                ),
            )

    def _check_regency(self, row, product, producer, error):
        """Regency staff import only rows of products in the regencies they cover."""
        allowed = self.allowed_regencies
        if allowed is None:
            return
        catalogue = self.catalogue
        current = catalogue.producers.get(product.producer_id) if product else None
        for checked in (current, producer):
            if checked is not None and checked.regency_id not in allowed:
                regency = catalogue.regencies[checked.regency_id]
                if checked is current:
                    message = _(
                        "%(code)s is a product of %(regency)s, outside your regencies: you "
                        "may not change it."
                    ) % {"code": row.code, "regency": regency.name}
                    key = "code"
                else:
                    message = _(
                        "producer %(producer)s is in %(regency)s, outside your regencies."
                    ) % {"producer": checked.code, "regency": regency.name}
                    key = "producer_code"
                error(key, message, refused=True)
                return


def _required(product):
    return _("Required for a new product.") if product is None else _("Must not be empty.")


def current_values(product, catalogue):
    """A stored product in the form a spreadsheet shows it (see ``columns.row_values``)."""
    producer = catalogue.producers.get(product.producer_id)
    category = catalogue.categories.get(product.category_id)
    return {
        "name_id": product.name_id,
        "name_en": product.name_en,
        "name_zh": product.name_zh,
        "producer_code": producer.code if producer else "",
        "category": category.slug if category else "",
        "status": product.status,
        "hs_code": product.hs_code_id or "",
        "price_idr": product.price_idr,
        "moq": product.moq,
        "capacity_per_month": product.capacity_per_month,
        "lead_time_days": product.lead_time_days,
        "shelf_life_days": product.shelf_life_days,
        "packaging_status": product.packaging_status,
    }


# ---------------------------------------------------------------------------- applying


@dataclass
class Result:
    created: list
    updated: list

    @property
    def codes(self):
        return [p.code for p in self.created] + [p.code for p in self.updated]


def apply_plan(plan, user=None, reason="", when=None):
    """Write a plan without errors: every row or, if anything fails, none.

    Products are created and updated in bulk with their change-log rows
    (simple_history's bulk helpers), status changes are logged and readiness is
    recomputed from photos and certifications fetched in bulk.
    """
    if not plan.is_valid:
        raise ValueError("A plan with errors cannot be applied.")
    user = user if user is not None and user.is_authenticated else None
    now = when or timezone.now()
    categories = {c.pk: c for c in Category.objects.all()}
    with transaction.atomic():
        created, updated, from_statuses = [], [], {}
        changed_fields = {
            "updated_at",
            "updated_by",
            "version",
            "readiness_score",
            "readiness_gaps",
        }
        for row in plan.rows:
            if row.action == "new":
                product = Product(code=row.code, **row.values)
                product.created_by = product.updated_by = user
                created.append(product)
            elif row.action == "changed":
                product = row.product
                from_statuses[product.pk] = product.status
                for attribute, value in row.values.items():
                    setattr(product, attribute, value)
                    changed_fields.add(attribute)
                product.updated_by = user
                product.updated_at = now
                product.version += 1
                updated.append(product)
        for product in created + updated:
            product.category = categories[product.category_id]  # no query per row below
        for product, assessment in zip(
            created + updated, readiness_of(created + updated), strict=True
        ):
            product.readiness_score, product.readiness_gaps = assessment.score, assessment.gaps
        created = bulk_create_with_history(
            created,
            Product,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
        update_products(updated, sorted(changed_fields))
        # The rows are written above; this writes their change-log entries.
        bulk_update_with_history(
            updated,
            Product,
            [],
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
        log_status_changes(
            [(p, "") for p in created]
            + [(p, from_statuses[p.pk]) for p in updated if from_statuses[p.pk] != p.status],
            user,
            now,
        )
    return Result(created=created, updated=updated)


def update_products(products, attributes):
    """Write ``attributes`` of ``products`` with one prepared UPDATE run per row.

    Django's ``bulk_update`` builds a CASE WHEN per field and row, which took ~20 s for
    10,000 products here; ``executemany`` of a plain UPDATE takes well under a second.
    Values go through each field's ``get_db_prep_save`` exactly as ``save()`` would.
    """
    if not products:
        return
    meta = Product._meta
    connection = connections[router.db_for_write(Product)]
    quote = connection.ops.quote_name
    fields = [meta.get_field(attribute) for attribute in attributes]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Only quoted names from the model's metadata go into the text; values are parameters.
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in _chunks(products, BATCH_SIZE * 4):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields] + [p.pk]
                    for p in chunk
                ],
            )


def readiness_of(products):
    """The readiness assessment of each product as it stands in memory (same order).

    Photos and certifications of stored products are fetched in bulk; each product's
    ``category`` must already be set (no query per row).
    """
    ids = [p.pk for p in products if p.pk]
    photo_counts, certifications = {}, defaultdict(list)
    for chunk in _chunks(ids):
        photo_counts.update(
            ProductPhoto.objects.filter(product_id__in=chunk)
            .values("product_id")
            .annotate(n=Count("pk"))
            .values_list("product_id", "n")
        )
        for cert in Certification.objects.filter(product_id__in=chunk):
            certifications[cert.product_id].append(cert)
    route, today = route_settings(), timezone.localdate()
    return [
        assess(
            facts_for(
                product,
                photo_count=photo_counts.get(product.pk, 0),
                certifications=certifications.get(product.pk, []),
                today=today,
            ),
            route,
        )
        for product in products
    ]


def log_status_changes(changes, user, when):
    """One ``StatusChange`` per (product, from_status), like ``services.log_status_change``.

    A move to shortlisted or promoted with readiness gaps still open records them as
    overridden: the person confirmed them in the import preview (``overrides``).
    """
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                product=product,
                from_status=from_status,
                to_status=product.status,
                overrode_gaps=gaps_to_confirm(from_status, product.status, product.readiness_gaps),
                changed_by=user,
                changed_at=when,
            )
            for product, from_status in changes
        ],
        batch_size=BATCH_SIZE,
    )


# ---------------------------------------------------------------------------- batches


def change_reason(batch):
    """The change-log reason written with a batch's rows (the product list filters on it)."""
    return f"Import #{batch.pk}: {batch.original_name}"[:100]


def products_changed_by(batch):
    """Ids of the products a batch created or changed: its rows in the change log.

    A subquery rather than ``code IN (…changed_codes)``, which would break the databases'
    parameter limits (SQLite 32,766, PostgreSQL 65,535) for big imports.
    """
    if batch.applied_at is None:
        return Product.objects.none().values("pk")
    return Product.history.filter(
        history_change_reason=change_reason(batch), history_date=batch.applied_at
    ).values("id")


def read_file(file):
    """Bytes of an uploaded or stored file, refusing oversized files before reading them."""
    size = getattr(file, "size", None)
    if size is not None:
        check_size(size)
    file.seek(0)
    return file.read()


def plan_for_file(data, name, user=None, lock=False):
    return build_plan(read_spreadsheet(data, name, KEYS), user, lock=lock)


def _stored_bytes(batch):
    with batch.file.open("rb") as handle:
        return read_file(handle)


def analyse(batch, user):
    """Preview: check the batch's file and store the outcome in ``batch.summary``."""
    plan = plan_for_file(_stored_bytes(batch), batch.original_name, user)
    batch.summary = plan.summary()
    batch.save(update_fields=["summary"])
    return plan


def confirm(batch, user):
    """Apply a previewed batch, checking everything again first.

    Returns ``"applied"``; ``"invalid"`` when the rows no longer pass (the catalogue changed
    since the preview); ``"changed"`` when they pass but would now write something other
    than what the preview showed. In the last two cases the preview is refreshed and
    nothing is written.
    """
    if batch.status != ImportBatch.Status.PREVIEWED:
        return batch.status
    data = _stored_bytes(batch)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            return batch.status
        plan = plan_for_file(data, batch.original_name, user, lock=True)
        previewed = batch.summary.get("fingerprint")
        if not plan.is_valid or plan.fingerprint() != previewed:
            batch.summary = plan.summary()
            batch.save(update_fields=["summary"])
            return "invalid" if not plan.is_valid else "changed"
        batch.applied_at = timezone.now()
        result = apply_plan(plan, user, reason=change_reason(batch), when=batch.applied_at)
        batch.status = ImportBatch.Status.APPLIED
        batch.changed_codes = result.codes
        batch.save(update_fields=["status", "applied_at", "changed_codes"])
    return "applied"
