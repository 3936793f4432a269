"""The product tally (``catalogue.ProductTally``, kept by the triggers of migration 0015)
always equals the products counted per regency, category, status and readiness score,
after every kind of write."""

import pytest
from django.db.models import Count, F, Value

from catalogue import bulk, product_writes
from catalogue.models import Category, Product, ProductTally
from catalogue.producer_writes import save_producer
from catalogue.spreadsheets.columns import KEYS, row_values
from catalogue.spreadsheets.importing import apply_plan, plan_for_file
from regions.models import Regency
from tests.catalogue.spreadsheets.test_import import csv_bytes

pytestmark = pytest.mark.django_db

KEY = ("regency", "category", "status", "readiness_score")


def tallied():
    rows = ProductTally.objects.filter(n__gt=0).values_list(*KEY, "n")
    assert not ProductTally.objects.filter(n__lt=0).exists()
    return {tuple(row[:4]): row[4] for row in rows}


def counted():
    rows = Product.objects.values_list(*KEY).annotate(total=Count("pk")).order_by()
    return {tuple(row[:4]): row[4] for row in rows}


def test_inserts_updates_and_deletes_are_tallied(make_producer, make_product):
    jember = make_producer("35.09")
    products = [make_product(jember) for _ in range(3)]
    food = make_product(jember, category="makanan-olahan", status="candidate")
    assert sum(tallied().values()) == 4 and tallied() == counted()
    food.status = "shortlisted"
    food.save()
    products[0].delete()
    assert tallied() == counted()
    Product.objects.filter(pk=products[1].pk).update(readiness_score=F("readiness_score") + 7)
    Product.objects.filter(pk=products[2].pk).update(name_en=Value("Chair"))  # no key change
    assert tallied() == counted() and sum(tallied().values()) == 3


def test_bulk_writes_imports_and_producer_moves_are_tallied(make_producer, make_product):
    jember, banyuwangi = make_producer("35.09"), make_producer("35.10")
    category = Category.objects.get(slug="kerajinan-kayu")
    Product.objects.bulk_create(
        [
            Product(code=f"JBR-T{n}", producer=jember, category=category, name_id="Meja")
            for n in range(20)
        ]
    )
    assert tallied() == counted()
    bulk.change_status_many(Product.objects.filter(code__endswith="1"), "candidate")
    bulk.add_tag_many(Product.objects.all(), "pameran")
    assert tallied() == counted()
    product_writes.write_many(
        created=[Product(producer=banyuwangi, category=category, name_id="Tas", code="BWI-T1")]
    )
    rows = [KEYS, row_values(Product.objects.get(code="JBR-T2"))]
    rows[1][KEYS.index("status")] = "candidate"
    apply_plan(plan_for_file(csv_bytes(rows), "products.csv", None))
    assert tallied() == counted()
    jember.regency = Regency.objects.get(code="35.08")
    jember.district = jember.regency.districts.first()
    save_producer(jember, None)
    assert tallied() == counted()
    assert {key[0] for key in tallied()} == {
        Regency.objects.get(code="35.08").pk,
        banyuwangi.regency_id,
    }
    Product.objects.filter(producer=jember).delete()
    assert tallied() == counted() and sum(tallied().values()) == 1
