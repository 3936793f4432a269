"""The role groups' permissions are what the pages allow (README, "Roles and demo logins").

An administrator who takes a permission away from a group in /admin/ takes the ability
away on the pages (the views refuse, the buttons and checkboxes go), and one who grants a
permission grants it; the regency scope stays on top of any permission. Fed by tables of
(permission, role, page), as the permission matrix is.

Placeholders: ``{jp}``/``{bp}`` a Jember/Banyuwangi product, ``{jr}``/``{br}`` their
producers, ``{v}`` a visit with the stop ``{s}`` at ``{jr}``, ``{n}`` the visitor's shared
note there (asking for samples), ``{f}`` a follow-up of it, ``{c}`` a certificate of
``{bp}``. The regency user covers Jember only.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from catalogue import access as catalogue_access
from core import roles
from showroom import access as showroom_access
from tests.protected_files import make_protected_files
from visits import access as visits_access

pytestmark = pytest.mark.django_db

ROLE_GROUPS = {
    "staff": roles.REGIONAL_STAFF,
    "regency": roles.REGENCY_STAFF,
    "visitor": roles.VISITOR,
}


def _permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _take(role, name):
    Group.objects.get(name=ROLE_GROUPS[role]).permissions.remove(_permission(name))


def _give(role, name):
    Group.objects.get(name=ROLE_GROUPS[role]).permissions.add(_permission(name))


@pytest.fixture
def records(make_producer, make_product, make_visit_with_notes, visitor_user, regency_user):
    jr = make_producer("35.09", name="Drum Pakusari")
    br = make_producer("35.10", name="Batik Gandrung")
    jp = make_product(producer=jr, name_id="Kursi drum")
    bp = make_product(producer=br, category="batik", name_id="Batik gajah oling")
    visit, stop, shared, _private, follow_up = make_visit_with_notes(jr)
    files = make_protected_files(bp, visitor_user, regency_user)
    return {
        "jp": jp.code,
        "bp": bp.code,
        "jr": jr.code,
        "br": br.code,
        "v": visit.pk,
        "s": stop.pk,
        "n": shared.pk,
        "f": follow_up.pk,
        "c": files.certificate.pk,
    }


@pytest.fixture
def as_role(client, role_users):
    def login(role):
        client.force_login(role_users[role])
        return client

    return login


def test_every_permission_a_role_grants_is_checked_by_an_access_helper():
    checked = catalogue_access.PERMISSIONS | visits_access.PERMISSIONS | showroom_access.PERMISSIONS
    for role, names in roles.ROLE_PERMISSIONS.items():
        if names != "__all__":
            assert set(names) <= checked, (role, sorted(set(names) - checked))


def test_every_checked_permission_exists():
    for name in (
        catalogue_access.PERMISSIONS | visits_access.PERMISSIONS | showroom_access.PERMISSIONS
    ):
        assert _permission(name)


# (permission, role, method, url, status with it, status without it)
PAGES = [
    ("catalogue.view_product", "visitor", "get", "/products/", 200, 403),
    ("catalogue.view_product", "visitor", "get", "/products/{jp}/", 200, 403),
    ("catalogue.view_product", "visitor", "get", "/products/{jp}/sheet/", 200, 403),
    ("catalogue.view_product", "visitor", "get", "/products/lookbook/", 200, 403),
    ("catalogue.view_product", "visitor", "get", "/products/export/?format=csv", 200, 403),
    ("catalogue.view_producer", "visitor", "get", "/producers/", 200, 403),
    ("catalogue.view_producer", "visitor", "get", "/producers/{jr}/", 200, 403),
    ("catalogue.view_producer", "visitor", "get", "/producers/export/?format=csv", 200, 403),
    ("catalogue.view_certification", "visitor", "get", "/files/certificates/{c}/", 200, 404),
    ("catalogue.add_product", "regency", "get", "/products/new/", 200, 403),
    ("catalogue.change_product", "regency", "get", "/products/{jp}/edit/", 200, 403),
    ("catalogue.change_product", "regency", "post", "/products/bulk/", 302, 403),
    ("catalogue.delete_product", "regency", "get", "/products/{jp}/delete/", 200, 403),
    ("catalogue.add_producer", "staff", "get", "/producers/new/", 200, 403),
    ("catalogue.change_producer", "regency", "get", "/producers/{jr}/edit/", 200, 403),
    ("catalogue.delete_producer", "regency", "get", "/producers/{jr}/delete/", 200, 403),
    ("catalogue.export_product", "visitor", "get", "/products/export/?format=csv", 200, 403),
    ("catalogue.export_product", "visitor", "get", "/producers/export/?format=xlsx", 200, 403),
    ("catalogue.import_product", "regency", "get", "/products/import/", 200, 403),
    ("visits.view_visit", "visitor", "get", "/visits/", 200, 403),
    ("visits.view_visit", "visitor", "get", "/visits/{v}/", 200, 403),
    ("visits.view_visit", "visitor", "get", "/visits/{v}/report/", 200, 403),
    ("visits.view_visit", "visitor", "get", "/visits/{v}/export.xlsx", 200, 403),
    ("visits.add_visit", "staff", "get", "/visits/new/", 200, 403),
    ("visits.change_visit", "staff", "get", "/visits/{v}/edit/", 200, 403),
    ("visits.add_visitstop", "staff", "post", "/visits/{v}/stops/add/", 200, 403),
    ("visits.change_visitstop", "staff", "get", "/visits/{v}/stops/{s}/edit/", 200, 403),
    ("visits.change_visitstop", "staff", "post", "/visits/{v}/stops/{s}/move/", 302, 403),
    ("visits.delete_visitstop", "staff", "post", "/visits/{v}/stops/{s}/delete/", 302, 403),
    ("visits.view_visitnote", "visitor", "get", "/notes/{n}/edit/", 200, 404),
    ("visits.add_visitnote", "visitor", "get", "/notes/new/", 200, 403),
    ("visits.change_visitnote", "visitor", "get", "/notes/{n}/edit/", 200, 403),
    ("visits.view_followup", "visitor", "get", "/follow-ups/", 200, 403),
    ("visits.add_followup", "staff", "post", "/notes/{n}/follow-ups/", 302, 403),
    ("visits.change_followup", "staff", "get", "/follow-ups/{f}/edit/", 200, 403),
]


@pytest.mark.parametrize(("permission", "role", "method", "url", "allowed", "refused"), PAGES)
def test_a_group_without_the_permission_is_refused_the_page(
    as_role, records, permission, role, method, url, allowed, refused
):
    client = as_role(role)
    path = url.format(**records)
    _take(role, permission)
    assert getattr(client, method)(path).status_code == refused
    _give(role, permission)  # given back in /admin/: allowed from the next request on
    assert getattr(client, method)(path).status_code == allowed


# (permission, role, page, what the page shows only with the permission)
SHOWN = [
    ("catalogue.add_product", "regency", "/products/", 'href="/products/new/"'),
    ("catalogue.add_product", "regency", "/producers/{jr}/", "/products/new/?producer="),
    ("catalogue.change_product", "regency", "/products/", 'name="selected"'),
    ("catalogue.change_product", "regency", "/products/?view=grid", 'name="selected"'),
    ("catalogue.change_product", "regency", "/products/", "data-bulk"),
    ("catalogue.change_product", "regency", "/products/{jp}/", 'data-testid="edit-product"'),
    ("catalogue.delete_product", "regency", "/products/{jp}/", 'data-testid="delete-product"'),
    ("catalogue.add_producer", "staff", "/producers/", 'href="/producers/new/"'),
    ("catalogue.change_producer", "regency", "/producers/{jr}/", 'href="/producers/{jr}/edit/"'),
    ("catalogue.delete_producer", "regency", "/producers/{jr}/", 'data-testid="delete-producer"'),
    ("catalogue.export_product", "visitor", "/products/", 'data-testid="export-links"'),
    ("catalogue.export_product", "visitor", "/producers/", 'data-testid="export-links"'),
    ("catalogue.import_product", "regency", "/products/", 'data-testid="import-link"'),
    ("visits.add_visit", "staff", "/visits/", 'data-testid="new-visit"'),
    ("visits.change_visit", "staff", "/visits/{v}/", 'data-testid="edit-visit"'),
    ("visits.add_visitstop", "staff", "/visits/{v}/", 'data-testid="add-stop"'),
    ("visits.change_visitstop", "staff", "/visits/{v}/", 'data-testid="stop-visited"'),
    (
        "visits.delete_visitstop",
        "staff",
        "/visits/{v}/stops/{s}/edit/",
        'data-testid="delete-stop"',
    ),
    ("visits.view_visitnote", "regency", "/visits/{v}/", 'id="note-{n}"'),
    ("visits.add_visitnote", "visitor", "/visits/{v}/", 'data-testid="write-note"'),
    ("visits.change_visitnote", "visitor", "/visits/{v}/", 'data-testid="edit-note"'),
    ("visits.add_followup", "staff", "/visits/{v}/", 'data-testid="make-follow-ups"'),
    ("visits.change_followup", "staff", "/follow-ups/", 'data-testid="edit-follow-up"'),
]


@pytest.mark.parametrize(("permission", "role", "url", "marker"), SHOWN)
def test_a_page_shows_an_ability_only_while_the_group_has_the_permission(
    as_role, records, permission, role, url, marker
):
    client = as_role(role)
    path, marker = url.format(**records), marker.format(**records)
    assert marker in client.get(path).content.decode()
    _take(role, permission)
    assert marker not in client.get(path).content.decode()


def test_a_permission_granted_in_admin_is_allowed_on_the_pages(as_role, records):
    visitor = as_role("visitor")
    assert visitor.get("/visits/new/").status_code == 403
    _give("visitor", "visits.add_visit")
    assert visitor.get("/visits/new/").status_code == 200
    assert 'data-testid="new-visit"' in visitor.get("/visits/").content.decode()


def test_a_permission_never_widens_the_regency_scope(as_role, records, visitor_user):
    regency = as_role("regency")
    _give("regency", "catalogue.delete_product")
    assert regency.get(f"/products/{records['jp']}/delete/").status_code == 200
    refused = regency.get(f"/products/{records['bp']}/delete/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert "belongs to Banyuwangi" in refused.content.decode()
    # Visitors given the right to edit products cover no regency: they edit none.
    _give("visitor", "catalogue.change_product")
    visitor = as_role("visitor")
    assert visitor.get(f"/products/{records['jp']}/edit/").status_code == 403
    assert 'name="selected"' not in visitor.get("/products/").content.decode()


def test_list_rows_carry_the_scope_of_regency_staff(as_role, records):
    page = as_role("regency").get("/products/?per_page=25")
    rows = {row.code: row.can_edit for row in page.context["table"].rows}
    assert rows == {records["jp"]: True, records["bp"]: False}
    html = page.content.decode()
    assert f'value="{records["jp"]}"' in html
    assert f'value="{records["bp"]}"' not in html


def test_row_flags_ask_no_query_per_row(regency_user, records, django_assert_num_queries):
    from catalogue.models import Product

    products = list(Product.objects.select_related("producer"))
    regency_user.has_perm("catalogue.change_product")  # the permissions, once per request
    catalogue_access.editable_regency_ids(regency_user)  # the scope, once per request
    with django_assert_num_queries(0):
        flags = catalogue_access.row_flags(regency_user, [p.producer.regency_id for p in products])
    assert dict(zip([p.code for p in products], flags, strict=True)) == {
        records["jp"]: True,
        records["bp"]: False,
    }


# --- The groups in the database: migrate keeps what administrators set -----------------


def _names(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_migrate_keeps_what_an_administrator_changed(db):
    _take("visitor", "catalogue.export_product")
    _give("visitor", "visits.add_visit")
    call_command("migrate", verbosity=0)
    names = _names(roles.VISITOR)
    assert "catalogue.export_product" not in names
    assert "visits.add_visit" in names


def test_migrate_grants_the_defaults_that_are_new_to_the_database(db):
    new = _permission("catalogue.export_product")
    new.delete()  # as if export_product came with this migrate
    call_command("migrate", verbosity=0)
    for group in (roles.REGIONAL_STAFF, roles.REGENCY_STAFF, roles.VISITOR, roles.ADMINISTRATOR):
        assert "catalogue.export_product" in _names(group), group


def test_reset_roles_sets_the_groups_back_to_their_defaults(db, capsys):
    _take("visitor", "catalogue.export_product")
    _give("visitor", "visits.add_visit")
    call_command("reset_roles")
    assert _names(roles.VISITOR) == set(roles.ROLE_PERMISSIONS[roles.VISITOR])
    assert "Visitor:" in capsys.readouterr().out


def test_the_role_migration_sets_this_versions_defaults():
    from importlib import import_module

    # Permissions of models that came later (the showroom) are new to the database when
    # they arrive, so migrate grants them by default; the migration does not know them.
    later_apps = ("showroom.",)
    migration = import_module("core.migrations.0001_role_permissions")
    for name, names in migration.DEFAULTS.items():
        current = [p for p in roles.ROLE_PERMISSIONS[name] if not p.startswith(later_apps)]
        assert sorted(names) == sorted(current), name
