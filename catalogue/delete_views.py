"""Deleting a product or a producer: a confirmation page that says what goes with it, then
one transaction.

The change history keeps the deleted record: django-simple-history writes a "-" row with
its last state, the user (HistoryRequestMiddleware) and the reason given on the page.
Photo and document files leave the storage only once the deletion is committed, so a
rolled-back deletion never loses a file.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from catalogue import access
from catalogue.models import Producer, Product
from core.listing import remembered_list_url
from core.roles import role_required


def _delete(request, obj):
    """Delete ``obj`` in one transaction, recording the reason in its history row.

    The files of the rows deleted with it (photos, certificate documents, note photos)
    leave the storage once the transaction commits (``core.file_cleanup``).
    """
    obj._change_reason = request.POST.get("reason", "").strip()[:100] or None
    with transaction.atomic():
        obj.delete()


def _product_consequences(product):
    photos = product.photos.count()
    certifications = product.certifications.count()
    steps = product.status_changes.count()
    notes = product.notes.count()
    follow_ups = product.follow_ups.count()
    items = [
        ngettext(
            "%(n)s photo is deleted, with its file.",
            "%(n)s photos are deleted, with their files.",
            photos,
        )
        % {"n": photos},
        ngettext(
            "%(n)s certification is deleted, with its document.",
            "%(n)s certifications are deleted, with their documents.",
            certifications,
        )
        % {"n": certifications},
        ngettext(
            "%(n)s promotion status change is deleted.",
            "%(n)s promotion status changes are deleted.",
            steps,
        )
        % {"n": steps},
    ]
    if notes:
        items.append(
            ngettext(
                "%(n)s visit note stays with the producer; it no longer names this product.",
                "%(n)s visit notes stay with the producer; they no longer name this product.",
                notes,
            )
            % {"n": notes}
        )
    if follow_ups:
        items.append(
            ngettext(
                "%(n)s follow-up stays with the producer; it no longer names this product.",
                "%(n)s follow-ups stay with the producer; they no longer name this product.",
                follow_ups,
            )
            % {"n": follow_ups}
        )
    return items


@require_http_methods(["GET", "POST"])
@role_required
def product_delete(request, code):
    product = access.get_for_edit(
        request.user,
        Product.objects.select_related("producer"),
        access.can_delete_product,
        code=code,
    )
    if request.method == "POST":
        _delete(request, product)
        messages.success(request, _("Product %(code)s deleted.") % {"code": code})
        return redirect(remembered_list_url(request, "products", "/products/"))
    return render(
        request,
        "catalogue/confirm_delete.html",
        {
            "object": product,
            "name": product.localized_name(),
            "list_url": remembered_list_url(request, "products", "/products/"),
            "list_label": _("Products"),
            "title": _("Delete product %(code)s?") % {"code": product.code},
            "consequences": _product_consequences(product),
            "blockers": [],
        },
    )


def _producer_blockers(producer):
    """What keeps a producer from being deleted (the foreign keys that PROTECT it)."""
    products = producer.products.count()
    stops = producer.visit_stops.count()
    notes = producer.notes.count()
    follow_ups = producer.follow_ups.count()
    items = [
        (
            products,
            ngettext(
                "It has %(n)s product: delete it or move it to another producer first.",
                "It has %(n)s products: delete them or move them to another producer first.",
                products,
            ),
        ),
        (
            stops,
            ngettext(
                "It is a stop on %(n)s visit itinerary.",
                "It is a stop on %(n)s visit itineraries.",
                stops,
            ),
        ),
        (
            notes,
            ngettext("%(n)s visit note is about it.", "%(n)s visit notes are about it.", notes),
        ),
        (
            follow_ups,
            ngettext("%(n)s follow-up concerns it.", "%(n)s follow-ups concern it.", follow_ups),
        ),
    ]
    return [text % {"n": n} for n, text in items if n]


@require_http_methods(["GET", "POST"])
@role_required
def producer_delete(request, code):
    producer = access.get_for_edit(
        request.user, Producer.objects.all(), access.can_delete_producer, code=code
    )
    blockers = _producer_blockers(producer)
    if request.method == "POST" and not blockers:
        try:
            _delete(request, producer)
        except ProtectedError:  # something came to depend on it since the check
            blockers = _producer_blockers(producer)
        else:
            messages.success(request, _("Producer %(code)s deleted.") % {"code": code})
            return redirect(remembered_list_url(request, "producers", "/producers/"))
    context = {
        "object": producer,
        "name": producer.name,
        "list_url": remembered_list_url(request, "producers", "/producers/"),
        "list_label": _("Producers"),
        "title": _("Delete producer %(name)s?") % {"name": producer.name},
        "consequences": [],
        "blockers": blockers,
    }
    status = 409 if request.method == "POST" else 200
    return render(request, "catalogue/confirm_delete.html", context, status=status)
