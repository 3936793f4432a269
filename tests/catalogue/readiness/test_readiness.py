"""Export readiness for China (each rule names its source): the pure rules, then the stored
score."""

import dataclasses
import datetime
import io
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.choices import CertificationKind, ReadinessProfile
from catalogue.models import Certification, Product, StatusChange
from catalogue.product_writes import change_status
from catalogue.readiness import (
    ALL_PROFILES,
    BLOCKED_SCORE_CAP,
    RULES,
    RULES_BY_KEY,
    ProductFacts,
    RouteSettings,
    assess,
    facts_for,
    rules_for,
)
from catalogue.services import refresh_readiness

PROFILES = sorted(ALL_PROFILES)
ALL_CERTIFICATIONS = frozenset(CertificationKind.values)


def complete(profile, **changes):
    """Facts of a product that has everything any profile asks for."""
    facts = ProductFacts(
        profile=profile,
        name_zh="雪茄",
        name_en="Cigar",
        photo_count=2,
        price_idr=150_000,
        moq=100,
        capacity_per_month=2_000,
        lead_time_days=30,
        hs_code="240210",
        origin_criterion="wo",
        packaging_status="export_ready",
        has_dimensions=True,
        wood_packaging="treated",
        shelf_life_days=365,
        storage_conditions="Cool and dry, below 25 °C",
        label_status="compliant",
        importer_known=True,
        batch_coding=True,
        gacc_route="self_registered",
        valid_certifications=ALL_CERTIFICATIONS,
    )
    return dataclasses.replace(facts, **changes)


def without(*kinds):
    return ALL_CERTIFICATIONS - set(kinds)


# For each rule: facts changes that take its input away. A new rule without an entry here
# fails test_every_rule_has_a_missing_input_case.
MISSING = {
    "name_zh": [{"name_zh": ""}, {"name_zh": "   "}],
    "name_en": [{"name_en": ""}],
    "photos": [{"photo_count": 0}, {"photo_count": 1}],
    "price": [{"price_idr": None}, {"price_idr": 0}],
    "moq": [{"moq": None}],
    "capacity": [{"capacity_per_month": None}],
    "lead_time": [{"lead_time_days": None}],
    "hs_code": [{"hs_code": ""}, {"hs_code": "2402"}],
    "origin": [{"origin_criterion": ""}],
    "packaging": [{"packaging_status": "not_assessed"}, {"packaging_status": "needs_improvement"}],
    "dimensions": [{"has_dimensions": False}],
    "ispm15": [{"wood_packaging": "untreated"}],
    "svlk": [{"valid_certifications": without("svlk")}],
    "gacc": [{"valid_certifications": without("gacc")}],
    "gacc_route": [{"gacc_route": ""}],
    "cn_label": [{"label_status": "none"}, {"label_status": "draft"}],
    "importer": [{"importer_known": False}],
    "shelf_life": [{"shelf_life_days": None}, {"shelf_life_days": 0}],
    "storage": [{"storage_conditions": ""}, {"storage_conditions": "  "}],
    "batch_coding": [{"batch_coding": False}],
    "halal": [{"valid_certifications": without("halal")}],
    "food_permit": [{"valid_certifications": without("spp_irt", "bpom_md")}],
    "shelf_life_route": [{"shelf_life_days": 30}],
}
# Other inputs that satisfy a rule, besides the complete record.
ALSO_PASSES = {
    "photos": [{"photo_count": 7}],
    "lead_time": [{"lead_time_days": 0}],  # made to stock: known, not missing
    "ispm15": [{"wood_packaging": "none"}],  # no solid-wood packing: nothing to treat
    "food_permit": [
        {"valid_certifications": without("bpom_md")},  # SPP-IRT alone
        {"valid_certifications": without("spp_irt")},  # BPOM MD alone
    ],
}
# Missing shelf life also fails the route rule that depends on it.
ALSO_FAILS = {"shelf_life": {"shelf_life_route"}}

CASES = [
    pytest.param(rule.key, changes, id=f"{rule.key}-{i}")
    for rule in RULES
    for i, changes in enumerate(MISSING.get(rule.key, []))
]


def test_every_rule_has_a_missing_input_case():
    assert set(MISSING) == set(RULES_BY_KEY)
    assert len(RULES_BY_KEY) == len(RULES), "rule keys must be unique"


