"""A whole file checked: every row's outcome and every error, before anything is written."""

import copy
import hashlib
import json
from collections import Counter, defaultdict, namedtuple
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.bulk_sql import chunks
from catalogue.choices import PackagingStatus, PromotionStatus
from catalogue.models import (
    Category,
    HSCode,
    Producer,
    Product,
    next_code,
)
from catalogue.product_writes import gaps_to_confirm, passes_gate
from catalogue.readiness import RULES_BY_KEY
from catalogue.services import readiness_of
from catalogue.spreadsheets.columns import KEYS, LEGACY_KEYS, WRITABLE
from catalogue.spreadsheets.importing.conflicts import NewerChanges
from catalogue.spreadsheets.importing.rows import RowChecker, RowError
from catalogue.spreadsheets.importing.values import (
    CellError,
    cell_text,
    choice_lookup,
    parse_file_time,
)
from core.spreadsheets.cells import restore_formula_text
from core.spreadsheets.reading.files import ImportFileError
from regions.models import District, Regency

# Stored with the batch and shown in the preview (the command prints every error).
MAX_DIFF_SHOWN = 500
MAX_ERRORS_STORED = 10_000


@dataclass
class Plan:
    format: str
    header_row: int
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    unknown_columns: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)

    @property
    def conflicts(self):
        """Changed rows whose product someone else changed after the file's updated_at."""
        return [row for row in self.rows if row.action == "changed" and row.conflict]

    @property
    def counts(self):
        counted = Counter(row.action for row in self.rows)
        return {key: counted.get(key, 0) for key in ("new", "changed", "unchanged", "invalid")}

    @property
    def is_valid(self):
        return not self.errors

    def fingerprint(self):
        """What the plan would write; confirm refuses if it differs from the preview's."""
        # Hashed row by row: the same bytes as ``json.dumps`` of the list of all rows,
        # without that string (tens of MB for 100,000 rows) in memory.
        digest = hashlib.sha256(b"[")
        first = True
        for row in self.rows:
            if row.action not in ("new", "changed"):
                continue
            item = (
                row.row,
                "" if row.auto_code else row.code,
                row.action,
                row.changes,
                row.overrides,
                bool(row.conflict),
            )
            digest.update((("" if first else ", ") + json.dumps(item, default=str)).encode())
            first = False
        digest.update(b"]")
        return digest.hexdigest()

    def summary(self):
        changed = [
            row for row in self.rows if row.action in ("new", "changed") and not row.conflict
        ]
        conflicts = self.conflicts
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
            "conflicts": [
                {"row": row.row, "code": row.code, **row.conflict.as_dict()}
                for row in conflicts[:MAX_DIFF_SHOWN]
            ],
            "conflicts_total": len(conflicts),
            "left_alone": [row.code for row in self.rows if row.left_alone][:MAX_DIFF_SHOWN],
            "left_alone_total": sum(row.left_alone for row in self.rows),
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


ProducerRef = namedtuple("ProducerRef", "pk code name regency_id district_id")
# What conflict detection needs of a product named in the file (``conflicts.NewerChanges``).
ProductStamp = namedtuple("ProductStamp", "pk code updated_at updated_by_id")


