"""Product pages: list (filters, table or grid, bulk actions), detail, create and edit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from catalogue import access
from catalogue.bulk import change_status_many
from catalogue.filtersets import ProductFilterSet
from catalogue.forms import (
    BulkActionForm,
    CertificationFormSet,
    PhotoFormSet,
    PhotoUploadForm,
    ProductForm,
)
from catalogue.models import Producer, Product, ProductPhoto, Tag
from catalogue.presenters import product_detail_context
from catalogue.readiness import RULES_BY_KEY
from catalogue.services import (
    GATED_STATUSES,
    gaps_to_confirm,
    log_status_change,
    readiness_once,
    tag_named,
)
from core.listing import ListQuery, paginate, remember_list_url, remembered_list_url
from core.roles import role_required


def product_queryset():
    """Products with what a list row shows, in a constant number of queries."""
    return Product.objects.select_related("producer__regency", "category").prefetch_related(
        Prefetch(
            "photos",
            queryset=ProductPhoto.objects.filter(is_primary=True).only(
                "pk", "product_id", "thumbnail", "is_primary"
            ),
            to_attr="primary_photos",
        )
    )


def safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


@role_required
def product_list(request):
    listing = ListQuery(ProductFilterSet, request.GET, product_queryset(), request=request)
    remember_list_url(request, "products", listing)
    view = "grid" if listing.params.get("view") == "grid" else "table"
    # Regency staff get a checkbox only on the rows they may change (None: every row).
    editable_ids = access.editable_regency_ids(request.user)
    return render(
        request,
        "catalogue/product_list.html",
        {
            "listing": listing,
            "filter": listing.filterset,
            "page": paginate(listing),
            "view": view,
            "can_edit": access.can_edit_catalogue(request.user),
            "edits_all_regencies": editable_ids is None,
            "editable_regency_ids": editable_ids or set(),
            "can_import": access.can_import(request.user),
            "bulk_form": BulkActionForm(),
            "tags": Tag.objects.all(),
        },
    )


@role_required
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


class _NeedsConfirmation(Exception):
    """Raised inside the save transaction to roll it back until the user confirms."""

    def __init__(self, gaps):
        super().__init__(gaps)
        self.gaps = gaps


def _save_product(request, form, cert_formset, photo_formset, upload_form, product):
    """Validate-then-write: everything in one transaction, with an optimistic lock.

    A move to shortlisted/promoted while readiness gaps remain open is rolled back and
    the form asks for confirmation; once confirmed, the overridden gaps are recorded.
    """
    created_photos = []
    before = (product.pk, product.code, product.version, product._state.adding)
    try:
        with transaction.atomic():
            return _write_product(
                request, form, cert_formset, photo_formset, upload_form, product, created_photos
            )
    except _NeedsConfirmation as pending:
        instance = form.instance
        instance.pk, instance.code, instance.version, instance._state.adding = before
        for photo in created_photos:  # the rolled-back rows' files
            photo.image.delete(save=False)
            photo.thumbnail.delete(save=False)
        labels = ", ".join(str(RULES_BY_KEY[key].label) for key in pending.gaps)
        form.add_error(
            "confirm_gaps",
            _("This product still lacks: %(gaps)s. Tick the box to move it on anyway.")
            % {"gaps": labels},
        )
        return None


def _write_product(request, form, cert_formset, photo_formset, upload_form, product, created):
    if product.pk is not None:
        current = Product.objects.select_for_update().get(pk=product.pk)
        if form.cleaned_data.get("version") != current.version:
            form.add_error(
                None,
                _(
                    "Someone else saved this product (version %(theirs)s) after you opened "
                    "it. Your changes were not saved: open the product again to see theirs."
                )
                % {"theirs": current.version},
            )
            return None
        from_status = current.status
        form.instance.version = current.version + 1
    else:
        from_status = ""
    with readiness_once():  # not once per photo and certification saved
        product = form.save(commit=False)
        product.stamp(request.user)
        product.save()
        form.save_m2m()
        cert_formset.instance = product
        for cert in cert_formset.save(commit=False):
            cert.stamp(request.user)
            cert.save()
        for cert in cert_formset.deleted_objects:
            cert.delete()
        created.extend(_save_photos(request, product, photo_formset, upload_form))
    overridden = gaps_to_confirm(from_status, product.status, product.readiness_gaps)
    if overridden and not form.cleaned_data.get("confirm_gaps"):
        raise _NeedsConfirmation(overridden)
    if from_status != product.status:
        log_status_change(
            product, from_status, request.user, form.cleaned_data["status_reason"], overridden
        )
    return product


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
        if not access.can_edit_catalogue(request.user):
            raise PermissionDenied
        product = Product()
    else:
        product = access.get_for_edit(
            request.user,
            Product.objects.select_related("producer__regency", "category"),
            access.can_edit_product,
            code=code,
        )
    producers = access.editable_producers(request.user, Producer.objects.all())
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
            saved = _save_product(request, form, cert_formset, photo_formset, upload_form, product)
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
    if not access.can_edit_catalogue(request.user):
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
    if form.cleaned_data["action"] == "status" and not form.cleaned_data["confirm_gaps"]:
        target = form.cleaned_data["status"]
        gapped = (
            allowed.exclude(status=target).filter(readiness_score__lt=100).count()
            if target in GATED_STATUSES
            else 0
        )
        if gapped:
            messages.error(
                request,
                ngettext(
                    "%(n)s of these products still has open readiness gaps. Tick "
                    "“move on despite open gaps” to shortlist or promote it anyway.",
                    "%(n)s of these products still have open readiness gaps. Tick "
                    "“move on despite open gaps” to shortlist or promote them anyway.",
                    gapped,
                )
                % {"n": gapped},
            )
            return redirect(back)
    skipped = matching.count() - allowed.count()
    changed = _apply_bulk(request.user, form.cleaned_data, allowed)
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
    changed = 0
    with transaction.atomic():
        if action == "status":
            changed = len(change_status_many(queryset, data["status"], user, data["reason"]))
        else:
            name = data["tag"].strip()
            if action == "add_tag":
                tag = tag_named(name)
            else:
                tag = Tag.objects.filter(name__iexact=name).first()
            if tag is not None:
                Through = Product.tags.through
                ids = list(queryset.values_list("pk", flat=True))
                if action == "add_tag":
                    have = set(
                        Through.objects.filter(tag=tag, product_id__in=ids).values_list(
                            "product_id", flat=True
                        )
                    )
                    new = [Through(product_id=i, tag=tag) for i in ids if i not in have]
                    Through.objects.bulk_create(new)
                    changed = len(new)
                else:
                    changed, _counts = Through.objects.filter(tag=tag, product_id__in=ids).delete()
    return changed
