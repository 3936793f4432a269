"""Visit pages: list, detail, create/edit, the itinerary's stops, today's visit, the
printable report and the XLSX export. Notes and follow-ups have their own modules."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.roles import allowed_if, role_required
from visits import access, services
from visits.forms import MoveForm, StopForm, StopStatusForm, VisitForm
from visits.models import Visit, VisitStop
from visits.presenters import visit_page, visit_report
from visits.reports import visit_workbook


@allowed_if(access.can_view_visits)
def visit_list(request):
    visits = Visit.objects.annotate(
        stop_count=Count("stops", distinct=True), note_count=Count("notes", distinct=True)
    ).order_by("-start_date", "-pk")
    return render(
        request,
        "visits/visit_list.html",
        {
            "visits": visits,
            "today": timezone.localdate(),
            "can_add_visit": access.can_add_visit(request.user),
        },
    )


@allowed_if(access.can_view_visits)
def visit_detail(request, pk):
    visit = get_object_or_404(Visit, pk=pk)
    context = visit_page(request.user, visit)
    can_add_stop = access.can_add_stop(request.user)
    context.update(
        can_change_visit=access.can_change_visit(request.user),
        can_change_stops=access.can_change_stop(request.user),
        can_add_stop=can_add_stop,
        stop_form=StopForm(visit=visit) if can_add_stop else None,
        can_write_notes=access.can_write_notes(request.user),
    )
    return render(request, "visits/visit_detail.html", context)


@role_required
def visit_edit(request, pk=None):
    access.require(
        access.can_change_visit(request.user) if pk else access.can_add_visit(request.user)
    )
    visit = get_object_or_404(Visit, pk=pk) if pk else Visit()
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data, instance=visit)
    if request.method == "POST" and form.is_valid():
        visit = form.save(commit=False)
        visit.stamp(request.user)
        visit.save()
        form.save_m2m()
        messages.success(request, _("Visit saved."))
        return redirect(visit)
    return render(request, "visits/visit_form.html", {"visit": visit, "form": form})


@role_required
def visit_today(request):
    """The visit to write notes for today (see ``services.current_visit``)."""
    visit = services.current_visit(request.user)
    if visit is None:
        return redirect("note_create")
    return redirect("visit_note_create", pk=visit.pk)


@allowed_if(access.can_view_visits)
def visit_report_page(request, pk):
    visit = get_object_or_404(Visit, pk=pk)
    context = visit_report(request.user, visit)
    context["printed_at"] = timezone.now()
    return render(request, "visits/visit_report.html", context)


@allowed_if(access.can_view_visits)
def visit_export(request, pk):
    visit = get_object_or_404(Visit, pk=pk)
    context = visit_report(request.user, visit)
    content = visit_workbook(visit, context["notes"], context["follow_ups"])
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"visit-{visit.pk}-{visit.start_date:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Stops (staff plan the itinerary) -----------------------------------------------------


def _planned_stop(request, pk, stop_pk, allowed=access.can_change_stop):
    access.require(allowed(request.user))
    return get_object_or_404(VisitStop.objects.select_related("visit"), pk=stop_pk, visit_id=pk)


def _itinerary(visit, stop=None):
    anchor = f"#stop-{stop.pk}" if stop else "#itinerary"
    return redirect(reverse("visit_detail", args=[visit.pk]) + anchor)


@require_POST
@role_required
def stop_add(request, pk):
    access.require(access.can_add_stop(request.user))
    visit = get_object_or_404(Visit, pk=pk)
    form = StopForm(request.POST, visit=visit)
    if form.is_valid():
        stop = services.add_stop(form.save(commit=False))
        messages.success(request, _("Stop added: %(name)s.") % {"name": stop.producer.name})
        return _itinerary(visit, stop)
    return render(request, "visits/stop_form.html", {"visit": visit, "form": form})


@role_required
def stop_edit(request, pk, stop_pk):
    stop = _planned_stop(request, pk, stop_pk)
    data = request.POST if request.method == "POST" else None
    form = StopForm(data, instance=stop, visit=stop.visit)
    if request.method == "POST" and form.is_valid():
        position = form.cleaned_data["position"] or stop.position
        services.place_stop(form.save(commit=False), position)
        messages.success(request, _("Stop saved."))
        return _itinerary(stop.visit, stop)
    can_delete = access.can_delete_stop(request.user)
    context = {"visit": stop.visit, "form": form, "can_delete": can_delete}
    return render(request, "visits/stop_form.html", context)


@require_POST
@role_required
def stop_move(request, pk, stop_pk):
    stop = _planned_stop(request, pk, stop_pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.move_stop(stop, form.offset)
    return _itinerary(stop.visit, stop)


@require_POST
@role_required
def stop_status(request, pk, stop_pk):
    stop = _planned_stop(request, pk, stop_pk)
    form = StopStatusForm(request.POST)
    if form.is_valid():
        stop.status = form.cleaned_data["status"]
        stop.save(update_fields=["status"])
    return _itinerary(stop.visit, stop)


@require_POST
@role_required
def stop_delete(request, pk, stop_pk):
    stop = _planned_stop(request, pk, stop_pk, allowed=access.can_delete_stop)
    services.delete_stop(stop)
    messages.success(request, _("Stop removed: %(name)s.") % {"name": stop.producer.name})
    return _itinerary(stop.visit)
