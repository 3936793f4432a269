"""How complete a product's buyer-read texts are in English and Chinese.

As Akeneo PIM shows completeness per channel and locale ("Understand product
completeness", help.akeneo.com): the share of the required texts that are filled in that
language. Here the texts a buyer reads are the name, description, materials, packaging
description and, for food, the storage conditions (the readiness rules ask for storage
only of food, ``catalogue.readiness.rules``). A text counts for a language when it has
Indonesian content; the name always counts (it is required). Pure functions: no database.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from catalogue.readiness.rules import FOOD

# (field stem, label, profiles it counts for: None = every profile)
TEXTS = (
    ("name", _("Name"), None),
    ("description", _("Description"), None),
    ("materials", _("Materials"), None),
    ("packaging_description", _("Packaging"), None),
    ("storage_conditions", _("Storage conditions"), frozenset({FOOD})),
)
TEXT_LABELS = {stem: label for stem, label, _profiles in TEXTS}
REQUIRED = frozenset({"name"})
LANGUAGES = ("en", "zh")
COMPLETENESS_FIELDS = ("completeness_en", "completeness_zh")


@dataclass(frozen=True)
class Completeness:
    """``percent`` and ``missing`` (the stems of texts not yet written) by language."""

    counted: tuple[str, ...]
    percent: dict[str, int]
    missing: dict[str, tuple[str, ...]]


def texts_for(profile):
    """The stems of the buyer-read texts of a product with this readiness profile."""
    return tuple(stem for stem, _label, only in TEXTS if only is None or profile in only)


def _filled(value):
    return bool((value or "").strip())


def assess(text: Callable[[str], str | None], profile) -> Completeness:
    """The completeness of the texts ``text(field name)`` gives (e.g. ``materials_zh``)."""
    counted = tuple(
        stem for stem in texts_for(profile) if stem in REQUIRED or _filled(text(f"{stem}_id"))
    )
    percent, missing = {}, {}
    for language in LANGUAGES:
        gaps = tuple(stem for stem in counted if not _filled(text(f"{stem}_{language}")))
        missing[language] = gaps
        percent[language] = (len(counted) - len(gaps)) * 100 // len(counted)
    return Completeness(counted, percent, missing)


def of_product(product) -> Completeness:
    """A product's completeness as it stands in memory (its ``category`` must be set)."""
    return assess(lambda field: getattr(product, field), product.category.profile)


def apply(product) -> bool:
    """Set ``completeness_en`` and ``completeness_zh`` of a product in memory; whether
    they changed."""
    result = of_product(product)
    before = (product.completeness_en, product.completeness_zh)
    product.completeness_en, product.completeness_zh = result.percent["en"], result.percent["zh"]
    return before != (product.completeness_en, product.completeness_zh)
