"""Producer pages: list, detail (products, visits, notes), create and edit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalogue import access
from catalogue.filtersets import ProducerFilterSet
from catalogue.forms import ProducerForm
from catalogue.models import Producer
from catalogue.producer_writes import save_producer
from catalogue.querysets import producer_queryset, product_queryset
from core.listing import ListQuery, paginate, remember_list_url, remembered_list_url
from core.locking import WriteRefused
from core.redirects import safe_next
from core.roles import allowed_if, role_required
from regions.models import Regency


@allowed_if(access.can_view_producers)
def producer_list(request):
    listing = ListQuery(ProducerFilterSet, request.GET, producer_queryset(), request=request)
    remember_list_url(request, "producers", listing)
    return render(
        request,
        "catalogue/producer_list.html",
        {
            "listing": listing,
            "filter": listing.filterset,
            "page": paginate(listing),
            "can_add": access.can_add_producer(request.user),
            "can_export": access.can_export(request.user),
        },
    )


@allowed_if(access.can_view_producers)
def producer_detail(request, code):
    producer = get_object_or_404(Producer.objects.select_related("regency", "district"), code=code)
    return render(
        request,
        "catalogue/producer_detail.html",
        {
            "producer": producer,
            "products": product_queryset().filter(producer=producer),
            "can_edit": access.can_edit_producer(request.user, producer),
            "can_delete": access.can_delete_producer(request.user, producer),
            "can_add_product": access.can_add_product_for(request.user, producer),
            "can_see_nib": access.can_see_nib(request.user),
        },
    )


@role_required
def producer_edit(request, code=None):
    if code is None:
        if not access.can_add_producer(request.user):
            raise PermissionDenied
        producer = Producer()
    else:
        producer = access.get_for_edit(
            request.user, Producer.objects.all(), access.can_edit_producer, code=code
        )
    regencies = access.regencies_in_scope(request.user, Regency.objects.all())
    back = safe_next(request, remembered_list_url(request, "producers", "/producers/"))
    data = request.POST if request.method == "POST" else None
    form = ProducerForm(data, instance=producer, regencies=regencies)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_producer(
                form.save(commit=False), request.user, version=form.cleaned_data["version"]
            )
        except WriteRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Producer %(code)s saved.") % {"code": saved.code})
            return redirect(back if code else saved.get_absolute_url())
    if request.method == "POST":
        messages.error(request, _("The producer was not saved. Please correct the errors below."))
    return render(
        request,
        "catalogue/producer_form.html",
        {"producer": producer, "form": form, "next": back},
    )
