"""Reusable validators for identifiers that come from outside: NIB, HS codes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: \d would also take Arabic-Indic or full-width digits, and ``$`` would
# let a trailing newline through.
_NIB = re.compile(r"[0-9]{13}")
_HS6 = re.compile(r"[0-9]{6}")


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
