"""Staff pages of samples: the list (filters, export), one sample, and its form (new from
a product or an inquiry with ``?product=CODE`` / ``?inquiry=PK``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalogue.models import Product
from core.listing import ListQuery, paginate, remember_list_url, remembered_list_url
from core.locking import WriteRefused
from core.roles import allowed_if
from showroom import access
from showroom.exports import SAMPLE_COLUMNS, export_response, sample_rows
from showroom.filtersets import SampleFilterSet
from showroom.inquiries import save_sample
from showroom.models import Inquiry, Sample
from showroom.sample_forms import SampleForm


def sample_queryset(user):
    rows = Sample.objects.select_related("product__producer__regency", "inquiry")
    return access.visible_samples(user, rows)


def _listing(request):
    return ListQuery(SampleFilterSet, request.GET, sample_queryset(request.user), request=request)


@allowed_if(access.can_view_samples)
def sample_list(request):
    listing = _listing(request)
    remember_list_url(request, "samples", listing)
    return render(
        request,
        "showroom/sample_list.html",
        {
            "listing": listing,
            "filter": listing.filterset,
            "page": paginate(listing),
            "can_add": access.can_add_sample(request.user),
            "can_export": access.can_export_samples(request.user),
        },
    )


@allowed_if(access.can_export_samples)
def sample_export(request):
    return export_response(request, "samples", _listing(request), SAMPLE_COLUMNS, sample_rows)


@allowed_if(access.can_view_samples)
def sample_detail(request, pk):
    sample = get_object_or_404(sample_queryset(request.user), pk=pk)
    return render(
        request,
        "showroom/sample_detail.html",
        {
            "sample": sample,
            "inquiry_visible": sample.inquiry_id
            and access.visible_inquiries(
                request.user, Inquiry.objects.filter(pk=sample.inquiry_id)
            ).exists(),
            "can_edit": access.can_edit_sample(request.user, sample),
        },
    )


def _new_sample(request):
    """A new sample, prefilled from ``?product=CODE`` or ``?inquiry=PK`` when they are
    ones the user may see (anything else is ignored, not an error)."""
    sample = Sample()
    if request.method == "POST":
        return sample
    inquiry_pk = request.GET.get("inquiry", "")
    if inquiry_pk.isdigit() and len(inquiry_pk) < 10:
        inquiry = access.visible_inquiries(request.user, Inquiry.objects.all()).filter(
            pk=inquiry_pk
        )
        sample.inquiry = inquiry.prefetch_related("products__producer").first()
        if sample.inquiry:
            sample.recipient = sample.inquiry.company or sample.inquiry.name
            products = list(sample.inquiry.products.all())
            if len(products) == 1:
                sample.product = products[0]
    code = request.GET.get("product", "")[:30]
    product = Product.objects.select_related("producer").filter(code=code).first() if code else None
    if product is not None:
        sample.product = product
    return sample


@allowed_if(access.can_view_samples)
def sample_edit(request, pk=None):
    if pk is None:
        if not access.can_add_sample(request.user):
            raise PermissionDenied
        sample = _new_sample(request)
    else:
        sample = get_object_or_404(sample_queryset(request.user), pk=pk)
        if not access.can_edit_sample(request.user, sample):
            raise PermissionDenied
    back = remembered_list_url(request, "samples", "/samples/")
    form = SampleForm(
        request.POST if request.method == "POST" else None, instance=sample, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = save_sample(form.save(commit=False), request.user, form.cleaned_data["version"])
        except WriteRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Sample saved."))
            if moved is not None:
                messages.info(
                    request,
                    _("Inquiry %(ref)s is now “%(status)s”.")
                    % {"ref": moved.reference, "status": moved.get_status_display()},
                )
            return redirect(form.instance)
    if request.method == "POST":
        messages.error(request, _("The sample was not saved. Please correct the errors below."))
    return render(
        request, "showroom/sample_form.html", {"sample": sample, "form": form, "back": back}
    )
