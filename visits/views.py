"""Visit pages: the list of delegation visits, a visit's itinerary and notes, follow-ups."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.roles import role_required
from visits.access import filter_visible_notes
from visits.choices import FollowUpStatus
from visits.models import FollowUp, Visit, VisitNote, VisitStop


@role_required
def visit_list(request):
    visits = Visit.objects.annotate(stop_count=Count("stops", distinct=True)).order_by(
        "-start_date"
    )
    return render(request, "visits/visit_list.html", {"visits": visits})


@role_required
def visit_detail(request, pk):
    visit = get_object_or_404(Visit, pk=pk)
    notes = filter_visible_notes(
        request.user,
        VisitNote.objects.filter(visit=visit)
        .select_related("author", "producer", "product")
        .prefetch_related("photos"),
    )
    stops = (
        VisitStop.objects.filter(visit=visit)
        .select_related("producer__regency", "producer__district")
        .prefetch_related(Prefetch("notes", queryset=notes, to_attr="visible_notes"))
    )
    regencies = sorted({stop.producer.regency.short_name for stop in stops})
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "stops": stops,
            "notes": notes,
            "regencies": regencies,
            "members": visit.members.all(),
        },
    )


@role_required
def followup_list(request):
    follow_ups = FollowUp.objects.select_related("producer", "product", "owner", "note")
    mine = request.GET.get("mine") == "1"
    if mine:
        follow_ups = follow_ups.filter(owner=request.user)
    if request.GET.get("status", "open") == "open":
        follow_ups = follow_ups.filter(status__in=[FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS])
    return render(
        request,
        "visits/followup_list.html",
        {"follow_ups": follow_ups, "mine": mine, "today": timezone.localdate()},
    )