def test_rules_cite_a_source():
    for rule in RULES:
        assert rule.source.strip(), rule.key
        assert str(rule.label).strip(), rule.key


@pytest.mark.parametrize("profile", PROFILES)
def test_complete_product_scores_100_with_no_gaps(profile):
    result = assess(complete(profile))
    assert (result.score, result.gaps, result.blocked) == (100, [], False)


@pytest.mark.parametrize(("key", "changes"), CASES)
def test_rule_fails_without_its_input_in_its_profiles_only(key, changes):
    rule = RULES_BY_KEY[key]
    for profile in PROFILES:
        result = assess(complete(profile, **changes))
        if profile in rule.profiles:
            expected = {key} | ALSO_FAILS.get(key, set())
            assert set(result.gaps) == expected, profile
            assert result.score < 100
        else:
            assert key not in result.gaps, profile
            assert (result.score, result.gaps) == (100, []), profile


@pytest.mark.parametrize("key", sorted(ALSO_PASSES))
def test_rule_passes_with_other_acceptable_inputs(key):
    for changes in ALSO_PASSES[key]:
        for profile in RULES_BY_KEY[key].profiles:
            assert key not in assess(complete(profile, **changes)).gaps


# Blockers and rules whose absence fails another rule are scored in the blocker tests.
SINGLE_GAP_CASES = [
    case
    for case in CASES
    if not RULES_BY_KEY[case.values[0]].blocker and case.values[0] not in ALSO_FAILS
]


@pytest.mark.parametrize(("key", "changes"), SINGLE_GAP_CASES)
def test_score_drops_by_one_rules_share(key, changes):
    rule = RULES_BY_KEY[key]
    for profile in rule.profiles:
        total = len(rules_for(profile))
        assert assess(complete(profile, **changes)).score == round(100 * (total - 1) / total)


def test_svlk_is_for_wood_and_gacc_for_food_only():
    # GACC Decrees 248 and 280; the SVLK regulation.
    assert RULES_BY_KEY["svlk"].profiles == {ReadinessProfile.WOOD}
    for key in ("gacc", "cn_label", "halal", "food_permit", "shelf_life_route"):
        assert RULES_BY_KEY[key].profiles == {ReadinessProfile.FOOD}, key
    wood_gaps = assess(complete("wood", valid_certifications=frozenset())).gaps
    assert wood_gaps == ["svlk"]
    food_gaps = assess(complete("food", valid_certifications=frozenset())).gaps
    assert set(food_gaps) == {"gacc", "halal", "food_permit"}


def test_every_rule_names_its_source_not_a_file():
    # The product page shows the source so users can check with its authority: a law, a
    # standard or trade practice, never a document users cannot open.
    for rule in RULES:
        assert rule.source.strip(), rule.key
        assert ".md" not in rule.source, rule.key


def test_items_every_profile_checks_apply_to_all_profiles():
    # Items every profile checks.
    for key in ("name_zh", "name_en", "photos", "price", "moq", "capacity", "lead_time",
                "hs_code", "packaging", "dimensions"):  # fmt: skip
        assert RULES_BY_KEY[key].profiles == ALL_PROFILES, key


def test_score_counts_each_missing_rule_equally():
    total = len(rules_for("general"))
    facts = complete("general", name_zh="", moq=None, photo_count=0)
    result = assess(facts)
    assert set(result.gaps) == {"name_zh", "moq", "photos"}
    assert result.score == round(100 * (total - 3) / total)


def test_empty_record_scores_only_what_needs_no_input():
    for profile in PROFILES:
        result = assess(ProductFacts(profile=profile))
        total = len(rules_for(profile))
        passed = total - len(result.gaps)
        # With nothing filled in, only "no untreated wooden packing" holds.
        assert set(rules_for_keys(profile)) - set(result.gaps) == {"ispm15"}
        expected = round(100 * passed / total)
        if result.blocked:
            expected = min(expected, BLOCKED_SCORE_CAP)
        assert result.score == expected


def rules_for_keys(profile):
    return [rule.key for rule in rules_for(profile)]


# --- shelf life vs. route (trade practice) ------------------------------------------------


def test_default_route_needs_90_days_of_shelf_life():
    # 45 days on the way, half the shelf life left on arrival: 90 - 45 = 45 = 50 % of 90.
    assert RouteSettings().minimum_shelf_life() == 90
    assert "shelf_life_route" in assess(complete("food", shelf_life_days=89)).gaps
    assert assess(complete("food", shelf_life_days=90)).gaps == []


