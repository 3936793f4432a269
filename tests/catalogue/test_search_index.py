"""The SQLite FTS5 trigram index of ``q`` (catalogue/search_index.py): used, kept current by
its triggers on every write path, and finding exactly what ``LIKE`` finds.

The search contract itself (same results on both databases) is tests/catalogue/test_search.py.
"""

import pytest
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import search, search_index
from catalogue.models import Category, Producer, Product

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not search_index.supported(connection), reason="the FTS5 index is SQLite's (3.34+)"
    ),
]


def indexed_rows():
    """{product id: (text, producer)} as the index holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, text, producer FROM {search_index.TABLE}")  # noqa: S608
        return {rowid: (text, producer) for rowid, text, producer in cursor.fetchall()}


def expected_rows():
    """What the index must hold: one row per product, lower-cased (ASCII, as SQLite)."""
    lower = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    return {
        p.pk: (
            " ".join([p.code, p.name_id, p.name_en, p.name_zh]).translate(lower),
            p.producer.name.translate(lower),
        )
        for p in Product.objects.select_related("producer")
    }


def found(query):
    return set(search.products(Product.objects.all(), query).values_list("code", flat=True))


def test_a_word_of_three_characters_is_looked_up_in_the_index(make_product):
    product = make_product(name_id="Keripik Pisang")
    make_product(name_id="Keripik Singkong")
    with CaptureQueriesContext(connection) as queries:
        assert found("pisang") == {product.code}
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "MATCH" in sql and "LIKE" not in sql
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan and search_index.TABLE in plan
    assert "SCAN catalogue_product" not in plan.replace("catalogue_product_fts", "")


def test_a_word_of_two_characters_keeps_like(make_product):
    product = make_product(name_id="Kursi jati XL")
    with CaptureQueriesContext(connection) as queries:
        assert found("xl") == {product.code}
    assert "MATCH" not in queries.captured_queries[0]["sql"]


def test_hs_prefix_is_a_range_on_the_code(make_product):
    cigar = make_product(category="cerutu", name_id="Cerutu", hs_code_id="240210")
    make_product(name_id="Tas 2402")  # the digits in a name count as well
    with CaptureQueriesContext(connection) as queries:
        assert found("2402.10") == {cigar.code}
    assert "LIKE" not in queries.captured_queries[0]["sql"]
    assert len(found("2402")) == 2


def test_triggers_follow_create_update_and_delete(make_producer, make_product):
    producer = make_producer(name="Koperasi Raung")
    product = make_product(producer=producer, name_id="Kopi Arabika", name_en="Arabica")
    assert indexed_rows() == expected_rows()
    assert found("raung") == {product.code}

    product.name_id = "Teh Hijau"
    product.save()
    assert found("arabika") == set() and found("hijau") == {product.code}

    producer.name = "Griya Ijen"
    producer.save()
    assert found("raung") == set() and found("ijen") == {product.code}

    other = make_producer(name="Tani Makmur")
    Product.objects.filter(pk=product.pk).update(producer=other)
    assert found("makmur") == {product.code} and found("ijen") == set()
    assert indexed_rows() == expected_rows()

    product.delete()
    assert indexed_rows() == {}


def test_triggers_follow_bulk_writes(make_producer):
    producer = make_producer(name="Sentra Batik")
    category = Category.objects.get(slug="kerajinan-kayu")
    Product.objects.bulk_create(
        [
            Product(code=f"JBR-B{n}", producer=producer, category=category, name_id=f"Meja {n}")
            for n in range(30)
        ]
    )
    assert len(found("meja")) == 30
    Product.objects.filter(code__endswith="1").update(name_en=Concat(F("name_id"), Value(" Table")))
    assert found("table") == {"JBR-B1", "JBR-B11", "JBR-B21"}
    Producer.objects.filter(pk=producer.pk).update(name="Sentra Ukir")
    assert len(found("ukir")) == 30 and found("batik") == set()
    assert indexed_rows() == expected_rows()
    Product.objects.filter(code__endswith="2").delete()
    assert len(found("meja")) == 27
    assert indexed_rows() == expected_rows()


# Letters whose case LIKE folds (ASCII) and does not (É/é, Σ/σ), Chinese, digits and the
# characters that are special somewhere: LIKE's % and _, FTS5's quote, star and parentheses.
ALPHABET = "aAbBkKoOéÉσΣ苏瓦糖01.%_\"*()-' "
texts = st.text(alphabet=ALPHABET, max_size=12)
words = st.text(alphabet=ALPHABET.replace(" ", ""), min_size=1, max_size=5)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    names=st.lists(st.tuples(texts, texts, texts), min_size=1, max_size=4),
    producer_name=texts,
    query=st.lists(words, min_size=1, max_size=3),
)
def test_index_finds_exactly_what_like_finds(make_producer, names, producer_name, query):
    with transaction.atomic():
        producer = make_producer(name=producer_name or "x")
        category = Category.objects.get(slug="kerajinan-kayu")
        Product.objects.bulk_create(
            Product(
                code=f"T-{n}",
                producer=producer,
                category=category,
                name_id=name_id or "-",
                name_en=name_en,
                name_zh=name_zh,
            )
            for n, (name_id, name_en, name_zh) in enumerate(names)
        )
        value = " ".join(query)
        queryset = Product.objects.all()
        by_like = search.contains_all_words(
            queryset,
            value,
            ["code", "name_id", "name_en", "name_zh"],
            code_fields=["hs_code__code"],
            extra=search.made_by_producer_named,
        )
        by_index = search.products(queryset, value)
        assert set(by_index.values_list("code", flat=True)) == set(
            by_like.values_list("code", flat=True)
        )
        transaction.set_rollback(True)
