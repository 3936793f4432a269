"""Migrations 0011–0013: today's materials, packaging, storage and producer description
move into the ``_id`` fields (in the change log too), and the stored completeness of
existing products is computed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.reference_data import load_reference_data

BEFORE = [("catalogue", "0010_producer_version")]
AFTER = [("catalogue", "0013_completeness_of_existing_products")]


@pytest.fixture
def migrate(transactional_db):
    # Transactional tests run last, each after the flush of the one before, which empties
    # the reference tables the data migrations filled (regencies above all).
    load_reference_data()

    def run(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield run
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_texts_move_to_the_indonesian_fields(migrate):
    old = migrate(BEFORE)
    Regency, Category = old.get_model("regions", "Regency"), old.get_model("catalogue", "Category")
    Producer, Product = (
        old.get_model("catalogue", "Producer"),
        old.get_model("catalogue", "Product"),
    )
    HistoricalProduct = old.get_model("catalogue", "HistoricalProduct")
    regency = Regency.objects.get(code="35.09")
    producer = Producer.objects.create(
        code="P-JBR-901",
        name="UD Drum",
        kind="home_industry",
        regency=regency,
        district=regency.districts.order_by("code").first(),
        description="Kursi dari drum bekas",
    )
    product = Product.objects.create(
        code="JBR-9001",
        producer=producer,
        category=Category.objects.get(slug="kopi-teh"),
        name_id="Kopi robusta",
        name_en="Robusta coffee",
        shelf_life_days=365,
        materials="Biji kopi robusta",
        packaging_description="Karung goni 60 kg",
        storage_conditions="Gudang kering",
    )
    HistoricalProduct.objects.create(
        id=product.pk,
        code=product.code,
        producer_id=producer.pk,
        category_id=product.category_id,
        name_id=product.name_id,
        materials="Biji kopi",
        created_at=product.created_at,
        history_date=product.created_at,
        history_type="+",
    )

    new = migrate(AFTER)
    product = new.get_model("catalogue", "Product").objects.get(code="JBR-9001")
    assert product.materials_id == "Biji kopi robusta"
    assert product.packaging_description_id == "Karung goni 60 kg"
    assert product.storage_conditions_id == "Gudang kering"
    assert product.materials_zh == product.storage_conditions_en == ""
    # Name and materials, packaging and storage (food) have Indonesian text; English has
    # the name only, Chinese nothing.
    assert (product.completeness_en, product.completeness_zh) == (25, 0)
    producer = new.get_model("catalogue", "Producer").objects.get(code="P-JBR-901")
    assert producer.description_id == "Kursi dari drum bekas"
    history = new.get_model("catalogue", "HistoricalProduct").objects.get(code="JBR-9001")
    assert history.materials_id == "Biji kopi"
