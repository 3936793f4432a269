"""Who may see and edit which producers and products (README, "Roles and demo logins").

Two things decide, and only here:

- **the permission**: what a user may do with a kind of record, a Django model permission
  (``catalogue.change_product``…). The role groups carry them (``core.roles``); an
  administrator who edits a group in /admin/ changes what these helpers, and so the pages,
  allow. ``PERMISSIONS`` lists every one these helpers check.
- **the scope**: on which records. Administrators and regional staff act on every regency;
  everyone else only on the regencies they cover (regency staff: their own; visitors cover
  none). A permission never widens the scope.

Visitors never see producers' NIB (a rule of the role, not of a permission). Views call
these helpers and pages only show what they decided: a list gets one flag per row from
``row_flags``, computed without a query per row.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core import roles

VIEW_PRODUCT = "catalogue.view_product"
ADD_PRODUCT = "catalogue.add_product"
CHANGE_PRODUCT = "catalogue.change_product"
DELETE_PRODUCT = "catalogue.delete_product"
VIEW_PRODUCER = "catalogue.view_producer"
ADD_PRODUCER = "catalogue.add_producer"
CHANGE_PRODUCER = "catalogue.change_producer"
DELETE_PRODUCER = "catalogue.delete_producer"
VIEW_CERTIFICATION = "catalogue.view_certification"
EXPORT = "catalogue.export_product"
IMPORT = "catalogue.import_product"

# Every permission these helpers check (a product's photos and certifications are edited
# with the product: ``change_product``).
PERMISSIONS = frozenset(
    {
        VIEW_PRODUCT,
        ADD_PRODUCT,
        CHANGE_PRODUCT,
        DELETE_PRODUCT,
        VIEW_PRODUCER,
        ADD_PRODUCER,
        CHANGE_PRODUCER,
        DELETE_PRODUCER,
        VIEW_CERTIFICATION,
        EXPORT,
        IMPORT,
    }
)

REGION_WIDE_ROLES = {roles.ADMINISTRATOR, roles.REGIONAL_STAFF}


def editable_regency_ids(user):
    """The scope: ``None`` for every regency, else the set of regency ids ``user`` covers."""
    if roles.role_of(user) in REGION_WIDE_ROLES:
        return None
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_etalase_regency_ids"):
        user._etalase_regency_ids = set(user.regencies.values_list("pk", flat=True))
    return user._etalase_regency_ids


def in_scope(user, regency_id):
    ids = editable_regency_ids(user)
    return ids is None or regency_id in ids


def _has_scope(user):
    ids = editable_regency_ids(user)
    return ids is None or bool(ids)


# --- Reading ---------------------------------------------------------------------------


def can_view_products(user):
    return user.has_perm(VIEW_PRODUCT)


def can_view_producers(user):
    return user.has_perm(VIEW_PRODUCER)


def can_see_nib(user):
    return roles.role_of(user) not in (roles.VISITOR, None)


def visible_certifications(user, queryset):
    """Certifications (and their documents) ``user`` may open: every one, for whoever
    holds the permission (everyone reads every product)."""
    return queryset if user.has_perm(VIEW_CERTIFICATION) else queryset.none()


# --- Writing ---------------------------------------------------------------------------


def can_add_product(user):
    """May create products (for producers in their scope)."""
    return user.has_perm(ADD_PRODUCT) and _has_scope(user)


def can_add_product_for(user, producer):
    return user.has_perm(ADD_PRODUCT) and in_scope(user, producer.regency_id)


def can_change_products(user):
    """May change some products: the list offers checkboxes and bulk actions."""
    return user.has_perm(CHANGE_PRODUCT) and _has_scope(user)


def can_edit_product(user, product):
    return user.has_perm(CHANGE_PRODUCT) and in_scope(user, product.producer.regency_id)


def can_delete_product(user, product):
    return user.has_perm(DELETE_PRODUCT) and in_scope(user, product.producer.regency_id)


def can_add_producer(user):
    return user.has_perm(ADD_PRODUCER) and _has_scope(user)


def can_edit_producer(user, producer):
    return user.has_perm(CHANGE_PRODUCER) and in_scope(user, producer.regency_id)


def can_delete_producer(user, producer):
    return user.has_perm(DELETE_PRODUCER) and in_scope(user, producer.regency_id)


def row_flags(user, regency_ids):
    """``can_edit`` of each product of a list, given its producer's regency id, in order:
    one permission check and one scope for the page, no query per row."""
    if not user.has_perm(CHANGE_PRODUCT):
        return [False] * len(regency_ids)
    ids = editable_regency_ids(user)
    if ids is None:
        return [True] * len(regency_ids)
    return [regency_id in ids for regency_id in regency_ids]


def editable_products(user, queryset):
    """Restrict ``queryset`` to the products ``user`` may change."""
    if not user.has_perm(CHANGE_PRODUCT):
        return queryset.none()
    ids = editable_regency_ids(user)
    return queryset if ids is None else queryset.filter(producer__regency_id__in=ids)


def producers_in_scope(user, queryset):
    """Restrict ``queryset`` to the producers of the regencies ``user`` acts on (the
    producers a product of theirs may belong to)."""
    ids = editable_regency_ids(user)
    return queryset if ids is None else queryset.filter(regency_id__in=ids)


def regencies_in_scope(user, queryset):
    ids = editable_regency_ids(user)
    return queryset if ids is None else queryset.filter(pk__in=ids)


# --- Spreadsheets ----------------------------------------------------------------------


def can_import(user):
    """May import: rows of products in the user's scope (the import refuses the other
    rows, saying why)."""
    return user.has_perm(IMPORT)


def can_export(user):
    return user.has_perm(EXPORT)


def visible_imports(user, queryset):
    """Imports a user may open (preview page, uploaded file): administrators every one,
    everyone else (import rights provided) the ones they uploaded."""
    if not can_import(user):
        return queryset.none()
    if roles.role_of(user) == roles.ADMINISTRATOR:
        return queryset
    return queryset.filter(user=user)


# --- Refusing --------------------------------------------------------------------------


def get_for_edit(user, queryset, check, **lookup):
    """The object (404 if it does not exist) if ``check(user, obj)`` allows it, else 403.

    Someone who holds the permission but not the record's regency is told why.
    """
    obj = get_object_or_404(queryset, **lookup)
    if not check(user, obj):
        raise PermissionDenied(outside_regencies_reason(user, obj))
    return obj


def outside_regencies_reason(user, obj):
    """Why ``user``, who acts on some regencies, may not act on ``obj`` (a producer or
    product) of another; "" for everyone else."""
    regency = obj.producer.regency if hasattr(obj, "producer") else obj.regency
    ids = editable_regency_ids(user)
    if not ids or regency.pk in ids:
        return ""
    yours = ", ".join(r.short_name for r in user.regencies.order_by("code")) or "—"
    return _(
        "%(record)s belongs to %(regency)s; your account keeps the producers and products "
        "of %(yours)s only."
    ) % {"record": getattr(obj, "code", obj), "regency": regency.short_name, "yours": yours}
