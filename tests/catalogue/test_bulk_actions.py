"""Bulk actions on the product list: status changes and tags, on selected or all matching rows."""

import pytest
from django.contrib.messages import constants
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Product, StatusChange, Tag
from catalogue.services import refresh_readiness

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(make_producer, make_product):
    jember = make_producer("35.09", name="Drum Pakusari")
    ptpn = make_producer("35.09", name="PTPN Cerutu")
    banyuwangi = make_producer("35.10", name="Batik Gandrung")
    made = [
        make_product(producer=jember, category="furnitur-logam", name_id="Kursi drum"),
        make_product(producer=ptpn, category="cerutu", name_id="Cerutu Besuki"),
        make_product(producer=ptpn, category="cerutu", name_id="Cerutu Jember"),
        make_product(producer=banyuwangi, category="cerutu", name_id="Cerutu Osing"),
        make_product(producer=banyuwangi, category="batik", name_id="Batik gajah oling"),
    ]
    return [p.code for p in made]


def _bulk(client, **data):
    response = client.post("/products/bulk/", data, follow=True)
    assert response.status_code == 200
    messages = [(m.level, m.message) for m in response.context["messages"]]
    return response, messages


def _statuses():
    return dict(Product.objects.values_list("code", "status"))


def test_status_change_of_selected_products_is_recorded_with_the_reason(
    client, staff_user, products
):
    client.force_login(staff_user)
    chosen = products[:2]
    response, messages = _bulk(
        client, action="status", status="candidate", reason="Dipilih TEC", selected=chosen
    )
    statuses = _statuses()
    assert {code for code, status in statuses.items() if status == "candidate"} == set(chosen)
    changes = StatusChange.objects.filter(to_status="candidate")
    assert {c.product.code for c in changes} == set(chosen)
    assert {(c.from_status, c.reason, c.changed_by) for c in changes} == {
        ("draft", "Dipilih TEC", staff_user)
    }
    assert [level for level, _text in messages] == [constants.SUCCESS]
    assert "2" in messages[0][1]
    assert response.redirect_chain[-1][0] == "/products/"


def test_not_suitable_without_reason_changes_nothing(client, staff_user, products):
    client.force_login(staff_user)
    _response, messages = _bulk(client, action="status", status="not_suitable", selected=products)
    assert set(_statuses().values()) == {"draft"}
    assert not StatusChange.objects.exclude(from_status="").exists()
    assert [level for level, _text in messages] == [constants.ERROR]


def test_not_suitable_with_reason_stores_the_reason_on_each_product(client, staff_user, products):
    client.force_login(staff_user)
    _bulk(
        client,
        action="status",
        status="not_suitable",
        reason="Kapasitas terlalu kecil",
        selected=products[:1],
    )
    product = Product.objects.get(code=products[0])
    assert product.status == "not_suitable"
    assert product.not_suitable_reason == "Kapasitas terlalu kecil"


def test_nothing_selected_is_an_error(client, staff_user, products):
    client.force_login(staff_user)
    _response, messages = _bulk(client, action="status", status="candidate")
    assert set(_statuses().values()) == {"draft"}
    assert [level for level, _text in messages] == [constants.ERROR]


def test_select_all_applies_to_exactly_the_filtered_rows(client, staff_user, products):
    client.force_login(staff_user)
    query = "regency=35.09&category=cerutu"
    listed = client.get("/products/?" + query)
    expected = {p.code for p in listed.context["page"].object_list}
    assert expected == {products[1], products[2]}
    response, messages = _bulk(
        client,
        action="status",
        status="shortlisted",
        select_all="1",
        confirm_gaps="1",
        query=query,
    )
    shortlisted = {code for code, status in _statuses().items() if status == "shortlisted"}
    assert shortlisted == expected
    # Back to the list, its query string in canonical order.
    assert response.redirect_chain[-1][0] == "/products/?category=cerutu&regency=35.09"


def test_shortlisting_products_with_open_gaps_needs_confirmation(client, staff_user, products):
    client.force_login(staff_user)
    before = _statuses()
    response, messages = _bulk(
        client, action="status", status="shortlisted", select_all="1", query="regency=35.09"
    )
    assert _statuses() == before
    assert [level for level, _text in messages] == [constants.ERROR]


def test_confirmed_shortlisting_records_the_overridden_gaps(client, staff_user, products):
    client.force_login(staff_user)
    code = products[1]
    _bulk(client, action="status", status="shortlisted", selected=[code], confirm_gaps="1")
    step = StatusChange.objects.get(product__code=code, to_status="shortlisted")
    assert step.overrode_gaps
    assert step.overrode_gaps == Product.objects.get(code=code).readiness_gaps


def test_select_all_ignores_the_selected_codes_outside_the_filter(client, staff_user, products):
    client.force_login(staff_user)
    _bulk(
        client,
        action="status",
        status="candidate",
        select_all="1",
        query="regency=35.10",
        selected=[products[0]],
    )
    candidates = {code for code, status in _statuses().items() if status == "candidate"}
    assert candidates == {products[3], products[4]}


