"""Follow-ups: the list ("my follow-ups" included), creating them from a note, closing
them, and staff editing owner and due date."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.redirects import safe_next
from core.roles import allowed_if, role_required
from visits import access, services
from visits.forms import CloseFollowUpForm, FollowUpForm, FollowUpsFromNoteForm
from visits.models import FollowUp, VisitNote
from visits.presenters import OPEN_STATUSES

STATUS_FILTERS = ("open", "overdue", "all")


@allowed_if(access.can_view_follow_ups)
def followup_list(request, mine=False):
    follow_ups = FollowUp.objects.select_related(
        "producer", "product", "owner", "note__visit"
    ).prefetch_related("source")
    if mine:
        follow_ups = follow_ups.filter(owner=request.user)
    status = request.GET.get("status", "open")
    status = status if status in STATUS_FILTERS else "open"
    today = timezone.localdate()
    if status in ("open", "overdue"):
        follow_ups = follow_ups.filter(status__in=OPEN_STATUSES)
    if status == "overdue":
        follow_ups = follow_ups.filter(due_date__lt=today)
    return render(
        request,
        "visits/followup_list.html",
        {
            "follow_ups": follow_ups,
            "mine": mine,
            "status": status,
            "today": today,
            "can_change": access.can_change_follow_ups(request.user),
        },
    )


@require_POST
@role_required
def followups_from_note(request, pk):
    note = access.get_note_or_404(request.user, VisitNote.objects.all(), pk)
    if not access.can_add_follow_ups(request.user):
        raise PermissionDenied
    form = FollowUpsFromNoteForm(request.POST)
    back = safe_next(request, note.get_absolute_url())
    if not form.is_valid():
        messages.error(request, _("Follow-ups were not created: check owner and due date."))
        return redirect(back)
    created = services.follow_ups_from_note(
        note, request.user, form.cleaned_data["owner"], form.cleaned_data["due_date"]
    )
    if created:
        message = ngettext(
            "%(n)d follow-up created.", "%(n)d follow-ups created.", len(created)
        ) % {"n": len(created)}
    else:
        message = _("This note's follow-ups already exist.")
    messages.success(request, message)
    return redirect(back)


@require_POST
@role_required
def followup_close(request, pk):
    follow_up = get_object_or_404(FollowUp, pk=pk)
    if not access.can_close_follow_up(request.user, follow_up):
        raise PermissionDenied
    form = CloseFollowUpForm(request.POST)
    if form.is_valid():
        services.close_follow_up(follow_up, request.user, form.cleaned_data["status"])
        messages.success(
            request,
            _("Closed: %(what)s (%(producer)s).")
            % {"what": follow_up.get_kind_display(), "producer": follow_up.producer.name},
        )
    return redirect(safe_next(request, reverse("followup_list")))


@role_required
def followup_edit(request, pk):
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("producer", "product", "note"), pk=pk
    )
    if not access.can_change_follow_ups(request.user):
        raise PermissionDenied
    back = safe_next(request, reverse("followup_list"))
    data = request.POST if request.method == "POST" else None
    form = FollowUpForm(data, instance=follow_up)
    if request.method == "POST" and form.is_valid():
        follow_up = form.save(commit=False)
        services.track_closing(follow_up, request.user)
        follow_up.stamp(request.user)
        follow_up.save()
        messages.success(request, _("Follow-up saved."))
        return redirect(back)
    return render(
        request, "visits/followup_form.html", {"follow_up": follow_up, "form": form, "next": back}
    )
