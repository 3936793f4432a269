"""What visits do beyond saving a form: today's visit, the route, the order of stops,
storing a note exactly once, turning notes into follow-ups and closing them."""

from collections import Counter
from datetime import timedelta
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from visits import photo_jobs
from visits.choices import FollowUpKind, FollowUpStatus, StopStatus, VisitStatus
from visits.models import FollowUp, Visit, VisitNote, VisitStop

FOLLOW_UP_DUE_DAYS = 14
CLOSED_STATUSES = (FollowUpStatus.DONE, FollowUpStatus.CANCELLED)


# --- Visits and stops -------------------------------------------------------------------


def current_visit(user, today=None):
    """ "Today's visit": the one under way today, else the next one, else the latest.

    Within each group a visit the user is a member of comes first; cancelled visits never
    count.
    """
    today = today or timezone.localdate()
    visits = Visit.objects.exclude(status=VisitStatus.CANCELLED)
    groups = (
        visits.filter(start_date__lte=today, end_date__gte=today).order_by("-start_date", "-pk"),
        visits.filter(start_date__gt=today).order_by("start_date", "pk"),
        visits.filter(end_date__lt=today).order_by("-end_date", "-pk"),
    )
    for group in groups:
        visit = group.filter(members=user).first() if user.is_authenticated else None
        visit = visit or group.first()
        if visit is not None:
            return visit
    return None


def route_summary(stops):
    """Regencies in the order the itinerary first reaches them, each with its districts.

    ``stops`` come with ``producer__regency`` and ``producer__district`` loaded; skipped
    stops do not count as covered.
    """
    regencies = {}
    for stop in stops:
        if stop.status == StopStatus.SKIPPED:
            continue
        producer = stop.producer
        entry = regencies.setdefault(
            producer.regency_id, {"regency": producer.regency, "districts": [], "stops": 0}
        )
        entry["stops"] += 1
        if producer.district.name not in entry["districts"]:
            entry["districts"].append(producer.district.name)
    return list(regencies.values())


def stops_by_day(stops):
    """``[(date or None, [stops])]``: consecutive stops of the same local day together."""

    def day(stop):
        return timezone.localtime(stop.planned_at).date() if stop.planned_at else None

    return [(key, list(group)) for key, group in groupby(stops, key=day)]


def _renumber(stops):
    changed = []
    for position, stop in enumerate(stops, start=1):
        if stop.position != position:
            stop.position = position
            changed.append(stop)
    VisitStop.objects.bulk_update(changed, ["position"])


def _ordered_stops(visit_id):
    return list(
        VisitStop.objects.select_for_update()
        .filter(visit_id=visit_id)
        .order_by("position", "planned_at", "pk")
    )


def add_stop(stop):
    """Save a new stop at the end of its visit's itinerary."""
    with transaction.atomic():
        last = VisitStop.objects.filter(visit_id=stop.visit_id).aggregate(n=Max("position"))["n"]
        stop.position = (last or 0) + 1
        stop.save()
    return stop


def move_stop(stop, offset):
    """Move a stop ``offset`` places (−1 up, +1 down); positions become 1…n."""
    with transaction.atomic():
        stops = _ordered_stops(stop.visit_id)
        index = next(i for i, s in enumerate(stops) if s.pk == stop.pk)
        target = index + offset
        if 0 <= target < len(stops):
            stops.insert(target, stops.pop(index))
        _renumber(stops)


def place_stop(stop, position):
    """Save ``stop`` and put it at ``position`` (1-based, clamped) in its itinerary."""
    with transaction.atomic():
        stop.save()
        stops = [s for s in _ordered_stops(stop.visit_id) if s.pk != stop.pk]
        index = min(max(position, 1), len(stops) + 1) - 1
        stops.insert(index, stop)
        _renumber(stops)


def delete_stop(stop):
    with transaction.atomic():
        visit_id = stop.visit_id
        stop.delete()
        _renumber(_ordered_stops(visit_id))


# --- Notes ------------------------------------------------------------------------------


def note_for_token(token):
    """The note already stored under this browser-generated token, if any."""
    if not token:
        return None
    return VisitNote.objects.filter(client_token=token).first()


def store_note(note, photos=(), token=None):
    """Save a new note (and its photos) once per ``token``; returns ``(note, created)``.

    The browser sends a note again whenever it is unsure the first try arrived (lost
    connection, expired session, a second tap on "send"): the same token gives back the
    note stored the first time. A stop still planned becomes "visited": someone wrote a
    note there — once the visit has begun (a note written ahead of a visit, e.g. to
    prepare it, does not mark its stops).
    """
    note.client_token = token or None
    try:
        with transaction.atomic():
            note.save()
            stored = photo_jobs.add_photos(note, photos)
            if note.stop_id:
                VisitStop.objects.filter(
                    pk=note.stop_id,
                    status=StopStatus.PLANNED,
                    visit__start_date__lte=timezone.localdate(),
                ).update(status=StopStatus.VISITED)
    except IntegrityError:
        # Two copies of the same note raced each other; the other one won.
        existing = note_for_token(token)
        if existing is None:
            raise
        return existing, False
    photo_jobs.start(note, stored)  # once committed, so that a worker finds the photos
    return note, True