def test_selected_codes_outside_the_filter_are_not_changed(client, staff_user, products):
    client.force_login(staff_user)
    _bulk(
        client,
        action="status",
        status="candidate",
        query="regency=35.10",
        selected=[products[0], products[3]],
    )
    candidates = {code for code, status in _statuses().items() if status == "candidate"}
    assert candidates == {products[3]}


def test_regency_staff_bulk_on_all_changes_only_their_regency(client, regency_user, products):
    client.force_login(regency_user)
    _response, messages = _bulk(
        client, action="status", status="candidate", reason="Usulan", select_all="1", query=""
    )
    statuses = _statuses()
    assert {code for code, s in statuses.items() if s == "candidate"} == set(products[:3])
    assert {statuses[products[3]], statuses[products[4]]} == {"draft"}
    levels = [level for level, _text in messages]
    assert levels == [constants.SUCCESS, constants.WARNING]
    assert "3" in messages[0][1]
    assert "2" in messages[1][1]


def test_regency_staff_selecting_another_regency_product_is_warned(client, regency_user, products):
    client.force_login(regency_user)
    _response, messages = _bulk(
        client, action="status", status="candidate", selected=[products[0], products[4]]
    )
    statuses = _statuses()
    assert (statuses[products[0]], statuses[products[4]]) == ("candidate", "draft")
    assert constants.WARNING in [level for level, _text in messages]


def test_add_tag_creates_the_tag_and_links_the_products(client, staff_user, products):
    client.force_login(staff_user)
    _bulk(client, action="add_tag", tag="Pameran Kunming", selected=products[:2])
    tag = Tag.objects.get(name="Pameran Kunming")
    assert tag.slug == "pameran-kunming"
    assert set(tag.products.values_list("code", flat=True)) == set(products[:2])
    # Adding again links the new ones only and does not duplicate.
    _bulk(client, action="add_tag", tag="pameran kunming", selected=products[:3])
    assert Tag.objects.count() == 1
    assert set(tag.products.values_list("code", flat=True)) == set(products[:3])


def test_remove_tag_unlinks_only_the_chosen_products(client, staff_user, products):
    tag = Tag.objects.create(slug="sampel", name="Sampel")
    for product in Product.objects.all():
        product.tags.add(tag)
    client.force_login(staff_user)
    _bulk(client, action="remove_tag", tag="Sampel", selected=products[:2])
    assert set(tag.products.values_list("code", flat=True)) == set(products[2:])
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_tag_action_without_a_tag_name_is_an_error(client, staff_user, products):
    client.force_login(staff_user)
    _response, messages = _bulk(client, action="add_tag", tag="  ", selected=products)
    assert [level for level, _text in messages] == [constants.ERROR]
    assert not Tag.objects.exists()


@pytest.mark.parametrize("name", ["展会", "Daur-ulang"])
def test_adding_a_tag_whose_slug_is_taken_does_not_crash(client, staff_user, products, name):
    Tag.objects.create(slug="tag", name="样品")
    Tag.objects.create(slug="daur-ulang", name="Daur ulang")
    client.force_login(staff_user)
    _response, messages = _bulk(client, action="add_tag", tag=name, selected=products[:1])
    product = Product.objects.get(code=products[0])
    assert product.tags.count() == 1


def test_visitor_cannot_run_bulk_actions(client, visitor_user, products):
    client.force_login(visitor_user)
    response = client.post(
        "/products/bulk/", {"action": "status", "status": "candidate", "select_all": "1"}
    )
    assert response.status_code == 403
    assert set(_statuses().values()) == {"draft"}


def test_bulk_form_is_on_the_list_for_editors_only(client, staff_user, visitor_user, products):
    client.force_login(staff_user)
    content = client.get("/products/?regency=35.09").content.decode()
    assert 'action="/products/bulk/"' in content
    assert 'name="query" value="regency=35.09"' in content
    assert content.count('name="selected"') == 3
    client.force_login(visitor_user)
    assert 'name="selected"' not in client.get("/products/").content.decode()


