""" "Add the selected / all matching products to a collection" from the product list: the
bulk bar offers it through catalogue.list_actions and posts its selection to showroom."""

import pytest
from django.contrib.messages import get_messages
from django.utils import translation

from showroom.models import Collection

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield client


@pytest.fixture
def products(make_product, make_producer):
    jember, banyuwangi = make_producer("35.09"), make_producer("35.10")
    return {
        "kursi": make_product(producer=jember, name_id="Kursi drum"),
        "meja": make_product(producer=jember, name_id="Meja drum"),
        "batik": make_product(producer=banyuwangi, category="batik", name_id="Batik drum"),
        "cerutu": make_product(producer=jember, category="cerutu", name_id="Cerutu Jember"),
    }


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _codes(collection):
    return list(collection.items.order_by("position").values_list("product__code", flat=True))


def test_product_list_offers_the_action_to_curators_only(en, staff_user, visitor_user, products):
    en.force_login(staff_user)
    page = en.get("/products/").content.decode()
    assert 'data-testid="add-to-collection"' in page
    assert 'formaction="/collections/add/"' in page
    en.force_login(visitor_user)
    assert 'data-testid="add-to-collection"' not in en.get("/products/").content.decode()


def test_selected_products_are_added_with_a_count_of_those_already_in(
    en, staff_user, products, make_collection
):
    collection = make_collection(products=[products["kursi"]])
    en.force_login(staff_user)
    response = en.post(
        "/collections/add/",
        {
            "collection": collection.pk,
            "selected": [products["kursi"].code, products["meja"].code],
            "query": "q=drum",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/collections/{collection.pk}/"
    assert _codes(collection) == [products["kursi"].code, products["meja"].code]
    assert "1 product added (1 already in it)." in _messages(response)


def test_all_matching_adds_exactly_the_listed_products_in_list_order(
    en, staff_user, products, make_collection
):
    collection = make_collection()
    en.force_login(staff_user)
    query = "q=drum&sort=-name"
    listed = [p.code for p in en.get(f"/products/?{query}").context["page"].object_list]
    en.post("/collections/add/", {"collection": collection.pk, "select_all": "1", "query": query})
    assert _codes(collection) == listed
    assert products["cerutu"].code not in listed and len(listed) == 3


def test_a_new_collection_is_made_from_the_product_list(en, staff_user, products):
    en.force_login(staff_user)
    response = en.post(
        "/collections/add/",
        {"collection_name": "TEC Shanghai", "selected": [products["batik"].code]},
    )
    collection = Collection.objects.get()
    assert response["Location"] == collection.get_absolute_url()
    assert (collection.name_id, collection.regency, collection.created_by) == (
        "TEC Shanghai",
        None,
        staff_user,
    )


def test_regency_collection_refuses_other_regencies_and_keeps_no_new_collection(
    en, staff_user, products, make_collection
):
    jember = make_collection("Jember", regency_code="35.09")
    en.force_login(staff_user)
    response = en.post(
        "/collections/add/", {"collection": jember.pk, "select_all": "1", "query": "q=drum"}
    )
    assert response["Location"] == "/products/?q=drum"
    assert not jember.items.exists()
    assert any(products["batik"].code in m and "Jember" in m for m in _messages(response))


def test_regency_staff_add_only_their_regencys_products(en, regency_user, products):
    en.force_login(regency_user)
    response = en.post(
        "/collections/add/",
        {"collection_name": "Kopi dan drum", "select_all": "1", "query": ""},
    )
    collection = Collection.objects.get()
    assert collection.regency.code == "35.09"
    assert products["batik"].code not in _codes(collection) and len(_codes(collection)) == 3
    assert any("left out" in m for m in _messages(response))


def test_regency_staff_cannot_add_to_a_region_wide_collection(
    en, regency_user, products, make_collection
):
    collection = make_collection()
    en.force_login(regency_user)
    response = en.post(
        "/collections/add/", {"collection": collection.pk, "selected": [products["kursi"].code]}
    )
    assert response.status_code == 403 and not collection.items.exists()


def test_all_matching_with_a_filter_not_understood_adds_nothing(
    en, staff_user, products, make_collection
):
    collection = make_collection()
    en.force_login(staff_user)
    en.post(
        "/collections/add/",
        {"collection": collection.pk, "select_all": "1", "query": "regency=99.99"},
    )
    assert not collection.items.exists()


def test_without_a_selection_or_a_collection_nothing_happens(en, staff_user, products):
    en.force_login(staff_user)
    response = en.post("/collections/add/", {"selected": [products["kursi"].code]})
    assert response.status_code == 302 and not Collection.objects.exists()
    response = en.post("/collections/add/", {"collection_name": "X"})
    assert response.status_code == 302 and not Collection.objects.exists()
