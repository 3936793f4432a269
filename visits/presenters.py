"""What the visit page and the visit report show, gathered in a fixed number of queries."""

from django.db.models import Prefetch

from visits.access import filter_visible_notes, note_quote
from visits.choices import FollowUpStatus, StopStatus
from visits.models import FollowUp, VisitNote, VisitNotePhoto
from visits.services import interest_summary, route_summary, stops_by_day

OPEN_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


def visible_visit_notes(user, visit):
    """The visit's notes this user may read, newest first, with what their cards show."""
    notes = (
        VisitNote.objects.filter(visit=visit)
        .select_related(
            "author", "visit", "producer__regency", "producer__district", "product", "stop"
        )
        .prefetch_related(
            Prefetch("photos", queryset=VisitNotePhoto.objects.order_by("pk")),
            Prefetch("follow_ups", queryset=FollowUp.objects.only("pk", "kind", "note_id")),
        )
    )
    return list(filter_visible_notes(user, notes))


def visit_follow_ups(user, visit):
    """The visit's follow-ups, each with ``quote``: its note as this user may quote it."""
    follow_ups = list(
        FollowUp.objects.filter(note__visit=visit).select_related(
            "producer", "product", "owner", "closed_by", "note"
        )
    )
    for item in follow_ups:
        item.quote = note_quote(user, item.note)
    return follow_ups


def visit_page(user, visit):
    """Itinerary (by day, with each stop's notes), route, all notes and follow-ups."""
    stops = list(visit.stops.select_related("producer__regency", "producer__district"))
    notes = visible_visit_notes(user, visit)
    by_stop = {}
    other_notes = []
    stop_ids = {stop.pk for stop in stops}
    for note in notes:
        if note.stop_id in stop_ids:
            by_stop.setdefault(note.stop_id, []).append(note)
        else:
            other_notes.append(note)
    for stop in stops:
        stop.visible_notes = by_stop.get(stop.pk, [])
    route = route_summary(stops)
    members = list(visit.members.all())
    others = [line.strip() for line in visit.member_names.splitlines() if line.strip()]
    return {
        "visit": visit,
        "stops": stops,
        "days": stops_by_day(stops),
        "route": route,
        "route_districts": sum(len(leg["districts"]) for leg in route),
        "skipped_stops": sum(stop.status == StopStatus.SKIPPED for stop in stops),
        "notes": notes,
        "other_notes": other_notes,
        "members": members,
        "delegation": [m.get_full_name() or m.username for m in members] + others,
        "follow_ups": visit_follow_ups(user, visit),
    }


def visit_report(user, visit):
    context = visit_page(user, visit)
    context["interest"] = interest_summary(context["notes"])
    context["open_follow_ups"] = [f for f in context["follow_ups"] if f.status in OPEN_STATUSES]
    return context


def notes_about_product(user, product):
    """The product's notes this user may read, with what their cards on its page show."""
    notes = product.notes.select_related("author", "visit", "producer").prefetch_related("photos")
    return filter_visible_notes(user, notes)


def notes_about_producer(user, producer):
    """The producer's notes this user may read, with what their cards on its page show."""
    notes = producer.notes.select_related("author", "visit", "product").prefetch_related("photos")
    return filter_visible_notes(user, notes)


def follow_ups_of_product(product):
    return product.follow_ups.select_related("owner", "producer", "note").prefetch_related("source")


def follow_ups_of_producer(producer):
    return producer.follow_ups.select_related("owner", "product", "note").prefetch_related("source")


def stops_at_producer(producer):
    """The visits that stopped (or will stop) at the producer, latest first."""
    return producer.visit_stops.select_related("visit").order_by("-visit__start_date")
