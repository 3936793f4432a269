"""``generate_catalogue``: realistic, reproducible, valid synthetic data written in bulk."""

import csv
import re
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.choices import PackagingStatus, ProducerKind, PromotionStatus
from catalogue.models import Category, Certification, HSCode, Producer, Product, ProductPhoto
from catalogue.readiness import assess, facts_for, route_settings
from catalogue.reference import CATEGORY_TREE, DATA
from home.management.commands.generate_catalogue import Command
from home.synthetic.lines import LINES
from regions.models import District, Regency

pytestmark = pytest.mark.django_db


def generate(products, seed=1, photos=0, **options):
    out = StringIO()
    call_command(
        "generate_catalogue", products=products, seed=seed, photos=photos, stdout=out, **options
    )
    return out.getvalue()


def recomputed(product):
    return assess(
        facts_for(
            product,
            photo_count=product.photos.count(),
            certifications=list(product.certifications.all()),
            today=timezone.localdate(),
        ),
        route_settings(),
    )


def snapshot():
    return list(
        Product.objects.order_by("code").values_list(
            "code",
            "name_id",
            "name_en",
            "name_zh",
            "price_idr",
            "moq",
            "capacity_per_month",
            "hs_code_id",
            "shelf_life_days",
            "status",
            "readiness_score",
            "category__slug",
            "producer__code",
            "producer__name",
            "producer__district__code",
            "producer__nib",
        )
    )


def wipe():
    Product.objects.all().delete()
    Producer.objects.all().delete()


@pytest.fixture
def generated_300():
    output = generate(300, seed=42)
    return output


def test_generates_exactly_the_requested_products_and_about_n_over_20_producers(
    generated_300,
):
    assert Product.objects.count() == 300
    assert Producer.objects.count() == 15
    assert "Created 300 products, 15 producers" in generated_300


def test_every_relation_is_consistent(generated_300):
    leaf_ids = set(Category.objects.filter(children__isnull=True).values_list("pk", flat=True))
    hs6 = set(HSCode.objects.filter(level=6).values_list("code", flat=True))
    products = Product.objects.select_related("producer__regency", "producer__district", "category")
    for product in products:
        producer = product.producer
        assert producer.district.regency_id == producer.regency_id
        assert product.category_id in leaf_ids
        assert product.hs_code_id is None or product.hs_code_id in hs6
        assert product.code.startswith(f"{producer.regency.abbreviation}-")
        assert re.fullmatch(r"[A-Z]{3}-\d{4,}", product.code)
        assert re.fullmatch(r"P-[A-Z]{3}-\d{3,}", producer.code)
        if product.category.profile == "food":
            assert product.shelf_life_days
        if product.status == PromotionStatus.NOT_SUITABLE:
            assert product.not_suitable_reason
        assert product.updated_at >= product.created_at


def test_a_sample_passes_model_validation(generated_300):
    for product in Product.objects.select_related("category", "producer")[::20]:
        product.full_clean()
    for producer in Producer.objects.select_related("regency", "district"):
        producer.full_clean()
    for certification in Certification.objects.all()[::10]:
        certification.full_clean()


def test_data_is_spread_over_regencies_categories_statuses_and_kinds(generated_300):
    assert set(Producer.objects.values_list("regency__code", flat=True)) == set(
        Regency.objects.values_list("code", flat=True)
    )
    assert Regency.objects.count() == 7
    leaves = set(Category.objects.filter(children__isnull=True).values_list("slug", flat=True))
    assert set(Product.objects.values_list("category__slug", flat=True)) == leaves
    assert set(Product.objects.values_list("status", flat=True)) == set(PromotionStatus.values)
    assert set(Product.objects.values_list("packaging_status", flat=True)) == set(
        PackagingStatus.values
    )
    assert set(Producer.objects.values_list("kind", flat=True)) == set(ProducerKind.values)
    scores = Counter(Product.objects.values_list("readiness_score", flat=True))
    assert len(scores) > 10


def test_names_prices_and_certificates_look_like_real_records(generated_300):
    names = list(Product.objects.values_list("name_id", "name_en", "name_zh"))
    assert len({n[0] for n in names}) > 100
    assert any(n[0].startswith(("Kursi", "Meja", "Keripik", "Kopi", "Cerutu")) for n in names)
    assert 0 < sum(bool(n[1]) for n in names) < 300
    assert 0 < sum(bool(n[2]) for n in names) < 300
    assert any(re.search(r"[\u4e00-\u9fff]", n[2]) for n in names)
    prices = list(Product.objects.exclude(price_idr=None).values_list("price_idr", flat=True))
    assert len(prices) > 150 and min(prices) >= 500 and max(prices) > 1_000_000
    today = timezone.localdate()
    certificates = Certification.objects.all()
    assert certificates.filter(expires_on__lt=today).exists()
    assert certificates.filter(expires_on__gte=today).exists()
    assert certificates.filter(expires_on=None).exists()
    assert Product.objects.filter(tags__isnull=False).distinct().count() > 30
    created = Product.objects.order_by("created_at").values_list("created_at", flat=True)
    assert created[0] < timezone.now() - timedelta(days=300)
    assert created.last() > timezone.now() - timedelta(days=30)


