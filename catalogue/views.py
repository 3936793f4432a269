"""Product pages: list (filters, table or grid, bulk actions), detail, create and edit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from catalogue import access, list_actions
from catalogue.bulk import add_tag_many, change_status_many, remove_tag_many
from catalogue.filtersets import ProductFilterSet
from catalogue.forms import (
    BulkActionForm,
    CertificationFormSet,
    PhotoFormSet,
    PhotoUploadForm,
    ProductForm,
)
from catalogue.models import Producer, Product, ProductPhoto
from catalogue.presenters import product_detail_context
from catalogue.product_writes import NeedsConfirmation, save_product
from catalogue.tables import ProductTable, row_queryset
from core.listing import ListQuery, paginate, remember_list_url, remembered_list_url
from core.locking import WriteRefused
from core.redirects import safe_next
from core.roles import allowed_if, role_required


@allowed_if(access.can_view_products)
def product_list(request):
    listing = ListQuery(ProductFilterSet, request.GET, Product.objects.all(), request=request)
    remember_list_url(request, "products", listing)
    view = "grid" if listing.params.get("view") == "grid" else "table"
    # The page's rows in one query (catalogue.tables), by code: it is in the index a
    # regency filter walks (core.listing.DeferredJoinPaginator).
    page = paginate(listing, rows=row_queryset(), key="code")
    can_change = access.can_change_products(request.user)
    return render(
        request,
        "catalogue/product_list.html",
        {
            "listing": listing,
            "filter": listing.filterset,
            "page": page,
            "view": view,
            # Rows with their rights (a checkbox only on the rows the user may change).
            "table": ProductTable(request.user, page.object_list, selectable=can_change),
            "can_edit": can_change,
            "can_add": access.can_add_product(request.user),
            "can_import": access.can_import(request.user),
            "can_export": access.can_export(request.user),
            "bulk_form": BulkActionForm(),
            # What higher apps add to the bulk bar (catalogue.list_actions).
            "list_actions": list_actions.offered(request) if can_change else [],
            # The tag filter's own rows: one query for its options and the bulk form's list.
            "tags": listing.filterset.form.fields["tag"].queryset,
        },
    )


@allowed_if(access.can_view_products)
def product_detail(request, code):
    product = get_object_or_404(
        Product.objects.select_related(
            "producer__regency", "producer__district", "category__parent", "hs_code"
        ),
        code=code,
    )
    return render(
        request, "catalogue/product_detail.html", product_detail_context(request, product)
    )


def _save_product(request, form, cert_formset, photo_formset, upload_form):
    """Validate-then-write through the product write path (optimistic lock, readiness
    gate, status log, readiness once); a refused write comes back as a form error."""

    def save_related(product):
        form.save_m2m()
        cert_formset.instance = product
        for cert in cert_formset.save(commit=False):
            cert.stamp(request.user)
            cert.save()
        for cert in cert_formset.deleted_objects:
            cert.delete()
        return [
            *cert_formset.new_objects,
            *_save_photos(request, product, photo_formset, upload_form),
        ]

    try:
        save_product(
            form.save(commit=False),
            request.user,
            version=form.cleaned_data["version"],
            status_reason=form.cleaned_data["status_reason"],
            confirm_gaps=form.cleaned_data["confirm_gaps"],
            save_related=save_related,
        )
    except WriteRefused as refused:
        form.add_error(refused.field, refused.message)
        return None
    return form.instance


def _save_photos(request, product, photo_formset, upload_form):
    """Apply reorder/delete/primary choices and add uploads; returns the new photos."""
    photo_formset.save()  # deleted photos' files go after commit (core.file_cleanup)
    start = product.photos.count()
    created = [
        ProductPhoto.objects.create(
            product=product, image=upload, position=start + offset, uploaded_by=request.user
        )
        for offset, upload in enumerate(upload_form.cleaned_data["photos"])
    ]
    primary = request.POST.get("primary")
    photos = list(product.photos.order_by("position", "pk"))
    chosen = (
        next((p for p in photos if str(p.pk) == primary), None)
        or next((p for p in photos if p.is_primary), None)
        or (photos[0] if photos else None)
    )
    if chosen is not None and not chosen.is_primary:
        product.photos.filter(is_primary=True).update(is_primary=False)
        ProductPhoto.objects.filter(pk=chosen.pk).update(is_primary=True)
    return created


@role_required
def product_edit(request, code=None):
    if code is None:
        if not access.can_add_product(request.user):
            raise PermissionDenied
        product = Product()
    else:
        product = access.get_for_edit(
            request.user,
            Product.objects.select_related("producer__regency", "category"),
            access.can_edit_product,
            code=code,
        )
    producers = access.producers_in_scope(request.user, Producer.objects.all())
    # After saving, back to the list the user came from, filters intact.
    back = safe_next(request, remembered_list_url(request, "products", "/products/"))
    photos = product.photos.all() if product.pk else ProductPhoto.objects.none()
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    if data is None and code is None and request.GET.get("producer"):
        product.producer = producers.filter(code=request.GET["producer"]).first()
    form = ProductForm(data, instance=product, producers=producers)
    cert_formset = CertificationFormSet(data, files, instance=product, prefix="certs")
    photo_formset = PhotoFormSet(data, queryset=photos, prefix="photos")
    upload_form = PhotoUploadForm(data, files)
    if request.method == "POST":
        forms_valid = all(
            [
                form.is_valid(),
                cert_formset.is_valid(),
                photo_formset.is_valid(),
                upload_form.is_valid(),
            ]
        )
        if forms_valid:
            saved = _save_product(request, form, cert_formset, photo_formset, upload_form)
            if saved is not None:
                messages.success(request, _("Product %(code)s saved.") % {"code": saved.code})
                return redirect(back if code else saved.get_absolute_url())
        messages.error(request, _("The product was not saved. Please correct the errors below."))
    return render(
        request,
        "catalogue/product_form.html",
        {
            "product": product,
            "form": form,
            "cert_formset": cert_formset,
            "photo_formset": photo_formset,
            "upload_form": upload_form,
            "next": back,
        },
    )


@require_POST
@role_required
def product_bulk(request):
    """Apply one action to the selected rows, or to every row the filter matches."""
    if not access.can_change_products(request.user):
        raise PermissionDenied
    form = BulkActionForm(request.POST)
    all_matching = form.is_valid() and form.cleaned_data["select_all"]
    # The list's query string from its hidden field, read as the list reads it.
    listing = ListQuery.from_string(
        ProductFilterSet,
        request.POST.get("query", ""),
        Product.objects.all(),
        request=request,
        strict=all_matching,
    )
    back = listing.url_at(reverse("product_list"))
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(back)
    if all_matching and not listing.is_valid:
        # The list ignores a filter it does not understand, and search words past its
        # bounds; a change to "all matching" products must not: it would reach far more
        # products than the user meant.
        messages.error(
            request,
            _(
                "Nothing was changed: some filters of this list were not understood. "
                "Correct or remove them, then apply the action again."
            ),
        )
        for notice in listing.notices():  # the list they return to no longer shows it
            messages.warning(request, notice)
        return redirect(back)
    matching = listing.queryset
    if not all_matching:
        matching = matching.filter(code__in=form.cleaned_data["selected"])
    allowed = access.editable_products(request.user, matching)
    skipped = matching.count() - allowed.count()
    try:
        changed = _apply_bulk(request.user, form.cleaned_data, allowed)
    except NeedsConfirmation as pending:
        messages.error(request, pending.message)
        return redirect(back)
    messages.success(
        request,
        ngettext("%(n)s product changed.", "%(n)s products changed.", changed) % {"n": changed},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)s product was left alone: it is outside your regencies.",
                "%(n)s products were left alone: they are outside your regencies.",
                skipped,
            )
            % {"n": skipped},
        )
    return redirect(back)


def _apply_bulk(user, data, queryset):
    action = data["action"]
    if action == "status":
        return len(
            change_status_many(
                queryset, data["status"], user, data["reason"], confirm_gaps=data["confirm_gaps"]
            )
        )
    if action == "add_tag":
        return add_tag_many(queryset, data["tag"], user)
    return remove_tag_many(queryset, data["tag"], user)