def test_short_shelf_life_blocks_and_caps_the_score():
    total = len(rules_for("food"))
    result = assess(complete("food", shelf_life_days=89))
    assert result.gaps == ["shelf_life_route"]
    assert result.blocked
    assert round(100 * (total - 1) / total) > BLOCKED_SCORE_CAP
    assert result.score == BLOCKED_SCORE_CAP


def test_blocked_product_with_a_lower_score_keeps_it():
    facts = ProductFacts(profile="food", shelf_life_days=10)
    result = assess(facts)
    total = len(rules_for("food"))
    assert result.blocked
    assert result.score == round(100 * (total - len(result.gaps)) / total)
    assert result.score < BLOCKED_SCORE_CAP


def test_missing_shelf_life_is_also_blocked():
    result = assess(complete("food", shelf_life_days=None))
    assert result.blocked and result.score <= BLOCKED_SCORE_CAP


def test_shelf_life_route_does_not_concern_non_food():
    for profile in sorted(ALL_PROFILES - {"food"}):
        result = assess(complete(profile, shelf_life_days=5))
        assert (result.score, result.blocked) == (100, False)


@pytest.mark.parametrize(
    ("route_days", "share"),
    [(45, 0.5), (30, 0.5), (45, 0.6), (21, 0.3), (60, 0.7), (45, 0.8), (45, 0.9), (40, 0.0)],
)
def test_minimum_shelf_life_follows_the_rule_exactly(route_days, share):
    """Ready when days left on arrival (shelf - route) are at least share x shelf."""
    route = RouteSettings(route_days=route_days, min_remaining_share=share)
    exact_share = Fraction(str(share))

    def ready(shelf):
        return shelf - route_days >= exact_share * shelf

    minimum = next(days for days in range(1, 5000) if ready(days))
    assert route.minimum_shelf_life() == minimum
    below = assess(complete("food", shelf_life_days=minimum - 1), route)
    at = assess(complete("food", shelf_life_days=minimum), route)
    assert below.blocked and not at.blocked


def test_custom_route_settings_move_the_threshold():
    longer = RouteSettings(route_days=60, min_remaining_share=0.5)
    assert "shelf_life_route" in assess(complete("food", shelf_life_days=100), longer).gaps
    assert "shelf_life_route" not in assess(complete("food", shelf_life_days=100)).gaps
    shorter = RouteSettings(route_days=21, min_remaining_share=0.5)
    assert assess(complete("food", shelf_life_days=42), shorter).gaps == []
    assert assess(complete("food", shelf_life_days=41), shorter).blocked


@pytest.mark.parametrize("share", [1.0, 1.5, -0.1])
def test_impossible_remaining_share_is_refused(share):
    with pytest.raises(ValueError, match="min_remaining_share"):
        RouteSettings(route_days=45, min_remaining_share=share)


# --- facts_for ----------------------------------------------------------------------------

TODAY = datetime.date(2026, 3, 1)


def fake_product(profile="food", **fields):
    values = {
        "category": SimpleNamespace(profile=profile),
        "name_zh": "",
        "name_en": "",
        "price_idr": None,
        "moq": None,
        "capacity_per_month": None,
        "lead_time_days": None,
        "hs_code_id": None,
        "origin_criterion": "",
        "packaging_status": "not_assessed",
        "length_cm": None,
        "width_cm": None,
        "height_cm": None,
        "weight_kg": None,
        "wood_packaging": "none",
        "shelf_life_days": None,
        "storage_conditions": "",
        "label_status": "none",
        "importer_known": False,
        "batch_coding": False,
        "gacc_route": "",
    }
    values.update(fields)
    return SimpleNamespace(**values)


def cert(kind, expires_on):
    return SimpleNamespace(kind=kind, expires_on=expires_on)


def test_expired_certifications_do_not_count():
    day = datetime.timedelta(days=1)
    certifications = [
        cert("gacc", TODAY - day),  # expired yesterday
        cert("halal", TODAY),  # last valid day
        cert("spp_irt", None),  # does not expire
        cert("svlk", TODAY + 365 * day),
    ]
    facts = facts_for(fake_product(), 0, certifications, today=TODAY)
    assert facts.valid_certifications == {"halal", "spp_irt", "svlk"}
    gaps = assess(facts).gaps
    assert "gacc" in gaps
    assert "halal" not in gaps and "food_permit" not in gaps


