"""Rules and database constraints of the domain models (catalogue and visits)."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from catalogue.choices import ReadinessProfile
from catalogue.models import Category, Certification, Producer, Product, ProductPhoto
from catalogue.reference import CATEGORY_TREE
from regions.models import District, Regency
from visits.models import Visit, VisitNote

pytestmark = pytest.mark.django_db


def photo_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def violates_constraint(save):
    """True when ``save()`` is refused by the database (IntegrityError)."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        return True
    return False


# --- categories (catalogue/reference.py, readiness profiles) ------------------------------


def test_category_tree_is_loaded_with_its_parents():
    for slug, _name, _en, _zh, profile, children in CATEGORY_TREE:
        parent = Category.objects.get(slug=slug)
        assert parent.parent is None
        assert parent.profile == profile
        assert set(parent.children.values_list("slug", flat=True)) == {c[0] for c in children}


def test_every_leaf_category_has_a_known_profile_and_three_names():
    leaves = Category.objects.filter(children__isnull=True)
    assert leaves.exists()
    for category in leaves:
        assert category.profile in ReadinessProfile.values, category.slug
        assert category.name and category.name_en and category.name_zh, category.slug


@pytest.mark.parametrize(
    ("slug", "profile"),
    [
        ("furnitur-kayu", "wood"),  # SVLK regulation, IPPC ISPM-15
        ("kerajinan-kayu", "wood"),
        ("cerutu", "tobacco"),  # rule 9
        ("makanan-olahan", "food"),  # rules 1-3, 7, 8, 10
        ("kopi-teh", "food"),
        ("furnitur-logam", "general"),  # drum furniture: metal, not timber
    ],
)
def test_category_profiles(slug, profile):
    assert Category.objects.get(slug=slug).profile == profile


def test_category_descendants():
    furniture = Category.objects.get(slug="furnitur")
    expected = {furniture.pk} | set(furniture.children.values_list("pk", flat=True))
    assert set(furniture.descendant_ids()) == expected
    leaf = Category.objects.get(slug="cerutu")
    assert leaf.descendant_ids() == [leaf.pk]


def test_category_name_follows_the_language():
    cigars = Category.objects.get(slug="cerutu")
    assert cigars.localized_name("id") == "Cerutu"
    assert cigars.localized_name("en") == "Cigars"
    assert cigars.localized_name("zh-hans") == "雪茄"


# --- producers ----------------------------------------------------------------------------


def test_district_must_be_in_the_producers_regency(make_producer):
    producer = make_producer(regency_code="35.09", district_code="35.09.24")
    producer.full_clean()
    producer.district = District.objects.get(code="35.10.01")  # Banyuwangi
    with pytest.raises(ValidationError) as excinfo:
        producer.full_clean()
    assert set(excinfo.value.message_dict) == {"district"}


def test_producer_codes_are_assigned_per_regency_and_stable(make_producer):
    first = make_producer(regency_code="35.09")
    second = make_producer(regency_code="35.09")
    other = make_producer(regency_code="35.10")
    assert (first.code, second.code, other.code) == ("P-JBR-001", "P-JBR-002", "P-BWI-001")

    banyuwangi = Regency.objects.get(code="35.10")
    first.regency, first.district = banyuwangi, banyuwangi.districts.first()
    first.name = "Moved"
    first.save()
    first.refresh_from_db()
    assert first.code == "P-JBR-001"
    assert make_producer(regency_code="35.09").code == "P-JBR-003"


def test_producer_code_given_by_hand_is_kept(make_producer):
    assert make_producer(code="P-JBR-900").code == "P-JBR-900"
    assert make_producer().code == "P-JBR-901"


def test_producer_str_is_its_name(make_producer):
    assert str(make_producer(name="UD Drum Jaya")) == "UD Drum Jaya"


# --- products -----------------------------------------------------------------------------


def test_product_codes_are_assigned_per_regency_and_stable(make_producer, make_product):
    jember = make_producer(regency_code="35.09")
    banyuwangi = make_producer(regency_code="35.10")
    first = make_product(producer=jember)
    second = make_product(producer=jember)
    third = make_product(producer=banyuwangi)
    assert (first.code, second.code, third.code) == ("JBR-0001", "JBR-0002", "BWI-0001")
    for product in (first, second, third):
        assert re.fullmatch(r"[A-Z]{3}-\d{4}", product.code)

    first.producer = banyuwangi  # moved to another producer: the code stays
    first.name_en = "Renamed"
    first.save()
    first.refresh_from_db()
    assert first.code == "JBR-0001"
    assert make_product(producer=banyuwangi).code == "BWI-0002"


def test_product_code_numbers_grow_past_four_digits(make_producer, make_product):
    producer = make_producer()
    make_product(producer=producer, code="JBR-9999")
    assert make_product(producer=producer).code == "JBR-10000"
    assert make_product(producer=producer).code == "JBR-10001"


def test_product_str_has_code_and_name(make_product):
    product = make_product(name_id="Kursi drum")
    assert str(product) == f"{product.code} Kursi drum"


def test_product_name_follows_the_language_with_indonesian_fallback(make_product):
    product = make_product(name_id="Cerutu", name_en="Cigar", name_zh="")
    assert product.localized_name("en") == "Cigar"
    assert product.localized_name("zh-hans") == "Cerutu"
    assert product.localized_name("id") == "Cerutu"


def test_food_products_need_a_shelf_life(make_product):
    product = make_product(category="makanan-olahan", shelf_life_days=180)
    product.full_clean()
    product.shelf_life_days = None
    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()
    assert set(excinfo.value.message_dict) == {"shelf_life_days"}


