"""The product search ``q``: one results contract on SQLite and PostgreSQL, typos on PostgreSQL.

The contract (catalogue/search.py): a product is listed when every word of ``q`` occurs,
case-insensitively, in its code, one of its names or its producer's name, or when a word of
4+ digits starts its HS code. CI runs this module on both databases.
"""

import pytest
from django.db import connection
from django.http import QueryDict

from catalogue.filtersets import ProductFilterSet
from catalogue.models import Product

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram search is PostgreSQL-only"
)


@pytest.fixture
def products(make_producer, make_product):
    raung = make_producer("35.11", name="Koperasi Kopi Raung")
    ptpn = make_producer("35.09", name="PTPN Cerutu Jember")
    home = make_producer("35.09", name="Griya Tape Bondowoso")
    items = {
        "coffee": make_product(
            producer=raung,
            category="makanan-olahan",
            name_id="Kopi Arabika Ijen",
            name_en="Ijen highland coffee",
        ),
        "cigar": make_product(
            producer=ptpn, category="cerutu", name_id="Cerutu Besuki", hs_code_id="240210"
        ),
        "candy": make_product(
            producer=home,
            category="makanan-olahan",
            name_id="Suwar-suwir tape",
            name_en="Fermented cassava candy",
            name_zh="苏瓦苏威尔糖",
        ),
        "discount": make_product(producer=home, name_id="Tas pandan diskon 50%"),
        "plain": make_product(producer=home, name_id="Tas pandan 500 gram"),
    }
    return {key: product.code for key, product in items.items()}


def search(query, sort=""):
    data = QueryDict(mutable=True)
    data["q"] = query
    if sort:
        data["sort"] = sort
    return list(
        ProductFilterSet(data, queryset=Product.objects.all()).qs.values_list("code", flat=True)
    )


def _word_found(word, texts, hs_code):
    digits = word.replace(".", "")
    if digits.isdigit() and len(digits) >= 4 and hs_code.startswith(digits):
        return True
    return any(word.casefold() in text.casefold() for text in texts)


def contract(query):
    """The shared contract, computed in Python over every product."""
    matching = set()
    for product in Product.objects.select_related("producer"):
        texts = [product.code, product.name_id, product.name_en, product.name_zh]
        texts.append(product.producer.name)
        if all(_word_found(word, texts, product.hs_code_id or "") for word in query.split()):
            matching.add(product.code)
    return matching


CONTRACT_QUERIES = [
    ("kopi", {"coffee"}),  # product name and producer name
    ("RAUNG", {"coffee"}),  # producer name only, any case
    ("ijen COFFEE", {"coffee"}),  # every word, each in any field
    ("suwar suwir", {"candy"}),  # words of a hyphenated name
    ("suwar-suwir", {"candy"}),
    ("苏瓦", {"candy"}),  # Chinese: a substring, no word boundaries
    ("cassava", {"candy"}),
    ("2402", {"cigar"}),  # HS heading
    ("2402.10", {"cigar"}),
    ("50%", {"discount"}),  # % is a plain character, not a wildcard
    ("pandan", {"discount", "plain"}),
    ("cerutu kopi", set()),  # no product has both words
]


@pytest.mark.parametrize(("query", "expected"), CONTRACT_QUERIES)
def test_search_returns_the_contract_results(products, query, expected):
    expected_codes = {products[key] for key in expected}
    assert contract(query) == expected_codes  # the oracle agrees with the table
    # These words have no near-miss elsewhere, so fuzzy matching adds nothing on PostgreSQL:
    # both databases return exactly the contract.
    assert set(search(query)) == expected_codes


def test_search_by_product_code(products):
    assert search(products["cigar"].lower()) == [products["cigar"]]


@pytest.mark.parametrize("query", ["cerutoo", "arabica", "suwarsuwir", "jembr"])
def test_every_contract_match_is_returned(products, query):
    """Whatever the database adds, nothing the contract promises is missing."""
    assert contract(query) <= set(search(query))


@on_postgresql
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cerutoo", "cigar"),  # typo in an Indonesian name
        ("arabica", "coffee"),  # English spelling of "arabika"
        ("suwarsuwir", "candy"),  # hyphen left out
        ("pakusary koperasi", None),  # no match for a word: nothing
    ],
)
def test_postgresql_tolerates_typos(products, query, expected):
    assert search(query) == ([products[expected]] if expected else [])