def test_an_expired_and_a_valid_certificate_of_the_same_kind_count_as_valid():
    certifications = [cert("gacc", TODAY - datetime.timedelta(days=400)), cert("gacc", None)]
    facts = facts_for(fake_product(), 0, certifications, today=TODAY)
    assert "gacc" in facts.valid_certifications


def test_facts_for_copies_the_product_fields():
    product = fake_product(
        profile="wood",
        name_zh="鼓椅",
        name_en="Drum chair",
        price_idr=850_000,
        moq=20,
        capacity_per_month=100,
        lead_time_days=14,
        hs_code_id="940320",
        origin_criterion="wo",
        packaging_status="export_ready",
        wood_packaging="treated",
    )
    facts = facts_for(product, 3, [], today=TODAY)
    assert facts.profile == "wood"
    assert (facts.name_zh, facts.name_en, facts.photo_count) == ("鼓椅", "Drum chair", 3)
    assert (facts.price_idr, facts.moq, facts.capacity_per_month) == (850_000, 20, 100)
    assert (facts.lead_time_days, facts.hs_code, facts.origin_criterion) == (14, "940320", "wo")
    assert (facts.packaging_status, facts.wood_packaging) == ("export_ready", "treated")
    assert facts_for(fake_product(), 0, [], today=TODAY).hs_code == ""


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, False),
        ({"length_cm": 40, "width_cm": 40}, False),
        ({"length_cm": 40, "width_cm": 40, "height_cm": 45}, True),
        ({"weight_kg": 2.5}, True),
    ],
)
def test_dimensions_need_all_three_sides_or_a_weight(fields, expected):
    assert facts_for(fake_product(**fields), 0, [], today=TODAY).has_dimensions is expected


# --- stored score (database) --------------------------------------------------------------


def expected_score(profile, gaps):
    total = len(rules_for(profile))
    return round(100 * (total - len(gaps)) / total)


@pytest.fixture
def photo_file():
    def make():
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG")
        return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")

    return make


@pytest.mark.django_db
def test_new_product_stores_its_score_and_gaps(make_product):
    product = make_product(category="kerajinan-kayu")  # wood profile, bare record
    product.refresh_from_db()
    keys = rules_for_keys("wood")
    assert set(product.readiness_gaps) == set(keys) - {"ispm15"}
    assert product.readiness_score == expected_score("wood", product.readiness_gaps)
    assert product.readiness_score > 0


@pytest.mark.django_db
def test_editing_a_product_updates_the_stored_score(make_product):
    product = make_product(category="furnitur-kayu")
    before = Product.objects.get(pk=product.pk).readiness_score
    product.name_zh = "鼓椅"
    product.name_en = "Drum chair"
    product.save()
    stored = Product.objects.get(pk=product.pk)
    assert "name_zh" not in stored.readiness_gaps and "name_en" not in stored.readiness_gaps
    assert stored.readiness_score == expected_score("wood", stored.readiness_gaps) > before


@pytest.mark.django_db
def test_photos_update_the_stored_score_when_added_and_deleted(make_product, photo_file):
    from catalogue.models import ProductPhoto

    product = make_product(category="kerajinan-kayu")

    def stored():
        return Product.objects.get(pk=product.pk)

    assert "photos" in stored().readiness_gaps
    first = ProductPhoto.objects.create(product=product, image=photo_file(), is_primary=True)
    assert "photos" in stored().readiness_gaps  # one is not enough
    ProductPhoto.objects.create(product=product, image=photo_file(), position=1)
    assert "photos" not in stored().readiness_gaps
    assert stored().readiness_score == expected_score("wood", stored().readiness_gaps)
    first.delete()
    assert "photos" in stored().readiness_gaps
    assert stored().readiness_score == expected_score("wood", stored().readiness_gaps)


@pytest.mark.django_db
def test_certifications_update_the_stored_score(make_product):
    product = make_product(category="furnitur-kayu")
    assert "svlk" in Product.objects.get(pk=product.pk).readiness_gaps
    svlk = Certification.objects.create(
        product=product, kind="svlk", number="VLK-001", expires_on=datetime.date(2099, 1, 1)
    )
    stored = Product.objects.get(pk=product.pk)
    assert "svlk" not in stored.readiness_gaps
    assert stored.readiness_score == expected_score("wood", stored.readiness_gaps)

    svlk.issued_on = datetime.date(2015, 1, 1)
    svlk.expires_on = datetime.date(2020, 1, 1)  # now expired
    svlk.save()
    assert "svlk" in Product.objects.get(pk=product.pk).readiness_gaps

    svlk.expires_on = None
    svlk.save()
    assert "svlk" not in Product.objects.get(pk=product.pk).readiness_gaps
    svlk.delete()
    assert "svlk" in Product.objects.get(pk=product.pk).readiness_gaps


