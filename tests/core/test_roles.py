"""The four roles (README, "Roles and demo logins") as Django groups (core/roles.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission, User

from core import roles

pytestmark = pytest.mark.django_db

ROLES = [roles.ADMINISTRATOR, roles.REGIONAL_STAFF, roles.REGENCY_STAFF, roles.VISITOR]


def permission_names(group):
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def existing_permissions():
    return {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }


def test_every_listed_permission_exists():
    existing = existing_permissions()
    for role, codenames in roles.ROLE_PERMISSIONS.items():
        if codenames == "__all__":
            continue
        missing = sorted(set(codenames) - existing)
        assert not missing, f"{role}: {missing}"


def test_the_four_roles_are_defined_with_labels():
    assert list(roles.ROLE_PERMISSIONS) == ROLES
    assert set(roles.ROLE_LABELS) == set(ROLES)


def test_groups_exist_after_migrate_with_exactly_their_permissions():
    existing = existing_permissions()
    for role, codenames in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        expected = existing if codenames == "__all__" else set(codenames)
        assert permission_names(group) == expected, role


def test_sync_is_idempotent_and_repairs_groups():
    group = Group.objects.get(name=roles.VISITOR)
    group.permissions.add(Permission.objects.get(codename="delete_product"))
    roles.sync_role_groups()
    roles.sync_role_groups()
    assert Group.objects.filter(name__in=ROLES).count() == 4
    assert permission_names(group) == set(roles.ROLE_PERMISSIONS[roles.VISITOR])


# What the README's role table says, checked against the groups' permissions.
def has(user, perm):
    return User.objects.get(pk=user.pk).has_perm(perm)


def test_only_administrators_manage_users(role_users):
    for name, user in role_users.items():
        assert has(user, "auth.change_user") is (name == "admin"), name
        assert has(user, "auth.add_user") is (name == "admin"), name


def test_visitors_read_but_do_not_edit_the_catalogue(visitor_user):
    assert has(visitor_user, "catalogue.view_product")
    assert has(visitor_user, "catalogue.view_producer")
    for perm in ("catalogue.add_product", "catalogue.change_product", "catalogue.change_producer"):
        assert not has(visitor_user, perm), perm


def test_staff_roles_edit_the_catalogue(staff_user, regency_user):
    # Photos and certifications are edited with their product (change_product).
    for user in (staff_user, regency_user):
        for perm in ("catalogue.add_product", "catalogue.change_product",
                     "catalogue.delete_product", "catalogue.change_producer"):  # fmt: skip
            assert has(user, perm), perm


def test_editors_import_and_every_role_exports(role_users):
    # Regency staff import too: the rows of their regencies (the import's own scope).
    for name, user in role_users.items():
        assert has(user, "catalogue.import_product") is (name != "visitor"), name
        assert has(user, "catalogue.export_product"), name


def test_only_regional_staff_and_admins_plan_visits(role_users):
    for name, user in role_users.items():
        assert has(user, "visits.add_visit") is (name in {"admin", "staff"}), name
        assert has(user, "visits.add_followup") is (name in {"admin", "staff"}), name


def test_every_role_reads_visits_and_writes_notes(role_users):
    for name, user in role_users.items():
        for perm in ("visits.view_visit", "visits.view_followup", "visits.add_visitnote"):
            assert has(user, perm), (name, perm)


def test_role_of_fixture_users(role_users):
    expected = {
        "admin": roles.ADMINISTRATOR,
        "staff": roles.REGIONAL_STAFF,
        "regency": roles.REGENCY_STAFF,
        "visitor": roles.VISITOR,
    }
    assert {name: roles.role_of(user) for name, user in role_users.items()} == expected


def test_role_of_anonymous_and_groupless_users():
    assert roles.role_of(AnonymousUser()) is None
    nobody = User.objects.create_user("nobody", password="x")
    assert roles.role_of(nobody) is None


def test_superuser_without_group_is_an_administrator():
    root = User.objects.create_superuser("root", "root@example.org", "x")
    assert roles.role_of(root) == roles.ADMINISTRATOR


def test_highest_role_wins_for_users_in_several_groups():
    user = User.objects.create_user("both", password="x")
    user.groups.add(
        Group.objects.get(name=roles.VISITOR), Group.objects.get(name=roles.REGIONAL_STAFF)
    )
    assert roles.role_of(User.objects.get(pk=user.pk)) == roles.REGIONAL_STAFF