@pytest.mark.parametrize(
    "query, back",
    [
        ("regency=99.99", "regency=99.99"),
        ("regency=35.09&min_readiness=abc", "min_readiness=abc&regency=35.09"),
    ],
)
def test_all_matching_with_a_filter_not_understood_changes_nothing(
    client, staff_user, products, query, back
):
    client.force_login(staff_user)
    before = _statuses()
    data = {"action": "status", "status": "candidate", "select_all": "1", "query": query}
    response = client.post(
        "/products/bulk/", {**data, "confirm_gaps": "1"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert _statuses() == before  # the list ignores the filter; "all matching" must not
    assert [(m.level, m.message) for m in response.context["messages"]] == [
        (
            constants.ERROR,
            "Nothing was changed: some filters of this list were not understood. "
            "Correct or remove them, then apply the action again.",
        )
    ]
    assert response.redirect_chain[-1][0] == "/products/?" + back


def test_selected_rows_still_change_with_a_filter_not_understood(client, staff_user, products):
    client.force_login(staff_user)
    _bulk(client, action="add_tag", tag="pameran", selected=[products[0]], query="regency=99.99")
    tagged = Product.objects.filter(tags__name="pameran").values_list("code", flat=True)
    assert list(tagged) == [products[0]]


def test_messages_count_one_or_many_products(client, staff_user, products):
    client.force_login(staff_user)
    said = []
    for selected in ([products[0]], products[:2]):
        response = client.post(
            "/products/bulk/",
            {"action": "add_tag", "tag": f"pameran-{len(selected)}", "selected": selected},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
        said += [m.message for m in response.context["messages"]]
    assert said == ["1 product changed.", "2 products changed."]


@pytest.mark.parametrize("view", ["table", "grid"])
def test_regency_staff_get_checkboxes_only_on_rows_they_may_change(
    client, regency_user, products, view
):
    client.force_login(regency_user)
    mine = set(
        Product.objects.filter(producer__regency__in=regency_user.regencies.all()).values_list(
            "code", flat=True
        )
    )
    assert mine and mine != set(products)
    html = client.get(f"/products/?view={view}").content.decode()
    boxes = {code for code in products if f'name="selected" value="{code}"' in html}
    assert boxes == mine


def test_regional_staff_get_a_checkbox_on_every_row(client, staff_user, products):
    client.force_login(staff_user)
    html = client.get("/products/").content.decode()
    assert all(f'name="selected" value="{code}"' in html for code in products)


# --- Constant queries (issue 12, point 5) -------------------------------------------------


def _many(make_producer, make_product, regency_code, n, tag):
    producer = make_producer(regency_code)
    made = [make_product(producer=producer, category="cerutu") for _ in range(n)]
    Product.tags.through.objects.bulk_create(
        [Product.tags.through(product_id=p.pk, tag=tag) for p in made]
    )
    return [p.code for p in made]


def _queries_of(client, **data):
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/products/bulk/", data)
    assert response.status_code == 302
    return len(queries)


@pytest.mark.parametrize(
    "action",
    [
        {"action": "status", "status": "shortlisted", "reason": "TEC", "confirm_gaps": "1"},
        {"action": "status", "status": "not_suitable", "reason": "Kapasitas kecil"},
        {"action": "add_tag", "tag": "baru"},
        {"action": "remove_tag", "tag": "lama"},
    ],
    ids=["shortlist-despite-gaps", "not-suitable", "add-tag", "remove-tag"],
)
@pytest.mark.parametrize("select_all", [False, True], ids=["selected", "all-matching"])
def test_a_bulk_action_costs_the_same_queries_for_10_and_200_products(
    client, staff_user, make_producer, make_product, action, select_all
):
    tag = Tag.objects.create(name="lama", slug="lama")
    few = _many(make_producer, make_product, "35.09", 10, tag)
    many = _many(make_producer, make_product, "35.10", 200, tag)
    client.force_login(staff_user)
    counts = []
    for regency, codes in (("35.09", few), ("35.10", many)):
        target = {"select_all": "1"} if select_all else {"selected": codes}
        counts.append(_queries_of(client, query=f"regency={regency}", **action, **target))
    assert counts[1] - counts[0] <= 5, counts
    if action["action"] == "status":
        assert StatusChange.objects.filter(to_status=action["status"]).count() == 210
    else:
        assert Product.objects.filter(tags__name="baru").count() == (
            210 if action["action"] == "add_tag" else 0
        )
        assert Product.objects.filter(tags__name="lama").count() == (
            210 if action["action"] == "add_tag" else 0
        )


def test_a_bulk_status_change_keeps_the_rules_of_a_single_change(
    client, staff_user, make_producer, make_product
):
    producer = make_producer("35.09")
    stale = make_product(producer=producer, category="cerutu", name_en="Cigar")
    moved = make_product(producer=producer, category="cerutu")
    Product.objects.filter(pk=stale.pk).update(readiness_score=0, readiness_gaps=["made_up"])
    before = {p.pk: p for p in Product.objects.filter(pk__in=[stale.pk, moved.pk])}
    client.force_login(staff_user)
    _bulk(
        client,
        action="status",
        status="shortlisted",
        reason="Dipilih TEC",
        confirm_gaps="1",
        selected=[stale.code, moved.code],
    )
    for product in Product.objects.filter(pk__in=before):
        old = before[product.pk]
        assert product.status == "shortlisted"
        assert product.version == old.version + 1
        assert product.updated_by == staff_user
        assert product.updated_at > old.updated_at
        fresh = refresh_readiness(Product.objects.get(pk=product.pk))
        assert (product.readiness_score, product.readiness_gaps) == (fresh.score, fresh.gaps)
        assert "made_up" not in product.readiness_gaps
        entry = product.history.order_by("-history_date", "-history_id").first()
        assert (entry.history_type, entry.status, entry.history_user) == (
            "~",
            "shortlisted",
            staff_user,
        )
        assert product.history.count() == 2
        step = StatusChange.objects.get(product=product, to_status="shortlisted")
        assert (step.from_status, step.reason, step.changed_by) == (
            "draft",
            "Dipilih TEC",
            staff_user,
        )
        # The gaps overridden are those the person saw on the list when confirming.
        assert step.overrode_gaps == old.readiness_gaps
