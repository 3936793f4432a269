"""The staff pages of collections: list, page, create/edit, reorder, remove, delete."""

import pytest
from django.utils import translation

from showroom.models import Collection, CollectionItem, ExchangeRate

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield client


def _order(collection):
    return list(collection.items.order_by("position").values_list("product__code", flat=True))


def test_list_shows_name_regency_product_and_live_link_counts(
    en, staff_user, make_collection, make_product, make_link
):
    collection = make_collection("Drum furniture", regency_code="35.09", products=[make_product()])
    make_link(collection)
    expired = make_link(collection)
    expired.expires_at = expired.created_at
    expired.save()
    en.force_login(staff_user)
    response = en.get("/collections/")
    row = response.context["page"].object_list[0]
    assert (row.product_count, row.live_link_count) == (1, 1)
    assert b"Drum furniture" in response.content and b"Jember" in response.content


def test_list_filters_by_search_and_regency(en, staff_user, make_collection):
    make_collection("Drum furniture", regency_code="35.09", name_zh="油桶家具")
    make_collection("Batik Banyuwangi", regency_code="35.10")
    en.force_login(staff_user)

    def names(query):
        page = en.get("/collections/?" + query).context["page"]
        return [c.name_id for c in page.object_list]

    assert names("q=油桶") == ["Drum furniture"]
    assert names("regency=35.10") == ["Batik Banyuwangi"]
    assert names("q=drum&regency=35.10") == []
    assert names("sort=name") == ["Batik Banyuwangi", "Drum furniture"]


def test_list_queries_do_not_grow_with_rows(
    en, staff_user, make_collection, make_product, make_link, django_assert_max_num_queries
):
    en.force_login(staff_user)
    for n in range(12):
        collection = make_collection(f"Collection {n}", products=[make_product()])
        make_link(collection)
    # Session, user, permissions, count, page keys, rows, groups, rate, regencies, the
    # session's remembered list URL: 13, whatever the number of rows.
    with django_assert_max_num_queries(13):
        response = en.get("/collections/")
    assert len(response.context["page"].object_list) == 12


def test_detail_queries_do_not_grow_with_products_or_links(
    en, staff_user, make_collection, make_product, make_link, django_assert_max_num_queries
):
    collection = make_collection(products=[make_product() for _ in range(15)])
    for n in range(5):
        make_link(collection, user=staff_user, label=f"Buyer {n}")
    en.force_login(staff_user)
    with django_assert_max_num_queries(12):
        response = en.get(f"/collections/{collection.pk}/")
    assert len(response.context["items"]) == 15 and len(response.context["links"]) == 5


def test_detail_shows_products_in_order_and_links_with_status_and_public_address(
    en, settings, staff_user, make_collection, make_product, make_link
):
    settings.SITE_URL = "https://etalase.example.org"
    a, b = make_product(name_id="Kursi drum"), make_product(name_id="Meja drum")
    collection = make_collection(products=[b, a], intro_zh="油桶家具", intro_en="Drum furniture")
    live = make_link(collection, label="Ningbo importers")
    revoked = make_link(collection, label="Yiwu buyers")
    revoked.revoked_at = revoked.created_at
    revoked.save()
    en.force_login(staff_user)
    response = en.get(f"/collections/{collection.pk}/")
    body = response.content.decode()
    assert body.index("Meja drum") < body.index("Kursi drum")
    assert "油桶家具" in body and "Drum furniture" in body
    assert f"https://etalase.example.org/s/{live.token}/" in body
    assert revoked.token not in body  # a dead link's address is not offered for copying
    statuses = {row.link.label: row.status for row in response.context["links"]}
    assert statuses == {"Ningbo importers": "live", "Yiwu buyers": "revoked"}


