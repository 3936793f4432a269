"""The four roles (README, "Roles and demo logins"), as Django groups with model permissions.

Row-level rules (regency staff edit only their regencies, visitors see only their own
notes) live in each app's ``access`` module; groups carry the coarse model permissions
that the admin and the views check first.
"""

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

_CATALOGUE_EDIT = [
    "catalogue.add_producer",
    "catalogue.change_producer",
    "catalogue.view_producer",
    "catalogue.add_product",
    "catalogue.change_product",
    "catalogue.view_product",
    "catalogue.add_productphoto",
    "catalogue.change_productphoto",
    "catalogue.delete_productphoto",
    "catalogue.view_productphoto",
    "catalogue.add_certification",
    "catalogue.change_certification",
    "catalogue.delete_certification",
    "catalogue.view_certification",
    "catalogue.view_category",
    "catalogue.view_tag",
    "catalogue.add_tag",
    "catalogue.view_hscode",
]
_READ = [
    "catalogue.view_producer",
    "catalogue.view_product",
    "catalogue.view_productphoto",
    "catalogue.view_certification",
    "catalogue.view_category",
    "catalogue.view_tag",
    "catalogue.view_hscode",
    "visits.view_visit",
    "visits.view_visitstop",
    # Every role reads visits (README, "Roles and demo logins"); follow-ups come out of the
    # notes they read.
    "visits.view_followup",
]
_NOTES = ["visits.add_visitnote", "visits.change_visitnote", "visits.view_visitnote"]

ROLE_PERMISSIONS = {
    ADMINISTRATOR: "__all__",
    REGIONAL_STAFF: _CATALOGUE_EDIT
    + _READ
    + _NOTES
    + [
        "catalogue.change_category",
        "catalogue.export_product",
        "catalogue.import_product",
        "visits.add_visit",
        "visits.change_visit",
        "visits.add_visitstop",
        "visits.change_visitstop",
        "visits.delete_visitstop",
        "visits.delete_visitnote",
        "visits.add_followup",
        "visits.change_followup",
    ],
    REGENCY_STAFF: _CATALOGUE_EDIT + _READ + _NOTES + ["catalogue.export_product"],
    VISITOR: _READ + _NOTES + ["catalogue.export_product"],
}


def sync_role_groups(**kwargs):
    """Create the role groups and give them exactly their permissions (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    for name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.all()
        if codenames != "__all__":
            wanted = {tuple(c.split(".", 1)) for c in codenames}
            permissions = [
                p
                for p in permissions.select_related("content_type")
                if (p.content_type.app_label, p.codename) in wanted
            ]
        group.permissions.set(permissions)


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
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if role_of(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
