"""Prices read well in every UI language."""

import pytest
from django.utils import translation

from core.templatetags.etalase import rupiah


@pytest.mark.parametrize(
    "language, shown",
    [("id", "Rp 4.750.000"), ("en", "Rp 4,750,000"), ("zh-hans", "Rp 4,750,000")],
)
def test_rupiah_groups_thousands_in_every_language(language, shown):
    with translation.override(language):
        assert rupiah(4_750_000) == shown


def test_no_price_is_a_dash():
    assert rupiah(None) == "—"
