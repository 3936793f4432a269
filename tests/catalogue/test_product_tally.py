"""The product tally (``catalogue.ProductTally``, kept by the triggers of migration 0015)
always equals the products counted per regency, category, status and readiness score,
after every kind of write."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Sum, Value

from catalogue import bulk, product_writes
from catalogue.models import Category, Product, ProductTally, tallies
from catalogue.producer_writes import save_producer
from catalogue.spreadsheets.columns import KEYS, row_values
from catalogue.spreadsheets.importing import apply_plan, plan_for_file
from regions.models import Regency
from tests.catalogue.spreadsheets.test_import import csv_bytes

pytestmark = pytest.mark.django_db

KEY = ("regency", "category", "status", "readiness_score")


def tallied():
    """The tally's count per key: the sum of the key's rows (the triggers only insert)."""
    rows = ProductTally.objects.values_list(*KEY).annotate(total=Sum("n")).order_by()
    sums = {tuple(row[:4]): row[4] for row in rows}
    assert all(total >= 0 for total in sums.values())
    return {key: total for key, total in sums.items() if total}


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


def test_compacting_folds_the_rows_and_keeps_every_count(make_producer, make_product):
    jember = make_producer("35.09")
    products = [make_product(jember) for _ in range(4)]
    for status in ("candidate", "shortlisted", "candidate"):
        Product.objects.filter(pk__in=[p.pk for p in products[:3]]).update(status=status)
    products[3].delete()
    before = tallied()
    rows_before = ProductTally.objects.count()
    tallies.compact()
    assert tallied() == before == counted()
    # One row per key left, and none for keys that sum to nothing.
    assert ProductTally.objects.count() == len(before) < rows_before
    assert not ProductTally.objects.filter(n=0).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_writers_of_the_same_key_do_not_wait_for_each_other(make_producer, make_product):
    # An import holds its transaction open for minutes: a product edit with the same
    # regency, category, status and score must not wait for it (nor deadlock with it).
    jember = make_producer("35.09")
    first, second = make_product(jember), make_product(jember)
    failures = []

    def edit_meanwhile():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                Product.objects.filter(pk=second.pk).update(status="candidate")
        except Exception as exc:  # noqa: BLE001 (reported to the test below)
            failures.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        Product.objects.filter(pk=first.pk).update(status="candidate")  # same key
        other = threading.Thread(target=edit_meanwhile)
        other.start()
        other.join(10)
    assert failures == []
    assert tallied() == counted()
