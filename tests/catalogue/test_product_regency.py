"""``Product.regency`` is always its producer's regency, whichever way the product or the
producer is written (catalogue/models/fields.py, product_writes, producer_writes), and the
regency filter reads it."""

import pytest

from catalogue import bulk, product_writes
from catalogue.models import Category, Producer, Product
from catalogue.producer_writes import save_producer
from catalogue.spreadsheets.columns import KEYS, row_values
from catalogue.spreadsheets.importing import apply_plan, plan_for_file
from regions.models import Regency
from tests.catalogue.spreadsheets.test_import import csv_bytes

pytestmark = pytest.mark.django_db


def wrong_regencies():
    """Products whose stored regency is not their producer's (none, always)."""
    products = Product.objects.select_related("producer")
    return [p.code for p in products if p.regency_id != p.producer.regency_id]


def listed(client, query):
    response = client.get(f"/products/?{query}&per_page=100")
    assert response.status_code == 200
    return {p.code for p in response.context["page"].object_list}


def test_a_saved_product_takes_its_producers_regency(make_producer, make_product):
    jember, banyuwangi = make_producer("35.09"), make_producer("35.10")
    product = make_product(jember)
    assert product.regency.code == "35.09"
    product.producer = banyuwangi
    product.save()
    product.refresh_from_db()
    assert product.regency.code == "35.10" and wrong_regencies() == []


def test_bulk_create_and_write_many_set_it(make_producer, make_product):
    jember, banyuwangi = make_producer("35.09"), make_producer("35.10")
    category = Category.objects.get(slug="kerajinan-kayu")
    Product.objects.bulk_create(
        [
            Product(code=f"JBR-X{n}", producer=jember, category=category, name_id="Meja")
            for n in range(3)
        ]
    )
    # Producers not loaded with the products: write_many looks them up (one query).
    created = product_writes.write_many(
        created=[
            Product(producer_id=banyuwangi.pk, category=category, name_id="Tas", code="BWI-X1")
        ]
    )
    moved = Product.objects.get(code="JBR-X0")
    moved.producer_id = banyuwangi.pk
    product_writes.write_many(
        updated=[moved], attributes=["producer"], from_statuses={moved.pk: moved.status}
    )
    assert created[0].regency_id == banyuwangi.regency_id
    assert Product.objects.get(code="JBR-X0").regency.code == "35.10"
    assert wrong_regencies() == []


def test_a_producer_that_moves_takes_its_products(client, admin_user, make_producer, make_product):
    producer = make_producer("35.09")
    products = [make_product(producer) for _ in range(3)]
    other = make_product(make_producer("35.09"))
    producer.regency = Regency.objects.get(code="35.10")
    producer.district = producer.regency.districts.first()
    save_producer(producer, None)
    assert wrong_regencies() == []
    client.force_login(admin_user)
    assert listed(client, "regency=35.10") == {p.code for p in products}
    assert listed(client, "regency=35.09") == {other.code}


def test_import_and_bulk_status_change_keep_it(make_producer, make_product):
    jember, banyuwangi = make_producer("35.09"), make_producer("35.10")
    product = make_product(jember, name_id="Kursi")
    rows = [KEYS, row_values(product)]
    rows[1][KEYS.index("producer_code")] = banyuwangi.code
    rows[1][KEYS.index("producer_name")] = banyuwangi.name
    rows[1][KEYS.index("regency")] = rows[1][KEYS.index("district")] = ""  # the producer's
    new = [""] * len(KEYS)
    new[KEYS.index("name_id")] = "Meja"
    new[KEYS.index("producer_code")] = banyuwangi.code
    new[KEYS.index("category")] = "kerajinan-kayu"
    rows.append(new)
    plan = plan_for_file(csv_bytes(rows), "products.csv", None)
    assert plan.errors == [] and plan.counts["new"] == 1 and plan.counts["changed"] == 1
    apply_plan(plan)
    assert set(Product.objects.values_list("regency__code", flat=True)) == {"35.10"}
    bulk.change_status_many(Product.objects.all(), "candidate", confirm_gaps=True)
    assert wrong_regencies() == [] and Producer.objects.count() == 2