@pytest.mark.django_db
def test_food_product_with_short_shelf_life_is_stored_blocked(make_product):
    product = make_product(category="makanan-olahan", shelf_life_days=60)
    stored = Product.objects.get(pk=product.pk)
    assert "shelf_life_route" in stored.readiness_gaps
    assert stored.readiness_score <= BLOCKED_SCORE_CAP


@pytest.mark.django_db
def test_route_settings_come_from_django_settings(make_product, settings):
    product = make_product(category="makanan-olahan", shelf_life_days=100)
    assert "shelf_life_route" not in Product.objects.get(pk=product.pk).readiness_gaps
    settings.READINESS_ROUTE_DAYS = 60  # needs 120 days now
    refresh_readiness(product)
    assert "shelf_life_route" in Product.objects.get(pk=product.pk).readiness_gaps


@pytest.mark.django_db
def test_changing_a_category_profile_rescores_its_products(make_product):
    from catalogue.models import Category

    product = make_product(category="furnitur-logam")  # general: no SVLK rule
    assert "svlk" not in Product.objects.get(pk=product.pk).readiness_gaps
    category = Category.objects.get(slug="furnitur-logam")
    category.profile = "wood"
    category.save()
    stored = Product.objects.get(pk=product.pk)
    assert "svlk" in stored.readiness_gaps
    assert stored.readiness_score == expected_score("wood", stored.readiness_gaps)


@pytest.mark.django_db
def test_refresh_does_not_write_a_history_entry(make_product):
    product = make_product()
    count = product.history.count()
    Certification.objects.create(product=product, kind="svlk", number="X")
    assert product.history.count() == count


# --- status changes -----------------------------------------------------------------------


@pytest.mark.django_db
def test_change_status_records_who_when_from_to_and_why(make_product, staff_user):
    product = make_product()
    step = change_status(product, "candidate", user=staff_user, reason="Good finish")
    assert isinstance(step, StatusChange)
    step.refresh_from_db()
    assert (step.from_status, step.to_status) == ("draft", "candidate")
    assert (step.changed_by, step.reason) == (staff_user, "Good finish")
    assert step.changed_at is not None
    product.refresh_from_db()
    assert product.status == "candidate"
    assert product.updated_by == staff_user

    change_status(product, "shortlisted", user=staff_user)
    assert list(
        product.status_changes.order_by("changed_at", "pk").values_list("from_status", "to_status")
    ) == [("draft", "candidate"), ("candidate", "shortlisted")]


@pytest.mark.django_db
def test_change_to_the_same_status_records_nothing(make_product, staff_user):
    product = make_product()
    assert change_status(product, "draft", user=staff_user) is None
    assert not StatusChange.objects.filter(product=product).exists()


@pytest.mark.django_db
def test_not_suitable_stores_the_reason(make_product, staff_user):
    product = make_product()
    change_status(product, "not_suitable", user=staff_user, reason="Shelf life too short")
    product.refresh_from_db()
    assert product.status == "not_suitable"
    assert product.not_suitable_reason == "Shelf life too short"


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_not_suitable_without_reason_is_refused_and_nothing_changes(
    make_product, staff_user, reason
):
    product = make_product()
    with pytest.raises(ValidationError):
        change_status(product, "not_suitable", user=staff_user, reason=reason)
    assert Product.objects.get(pk=product.pk).status == "draft"
    assert not StatusChange.objects.filter(product=product).exists()


@pytest.mark.django_db
def test_unknown_status_is_refused(make_product):
    product = make_product()
    with pytest.raises(ValidationError):
        change_status(product, "sold_out")
    assert Product.objects.get(pk=product.pk).status == "draft"


@pytest.mark.django_db
def test_anonymous_user_is_not_recorded(make_product):
    from django.contrib.auth.models import AnonymousUser

    product = make_product()
    step = change_status(product, "candidate", user=AnonymousUser())
    assert step.changed_by is None
