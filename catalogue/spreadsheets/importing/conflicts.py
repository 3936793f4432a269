"""Rows exported before someone else changed the product: conflicts, found in bulk.

Every exported row carries the product's ``updated_at``. A row whose product was saved
again after that time, and whose values differ from the stored ones, may carry values
that the newer save replaced: importing it as an ordinary change would undo that save
without anyone noticing (a "lost update", the classic problem optimistic locking solves:
Fowler, *Patterns of Enterprise Application Architecture*, "Optimistic Offline Lock").

The change log (django-simple-history) says what the product looked like when the row
was exported (the *baseline*: the last change-log entry at or before the row's time) and
who changed each field since. Per differing field:

- changed in the catalogue since the file (stored ≠ baseline): a conflict; *stale* when
  the file still holds the baseline value (importing it would only revert the change);
- changed only in the file (stored = baseline): the file's own edit, no conflict.

A row is a conflict when at least one field is; without a baseline (no change log) every
differing field counts as one, attributed to the product's last editor.

Limits, from the second precision of the export: a save within the same second as the
exported one is not seen. A save stamps ``updated_at`` just before its change-log entry
(``history_date``); should a second begin between the two, the baseline found is the
entry before, which can only make a stale field look edited (the row stays a conflict).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from catalogue.bulk_sql import chunks
from catalogue.models import Product
from catalogue.spreadsheets.columns import TEXT_KEYS
from catalogue.spreadsheets.importing.values import FileTime, comparable

# The model attributes a spreadsheet row writes (``rows.ATTRIBUTES``), as the change log
# stores them.
TRACKED = (
    "name_id",
    "name_en",
    "name_zh",
    "producer_id",
    "category_id",
    "status",
    "hs_code_id",
    "price_idr",
    "moq",
    "capacity_per_month",
    "lead_time_days",
    "shelf_life_days",
    "packaging_status",
    *TEXT_KEYS,
)


@dataclass
class FieldConflict:
    key: str
    file: object  # the value in the file, as the preview shows it
    stored: object  # the value stored now
    newer: bool  # changed in the catalogue after the file's time
    stale: bool = False  # the file still holds the value from before that change
    by: str = ""  # who made the newer change
    at: datetime | None = None


@dataclass
class Conflict:
    file_time: FileTime
    changed_at: datetime  # the product's last save
    changed_by: str
    fields: list = field(default_factory=list)

    @property
    def stale_only(self):
        """The file changes nothing but values that others replaced since it was exported."""
        return all(f.stale for f in self.fields)

    def as_dict(self):
        return {
            "file_time": self.file_time.moment.isoformat(),
            "changed_at": self.changed_at.isoformat(),
            "changed_by": self.changed_by,
            "fields": [
                {
                    "key": f.key,
                    "file": _shown(f.file),
                    "stored": _shown(f.stored),
                    "newer": f.newer,
                    "stale": f.stale,
                    "by": f.by,
                    "at": f.at.isoformat() if f.at else "",
                }
                for f in self.fields
            ],
        }


def _shown(value):
    return "" if value is None else str(value)


class NewerChanges:
    """The change log of the products saved after the time their row was exported.

    ``candidates`` are (product, FileTime) pairs; their change-log entries from the
    earliest of those times on are read in one query per 900 products, and the editors'
    names in one more. Nothing is read when there are no candidates.
    """

    def __init__(self, candidates):
        self.records = defaultdict(list)  # product pk -> change-log values, oldest first
        self.names = {}
        if not candidates:
            return
        since = min(stamp.moment for _product, stamp in candidates)
        history = Product.history.model.objects.filter(history_date__gte=since).order_by(
            "id", "history_date", "history_id"
        )
        columns = ("id", "history_date", "history_user_id", *TRACKED)
        for chunk in chunks({product.pk for product, _stamp in candidates}):
            for values in history.filter(id__in=chunk).values_list(*columns):
                self.records[values[0]].append(
                    SimpleNamespace(**dict(zip(columns, values, strict=True)))
                )
        users = {product.updated_by_id for product, _stamp in candidates}
        users |= {r.history_user_id for records in self.records.values() for r in records}
        users.discard(None)
        for pk, username, first, last in (
            get_user_model()
            .objects.filter(pk__in=users)
            .values_list("pk", "username", "first_name", "last_name")
        ):
            self.names[pk] = f"{first} {last}".strip() or username

    def conflict(self, row, product, stamp, shown):
        """The ``Conflict`` of a changed row, or None if no newer change meets the file's.

        ``shown(values)`` gives a product's (or change-log entry's) values as a
        spreadsheet shows them (``rows.current_values``).
        """
        records = self.records.get(product.pk, [])
        before = [r for r in records if not stamp.is_before(r.history_date)]
        baseline = before[-1] if before else None
        last_change = {}  # column key -> the change-log entry that last changed it
        if baseline is not None:
            previous = shown(baseline)
            for record in records[len(before) :]:
                current = shown(record)
                for key, value in current.items():
                    if value != previous[key]:
                        last_change[key] = record
                previous = current
            base = shown(baseline)
        fields = []
        for key, stored, new in row.changes:
            if baseline is None:
                item = FieldConflict(key, new, stored, newer=True)
            elif comparable(stored) != comparable(base[key]):
                stale = comparable(new) == comparable(base[key])
                item = FieldConflict(key, new, stored, newer=True, stale=stale)
            else:
                fields.append(FieldConflict(key, new, stored, newer=False))
                continue
            record = last_change.get(key)
            if record is not None:
                item.by, item.at = self.names.get(record.history_user_id, ""), record.history_date
            else:  # changed without a change-log entry
                item.by, item.at = self.names.get(product.updated_by_id, ""), product.updated_at
            fields.append(item)
        if not any(f.newer for f in fields):
            return None
        return Conflict(
            file_time=stamp,
            changed_at=product.updated_at,
            changed_by=self.names.get(product.updated_by_id, ""),
            fields=fields,
        )
