"""Staff inbox of buyers' inquiries: the list (filters, export) and one inquiry's page,
where staff change its status, owner and notes. Regency staff see the inquiries about
their regencies' products (``access.visible_inquiries``); visitors none (403)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalogue.models import Product
from core.listing import ListQuery, paginate, remember_list_url, remembered_list_url
from core.locking import WriteRefused
from core.roles import allowed_if
from showroom import access
from showroom.choices import InquiryStatus
from showroom.exports import INQUIRY_COLUMNS, export_response, inquiry_rows
from showroom.filtersets import InquiryFilterSet
from showroom.inquiries import save_inquiry
from showroom.inquiry_forms import InquiryForm
from showroom.models import Inquiry


def _products():
    return Prefetch(
        "products",
        queryset=Product.objects.select_related("producer__regency").order_by("code"),
    )


def inquiry_queryset(user):
    rows = Inquiry.objects.select_related("owner", "collection", "share_link")
    return access.visible_inquiries(user, rows)


def _listing(request):
    return ListQuery(InquiryFilterSet, request.GET, inquiry_queryset(request.user), request=request)


@allowed_if(access.can_view_inquiries)
def inquiry_list(request):
    listing = _listing(request)
    remember_list_url(request, "inquiries", listing)
    rows = inquiry_queryset(request.user).prefetch_related(_products())
    return render(
        request,
        "showroom/inquiry_list.html",
        {
            "listing": listing,
            "filter": listing.filterset,
            "page": paginate(listing, rows=rows),
            "can_export": access.can_export_inquiries(request.user),
        },
    )


@allowed_if(access.can_export_inquiries)
def inquiry_export(request):
    return export_response(request, "inquiries", _listing(request), INQUIRY_COLUMNS, inquiry_rows)


TRACKED = ("status", "owner", "notes")


def history_of(inquiry, limit=20):
    """[(record, [(field label, old, new)])], newest first: who changed status, owner and
    notes when (from simple_history's records, compared in memory)."""
    records = list(
        inquiry.history.select_related("history_user").order_by("-history_date", "-pk")[: limit + 1]
    )
    entries = []
    for record, older in zip(records, [*records[1:], None], strict=True):
        if older is None:
            if len(records) <= limit:
                entries.append((record, []))
            break
        changes = record.diff_against(older, included_fields=TRACKED).changes
        if changes:
            entries.append((record, changes))
    owner_ids = {v for _r, cs in entries for c in cs if c.field == "owner" for v in (c.old, c.new)}
    users = get_user_model().objects.in_bulk(owner_ids - {None})
    statuses = dict(InquiryStatus.choices)

    def shown(field, value):
        if field == "owner":
            user = users.get(value)
            return (user.get_full_name() or user.get_username()) if user else ""
        return statuses.get(value, value) if field == "status" else value

    return [
        (
            record,
            [
                (
                    Inquiry._meta.get_field(c.field).verbose_name,
                    shown(c.field, c.old),
                    shown(c.field, c.new),
                )
                for c in changes
            ],
        )
        for record, changes in entries
    ]


@allowed_if(access.can_view_inquiries)
def inquiry_detail(request, pk):
    inquiry = get_object_or_404(inquiry_queryset(request.user).prefetch_related(_products()), pk=pk)
    can_edit = access.can_edit_inquiry(request.user, inquiry)
    form = (
        InquiryForm(request.POST if request.method == "POST" else None, instance=inquiry)
        if can_edit
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                save_inquiry(form.save(commit=False), request.user, form.cleaned_data["version"])
            except WriteRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(request, _("Inquiry %(ref)s saved.") % {"ref": inquiry.reference})
                return redirect(inquiry)
        messages.error(request, _("The inquiry was not saved. Please correct the errors below."))
    return render(
        request,
        "showroom/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "form": form,
            "back": remembered_list_url(request, "inquiries", "/inquiries/"),
            "history": history_of(inquiry),
            "samples": access.visible_samples(request.user, inquiry.samples.all()).select_related(
                "product"
            ),
            "can_add_sample": access.can_add_sample(request.user),
        },
    )
