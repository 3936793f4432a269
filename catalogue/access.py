"""Who may see and edit which producers and products (README, "Roles and demo logins").

Everyone logged in reads the catalogue. Administrators and regional staff edit all of it;
regency staff edit producers and products of the regencies they cover; visitors only read
and never see producers' NIB. Views call these helpers; templates only show what the view
decided.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core import roles

EDITOR_ROLES = {roles.ADMINISTRATOR, roles.REGIONAL_STAFF, roles.REGENCY_STAFF}
REGION_WIDE_ROLES = {roles.ADMINISTRATOR, roles.REGIONAL_STAFF}


def can_edit_catalogue(user):
    return roles.role_of(user) in EDITOR_ROLES


def editable_regency_ids(user):
    """``None`` for region-wide editors, else the set of regency ids the user may edit."""
    role = roles.role_of(user)
    if role in REGION_WIDE_ROLES:
        return None
    if role == roles.REGENCY_STAFF:
        if not hasattr(user, "_etalase_regency_ids"):
            user._etalase_regency_ids = set(user.regencies.values_list("pk", flat=True))
        return user._etalase_regency_ids
    return set()


def can_edit_regency(user, regency_id):
    ids = editable_regency_ids(user)
    return ids is None or regency_id in ids


def can_edit_producer(user, producer):
    return can_edit_catalogue(user) and can_edit_regency(user, producer.regency_id)


def can_edit_product(user, product):
    return can_edit_catalogue(user) and can_edit_regency(user, product.producer.regency_id)


def can_see_nib(user):
    return roles.role_of(user) not in (roles.VISITOR, None)


def can_import(user):
    """Administrators and regional staff import anything; regency staff only rows of
    products in their regencies (the import refuses the other rows, saying why)."""
    return roles.role_of(user) in EDITOR_ROLES


def can_export(user):
    return roles.role_of(user) is not None


def visible_certifications(user, queryset):
    """Everyone with a role reads every product, and so its certifications and their
    documents (the product page shows them to all roles)."""
    return queryset if roles.role_of(user) is not None else queryset.none()


def visible_imports(user, queryset):
    """Imports a user may open (preview page, uploaded file): administrators every one,
    everyone else (import rights provided) the ones they uploaded."""
    role = roles.role_of(user)
    if role == roles.ADMINISTRATOR:
        return queryset
    if not can_import(user):
        return queryset.none()
    return queryset.filter(user=user)


def editable_products(user, queryset):
    """Restrict ``queryset`` to the products ``user`` may edit."""
    if not can_edit_catalogue(user):
        return queryset.none()
    ids = editable_regency_ids(user)
    return queryset if ids is None else queryset.filter(producer__regency_id__in=ids)


def editable_producers(user, queryset):
    if not can_edit_catalogue(user):
        return queryset.none()
    ids = editable_regency_ids(user)
    return queryset if ids is None else queryset.filter(regency_id__in=ids)


def get_for_edit(user, queryset, check, **lookup):
    """The object (404 if it does not exist) if ``check(user, obj)`` allows editing, else 403.

    Regency staff are told why: the record belongs to another regency than theirs.
    """
    obj = get_object_or_404(queryset, **lookup)
    if not check(user, obj):
        raise PermissionDenied(outside_regencies_reason(user, obj))
    return obj


def outside_regencies_reason(user, obj):
    """Why regency staff may not edit ``obj`` (a producer or product); "" for other roles."""
    if roles.role_of(user) != roles.REGENCY_STAFF:
        return ""
    regency = obj.producer.regency if hasattr(obj, "producer") else obj.regency
    yours = ", ".join(r.short_name for r in user.regencies.order_by("code")) or "—"
    return _(
        "%(record)s belongs to %(regency)s; your account keeps the producers and products "
        "of %(yours)s only."
    ) % {"record": getattr(obj, "code", obj), "regency": regency.short_name, "yours": yours}
