"""Share links of a collection (create, revoke) and the exchange rate the public pages
convert prices with. Writes: ``showroom.collection_writes``; rights: ``showroom.access``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.listing import remembered_list_url
from core.locking import WriteRefused
from core.roles import role_required
from showroom import access, collection_writes
from showroom.collection_forms import ExchangeRateForm, ShareLinkForm
from showroom.collection_pages import detail_page
from showroom.models import Collection, ShareLink


def _links_of(collection):
    return redirect(reverse("collection_detail", args=[collection.pk]) + "#links")


@require_POST
@role_required
def link_create(request, pk):
    collection = get_object_or_404(Collection.objects.select_related("regency"), pk=pk)
    if not access.can_share(request.user, collection):
        raise PermissionDenied
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        try:
            link = collection_writes.create_link(
                collection,
                request.user,
                label=form.cleaned_data["label"],
                expires_at=form.expires_at(),
                show_prices=form.cleaned_data["show_prices"],
            )
        except WriteRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request, _("Share link for “%(label)s” created.") % {"label": link.label}
            )
            return _links_of(collection)
    messages.error(request, _("The link was not created. Please correct the errors below."))
    return detail_page(request, collection, link_form=form)


@require_POST
@role_required
def link_revoke(request, pk):
    link = get_object_or_404(ShareLink.objects.select_related("collection__regency"), pk=pk)
    if not access.can_revoke(request.user, link):
        raise PermissionDenied
    if collection_writes.revoke_link(link, request.user):
        messages.success(
            request, _("The link for “%(label)s” is revoked: it no longer opens.") % {"label": link}
        )
    return _links_of(link.collection)


@require_POST
@role_required
def exchange_rate_create(request):
    if not access.can_set_rate(request.user):
        raise PermissionDenied
    form = ExchangeRateForm(request.POST)
    if form.is_valid():
        rate = collection_writes.set_exchange_rate(
            form.cleaned_data["idr_per_cny"], form.cleaned_data["valid_on"], request.user
        )
        messages.success(request, _("Exchange rate saved: %(rate)s.") % {"rate": rate})
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect(remembered_list_url(request, "collections", reverse("collection_list")))
