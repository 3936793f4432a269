"""Reusable validators for what comes from outside: NIB, HS codes, phone numbers, and the
plausible ranges of a product's figures (the form, the model and the import share them)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

# ASCII digits only: \d would also take Arabic-Indic or full-width digits, and ``$`` would
# let a trailing newline through.
_NIB = re.compile(r"[0-9]{13}")
_HS6 = re.compile(r"[0-9]{6}")
_PHONE = re.compile(r"\+?[0-9(][0-9 ()./-]*")

# Far above any real home-industry product, far below what the database columns hold:
# a typo such as a price with three extra zeros is caught, not stored.
NUMBER_LIMITS = {
    "price_idr": 100_000_000_000,  # Rp 100 billion per unit
    "moq": 10_000_000,
    "capacity_per_month": 100_000_000,
    "lead_time_days": 730,  # two years
    "shelf_life_days": 3_650,  # ten years
}


def max_value(key):
    """The model validator for ``NUMBER_LIMITS[key]``, with a message people understand."""
    return MaxValueValidator(
        NUMBER_LIMITS[key], message=_("At most %(limit_value)s; check the number.")
    )


def validate_phone(value):
    """A phone or WhatsApp number: digits with +, spaces, dots, dashes or brackets; 6–15
    digits in all (the international maximum is 15)."""
    digits = sum(ch.isdigit() for ch in value or "")
    if not _PHONE.fullmatch(value or "") or not 6 <= digits <= 15:
        raise ValidationError(
            _("%(value)s is not a phone number; write it like 0331-512784 or +62 812-3301-4478."),
            code="invalid_phone",
            params={"value": value},
        )


def validate_nib(value):
    """NIB (Nomor Induk Berusaha, issued through OSS) is a 13-digit number."""
    if not _NIB.fullmatch(value or ""):
        raise ValidationError(
            _("NIB must be exactly 13 digits, for example 9120001234567."), code="invalid_nib"
        )


def normalise_hs_code(value):
    """Accept ``2402.10``, ``2402 10`` or ``240210``; return the six digits."""
    return re.sub(r"[\s.]", "", str(value or ""))


def validate_hs_code(value):
    """The HS code must be a 6-digit subheading of the shipped HS 2022 list."""
    from catalogue.models import HSCode

    code = normalise_hs_code(value)
    if not _HS6.fullmatch(code):
        raise ValidationError(
            _("%(value)s is not an HS code: use 6 digits, for example 2402.10."),
            code="invalid_hs_code",
            params={"value": value},
        )
    if not HSCode.objects.filter(code=code, level=6).exists():
        raise ValidationError(
            _("%(value)s is not an HS code in the HS 2022 list."),
            code="unknown_hs_code",
            params={"value": value},
        )
