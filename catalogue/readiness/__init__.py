"""Export readiness for China: the rules (``rules``) and the score and gaps they give a
product (``scoring``). The stored score is kept current by ``catalogue.services`` and
``catalogue.signals``; ``manage.py refresh_readiness`` recomputes all of it."""

from catalogue.readiness.rules import (
    AGRICULTURE,
    ALL_PROFILES,
    FOOD,
    GENERAL,
    RULES,
    RULES_BY_KEY,
    TOBACCO,
    WOOD,
    Rule,
    rules_for,
)
from catalogue.readiness.scoring import (
    BLOCKED_SCORE_CAP,
    Assessment,
    ProductFacts,
    RouteSettings,
    assess,
    facts_for,
    route_settings,
)

__all__ = [
    "AGRICULTURE",
    "ALL_PROFILES",
    "BLOCKED_SCORE_CAP",
    "FOOD",
    "GENERAL",
    "RULES",
    "RULES_BY_KEY",
    "TOBACCO",
    "WOOD",
    "Assessment",
    "ProductFacts",
    "Rule",
    "RouteSettings",
    "assess",
    "facts_for",
    "route_settings",
    "rules_for",
]
