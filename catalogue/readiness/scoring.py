"""Export readiness for China: a score 0–100 and the list of what is missing.

``assess`` is a pure function of ``ProductFacts`` so that every rule can be unit-tested
without a database; the rules are those of ``catalogue.readiness.rules``.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from catalogue.readiness.rules import GENERAL, RULES_BY_KEY, rules_for

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
class RouteSettings:
    """Shelf life vs. route (trade practice: sea freight and customs to China take 3 to 6
    weeks); defaults from settings."""

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
