"""Export readiness for China: a score 0–100 and the list of what is missing.

``assess`` is a pure function of ``ProductFacts`` so that every rule can be unit-tested
without a database. The rules and their sources are those of CHINA_READINESS.md; they are
not legal advice, and the UI tells users to check with the authority named in ``source``.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

FOOD, WOOD, TOBACCO, AGRICULTURE, GENERAL = "food", "wood", "tobacco", "agri", "general"
ALL_PROFILES = frozenset({FOOD, WOOD, TOBACCO, AGRICULTURE, GENERAL})

# A product that fails a blocker (shelf life shorter than the route allows) scores at most
# this, however complete the rest of its record is.
BLOCKED_SCORE_CAP = 40


@dataclass(frozen=True)
class ProductFacts:
    """What the rules look at, taken from a product, its photos and certifications."""

    profile: str = GENERAL
    name_zh: str = ""
    name_en: str = ""
    photo_count: int = 0
    price_idr: int | None = None
    moq: int | None = None
    capacity_per_month: int | None = None
    lead_time_days: int | None = None
    hs_code: str = ""
    origin_criterion: str = ""
    packaging_status: str = "not_assessed"
    has_dimensions: bool = False
    wood_packaging: str = "none"
    shelf_life_days: int | None = None
    storage_conditions: str = ""
    label_status: str = "none"
    importer_known: bool = False
    batch_coding: bool = False
    gacc_route: str = ""
    valid_certifications: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Rule:
    key: str
    profiles: frozenset
    label: str
    source: str
    passes: object  # callable(ProductFacts, RouteSettings) -> bool
    blocker: bool = False


@dataclass(frozen=True)
class RouteSettings:
    """Shelf life vs. route (CHINA_READINESS.md rule 10); defaults from settings."""

    route_days: int = 45
    min_remaining_share: float = 0.5

    def __post_init__(self):
        if self.route_days < 0:
            raise ValueError("route_days must not be negative.")
        if not 0 <= self.min_remaining_share < 1:
            raise ValueError("min_remaining_share must be at least 0 and below 1.")

    def minimum_shelf_life(self):
        """The fewest days of shelf life that still arrive with the required share left.

        Days left on arrival (shelf - route) must be at least share × shelf, so
        shelf >= route / (1 - share). Exact fractions: with floats, 45 / (1 - 0.9) is
        450.00000000000006 and would round up to 451.
        """
        share = Fraction(str(self.min_remaining_share))
        return math.ceil(Fraction(self.route_days) / (1 - share))


@dataclass(frozen=True)
class Assessment:
    score: int
    gaps: list
    blocked: bool = False


def _cert(kind):
    return lambda f, r: kind in f.valid_certifications


FOOD_ONLY = frozenset({FOOD})
WOOD_ONLY = frozenset({WOOD})

RULES = [
    # Items every profile checks (CHINA_READINESS.md, last paragraph).
    Rule(
        "name_zh",
        ALL_PROFILES,
        _("Chinese product name"),
        "GB 7718; TEC catalogue",
        lambda f, r: bool(f.name_zh.strip()),
    ),
    Rule(
        "name_en",
        ALL_PROFILES,
        _("English product name"),
        "TEC catalogue",
        lambda f, r: bool(f.name_en.strip()),
    ),
    Rule(
        "photos",
        ALL_PROFILES,
        _("At least 2 photos"),
        "TEC catalogue",
        lambda f, r: f.photo_count >= 2,
    ),
    Rule("price", ALL_PROFILES, _("Price"), "TEC catalogue", lambda f, r: bool(f.price_idr)),
    Rule(
        "moq", ALL_PROFILES, _("Minimum order quantity"), "TEC catalogue", lambda f, r: bool(f.moq)
    ),
    Rule(
        "capacity",
        ALL_PROFILES,
        _("Monthly capacity"),
        "TEC catalogue",
        lambda f, r: bool(f.capacity_per_month),
    ),
    Rule(
        "lead_time",
        ALL_PROFILES,
        _("Lead time"),
        "TEC catalogue",
        lambda f, r: f.lead_time_days is not None,
    ),
    Rule(
        "hs_code",
        ALL_PROFILES,
        _("6-digit HS code"),
        "ACFTA rules of origin",
        lambda f, r: len(f.hs_code) == 6,
    ),
    Rule(
        "origin",
        ALL_PROFILES,
        _("Origin criterion for Form E (e-SKA)"),
        "ACFTA rules of origin",
        lambda f, r: bool(f.origin_criterion),
    ),
    Rule(
        "packaging",
        ALL_PROFILES,
        _("Packaging rated export-ready"),
        "TEC catalogue",
        lambda f, r: f.packaging_status == "export_ready",
    ),
    Rule(
        "dimensions",
        ALL_PROFILES,
        _("Dimensions or weight"),
        "TEC catalogue",
        lambda f, r: f.has_dimensions,
    ),
    # Rule 5: solid-wood packing must be ISPM-15 treated, whatever the product.
    Rule(
        "ispm15",
        ALL_PROFILES,
        _("Wooden packing ISPM-15 treated"),
        "IPPC ISPM-15",
        lambda f, r: f.wood_packaging != "untreated",
    ),
    # Rule 6: SVLK / V-Legal for wood products.
    Rule(
        "svlk",
        WOOD_ONLY,
        _("SVLK / V-Legal certificate"),
        "Indonesian timber legality regulation (SVLK)",
        _cert("svlk"),
    ),
    # Rules 1–3, 7, 8, 10: food and beverage.
    Rule(
        "gacc", FOOD_ONLY, _("GACC registration (valid)"), "GACC Decrees 248 and 280", _cert("gacc")
    ),
    Rule(
        "gacc_route",
        FOOD_ONLY,
        _("GACC registration route known"),
        "GACC Decrees 248 and 280",
        lambda f, r: bool(f.gacc_route),
    ),
    Rule(
        "cn_label",
        FOOD_ONLY,
        _("Compliant Chinese label"),
        "GB 7718",
        lambda f, r: f.label_status == "compliant",
    ),
    Rule(
        "importer",
        FOOD_ONLY,
        _("Chinese importer or agent known"),
        "GB 7718",
        lambda f, r: f.importer_known,
    ),
    Rule(
        "shelf_life",
        FOOD_ONLY,
        _("Shelf life in days"),
        "GB 7718; GACC Decree 249",
        lambda f, r: bool(f.shelf_life_days),
    ),
    Rule(
        "storage",
        FOOD_ONLY,
        _("Storage conditions"),
        "GB 7718",
        lambda f, r: bool(f.storage_conditions.strip()),
    ),
    Rule(
        "batch_coding",
        FOOD_ONLY,
        _("Batch coding on packs"),
        "GACC Decree 249",
        lambda f, r: f.batch_coding,
    ),
    Rule(
        "halal",
        FOOD_ONLY,
        _("Halal certificate (BPJPH)"),
        "Indonesian halal product assurance law (BPJPH)",
        _cert("halal"),
    ),
    Rule(
        "food_permit",
        FOOD_ONLY,
        _("SPP-IRT or BPOM MD number"),
        "BPOM Regulation 4/2024",
        lambda f, r: bool({"spp_irt", "bpom_md"} & f.valid_certifications),
    ),
    Rule(
        "shelf_life_route",
        FOOD_ONLY,
        _("Shelf life outlasts the route to China"),
        "Trade practice (CHINA_READINESS.md rule 10)",
        lambda f, r: bool(f.shelf_life_days) and f.shelf_life_days >= r.minimum_shelf_life(),
        blocker=True,
    ),
]
RULES_BY_KEY = {rule.key: rule for rule in RULES}


def rules_for(profile):
    return [rule for rule in RULES if profile in rule.profiles]


def assess(facts, route=None):
    """Score 0–100 (share of the profile's rules met) and the keys of the unmet rules.

    A failed blocker (shelf life shorter than the route allows) caps the score: such a
    product is not ready whatever else it has.
    """
    route = route or RouteSettings()
    rules = rules_for(facts.profile)
    gaps = [rule.key for rule in rules if not rule.passes(facts, route)]
    score = round(100 * (len(rules) - len(gaps)) / len(rules)) if rules else 0
    blocked = any(RULES_BY_KEY[key].blocker for key in gaps)
    if blocked:
        score = min(score, BLOCKED_SCORE_CAP)
    return Assessment(score=score, gaps=gaps, blocked=blocked)


def route_settings():
    from django.conf import settings

    return RouteSettings(
        route_days=settings.READINESS_ROUTE_DAYS,
        min_remaining_share=settings.READINESS_MIN_REMAINING_SHARE,
    )


def facts_for(product, photo_count, certifications, today=None):
    """Build ``ProductFacts`` from a product and its related rows (no queries here)."""
    today = today or date.today()
    valid = frozenset(
        c.kind for c in certifications if c.expires_on is None or c.expires_on >= today
    )
    return ProductFacts(
        profile=product.category.profile,
        name_zh=product.name_zh,
        name_en=product.name_en,
        photo_count=photo_count,
        price_idr=product.price_idr,
        moq=product.moq,
        capacity_per_month=product.capacity_per_month,
        lead_time_days=product.lead_time_days,
        hs_code=product.hs_code_id or "",
        origin_criterion=product.origin_criterion,
        packaging_status=product.packaging_status,
        has_dimensions=bool(
            (product.length_cm and product.width_cm and product.height_cm) or product.weight_kg
        ),
        wood_packaging=product.wood_packaging,
        shelf_life_days=product.shelf_life_days,
        storage_conditions=product.storage_conditions,
        label_status=product.label_status,
        importer_known=product.importer_known,
        batch_coding=product.batch_coding,
        gacc_route=product.gacc_route,
        valid_certifications=valid,
    )
