"""The four roles (README, "Roles and demo logins"), as Django groups with model permissions.

A role's permissions say what its members may do with each kind of record; the apps'
``access`` helpers check exactly these permissions (each lists them in ``PERMISSIONS``)
and add the scope a permission cannot express: regency staff act only on the regencies they
cover, visitors read only their own notes. ``ROLE_PERMISSIONS`` are the defaults:

- ``migrate`` creates a missing role group with its defaults and grants a role the default
  permissions that are new to the database (those of a new model), and never takes a
  permission away or gives one back that an administrator removed in /admin/: what an
  administrator sets on a group there is what the pages allow from the next request on.
- ``manage.py reset_roles`` (and ``seed_demo``) set the four groups back to the defaults.
"""

from functools import wraps

from django.apps import apps as global_apps
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

ADMINISTRATOR = "Administrator"
REGIONAL_STAFF = "Regional staff"
REGENCY_STAFF = "Regency staff"
VISITOR = "Visitor"

ROLE_LABELS = {
    ADMINISTRATOR: _("Administrator"),
    REGIONAL_STAFF: _("Regional staff"),
    REGENCY_STAFF: _("Regency staff"),
    VISITOR: _("Visitor"),
}

# Every role reads the catalogue, visits, follow-ups and the notes it may see.
_READ = [
    "catalogue.view_product",
    "catalogue.view_producer",
    "catalogue.view_certification",
    "visits.view_visit",
    "visits.view_followup",
    "visits.view_visitnote",
]
_NOTES = ["visits.add_visitnote", "visits.change_visitnote"]
_CATALOGUE_EDIT = [
    "catalogue.add_product",
    "catalogue.change_product",
    "catalogue.delete_product",
    "catalogue.add_producer",
    "catalogue.change_producer",
    "catalogue.delete_producer",
    "catalogue.export_product",
    "catalogue.import_product",
]

# Showroom (DESIGN.md, "Roles"): staff curate collections and work inquiries and samples;
# regency staff within their regencies (the scope, ``showroom.access``); visitors read
# collections and hand buyers share links.
_SHOWROOM_READ = ["showroom.view_collection", "showroom.view_sharelink"]
_SHOWROOM_CURATE = _SHOWROOM_READ + [
    "showroom.add_collection",
    "showroom.change_collection",
    "showroom.delete_collection",
    "showroom.add_sharelink",
    "showroom.change_sharelink",
    "showroom.view_inquiry",
    "showroom.change_inquiry",
    "showroom.view_sample",
    "showroom.add_sample",
    "showroom.change_sample",
]

ROLE_PERMISSIONS = {
    ADMINISTRATOR: "__all__",
    REGIONAL_STAFF: _READ
    + _NOTES
    + _CATALOGUE_EDIT
    + [
        "visits.add_visit",
        "visits.change_visit",
        "visits.add_visitstop",
        "visits.change_visitstop",
        "visits.delete_visitstop",
        "visits.add_followup",
        "visits.change_followup",
    ]
    + _SHOWROOM_CURATE
    + ["showroom.add_exchangerate", "showroom.view_exchangerate"],
    # The same catalogue permissions as regional staff, within their regencies (scope).
    REGENCY_STAFF: _READ + _NOTES + _CATALOGUE_EDIT + _SHOWROOM_CURATE,
    VISITOR: _READ
    + _NOTES
    + ["catalogue.export_product"]
    + _SHOWROOM_READ
    + ["showroom.add_sharelink"],
}


def _default_permissions(name):
    """The Permission rows of role ``name``'s defaults that exist in the database."""
    from django.contrib.auth.models import Permission

    codenames = ROLE_PERMISSIONS[name]
    permissions = Permission.objects.select_related("content_type")
    if codenames == "__all__":
        return list(permissions)
    wanted = {tuple(c.split(".", 1)) for c in codenames}
    return [p for p in permissions if (p.content_type.app_label, p.codename) in wanted]


def sync_role_groups(**kwargs):
    """Create the role groups and give them exactly their default permissions."""
    from django.contrib.auth.models import Group

    for name in ROLE_PERMISSIONS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(_default_permissions(name))


# Database alias → the (app_label, codename) of every permission before this migrate.
_permissions_before: dict[str, set[tuple[str, str]]] = {}


def remember_permissions(using="default", **kwargs):
    """pre_migrate: note which permissions exist, to tell the new ones afterwards."""
    if using in _permissions_before:
        return
    from django.contrib.auth.models import Permission
    from django.db import connections

    if Permission._meta.db_table not in connections[using].introspection.table_names():
        _permissions_before[using] = set()
    else:
        _permissions_before[using] = set(
            Permission.objects.using(using).values_list("content_type__app_label", "codename")
        )


def _is_last_app(app_config):
    """post_migrate comes once per app; the permissions of all exist at the last one's."""
    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    return app_config is None or app_config is with_models[-1]


def grant_new_role_permissions(app_config=None, using="default", **kwargs):
    """post_migrate: missing groups get their defaults, existing ones the defaults that are
    new to the database; nothing an administrator changed is undone. After ``flush`` (no
    pre_migrate, every group gone) this is ``sync_role_groups``."""
    if not _is_last_app(app_config):
        return
    before = _permissions_before.pop(using, None)
    if before is None:
        sync_role_groups()
        return
    from django.contrib.auth.models import Group

    for name in ROLE_PERMISSIONS:
        group, created = Group.objects.get_or_create(name=name)
        defaults = _default_permissions(name)
        if not created:
            defaults = [p for p in defaults if (p.content_type.app_label, p.codename) not in before]
        group.permissions.add(*defaults)


def role_of(user):
    """The user's role name (the first matching group), or None."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_etalase_role"):
        names = {g.name for g in user.groups.all()}
        user._etalase_role = next(
            (r for r in (ADMINISTRATOR, REGIONAL_STAFF, REGENCY_STAFF, VISITOR) if r in names),
            ADMINISTRATOR if user.is_superuser else None,
        )
    return user._etalase_role


def role_required(view):
    """Allow the view only to users with one of the four roles (403 otherwise)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if role_of(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def allowed_if(check):
    """Allow the view only to users ``check(user)`` (an ``access`` helper) accepts (403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
