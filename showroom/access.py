"""Who may see and change which collections, share links, inquiries and samples (DESIGN.md,
"Roles"; README, "Roles and demo logins").

As in ``catalogue.access``: the **permission** (a Django model permission the role groups
carry, all listed in ``PERMISSIONS``) says what a user may do with a kind of record, the
**scope** (``catalogue.access.editable_regency_ids``) on which records. Administrators and
regional staff act on everything; regency staff on collections of their regencies (a
collection with ``regency`` set) and on inquiries and samples about their regencies'
products; visitors read every collection and create share links of existing ones.
Buyers have no account: the public pages check the token, not these helpers.
"""

from django.db.models import Exists, OuterRef

from catalogue.access import editable_regency_ids, in_scope

VIEW_COLLECTION = "showroom.view_collection"
ADD_COLLECTION = "showroom.add_collection"
CHANGE_COLLECTION = "showroom.change_collection"
DELETE_COLLECTION = "showroom.delete_collection"
VIEW_LINK = "showroom.view_sharelink"
ADD_LINK = "showroom.add_sharelink"
CHANGE_LINK = "showroom.change_sharelink"
VIEW_INQUIRY = "showroom.view_inquiry"
CHANGE_INQUIRY = "showroom.change_inquiry"
VIEW_SAMPLE = "showroom.view_sample"
ADD_SAMPLE = "showroom.add_sample"
CHANGE_SAMPLE = "showroom.change_sample"
VIEW_RATE = "showroom.view_exchangerate"
ADD_RATE = "showroom.add_exchangerate"

PERMISSIONS = frozenset(
    {
        VIEW_COLLECTION,
        ADD_COLLECTION,
        CHANGE_COLLECTION,
        DELETE_COLLECTION,
        VIEW_LINK,
        ADD_LINK,
        CHANGE_LINK,
        VIEW_INQUIRY,
        CHANGE_INQUIRY,
        VIEW_SAMPLE,
        ADD_SAMPLE,
        CHANGE_SAMPLE,
        VIEW_RATE,
        ADD_RATE,
    }
)


def _collection_in_scope(user, collection):
    """Region-wide collections are for region-wide roles; a regency's for its staff."""
    ids = editable_regency_ids(user)
    return ids is None or (collection.regency_id is not None and collection.regency_id in ids)


# --- Collections and links -------------------------------------------------------------


def can_view_collections(user):
    return user.has_perm(VIEW_COLLECTION)


def can_add_collection(user):
    ids = editable_regency_ids(user)
    return user.has_perm(ADD_COLLECTION) and (ids is None or bool(ids))


def can_edit_collection(user, collection):
    return user.has_perm(CHANGE_COLLECTION) and _collection_in_scope(user, collection)


def can_delete_collection(user, collection):
    return user.has_perm(DELETE_COLLECTION) and _collection_in_scope(user, collection)


def can_add_product_to(user, collection, product):
    """Curators add products they may see; a regency's collection takes only that
    regency's products."""
    if not can_edit_collection(user, collection):
        return False
    regency_id = product.producer.regency_id
    return collection.regency_id is None or collection.regency_id == regency_id


def can_share(user, collection):
    """Create share links: curators of the collection, and visitors (who hand them out)."""
    if not user.has_perm(ADD_LINK):
        return False
    return not user.has_perm(CHANGE_COLLECTION) or _collection_in_scope(user, collection)


def can_revoke(user, link):
    """Revoke or change a link: its collection's curators, and whoever created it."""
    if not user.has_perm(CHANGE_LINK) and link.created_by_id != user.pk:
        return False
    return link.created_by_id == user.pk or _collection_in_scope(user, link.collection)


def can_set_rate(user):
    return user.has_perm(ADD_RATE)


# --- Inquiries and samples -------------------------------------------------------------


def can_view_inquiries(user):
    return user.has_perm(VIEW_INQUIRY)


def visible_inquiries(user, queryset):
    """Inquiries ``user`` may read: all for region-wide roles, for regency staff those
    about a product of their regencies."""
    if not can_view_inquiries(user):
        return queryset.none()
    ids = editable_regency_ids(user)
    if ids is None:
        return queryset
    # EXISTS rather than a join with DISTINCT: the inbox sorts and pages these rows, and
    # an inquiry about two of the regency's products must still be one row.
    through = queryset.model.products.through.objects.filter(
        inquiry_id=OuterRef("pk"), product__producer__regency_id__in=ids
    )
    return queryset.filter(Exists(through))


def can_edit_inquiry(user, inquiry):
    """Change status, owner and notes of an inquiry one may read (the view has checked
    visibility through ``visible_inquiries``)."""
    return user.has_perm(CHANGE_INQUIRY)


def can_view_samples(user):
    return user.has_perm(VIEW_SAMPLE)


def visible_samples(user, queryset):
    if not can_view_samples(user):
        return queryset.none()
    ids = editable_regency_ids(user)
    return queryset if ids is None else queryset.filter(product__producer__regency_id__in=ids)


def can_add_sample(user):
    ids = editable_regency_ids(user)
    return user.has_perm(ADD_SAMPLE) and (ids is None or bool(ids))


def can_edit_sample(user, sample):
    return user.has_perm(CHANGE_SAMPLE) and in_scope(user, sample.product.producer.regency_id)


def can_send_sample_of(user, product):
    """Record a sample of ``product``: whoever adds samples, within their regencies."""
    return user.has_perm(ADD_SAMPLE) and in_scope(user, product.producer.regency_id)


def can_export_inquiries(user):
    """The inbox's export holds the rows its reader sees (buyers' contacts included)."""
    return can_view_inquiries(user)


def can_export_samples(user):
    return can_view_samples(user)


# --- Curating (lists and the product list's "add to a collection") ----------------------


def curatable_collections(user, queryset):
    """The collections of ``queryset`` that ``user`` may curate (add products to, reorder,
    rename): all for region-wide roles, their regencies' for regency staff."""
    if not user.has_perm(CHANGE_COLLECTION):
        return queryset.none()
    ids = editable_regency_ids(user)
    return queryset if ids is None else queryset.filter(regency_id__in=ids)


def addable_products(user, queryset):
    """The products of ``queryset`` that ``user`` may put into a collection: those of the
    regencies they act on (every product for region-wide roles). Which collection takes
    which product is the collection's own rule (``showroom.collection_writes``)."""
    ids = editable_regency_ids(user)
    return queryset if ids is None else queryset.filter(producer__regency_id__in=ids)


def collection_regencies(user, queryset):
    """The regencies a collection of ``user`` may belong to; ``None`` (region-wide) is
    offered only to region-wide roles (``may_be_region_wide``)."""
    ids = editable_regency_ids(user)
    return queryset if ids is None else queryset.filter(pk__in=ids)


def may_be_region_wide(user):
    return editable_regency_ids(user) is None


def link_flags(user, links):
    """``can_revoke`` of each link, in order, without a query per link (their collections
    must be loaded with them)."""
    return [can_revoke(user, link) for link in links]