class Catalogue:
    """Everything rows refer to, loaded in a few queries; the products themselves a slice
    of rows at a time (``load_products``)."""

    def __init__(self, lock=False):
        self.lock = lock
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
        # Plain tuples: a catalogue has thousands of producers and rows need five fields.
        self.producers = {
            p.pk: p
            for p in map(
                ProducerRef._make,
                Producer.objects.values_list("pk", "code", "name", "regency_id", "district_id"),
            )
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
        self.products = {}  # code -> Product, of the slice of rows being checked

    def _products(self):
        queryset = Product.objects.all()
        return queryset.select_for_update() if self.lock else queryset

    def stamps(self, codes):
        """code -> ``ProductStamp`` of the stored products among ``codes``: one query per
        900 codes, no model instances (and, under lock, the rows locked from here on)."""
        found = {}
        for chunk in chunks(codes):
            for stamp in map(
                ProductStamp._make,
                self._products()
                .filter(code__in=chunk)
                .values_list("pk", "code", "updated_at", "updated_by_id"),
            ):
                found[stamp.code] = stamp
        return found

    def load_products(self, codes):
        """Make the stored products among ``codes`` (one slice of rows) the ones rows are
        checked against, dropping the previous slice's."""
        self.products = {}
        for chunk in chunks(codes):
            for product in self._products().filter(code__in=chunk):
                self.products[product.code] = product

    def regency_names(self, regency_id):
        regency = self.regencies[regency_id]
        return {regency.code, regency.name.lower(), regency.short_name.lower()}

    def district_names(self, district_id):
        district = self.districts[district_id]
        return {district.code, district.name.lower()}


# ---------------------------------------------------------------------------- planning


# How often build_plan reports its progress (a background job's progress bar).
PROGRESS_EVERY = 250
# Rows checked against their products at a time (products loaded per slice, then let go).
CHECK_SLICE = 2_000


def build_plan(sheet, user=None, lock=False, progress=None):
    """Check every row of ``sheet`` and work out what importing it would do.

    ``progress(done, total, stage)`` is told how many rows are checked (``core.jobs``)."""
    columns = {}
    duplicated = []
    for index, cell in enumerate(sheet.header):
        if not cell:
            continue
        key = LEGACY_KEYS.get(cell, cell)  # "materials" of older files is materials_id
        if key in columns:
            duplicated.append(key if key == cell else f"{key} ({cell})")
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
        # updated_at is not written, but it tells which rows changed since the export.
        ignored_columns=[
            key
            for key in columns
            if key in KEYS and key not in WRITABLE and key not in ("code", "updated_at")
        ],
    )
    known = [key for key in columns if key in KEYS]
    csv = sheet.format == "csv"

    def cell(values, key):
        index = columns.get(key)
        value = values[index] if index is not None and index < len(values) else None
        # Our CSV export prefixes text that looks like a formula with an apostrophe.
        return restore_formula_text(value) if csv and isinstance(value, str) else value

    # Each row's record is made when the row is checked, and the sheet's row is dropped
    # then: a dict per row for the whole file cost ~1.5 KB a row (150 MB at 100,000).
    rows = sheet.rows
    catalogue = Catalogue(lock=lock)
    zone = timezone.get_current_timezone()
    codes, stamps, seen = [], [], defaultdict(list)
    for number, values in rows:  # one pass: each row is unpacked (CompactRows) twice only
        code = cell_text(cell(values, "code"))
        codes.append(code)
        stamps.append(_file_time(cell(values, "updated_at"), zone))
        if code:
            seen[code].append(number)
    stored = catalogue.stamps(set(seen))
    candidates = [
        (stored[code], stamp)
        for code, stamp in zip(codes, stamps, strict=True)
        if code in stored
        and stamp is not None
        and not isinstance(stamp, CellError)
        and stamp.is_before(stored[code].updated_at)
    ]
    del stored
    checker = RowChecker(catalogue, columns, user, NewerChanges(candidates))
    # The products are loaded, checked and let go a slice of rows at a time: the plan keeps
    # of each row only its keys, values and changes (``RowPlan``), no model instance,
    # which with its texts in three languages cost ~4 KB a row.
    total = len(rows)
    for start in range(0, total, CHECK_SLICE):
        end = min(start + CHECK_SLICE, total)
        catalogue.load_products({code for code in codes[start:end] if code})
        checked = []
        for index in range(start, end):
            if progress and index % PROGRESS_EVERY == 0:
                progress(index, total, "checking")
            code, stamp = codes[index], stamps[index]
            number, values = rows[index]
            rows[index] = None
            record = {key: cell(values, key) for key in known}
            row, errors = checker.check(number, code, record, stamp)
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
            checked.append((row, catalogue.products.get(code) if code else None))
        _find_overrides(checked, catalogue)
    catalogue.products = {}
    _assign_codes(plan, catalogue, set(seen))
    return plan


def _file_time(value, zone):
    """A row's ``updated_at`` read (None if absent or empty), or the error reading it."""
    try:
        return parse_file_time(value, zone)
    except CellError as exc:
        return exc


def _find_overrides(checked, catalogue):
    """Rows that shortlist or promote a product whose readiness gaps stay open.

    ``checked`` are one slice's (row, stored product or None). The edit form asks a person
    to confirm such a move; here the preview lists them and confirming the import confirms
    them (``product_writes.write_many`` records the gaps).
    """
    moving = [
        (row, product)
        for row, product in checked
        if row.action in ("new", "changed")
        and "status" in row.values
        and passes_gate(product.status if product else "", row.values["status"])
    ]
    if not moving:
        return
    drafts = []
    for row, product in moving:
        draft = copy.copy(product) if product else Product()
        for attribute, value in row.values.items():
            setattr(draft, attribute, value)
        draft.category = catalogue.categories[draft.category_id]
        drafts.append(draft)
    for (row, product), draft, assessment in zip(moving, drafts, readiness_of(drafts), strict=True):
        from_status = product.status if product else ""
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
