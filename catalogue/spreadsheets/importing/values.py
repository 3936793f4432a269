"""Cells to values: text, whole numbers written the Indonesian or English way, HS codes,
choices by key or label, the time a row was exported."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalogue.models import Product
from catalogue.spreadsheets.columns import TEXT_KEYS
from catalogue.validators import NUMBER_LIMITS  # the same limits as the product form

# What one spreadsheet cell holds: Microsoft, "Excel specifications and limits", "Total
# number of characters that a cell can contain: 32,767 characters"
# (https://support.microsoft.com/en-us/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3).
# A longer text (a ``TextField`` has no limit of its own) could not be exported again.
CELL_CHARACTERS = 32_767
# The texts' lengths as the model allows them, and the cell's for unlimited text fields.
TEXT_LIMITS = {
    field.name: field.max_length or CELL_CHARACTERS
    for field in Product._meta.concrete_fields
    if field.name in ("name_id", "name_en", "name_zh", *TEXT_KEYS)
}


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


def comparable(value):
    """A value as an import compares it with the stored one: text trimmed and with its line
    breaks as LF. A browser sends the line breaks of a text area as CR LF (HTML, "The
    textarea element",
    https://html.spec.whatwg.org/multipage/form-elements.html#the-textarea-element), and a
    spreadsheet program saving the exported file keeps LF only: the same text."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


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
    limit = NUMBER_LIMITS.get(key, 2_147_483_647)
    if number > limit:
        raise CellError(
            _("%(value)s is too large: at most %(limit)s.") % {"value": shown, "limit": limit}
        )
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


# --- updated_at: when the exported row last changed -------------------------------------
# Exports write ``updated_at`` as local wall-clock time without microseconds
# (``columns.row_values``): an XLSX date serial, ``2026-11-28 15:30:00`` in CSV, a
# ``date-value`` in ODS. A CSV saved again by Excel in an Indonesian locale holds
# ``28/11/2026 15:30`` (day first, minutes only), so a value is kept with the precision
# it was written at and compared at that precision (``FileTime.is_before``).

_EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (ECMA-376 §18.17.4)
_EXCEL_LAST_DAY = 2_958_465  # 9999-12-31
_DAY_FIRST = re.compile(
    r"(?P<day>[0-9]{1,2})[/.-](?P<month>[0-9]{1,2})[/.-](?P<year>[0-9]{4}|[0-9]{2})"
    r"(?:[ T]+(?P<hour>[0-9]{1,2})[:.](?P<minute>[0-9]{2})(?:[:.](?P<second>[0-9]{2}))?)?"
)
_ISO_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T](?P<time>[0-9:.,]+))?")
SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class FileTime:
    """A time read from a cell (aware, at the start of its second, minute or day) and the
    precision it was written at."""

    moment: datetime
    precision: timedelta = SECOND

    def is_before(self, stored):
        """Whether ``stored`` (aware) is later than this time at this time's precision.

        An export truncates to the second, so the stored time of an unchanged product
        falls within the second (or minute, day) that the file shows; only a time from
        the next one on is later.
        """
        return stored >= self.moment + self.precision


def parse_file_time(value, zone=None):
    """The ``updated_at`` of a row as a ``FileTime``; None for an empty cell.

    A time without a zone is wall-clock time in ``zone`` (the current time zone, in
    which exports write it).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        moment, precision = _file_time(value)
    except (ValueError, OverflowError):
        raise CellError(
            _(
                "%(value)s is not a date and time: leave updated_at as the export wrote it "
                "(for example 2026-11-28 15:30:00), or empty the cell."
            )
            % {"value": cell_text(value)}
        ) from None
    if moment.tzinfo is None:
        moment = timezone.make_aware(moment, zone or timezone.get_current_timezone())
    return FileTime(moment, precision)


def _file_time(value):
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, datetime):
        return value.replace(microsecond=0), SECOND
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), timedelta(days=1)
    if isinstance(value, int | float | Decimal):
        if not 0 < value <= _EXCEL_LAST_DAY:
            raise ValueError(value)
        # Rounded to the second: a serial holds a fraction of a day, not exact seconds.
        return _EXCEL_EPOCH + timedelta(seconds=round(float(value) * 86400)), SECOND
    text = str(value).strip()
    iso = _ISO_TIME.match(text)
    if iso:
        moment = datetime.fromisoformat(text).replace(microsecond=0)
        clock = iso.group("time") or ""
        if not clock:
            return moment, timedelta(days=1)
        return moment, SECOND if clock.count(":") >= 2 else timedelta(minutes=1)
    match = _DAY_FIRST.fullmatch(text)
    if not match:
        raise ValueError(text)
    year = int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
    parts = [int(match[name] or 0) for name in ("hour", "minute", "second")]
    moment = datetime(year, int(match["month"]), int(match["day"]), *parts)
    if match["hour"] is None:
        return moment, timedelta(days=1)
    return moment, SECOND if match["second"] is not None else timedelta(minutes=1)
