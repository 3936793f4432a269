"""Staff pages of collections: list, page (products in order, share links), create and
edit, the product changes of its page, deletion, and "add to a collection" posted from the
product list. Writes go through ``showroom.collection_writes``; rights come from
``showroom.access``. Share links and the exchange rate: ``showroom.link_views``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from catalogue.filtersets import ProductFilterSet
from catalogue.models import Product
from core.listing import ListQuery, paginate, remember_list_url, remembered_list_url
from core.locking import WriteRefused
from core.roles import allowed_if, role_required
from regions.models import Regency
from showroom import access, collection_writes
from showroom.collection_filtersets import CollectionFilterSet
from showroom.collection_forms import AddToCollectionForm, CollectionForm, ExchangeRateForm
from showroom.collection_pages import detail_page
from showroom.collection_presenters import collection_rows, current_rate
from showroom.models import Collection


@allowed_if(access.can_view_collections)
def collection_list(request):
    listing = ListQuery(CollectionFilterSet, request.GET, collection_rows(), request=request)
    remember_list_url(request, "collections", listing)
    can_set_rate = access.can_set_rate(request.user)
    return render(
        request,
        "showroom/collection_list.html",
        {
            "listing": listing,
            "filter": listing.filterset,
            "page": paginate(listing),
            "can_add": access.can_add_collection(request.user),
            "rate": current_rate(),
            "rate_form": ExchangeRateForm() if can_set_rate else None,
        },
    )


@allowed_if(access.can_view_collections)
def collection_detail(request, pk):
    collection = get_object_or_404(Collection.objects.select_related("regency"), pk=pk)
    return detail_page(request, collection)


def _collection_for(request, pk, check):
    """The collection (404 if there is none) if ``check`` allows ``request.user`` (403)."""
    collection = get_object_or_404(Collection.objects.select_related("regency"), pk=pk)
    if not check(request.user, collection):
        raise PermissionDenied
    return collection


@role_required
def collection_edit(request, pk=None):
    if pk is None:
        if not access.can_add_collection(request.user):
            raise PermissionDenied
        collection = Collection()
    else:
        collection = _collection_for(request, pk, access.can_edit_collection)
    form = CollectionForm(
        request.POST if request.method == "POST" else None,
        instance=collection,
        regencies=access.collection_regencies(request.user, Regency.objects.order_by("code")),
        region_wide=access.may_be_region_wide(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = collection_writes.save_collection(
                form.save(commit=False), request.user, version=form.cleaned_data["version"]
            )
        except WriteRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Collection “%(name)s” saved.") % {"name": saved})
            return redirect(saved)
    if request.method == "POST":
        messages.error(request, _("The collection was not saved. Please correct the errors below."))
    return render(
        request, "showroom/collection_form.html", {"collection": collection, "form": form}
    )


@require_POST
@role_required
def collection_items(request, pk):
    """The product changes of the collection page, one form without JavaScript: a button
    ``remove``/``up``/``down`` naming an item, or "save order" with a position per item."""
    collection = _collection_for(request, pk, access.can_edit_collection)
    user, post = request.user, request.POST
    if _item_pk(post.get("remove")):
        if collection_writes.remove_product(collection, _item_pk(post["remove"]), user):
            messages.success(request, _("Product removed from the collection."))
    elif _item_pk(post.get("up")) or _item_pk(post.get("down")):
        offset, raw = (-1, post["up"]) if post.get("up") else (1, post["down"])
        collection_writes.move_product(collection, _item_pk(raw), offset, user)
    else:
        collection_writes.set_order(collection, _ordered_items(post), user)
        messages.success(request, _("Order saved."))
    return redirect(reverse("collection_detail", args=[collection.pk]) + "#products")


def _item_pk(raw):
    return int(raw) if raw and raw.isdigit() and len(raw) < 12 else None


def _ordered_items(post):
    """Item keys sorted by the position numbers typed in (``position-<item pk>``)."""
    typed = []
    for key, value in post.items():
        item = _item_pk(key.removeprefix("position-")) if key.startswith("position-") else None
        try:
            position = float(value)
        except ValueError:
            continue
        if item is not None and position == position:  # not NaN
            typed.append((position, item))
    return [item for _position, item in sorted(typed)]


@require_http_methods(["GET", "POST"])
@role_required
def collection_delete(request, pk):
    collection = _collection_for(request, pk, access.can_delete_collection)
    back = remembered_list_url(request, "collections", reverse("collection_list"))
    if request.method == "POST":
        name = str(collection)
        collection_writes.delete_collection(collection)
        messages.success(request, _("Collection “%(name)s” deleted.") % {"name": name})
        return redirect(back)
    links = collection.share_links.count()
    consequences = [
        ngettext(
            "%(n)s share link stops working: buyers who open it see “not found”.",
            "%(n)s share links stop working: buyers who open them see “not found”.",
            links,
        )
        % {"n": links},
        _("The products stay in the catalogue; inquiries already received stay in the inbox."),
    ]
    return render(
        request,
        "showroom/collection_delete.html",
        {"collection": collection, "consequences": consequences, "list_url": back},
    )


@require_POST
@role_required
def collection_add_products(request):
    """Add the products ticked on the product list, or all it matches, to a collection
    (posted by the bulk bar: ``catalogue.list_actions``)."""
    form = AddToCollectionForm(request.POST)
    all_matching = form.is_valid() and form.cleaned_data["select_all"]
    listing = ListQuery.from_string(
        ProductFilterSet,
        request.POST.get("query", ""),
        Product.objects.select_related("producer__regency"),
        request=request,
        strict=all_matching,
    )
    back = listing.url_at(reverse("product_list"))
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(back)
    if all_matching and not listing.is_valid:
        messages.error(
            request,
            _(
                "Nothing was added: some filters of this list were not understood. "
                "Correct or remove them, then add the products again."
            ),
        )
        return redirect(back)
    matching = listing.queryset
    if not all_matching:
        matching = matching.filter(code__in=form.cleaned_data["selected"])
    products = list(access.addable_products(request.user, matching))
    skipped = matching.count() - len(products)
    try:
        with transaction.atomic():  # a new collection is not kept if the products are refused
            collection = _target_collection(request, form.cleaned_data, products)
            added, already = collection_writes.add_products(collection, products, request.user)
    except WriteRefused as refused:
        messages.error(request, refused.message)
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(n)s product added (%(m)s already in it).",
            "%(n)s products added (%(m)s already in it).",
            added,
        )
        % {"n": added, "m": already},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)s product was left out: it is outside your regencies.",
                "%(n)s products were left out: they are outside your regencies.",
                skipped,
            )
            % {"n": skipped},
        )
    return redirect(collection)


def _target_collection(request, data, products):
    """The chosen collection the user may curate, or a new one named in the form:
    region-wide for region-wide roles; for regency staff, of the regency of the products
    (all of one regency of theirs) or of their only regency."""
    user = request.user
    if data["collection"]:
        return _collection_for(request, data["collection"], access.can_edit_collection)
    if not access.can_add_collection(user):
        raise PermissionDenied
    regency = None
    if not access.may_be_region_wide(user):
        ids = {product.producer.regency_id for product in products}
        regencies = access.collection_regencies(user, Regency.objects.all())
        if len(ids) == 1:
            regencies = regencies.filter(pk__in=ids)
        regencies = list(regencies[:2])
        if len(regencies) != 1:
            raise WriteRefused(
                _(
                    "Nothing was added: the products are of several of your regencies. "
                    "Create the collection on the collections page first, choosing its "
                    "regency, or select products of one regency."
                )
            )
        regency = regencies[0]
    collection = Collection(name_id=data["collection_name"], regency=regency)
    return collection_writes.save_collection(collection, user)