@on_postgresql
def test_postgresql_lists_exact_matches_before_fuzzy_ones(make_product, make_producer):
    producer = make_producer(name="Griya Tembakau")
    fuzzy = make_product(producer=producer, category="cerutu", name_id="Cerutoo premium")
    exact = make_product(producer=producer, category="cerutu", name_id="Cerutu Besuki")
    assert fuzzy.code < exact.code
    assert search("cerutu") == [exact.code, fuzzy.code]
    assert search("cerutu", sort="code") == [fuzzy.code, exact.code]  # a chosen sort wins


@on_postgresql
def test_postgresql_search_uses_the_trigram_indexes(products):
    data = QueryDict("q=suwar")
    qs = ProductFilterSet(data, queryset=Product.objects.all()).qs
    # With a handful of rows PostgreSQL would rather scan the tables or a primary key; allow
    # only bitmap scans, which need a condition an index can answer, to see the index fits.
    switches = ["enable_seqscan", "enable_indexscan", "enable_indexonlyscan"]
    with connection.cursor() as cursor:
        for switch in switches:
            cursor.execute(f"SET {switch} = off")
        try:
            plan = qs.explain()
        finally:
            for switch in switches:
                cursor.execute(f"RESET {switch}")
    assert "product_search_trgm" in plan
    assert "producer_name_trgm" in plan


# --- Bounds on the search: the list reads at most 10 words and 200 characters,
# says what it ignored, and no query string brings it down.

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _notices(response):
    return [str(text) for text in response.context["listing"].notices()]


def test_a_thousand_words_search_the_first_ten_and_name_the_rest(staff_client, products):
    extra = [f"kata{i}" for i in range(990)]
    query = " ".join(["kopi"] * 9 + ["ijen"] + extra)
    response = staff_client.get("/products/", {"q": query}, **EN)
    assert response.status_code == 200
    assert [p.code for p in response.context["page"].object_list] == [products["coffee"]]
    (notice,) = _notices(response)
    assert notice.startswith(
        "Only the first 10 words of the search were used; ignored: kata0 kata1"
    )
    assert notice in response.content.decode()
    assert response.context["filter"].form["q"].value() == " ".join(["kopi"] * 9 + ["ijen"])


def test_the_notice_cuts_the_ignored_words_after_a_whole_word(staff_client, products):
    extra = ["robusta", "batik", "lampu", "bambu", "rotan"] * 6
    query = " ".join(["kopi"] * 10 + extra)
    (notice,) = _notices(staff_client.get("/products/", {"q": query}, **EN))
    ignored = notice.split("ignored: ", 1)[1]
    assert ignored.endswith(" …")
    shown = ignored.removesuffix(" …").split(" ")
    assert shown == extra[: len(shown)] and len(shown) >= 10


def test_a_60000_character_word_is_cut_to_200_characters(staff_client, products):
    word = "x" * 60_000
    response = staff_client.get("/products/", {"q": "kopi " + word}, **EN)
    assert response.status_code == 200
    assert response.context["filter"].form["q"].value() == "kopi " + "x" * 195
    (notice,) = _notices(response)
    assert notice.startswith("Only the first 200 characters of the search were used; ignored: xxx")
    assert len(notice) < 300  # the ignored part is shown shortened


@pytest.mark.parametrize("url", ["/products/export/?format=csv", "/products/lookbook/?x=1"])
def test_exports_and_the_lookbook_read_the_same_bounded_search(staff_client, products, url):
    query = " ".join(["kopi"] * 10 + ["cerutu"] * 990)
    response = staff_client.get(url + "&q=" + query.replace(" ", "+"), **EN)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert products["coffee"].encode() in body  # "cerutu" (word 11 on) was ignored


def test_the_producer_search_is_bounded_too(staff_client, make_producer):
    producer = make_producer(name="Koperasi Kopi Raung")
    response = staff_client.get("/producers/", {"q": "raung " * 999 + "y" * 60_000}, **EN)
    assert response.status_code == 200
    assert [p.code for p in response.context["page"].object_list] == [producer.code]
    assert _notices(response)[0].startswith("Only the first 10 words of the search were used")


def test_bulk_select_all_with_a_thousand_word_search_changes_nothing(staff_client, products):
    query = "q=" + "+".join(["cerutu"] * 1000)
    response = staff_client.post(
        "/products/bulk/",
        {"action": "status", "status": "candidate", "select_all": "1", "query": query},
        follow=True,
        **EN,
    )
    assert response.status_code == 200
    assert not Product.objects.filter(status="candidate").exists()
    messages = [m.message for m in response.context["messages"]]
    assert messages[0].startswith("Nothing was changed")
    assert messages[1].startswith("Only the first 10 words of the search were used; ignored:")
    # Back to the list as it was read: the first ten words.
    assert response.redirect_chain[-1][0] == "/products/?q=" + "+".join(["cerutu"] * 10)