def test_producers_cover_all_146_districts_once_there_are_enough(db):
    generate(2920, seed=3)
    assert Producer.objects.count() == 146
    assert Producer.objects.values("district").distinct().count() == District.objects.count()
    assert District.objects.count() == 146
    nibs = [n for n in Producer.objects.values_list("nib", flat=True) if n]
    assert len(nibs) == len(set(nibs)) and all(re.fullmatch(r"\d{13}", n) for n in nibs)


def test_stored_readiness_equals_a_fresh_assessment(generated_300):
    products = Product.objects.select_related("category").prefetch_related(
        "certifications", "photos"
    )
    for product in products:
        assessment = recomputed(product)
        assert (product.readiness_score, product.readiness_gaps) == (
            assessment.score,
            assessment.gaps,
        ), product.code


def test_bulk_writes_leave_no_change_history(generated_300):
    assert Product.history.count() == 0
    assert Producer.history.count() == 0


def test_same_seed_on_the_same_starting_state_gives_the_same_data(db):
    generate(120, seed=7)
    first = snapshot()
    wipe()
    generate(120, seed=7)
    assert snapshot() == first
    wipe()
    generate(120, seed=8)
    assert snapshot() != first


def test_a_second_run_adds_products_with_fresh_codes(make_product):
    existing = make_product()
    assert (existing.code, existing.producer.code) == ("JBR-0001", "P-JBR-001")
    generate(50, seed=1)
    generate(50, seed=1)
    assert Product.objects.count() == 101
    codes = list(Product.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    jember = sorted(int(c[4:]) for c in codes if c.startswith("JBR-"))
    assert jember == list(range(1, len(jember) + 1))
    producer_codes = list(Producer.objects.values_list("code", flat=True))
    assert len(producer_codes) == len(set(producer_codes)) == 1 + 7 + 7
    nibs = [n for n in Producer.objects.values_list("nib", flat=True) if n]
    assert len(nibs) == len(set(nibs))


def test_photos_get_thumbnails_and_count_towards_readiness(db):
    output = generate(30, seed=5, photos=6)
    photographed = Product.objects.filter(photos__isnull=False).distinct()
    assert photographed.count() == 6
    assert "6 products" in output
    for product in photographed.select_related("category"):
        photos = list(product.photos.all())
        assert 1 <= len(photos) <= 2
        assert [p.is_primary for p in photos].count(True) == 1
        for photo in photos:
            assert photo.thumbnail
            assert default_storage.exists(photo.image.name)
            assert default_storage.exists(photo.thumbnail.name)
        assessment = recomputed(product)
        assert product.readiness_score == assessment.score
        assert ("photos" in product.readiness_gaps) == (len(photos) < 2)
    assert ProductPhoto.objects.count() == sum(p.photos.count() for p in photographed)


def test_default_photo_count_is_min_of_n_and_200(db):
    call_command("generate_catalogue", products=4, seed=2, stdout=StringIO())
    assert Product.objects.filter(photos__isnull=True).count() == 0


def test_photos_do_not_change_the_other_data(db):
    generate(40, seed=9, photos=0)
    without = [row[:10] for row in snapshot()]
    wipe()
    generate(40, seed=9, photos=3)
    assert [row[:10] for row in snapshot()] == without


def test_queries_do_not_grow_per_product(db):
    with CaptureQueriesContext(connection) as queries:
        generate(1000, seed=1)
    # SQLite splits each bulk insert into statements of ~20 rows; nothing is per product.
    assert len(queries.captured_queries) < 250


def test_refuses_nonsense_arguments(db):
    with pytest.raises(CommandError):
        generate(0)
    with pytest.raises(CommandError):
        generate(5, photos=-1)


def test_help_says_that_runs_add_up():
    text = Command().create_parser("manage.py", "generate_catalogue").format_help()
    assert "ADDS N" in " ".join(text.split())


def test_every_starter_leaf_has_product_lines_with_shipped_hs_codes():
    with (DATA / "hs6.csv").open(newline="", encoding="utf-8") as handle:
        hs6 = {row["code"] for row in csv.DictReader(handle)}
    leaves = {child[0] for *_, children in CATEGORY_TREE for child in children} | {
        slug for slug, *_, children in CATEGORY_TREE if not children
    }
    assert leaves <= set(LINES)
    food = {child[0] for *_, children in CATEGORY_TREE for child in children if child[4] == "food"}
    for slug, lines in LINES.items():
        for line in lines:
            assert line.hs in hs6, (slug, line.name)
            if slug in food:
                assert line.shelf, (slug, line.name)


def test_batch_size_does_not_change_the_data(db):
    generate(50, seed=4, batch_size=7)
    small_batches = snapshot()
    wipe()
    generate(50, seed=4)
    assert snapshot() == small_batches


def test_even_a_tiny_run_has_a_producer_in_every_regency(db):
    generate(3, seed=1)
    assert Product.objects.count() == 3
    assert Producer.objects.values("regency").distinct().count() == 7


def test_timestamps_are_spread_and_auto_now_is_restored_afterwards(make_product):
    generate(20, seed=1)
    assert Product.objects.values("updated_at").distinct().count() == 20
    assert Product.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).exists()
    fresh = make_product()
    assert timezone.now() - fresh.created_at < timedelta(minutes=1)
    assert timezone.now() - fresh.updated_at < timedelta(minutes=1)
