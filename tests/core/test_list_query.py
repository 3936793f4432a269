"""The list query object: canonical query string, strict and lenient filters, chips, words."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalogue.filtersets import ProducerFilterSet, ProductFilterSet
from catalogue.models import Product
from core.listing import PAGE_PARAMS, ListQuery, canonical, query_string_for

pytestmark = pytest.mark.django_db


def products_query(query, **kwargs):
    return ListQuery.from_string(ProductFilterSet, query, Product.objects.all(), **kwargs)


def codes(listing):
    return list(listing.queryset.values_list("code", flat=True))


@pytest.fixture
def catalogue(make_producer, make_product):
    jember = make_producer("35.09", name="Drum Pakusari")
    banyuwangi = make_producer("35.10", name="Batik Gandrung")
    made = {
        "chair": make_product(producer=jember, name_id="Kursi drum", price_idr=850_000),
        "table": make_product(
            producer=jember, name_id="Meja jati", price_idr=2_500_000, status="candidate"
        ),
        "batik": make_product(
            producer=banyuwangi, category="batik", name_id="Batik gajah oling", price_idr=400_000
        ),
    }
    return {key: product.code for key, product in made.items()}


# --- The canonical query string ---------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "status=draft&regency=35.09&q=kursi&status=candidate",
        "q=kursi&status=candidate&regency=35.09&status=draft",
        "regency=35.09&category=&status=draft&district=&q=kursi&status=candidate&status=",
        "status=candidate&status=draft&status=candidate&regency=35.09&q=kursi&max_readiness=",
        "page=3&per_page=25&view=grid&format=csv&regency=35.09&utm=x&q=kursi&status=draft"
        "&status=candidate",
    ],
)
def test_the_query_string_is_the_same_whatever_the_order_and_the_empty_values(query):
    listing = ListQuery.from_string(ProductFilterSet, query)
    assert listing.query_string == "q=kursi&regency=35.09&status=candidate&status=draft"


def test_page_parameters_stay_in_the_lists_own_links_only():
    listing = ListQuery.from_string(
        ProductFilterSet, "view=grid&page=3&format=csv&per_page=25&regency=35.09&sort=-price"
    )
    assert listing.query_string == "regency=35.09&sort=-price"  # the rows and their order
    assert listing.params.urlencode() == "page=3&per_page=25&regency=35.09&sort=-price&view=grid"
    assert listing.link(page=4) == "?page=4&per_page=25&regency=35.09&sort=-price&view=grid"
    assert listing.link(sort="name", page=None) == "?per_page=25&regency=35.09&sort=name&view=grid"
    assert listing.page_settings.urlencode() == "per_page=25&sort=-price&view=grid"
    assert listing.per_page == 25
    assert set(PAGE_PARAMS) == {"page", "per_page", "view"}


def test_a_single_valued_filter_given_twice_keeps_the_value_its_form_reads():
    # A form reads the last value of a single-valued parameter; an empty last value is no filter.
    assert ListQuery.from_string(ProductFilterSet, "regency=99.99&regency=35.09").query_string == (
        "regency=35.09"
    )
    assert ListQuery.from_string(ProductFilterSet, "regency=35.09&regency=").query_string == ""
    listing = ListQuery.from_string(ProductFilterSet, "regency=35.09&regency=")
    assert listing.is_valid and listing.form.cleaned_data.get("regency") is None


def test_the_query_string_holds_the_search_as_the_list_reads_it():
    words = " ".join(f"kata{i}" for i in range(30))
    listing = ListQuery(ProductFilterSet, {"q": words})
    assert listing.query_string == "q=" + "+".join(f"kata{i}" for i in range(10))
    assert not listing.is_valid  # words were left unread


def test_query_string_for_builds_canonical_links_from_filter_values():
    assert (
        query_string_for(
            ProductFilterSet,
            status=["draft", "candidate"],
            regency="35.09",
            max_readiness=60,
            category=None,
        )
        == "max_readiness=60&regency=35.09&status=candidate&status=draft"
    )
    assert query_string_for(ProducerFilterSet, kind="cooperative") == "kind=cooperative"
    with pytest.raises(ValueError, match="min_readiness"):
        query_string_for(ProducerFilterSet, min_readiness=50)  # a product filter only


def test_canonical_needs_no_database():
    with CaptureQueriesContext(connection) as queries:
        result = canonical(ProductFilterSet, QueryDict("sort=-price&regency=35.09&page=2"))
        query_string_for(ProductFilterSet, regency="35.09", category="batik")
    assert result.urlencode() == "regency=35.09&sort=-price" and not queries.captured_queries


# --- Round trip: object -> query string -> object ---------------------------------------

ROUND_TRIP_QUERIES = [
    "",
    "regency=35.09&sort=-price",
    "status=candidate&status=draft&q=meja",
    "regency=35.10&category=batik&min_readiness=0",
    "regency=99.99&min_readiness=abc&status=nope",
    "sort=name&has_photo=0&price_min=100000",
    "district=35.09.24&regency=35.10",  # a district outside the regency
]


@pytest.mark.parametrize("query", ROUND_TRIP_QUERIES)
def test_round_trip_through_the_query_string_keeps_rows_words_and_errors(catalogue, query):
    first = products_query(query)
    again = products_query(first.query_string)
    assert again.query_string == first.query_string
    assert codes(again) == codes(first)
    with translation.override("en"):
        assert again.words() == first.words()
        assert [str(label) for label, _m in again.errors()] == [
            str(label) for label, _m in first.errors()
        ]
    assert again.is_valid == first.is_valid
    assert [chip.text for chip in again.chips()] == [chip.text for chip in first.chips()]


# --- Strict and lenient ------------------------------------------------------------------


def test_lenient_ignores_a_filter_it_does_not_understand_and_says_so(catalogue):
    listing = products_query("regency=99.99&status=candidate")
    assert not listing.is_valid
    with translation.override("en"):
        assert [str(label) for label, _message in listing.errors()] == ["Regency"]
        assert [(str(chip.label), str(chip.text)) for chip in listing.chips()] == [
            ("Promotion status", "Candidate")
        ]
        assert listing.words() == "Promotion status: Candidate"
    assert codes(listing) == [catalogue["table"]]  # the status applies, the regency not


def test_strict_selects_nothing_when_a_filter_is_not_understood(catalogue):
    assert codes(products_query("regency=99.99&status=candidate", strict=True)) == []
    long_search = "q=" + "+".join(["meja"] * 11)
    assert codes(products_query(long_search, strict=True)) == []
    assert codes(products_query(long_search)) == [catalogue["table"]]


@pytest.mark.parametrize("query", ["", "regency=35.09", "status=draft&sort=-price", "q=batik"])
def test_strict_and_lenient_agree_on_a_query_they_understand(catalogue, query):
    lenient, strict = products_query(query), products_query(query, strict=True)
    assert strict.is_valid and lenient.is_valid
    assert codes(strict) == codes(lenient) and codes(lenient)


# --- Chips and words ---------------------------------------------------------------------


def test_chips_remove_one_value_and_go_back_to_the_first_page(catalogue):
    listing = products_query("status=draft&status=candidate&regency=35.09&page=2&view=grid")
    with translation.override("en"):
        chips = [(str(chip.label), str(chip.text), chip.url) for chip in listing.chips()]
    assert chips == [
        ("Regency", "Kabupaten Jember", "?status=candidate&status=draft&view=grid"),
        ("Promotion status", "Candidate", "?regency=35.09&status=draft&view=grid"),
        ("Promotion status", "Draft", "?regency=35.09&status=candidate&view=grid"),
    ]


def test_words_name_the_filters_then_the_sort_in_the_active_language(catalogue):
    listing = products_query("sort=-price&status=draft&regency=35.09&category=batik&q=kain")
    with translation.override("en"):
        assert listing.words() == (
            "Search: kain; Regency: Kabupaten Jember; Category: Batik; "
            "Promotion status: Draft; Sort: Price (descending)"
        )
    with CaptureQueriesContext(connection) as queries, translation.override("zh-hans"):
        chinese = listing.words()
    assert "Jember" in chinese and "Search" not in chinese
    assert not queries.captured_queries  # the values found while validating serve every language


def test_words_leave_out_what_the_list_does_not_apply(catalogue):
    listing = products_query("sort=bogus&regency=99.99&min_readiness=abc&q=+")
    assert listing.words() == "" and listing.chips() == []


# --- No pagination ------------------------------------------------------------------------


def test_the_queryset_is_every_matching_row_without_a_page(catalogue, make_product):
    for number in range(60):
        make_product(name_id=f"Tambahan {number}")
    listing = products_query("per_page=25&page=2")
    with CaptureQueriesContext(connection) as queries:
        rows = list(listing.queryset)
    assert len(rows) == Product.objects.count() == 63
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "COUNT(" not in sql and "LIMIT" not in sql