# --- Follow-ups -------------------------------------------------------------------------


def follow_ups_from_note(note, user, owner=None, due_date=None):
    """One open follow-up per requested kind of ``note``; kinds already followed up are
    left alone, so a second click creates nothing. Returns the follow-ups created."""
    due_date = due_date or timezone.localdate() + timedelta(days=FOLLOW_UP_DUE_DAYS)
    owner = owner or user
    with transaction.atomic():
        # The lock makes two simultaneous clicks wait for each other instead of both
        # finding no follow-ups and both creating them.
        note = VisitNote.objects.select_for_update().get(pk=note.pk)
        existing = set(note.follow_ups.values_list("kind", flat=True))
        created = []
        for kind in dict.fromkeys(note.requested or []):
            if kind in existing or kind not in FollowUpKind.values:
                continue
            follow_up = FollowUp(
                note=note,
                producer_id=note.producer_id,
                product_id=note.product_id,
                kind=kind,
                # The note's words stay with the note: pages quote them through
                # access.note_quote, to those who may read the note only. ``description``
                # is for what staff type themselves.
                owner=owner,
                due_date=due_date,
                status=FollowUpStatus.OPEN,
            )
            follow_up.stamp(user)
            follow_up.save()
            created.append(follow_up)
    return created


def follow_ups_from_source(source, items, user, owner=None, due_date=None):
    """One open follow-up per ``(producer, product, kind)`` of ``items`` for ``source`` (a
    record of any app, e.g. a buyer's inquiry: ``FollowUp.source``). ``items`` are dicts
    with ``producer``, ``product``, ``kind`` and ``description``; those already followed
    up for this source are left alone, so a second click creates nothing. Returns the
    follow-ups created."""
    due_date = due_date or timezone.localdate() + timedelta(days=FOLLOW_UP_DUE_DAYS)
    owner = owner or user
    source_type = ContentType.objects.get_for_model(source)
    with transaction.atomic():
        # Lock the source's row: two clicks at once wait for each other rather than both
        # finding nothing and both creating.
        type(source)._default_manager.select_for_update().filter(pk=source.pk).first()
        existing = set(
            FollowUp.objects.filter(source_type=source_type, source_id=source.pk).values_list(
                "product_id", "kind"
            )
        )
        created = []
        for item in items:
            product = item.get("product")
            key = (product.pk if product else None, item["kind"])
            if key in existing or item["kind"] not in FollowUpKind.values:
                continue
            existing.add(key)
            follow_up = FollowUp(
                source_type=source_type,
                source_id=source.pk,
                producer=item["producer"],
                product=product,
                kind=item["kind"],
                description=item.get("description", ""),
                owner=owner,
                due_date=due_date,
                status=FollowUpStatus.OPEN,
            )
            follow_up.stamp(user)
            follow_up.save()
            created.append(follow_up)
    return created


def follow_ups_of_source(source):
    """The follow-ups that came out of ``source`` (any record), open ones first."""
    return (
        FollowUp.objects.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )
        .select_related("owner", "producer", "product", "note")
        .prefetch_related("source")
    )


def track_closing(follow_up, user):
    """Record who closed a follow-up and when; reopening clears both."""
    if follow_up.status in CLOSED_STATUSES:
        if follow_up.closed_at is None:
            follow_up.closed_at = timezone.now()
            follow_up.closed_by = user
    else:
        follow_up.closed_at = None
        follow_up.closed_by = None


def close_follow_up(follow_up, user, status=FollowUpStatus.DONE):
    if status not in CLOSED_STATUSES:
        raise ValueError(status)
    if follow_up.status == status and follow_up.closed_at:
        return follow_up
    follow_up.status = status
    track_closing(follow_up, user)
    follow_up.stamp(user)
    follow_up.save()
    return follow_up


# --- Report -----------------------------------------------------------------------------


def interest_summary(notes):
    """Per product (or per producer, for notes about no product): how many notes, the
    average and highest interest, and which follow-ups were asked for; most wanted first."""
    rows = {}
    for note in notes:
        key = (note.producer_id, note.product_id)
        row = rows.setdefault(
            key,
            {
                "producer": note.producer,
                "product": note.product,
                "notes": 0,
                "ratings": [],
                "requested": Counter(),
            },
        )
        row["notes"] += 1
        if note.interest:
            row["ratings"].append(note.interest)
        row["requested"].update(note.requested or [])
    labels = dict(FollowUpKind.choices)
    result = []
    for row in rows.values():
        ratings = row.pop("ratings")
        row["rated"] = len(ratings)
        row["average"] = round(sum(ratings) / len(ratings), 1) if ratings else None
        row["highest"] = max(ratings) if ratings else None
        row["requested"] = [(labels.get(k, k), n) for k, n in row["requested"].most_common()]
        result.append(row)
    result.sort(key=lambda r: (-(r["average"] or 0), -r["notes"], r["producer"].name))
    return result
