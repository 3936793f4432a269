"""Who may curate collections and hand out or revoke share links (showroom.access)."""

import datetime

import pytest
from django.utils import timezone, translation

from showroom import access
from showroom.models import Collection, ShareLink

pytestmark = pytest.mark.django_db


def _in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def collections(make_collection, make_product, make_producer):
    jember_product = make_product(producer=make_producer("35.09"))
    return {
        "region": make_collection("Region-wide", products=[jember_product]),
        "jember": make_collection("Jember", regency_code="35.09", products=[jember_product]),
        "banyuwangi": make_collection("Banyuwangi", regency_code="35.10"),
    }


NAMES = {"region": "Region-wide", "jember": "Jember", "banyuwangi": "Banyuwangi"}


@pytest.mark.parametrize(
    ("role", "in_region", "in_jember", "in_banyuwangi"),
    [
        ("admin", True, True, True),
        ("staff", True, True, True),
        ("regency", False, True, False),
        ("visitor", False, False, False),
    ],
)
def test_who_curates_which_collection(
    role_users, collections, role, in_region, in_jember, in_banyuwangi
):
    user = role_users[role]
    expected = {"region": in_region, "jember": in_jember, "banyuwangi": in_banyuwangi}
    assert {k: access.can_edit_collection(user, c) for k, c in collections.items()} == expected
    curatable = access.curatable_collections(user, Collection.objects.all())
    assert {c.name_id for c in curatable} == {NAMES[k] for k, ok in expected.items() if ok}


def test_visitor_reads_collections_and_creates_links_but_does_not_edit(
    client, visitor_user, collections
):
    collection = collections["jember"]
    client.force_login(visitor_user)
    with translation.override("en"):
        page = client.get(f"/collections/{collection.pk}/")
    assert page.status_code == 200
    assert page.context["can_share"] and not page.context["can_edit"]
    assert b'data-testid="remove-item"' not in page.content
    assert client.get(f"/collections/{collection.pk}/edit/").status_code == 403
    response = client.post(
        f"/collections/{collection.pk}/links/",
        {"label": "Ningbo importers", "expires_on": _in_days(30)},
    )
    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert link.created_by == visitor_user and link.label == "Ningbo importers"


def test_visitor_revokes_own_links(client, visitor_user, collections, make_link):
    link = make_link(collections["region"], user=visitor_user)
    client.force_login(visitor_user)
    assert client.post(f"/collections/links/{link.pk}/revoke/").status_code == 302
    link.refresh_from_db()
    assert link.revoked_by == visitor_user


def test_visitor_cannot_revoke_other_links(
    client, visitor_user, staff_user, collections, make_link
):
    link = make_link(collections["region"], user=staff_user)
    client.force_login(visitor_user)
    assert client.post(f"/collections/links/{link.pk}/revoke/").status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None


def test_regency_staff_cannot_share_or_revoke_on_other_regencies_collections(
    client, regency_user, staff_user, collections, make_link
):
    link = make_link(collections["banyuwangi"], user=staff_user)
    client.force_login(regency_user)
    url = f"/collections/{collections['banyuwangi'].pk}/links/"
    assert client.post(url, {"label": "x", "expires_on": _in_days(30)}).status_code == 403
    assert client.post(f"/collections/links/{link.pk}/revoke/").status_code == 403
    assert ShareLink.objects.filter(revoked_at__isnull=True).count() == 1


def test_staff_revoke_any_link_and_the_page_shows_it_at_once(
    client, staff_user, visitor_user, collections, make_link
):
    link = make_link(collections["region"], user=visitor_user)
    client.force_login(staff_user)
    client.post(f"/collections/links/{link.pk}/revoke/")
    with translation.override("en"):
        page = client.get(f"/collections/{collections['region'].pk}/")
    assert [row.status for row in page.context["links"]] == ["revoked"]


def test_a_link_form_with_errors_comes_back_with_them(client, staff_user, collections):
    client.force_login(staff_user)
    url = f"/collections/{collections['region'].pk}/links/"
    with translation.override("en"):
        response = client.post(url, {"label": "", "expires_on": _in_days(30)})
        past = client.post(url, {"label": "Yiwu", "expires_on": _in_days(-1)})
    assert response.status_code == 200 and set(response.context["link_form"].errors) == {"label"}
    assert past.status_code == 200 and set(past.context["link_form"].errors) == {"expires_on"}
    assert not ShareLink.objects.exists()


def test_every_permission_checked_is_listed():
    import inspect

    source = inspect.getsource(access)
    used = {name for name in dir(access) if name.isupper() and name != "PERMISSIONS"}
    assert {getattr(access, name) for name in used if name in source} <= access.PERMISSIONS


@pytest.mark.parametrize("language", ["zh-hans", "id", "en"])
def test_the_date_pickers_get_an_iso_date_in_every_language(
    client, staff_user, collections, language
):
    client.force_login(staff_user)
    client.cookies["django_language"] = language
    expires = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    page = client.get(f"/collections/{collections['region'].pk}/").content.decode()
    assert f'name="expires_on" value="{expires}"' in page
    listing = client.get("/collections/").content.decode()
    assert f'name="valid_on" value="{timezone.localdate().isoformat()}"' in listing
