"""Completeness of the buyer-read texts per language: the pure function, and the stored
``completeness_en`` / ``completeness_zh`` kept current by every write path."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from catalogue import completeness
from catalogue.bulk import change_status_many
from catalogue.models import Category, Product
from catalogue.product_writes import save_product, write_many

TEXT_FIELDS = [
    f"{stem}_{language}"
    for stem, _label, _only in completeness.TEXTS
    for language in ("id", "en", "zh")
]


def texts(**values):
    fields = dict.fromkeys(TEXT_FIELDS, "")
    fields.update(values)
    return lambda name: fields[name]


# --- the pure function (no database) ---------------------------------------------------


def test_only_the_name_counts_when_nothing_else_has_indonesian_text():
    result = completeness.assess(texts(name_id="Kursi drum", name_zh="油桶椅"), "general")
    assert result.counted == ("name",)
    assert result.percent == {"en": 0, "zh": 100}
    assert result.missing == {"en": ("name",), "zh": ()}


def test_a_text_counts_once_it_has_indonesian_content():
    result = completeness.assess(
        texts(
            name_id="Kursi",
            name_en="Chair",
            description_id="Dari drum bekas",
            description_en="From used drums",
            materials_id="Drum baja",
            packaging_description_id="Karton",
            packaging_description_zh="纸箱",
        ),
        "general",
    )
    assert result.counted == ("name", "description", "materials", "packaging_description")
    assert result.percent == {"en": 50, "zh": 25}
    assert result.missing["en"] == ("materials", "packaging_description")
    assert result.missing["zh"] == ("name", "description", "materials")


def test_storage_counts_for_food_only():
    values = texts(name_id="Kopi", name_en="Coffee", storage_conditions_id="Kering")
    assert completeness.assess(values, "food").percent["en"] == 50
    assert completeness.assess(values, "wood").percent["en"] == 100
    assert "storage_conditions" not in completeness.texts_for("general")


def test_blank_text_is_not_written():
    values = texts(name_id="Kopi", name_en="   ", materials_id=" ", materials_en="Beans")
    result = completeness.assess(values, "general")
    assert result.counted == ("name",)
    assert result.percent["en"] == 0


def test_percent_rounds_down_so_100_means_all_written():
    values = texts(
        name_id="a", name_en="a", description_id="b", description_en="b", materials_id="c"
    )
    assert completeness.assess(values, "general").percent["en"] == 66


def test_of_product_reads_the_profile_of_the_category():
    product = SimpleNamespace(
        category=SimpleNamespace(profile="food"),
        **dict.fromkeys(TEXT_FIELDS, ""),
    )
    product.name_id, product.storage_conditions_id = "Kopi", "Kering"
    product.storage_conditions_zh = "干燥"
    assert completeness.of_product(product).percent == {"en": 0, "zh": 50}


# --- stored and kept current -------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_product_stores_its_completeness(make_product):
    product = make_product(name_id="Kursi", name_en="Chair", materials_id="Drum")
    product.refresh_from_db()
    assert (product.completeness_en, product.completeness_zh) == (50, 0)


@pytest.mark.django_db
def test_save_product_recomputes_it(make_product, staff_user):
    product = make_product(name_id="Kursi")
    product.name_zh = "椅子"
    save_product(product, staff_user, version=product.version)
    product.refresh_from_db()
    assert product.completeness_zh == 100
    # Not a change by a person: the change log holds the text, not the percentage.
    assert not hasattr(product.history.first(), "completeness_zh")


@pytest.mark.django_db
def test_write_many_recomputes_it_for_updated_and_created_products(make_product, staff_user):
    stored = make_product(name_id="Kursi")
    stored.name_en = "Chair"
    new = Product(
        producer=stored.producer,
        category=stored.category,
        name_id="Meja",
        name_zh="桌子",
    )
    created = write_many(
        created=[new],
        updated=[stored],
        attributes=["name_en"],
        from_statuses={stored.pk: stored.status},
        user=staff_user,
        when=timezone.now(),
    )
    assert Product.objects.get(pk=stored.pk).completeness_en == 100
    assert Product.objects.get(pk=created[0].pk).completeness_zh == 100


@pytest.mark.django_db
def test_a_bulk_status_change_keeps_it_current(make_product, staff_user):
    product = make_product(name_id="Kursi", name_en="Chair")
    Product.objects.filter(pk=product.pk).update(completeness_en=0)  # stale
    change_status_many(Product.objects.filter(pk=product.pk), "candidate", staff_user)
    assert Product.objects.get(pk=product.pk).completeness_en == 100


@pytest.mark.django_db
def test_an_import_keeps_it_current(make_product, staff_user):
    from catalogue.spreadsheets.importing import apply_plan, plan_for_file
    from tests.catalogue.spreadsheets.test_import import export_rows, xlsx_bytes

    product = make_product(name_id="Kursi")
    header, *rows = (list(row) for row in export_rows())
    rows[0][header.index("name_zh")] = "油桶椅"
    plan = plan_for_file(xlsx_bytes([header, *rows]), "products.xlsx", staff_user)
    assert not plan.errors
    apply_plan(plan, staff_user)
    assert Product.objects.get(pk=product.pk).completeness_zh == 100


@pytest.mark.django_db
def test_a_category_becoming_food_counts_storage(make_product):
    category = Category.objects.get(slug="kerajinan-kayu")
    product = make_product(
        category=category, name_id="Kursi", name_en="Chair", storage_conditions_id="Kering"
    )
    assert Product.objects.get(pk=product.pk).completeness_en == 100
    category.profile = "food"
    category.save()
    assert Product.objects.get(pk=product.pk).completeness_en == 50


@pytest.mark.django_db
def test_old_attribute_names_read_and_write_the_indonesian_field(make_product, make_producer):
    product = make_product(materials="Drum baja", storage_conditions="Kering")
    product.packaging_description = "Karton"
    assert product.materials_id == "Drum baja"
    assert product.storage_conditions_id == "Kering"
    assert product.packaging_description_id == "Karton"
    producer = make_producer(description="Usaha rumahan")
    assert producer.description_id == "Usaha rumahan" == producer.description