def test_staff_create_and_edit_a_collection_in_three_languages(en, staff_user, jember):
    en.force_login(staff_user)
    data = {
        "name_id": "Furnitur drum",
        "name_en": "Drum furniture",
        "name_zh": "油桶家具",
        "intro_id": "Dari Pakusari",
        "intro_en": "From Pakusari",
        "intro_zh": "来自帕库萨里",
        "regency": "",
    }
    response = en.post("/collections/new/", data)
    collection = Collection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/collections/{collection.pk}/"
    assert collection.regency is None and collection.created_by == staff_user
    page = en.get(f"/collections/{collection.pk}/edit/")
    data.update(
        regency=str(jember.pk),
        name_en="Recycled drums",
        version=page.context["form"]["version"].value(),
    )
    assert en.post(f"/collections/{collection.pk}/edit/", data).status_code == 302
    collection.refresh_from_db()
    assert (collection.name_en, collection.regency, collection.version) == (
        "Recycled drums",
        jember,
        2,
    )


def test_regency_staff_create_collections_of_their_regency_only(
    en, regency_user, banyuwangi, jember
):
    en.force_login(regency_user)
    form = en.get("/collections/new/").context["form"]
    assert list(form.fields["regency"].queryset) == [jember]
    response = en.post("/collections/new/", {"name_id": "Kopi", "regency": str(banyuwangi.pk)})
    assert response.status_code == 200 and response.context["form"].errors["regency"]
    response = en.post("/collections/new/", {"name_id": "Kopi", "regency": ""})
    assert response.status_code == 200  # a region-wide collection is not theirs to make
    assert not Collection.objects.exists()


def test_products_move_up_and_down_and_by_position_numbers_without_javascript(
    en, staff_user, make_collection, make_product
):
    a, b, c = make_product(), make_product(), make_product()
    collection = make_collection(products=[a, b, c])
    item = {i.product_id: i.pk for i in CollectionItem.objects.filter(collection=collection)}
    en.force_login(staff_user)
    url = f"/collections/{collection.pk}/products/"
    assert en.post(url, {"down": item[a.pk]}).status_code == 302
    assert _order(collection) == [b.code, a.code, c.code]
    en.post(url, {"up": item[c.pk]})
    assert _order(collection) == [b.code, c.code, a.code]
    positions = {
        f"position-{item[a.pk]}": "1",
        f"position-{item[b.pk]}": "3",
        f"position-{item[c.pk]}": "2",
    }
    en.post(url, {**positions, "save_order": "1"})
    assert _order(collection) == [a.code, c.code, b.code]
    en.post(url, {"remove": item[c.pk]})
    assert _order(collection) == [a.code, b.code]


def test_nonsense_positions_change_nothing(en, staff_user, make_collection, make_product):
    a, b = make_product(), make_product()
    collection = make_collection(products=[a, b])
    en.force_login(staff_user)
    url = f"/collections/{collection.pk}/products/"
    response = en.post(url, {"position-x": "1", "position-99999999999999": "nan", "up": "abc"})
    assert response.status_code == 302 and _order(collection) == [a.code, b.code]


def test_delete_asks_first_then_deletes_with_links(en, staff_user, make_collection, make_link):
    collection = make_collection()
    make_link(collection)
    en.force_login(staff_user)
    page = en.get(f"/collections/{collection.pk}/delete/")
    assert "1 share link stops working" in page.content.decode()
    assert Collection.objects.exists()
    assert en.post(f"/collections/{collection.pk}/delete/").status_code == 302
    assert not Collection.objects.exists()


def test_exchange_rate_form_only_for_who_may_set_it(en, staff_user, regency_user):
    en.force_login(regency_user)
    assert en.get("/collections/").context["rate_form"] is None
    assert (
        en.post("/collections/rate/", {"idr_per_cny": "2250", "valid_on": "2026-05-01"}).status_code
        == 403
    )
    en.force_login(staff_user)
    assert en.get("/collections/").context["rate_form"] is not None
    response = en.post("/collections/rate/", {"idr_per_cny": "2250", "valid_on": "2026-05-01"})
    assert response.status_code == 302
    assert en.get("/collections/").context["rate"] == ExchangeRate.objects.get()
    en.post("/collections/rate/", {"idr_per_cny": "0", "valid_on": "2026-05-02"})
    assert ExchangeRate.objects.count() == 1


def test_menu_shows_collections_to_roles_that_may_see_them(en, visitor_user, django_user_model):
    en.force_login(visitor_user)
    assert b'data-testid="nav-collections"' in en.get("/products/").content
    en.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))
    assert b'data-testid="nav-collections"' not in en.get("/healthz").content