@pytest.mark.parametrize("slug", ["furnitur-kayu", "cerutu", "batik", "buah-segar"])
def test_non_food_products_need_no_shelf_life(make_product, slug):
    make_product(category=slug, shelf_life_days=None).full_clean()


def test_not_suitable_needs_a_reason(make_product):
    product = make_product()
    product.status = "not_suitable"
    product.not_suitable_reason = "   "
    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()
    assert set(excinfo.value.message_dict) == {"not_suitable_reason"}
    product.not_suitable_reason = "Cannot reach the minimum order."
    product.full_clean()


def test_database_refuses_not_suitable_without_reason(make_product):
    product = make_product()
    product.status = "not_suitable"
    product.not_suitable_reason = ""
    assert violates_constraint(product.save)
    product.not_suitable_reason = "Too fragile to ship."
    assert not violates_constraint(product.save)
    assert Product.objects.get(pk=product.pk).status == "not_suitable"


def test_database_refuses_a_readiness_score_over_100(make_product):
    product = make_product()
    queryset = Product.objects.filter(pk=product.pk)
    assert violates_constraint(lambda: queryset.update(readiness_score=101))
    assert not violates_constraint(lambda: queryset.update(readiness_score=100))


def test_hs_code_must_be_a_subheading(make_product):
    product = make_product()
    product.hs_code_id = "2402"  # a heading
    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()
    assert "hs_code" in excinfo.value.message_dict
    product.hs_code_id = "240210"
    product.full_clean()


def test_hs_code_outside_the_list_is_refused(make_product):
    product = make_product()
    product.hs_code_id = "999999"
    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()
    assert "hs_code" in excinfo.value.message_dict


# --- photos -------------------------------------------------------------------------------


def test_only_one_primary_photo_per_product(make_product):
    product = make_product()
    other = make_product()
    ProductPhoto.objects.create(product=product, image=photo_upload(), is_primary=True)
    ProductPhoto.objects.create(product=product, image=photo_upload(), is_primary=False)
    ProductPhoto.objects.create(product=other, image=photo_upload(), is_primary=True)
    second_primary = ProductPhoto(product=product, image=photo_upload(), is_primary=True)
    assert violates_constraint(second_primary.save)
    assert product.photos.filter(is_primary=True).count() == 1


def test_primary_photo_comes_first(make_product):
    product = make_product()
    ProductPhoto.objects.create(product=product, image=photo_upload(), position=0)
    primary = ProductPhoto.objects.create(
        product=product, image=photo_upload(), position=5, is_primary=True
    )
    assert product.photos.first() == primary


# --- certifications -----------------------------------------------------------------------


def test_certification_cannot_expire_before_it_is_issued(make_product):
    product = make_product()
    certification = Certification(
        product=product,
        kind="svlk",
        number="VLK-01",
        issued_on=datetime.date(2025, 6, 1),
        expires_on=datetime.date(2025, 5, 31),
    )
    with pytest.raises(ValidationError) as excinfo:
        certification.full_clean()
    assert set(excinfo.value.message_dict) == {"expires_on"}
    assert violates_constraint(certification.save)

    certification.expires_on = certification.issued_on  # same day is allowed
    certification.full_clean()
    assert not violates_constraint(certification.save)


def test_certification_str_names_kind_and_number(make_product):
    certification = Certification(product=make_product(), kind="svlk", number="VLK-77")
    assert "VLK-77" in str(certification)


# --- visits and notes ---------------------------------------------------------------------


def make_visit(start, end):
    return Visit(title="TEC delegation", start_date=start, end_date=end)


def test_visit_cannot_end_before_it_starts():
    visit = make_visit(datetime.date(2026, 5, 12), datetime.date(2026, 5, 11))
    with pytest.raises(ValidationError) as excinfo:
        visit.full_clean()
    assert set(excinfo.value.message_dict) == {"end_date"}
    assert violates_constraint(visit.save)

    one_day = make_visit(datetime.date(2026, 5, 12), datetime.date(2026, 5, 12))
    one_day.full_clean()
    assert not violates_constraint(one_day.save)


@pytest.mark.parametrize(("interest", "allowed"), [(0, False), (1, True), (5, True), (6, False)])
def test_note_interest_is_1_to_5(make_producer, visitor_user, interest, allowed):
    note = VisitNote(producer=make_producer(), author=visitor_user, text="Nice", interest=interest)
    if allowed:
        note.full_clean()
    else:
        with pytest.raises(ValidationError) as excinfo:
            note.full_clean()
        assert "interest" in excinfo.value.message_dict
    assert violates_constraint(note.save) is not allowed


def test_note_without_interest_is_allowed(make_producer, visitor_user):
    note = VisitNote(producer=make_producer(), author=visitor_user, text="No rating")
    note.full_clean()
    assert not violates_constraint(note.save)


def test_note_product_must_be_made_by_the_notes_producer(make_producer, make_product):
    maker, other = make_producer(), make_producer()
    note = VisitNote(producer=other, product=make_product(producer=maker), text="?")
    with pytest.raises(ValidationError) as excinfo:
        note.full_clean()
    assert "product" in excinfo.value.message_dict


def test_note_requested_follow_ups_must_be_known_kinds(make_producer, visitor_user):
    note = VisitNote(
        producer=make_producer(), author=visitor_user, text="x", requested=["samples", "trip"]
    )
    with pytest.raises(ValidationError) as excinfo:
        note.full_clean()
    assert "requested" in excinfo.value.message_dict
    note.requested = ["samples", "price_quote"]
    note.full_clean()


def test_producer_and_product_have_change_history(make_product):
    product = make_product()
    product.name_en = "Drum chair"
    product.save()
    assert product.history.count() == 2
    assert Producer.objects.get(pk=product.producer_id).history.count() == 1
