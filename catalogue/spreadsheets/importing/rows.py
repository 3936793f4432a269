"""Checking one spreadsheet row against the catalogue loaded in bulk."""

import copy
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue import access
from catalogue.choices import PackagingStatus, PromotionStatus
from catalogue.models import Product
from catalogue.spreadsheets.columns import TEXT_KEYS
from catalogue.spreadsheets.importing.conflicts import Conflict, NewerChanges
from catalogue.spreadsheets.importing.values import (
    NUMBER_LIMITS,
    TEXT_LIMITS,
    CellError,
    cell_text,
    comparable,
    hs_code_text,
    parse_whole_number,
)

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
    **{key: key for key in TEXT_KEYS},
}
# Texts: a present column's cell is the text (an empty cell clears it, but name_id is
# required); an absent column leaves the text alone.
TEXT_COLUMNS = ("name_id", "name_en", "name_zh", *TEXT_KEYS)
# Model field name (as ``Product.clean`` reports errors) -> column key.
COLUMN_OF = {
    field.name: key
    for key, attribute in ATTRIBUTES.items()
    for field in Product._meta.concrete_fields
    if field.attname == attribute
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


@dataclass(slots=True)  # one per row of the file: no __dict__ each
class RowPlan:
    row: int
    code: str
    action: str = "unchanged"  # new | changed | unchanged | invalid
    auto_code: bool = False
    changes: list = field(default_factory=list)  # (key, old, new) as shown to people
    values: dict = field(default_factory=dict)  # model attribute -> value to write
    # The stored product, by key only: the plan holds no model instances (``apply_plan``
    # loads them again, a slice at a time, to write them).
    pk: int | None = None
    status_before: str = ""
    overrides: list = field(default_factory=list)  # readiness gaps a gated move leaves open
    conflict: Conflict | None = None  # the product changed after the row's updated_at
    # A row outside the user's regencies that only holds values others replaced since the
    # file was exported: the user changed nothing in it, so it is neither refused nor
    # written.
    left_alone: bool = False


class RowChecker:
    """Validates one row at a time against the bulk-loaded ``Catalogue``."""

    def __init__(self, catalogue, columns, user, newer=None):
        self.catalogue = catalogue
        self.columns = columns
        self.allowed_regencies = None if user is None else access.editable_regency_ids(user)
        self.newer = newer or NewerChanges([])

    def check(self, number, code, record, stamp=None):
        """Check one row; ``stamp`` is its parsed ``updated_at`` (None, a ``FileTime`` or
        the ``CellError`` that reading it raised)."""
        catalogue = self.catalogue
        product = catalogue.products.get(code) if code else None
        row = RowPlan(row=number, code=code, auto_code=not code)
        if product is not None:
            row.pk, row.status_before = product.pk, product.status
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
        for key in TEXT_COLUMNS:
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
        if row.action == "changed" and stamp is not None:
            if isinstance(stamp, CellError):
                error("updated_at", str(stamp))
                return row, errors
            if stamp.is_before(product.updated_at):
                row.conflict = self.newer.conflict(
                    row, product, stamp, lambda values: current_values(values, catalogue)
                )
        if row.action in ("new", "changed"):
            refusals = []
            self._check_regency(row, product, target_producer, refusals)
            if refusals and row.conflict is not None and row.conflict.stale_only:
                row.action, row.changes, row.values = "unchanged", [], {}
                row.conflict, row.left_alone = None, True
                return row, errors
            self._check_rules(row, product, error)
            errors.extend(refusals)
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
            stored = old[key]
            # Most cells hold the stored value as it is: no need to normalise them.
            if stored != value and comparable(stored) != comparable(value):
                row.changes.append((key, stored, value))
                row.values[ATTRIBUTES[key]] = values[ATTRIBUTES[key]]
        row.action = "changed" if row.changes else "unchanged"

    def _check_rules(self, row, product, error):
        """The model's own rules (``Product.clean``: food needs a shelf life, not suitable a
        reason), checked on the product as the row would leave it."""
        draft = copy.copy(product) if product is not None else Product()
        for attribute, value in row.values.items():
            setattr(draft, attribute, value)
        draft.category = self.catalogue.categories.get(draft.category_id)
        moves_to_not_suitable = row.values.get("status") == PromotionStatus.NOT_SUITABLE
        if moves_to_not_suitable:
            draft.not_suitable_reason = ""  # a spreadsheet has no column for it
        try:
            draft.clean()
        except ValidationError as exc:
            for attribute, messages in exc.message_dict.items():
                if attribute == "not_suitable_reason" and moves_to_not_suitable:
                    error(
                        "status",
                        _(
                            "not_suitable needs a reason, which a spreadsheet cannot give: "
                            "set this status on the product's page."
                        ),
                    )
                    continue
                for message in messages:  # a rule on no column: the row as a whole
                    error(COLUMN_OF.get(attribute, "code"), message)

    def _check_regency(self, row, product, producer, refusals):
        """Regency staff import only rows of products in the regencies they cover: the
        ``RowError`` refusing the row, if any, goes into ``refusals``."""
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
                refusals.append(RowError(row.row, key, message, refused=True))
                return


def _required(product):
    return _("Required for a new product.") if product is None else _("Must not be empty.")


def current_values(product, catalogue):
    """A stored product (or one of its change-log entries) in the form a spreadsheet shows
    it (see ``columns.row_values``)."""
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
        **{key: getattr(product, key) for key in TEXT_KEYS},
    }
