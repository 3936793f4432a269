"""Note entry (phone first) and note editing.

``static/js/note_entry.js`` posts the form with ``fetch()`` and ``Accept: application/json``
and a ``client_token`` generated once per draft; it resends until it gets an answer, so
the same token must always give back the same note (see ``services.store_note``). Without
JavaScript the form posts normally and the page comes back ready for the next note.
"""

import uuid

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from catalogue.models import Product
from core.redirects import safe_next
from core.roles import allowed_if, role_required
from visits import access, photo_jobs, services
from visits.forms import NoteEditForm, NoteForm
from visits.models import Visit, VisitNote

MY_RECENT_NOTES = 10


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _token(request):
    try:
        return uuid.UUID(request.POST.get("client_token", ""))
    except ValueError:
        return None


def _stored(request, note, created):
    """The answer to a stored note, first time or again (200 with the same note)."""
    if note.author_id != request.user.pk:
        # Another user's token: never hand out their note.
        message = _("This note was already sent from another account.")
        if _wants_json(request):
            return JsonResponse({"error": message}, status=409)
        messages.error(request, message)
        return redirect(request.path)
    if _wants_json(request):
        data = {
            "id": note.pk,
            "url": note.get_absolute_url(),
            "created": created,
            "label": f"{note.producer.name}: {Truncator(note.text).chars(60)}",
        }
        return JsonResponse(data, status=201 if created else 200)
    messages.success(request, _("Note saved."))
    return redirect(request.path)


def _products_by_producer(stops):
    """``{producer code: [[product code, label], …]}`` for the stops' producers, so that the
    product list follows the chosen stop even without a connection."""
    products = Product.objects.filter(producer__in=[s.producer_id for s in stops]).select_related(
        "producer"
    )
    result = {stop.producer.code: [] for stop in stops}
    for product in products.order_by("code"):
        result[product.producer.code].append([product.code, product.localized_name()])
    return result


def _initial(request, visit):
    # A fresh token even without JavaScript: a double tap on "send" stores one note.
    initial = {"client_token": uuid.uuid4()}
    stop = request.GET.get("stop", "")
    if visit is not None and stop.isdigit() and visit.stops.filter(pk=stop).exists():
        initial["stop"] = int(stop)
    for key in ("producer", "product"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    return initial


def _entry_context(request, visit, form):
    stops = list(visit.stops.select_related("producer__district")) if visit else []
    today = timezone.localdate()
    for stop in stops:
        stop.is_today = stop.planned_at and timezone.localtime(stop.planned_at).date() == today
    mine = VisitNote.objects.filter(author=request.user, visit=visit).select_related(
        "producer", "product", "visit"
    )
    return {
        "visit": visit,
        "upcoming": visit is not None and visit.start_date > today,
        "form": form,
        "stops": stops,
        "products_by_producer": _products_by_producer(stops),
        "my_notes": mine.prefetch_related("photos")[:MY_RECENT_NOTES],
    }


@allowed_if(access.can_write_notes)
def note_create(request, pk=None):
    visit = get_object_or_404(Visit, pk=pk) if pk else None
    if request.method == "POST":
        existing = services.note_for_token(_token(request))
        if existing is not None:
            return _stored(request, existing, created=False)
        form = NoteForm(request.POST, request.FILES, visit=visit)
        if form.is_valid():
            note = form.save(commit=False)
            note.visit = visit
            note.author = request.user
            note, created = services.store_note(
                note, form.cleaned_data["photos"], form.cleaned_data["client_token"]
            )
            return _stored(request, note, created)
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    else:
        form = NoteForm(visit=visit, initial=_initial(request, visit))
    return render(request, "visits/note_form.html", _entry_context(request, visit, form))


@role_required
def note_edit(request, pk):
    queryset = VisitNote.objects.select_related("visit", "producer", "product", "author")
    note = access.get_note_for_edit(request.user, queryset, pk)
    back = safe_next(request, note.get_absolute_url())
    data = request.POST if request.method == "POST" else None
    form = NoteEditForm(data, request.FILES or None, instance=note)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            note = form.save()
            for photo in form.cleaned_data["delete_photos"]:
                photo.delete()
            added = photo_jobs.add_photos(note, form.cleaned_data["photos"])
        photo_jobs.start(note, added)
        messages.success(request, _("Note saved."))
        return redirect(back)
    return render(request, "visits/note_edit.html", {"note": note, "form": form, "next": back})


@role_required
def note_products(request):
    """The products of one producer (by code), for the note form's product list."""
    products = Product.objects.filter(producer__code=request.GET.get("producer", "")).order_by(
        "code"
    )
    return JsonResponse(
        {"products": [[product.code, product.localized_name()] for product in products]}
    )
