"""My jobs, the job page with its progress, its JSON status, and cancel / try again.

A job is seen by the person who started it and by administrators; for anyone else it does
not exist (404), as the apps' ``access`` helpers treat what one may not see.
"""

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core import roles
from core.jobs import registry, runner
from core.jobs.models import Job
from core.protected_files import protected_file_response

RECENT = 100
# What a job may report it is doing (progress(..., stage=key)).
STAGES = {
    "reading": gettext_lazy("Reading the file"),
    "checking": gettext_lazy("Checking the rows"),
    "writing": gettext_lazy("Writing to the catalogue"),
    "building": gettext_lazy("Building the file"),
    "photos": gettext_lazy("Processing the photos"),
}


def visible_jobs(user):
    jobs = Job.objects.select_related("owner")
    if roles.role_of(user) == roles.ADMINISTRATOR:
        return jobs
    return jobs.filter(owner=user)


def _job(request, pk):
    return runner.refreshed(get_object_or_404(visible_jobs(request.user), pk=pk))


@roles.role_required
def job_list(request):
    runner.fail_lost_quietly()
    everyone = roles.role_of(request.user) == roles.ADMINISTRATOR
    jobs = list(visible_jobs(request.user)[:RECENT])
    for job in jobs:
        job.kind_info = registry.get(job.kind)
    return render(request, "core/job_list.html", {"jobs": jobs, "everyone": everyone})


def time_left_text(seconds):
    if seconds is None:
        return ""
    if seconds < 60:
        return ngettext("about %(n)s second left", "about %(n)s seconds left", seconds) % {
            "n": seconds
        }
    minutes = round(seconds / 60)
    return ngettext("about %(n)s minute left", "about %(n)s minutes left", minutes) % {"n": minutes}


def rows_text(job):
    """ "1.750 dari 20.000 baris": numbers grouped as the language writes them."""
    if not job.total:
        return ""
    return _("%(done)s of %(total)s rows") % {
        "done": formats.number_format(job.done, force_grouping=True),
        "total": formats.number_format(job.total, force_grouping=True),
    }


def status(job):
    """What the page shows, as the JSON the progress component polls."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "finished": job.is_finished,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "rows_text": rows_text(job),
        "seconds_left": job.seconds_left(),
        "time_left": time_left_text(job.seconds_left()),
        "stage": str(STAGES.get(job.stage, "")),
        "result_url": job.result_url,
        "file_url": job.file.url if job.file else "",
        "error": str(job.error_text),
    }


@roles.role_required
def job_detail(request, pk):
    job = _job(request, pk)
    kind = registry.get(job.kind)
    if job.state == Job.State.DONE and kind and kind.redirect_when_done and job.result_url:
        if kind.done_message:
            level, text = kind.done_message(job)
            messages.add_message(request, level, text)
        return redirect(job.result_url)
    return render(
        request,
        "core/job_detail.html",
        {
            "job": job,
            "kind": kind,
            "status": status(job),
            "job_files_days": settings.JOB_FILES_DAYS,
            "can_cancel": kind and kind.cancellable and not job.is_finished,
            "can_retry": runner.can_retry(job),
        },
    )


@roles.role_required
def job_file(request, pk):
    """The file a job built, for whoever may see the job (its owner, administrators)."""
    job = get_object_or_404(visible_jobs(request.user), pk=pk, state=Job.State.DONE)
    return protected_file_response(job.file)


@roles.role_required
def job_status(request, pk):
    return JsonResponse(status(_job(request, pk)))


@require_POST
@roles.role_required
def job_cancel(request, pk):
    job = _job(request, pk)
    if runner.cancel(job):
        messages.info(request, _("Cancelling the job; nothing it did so far is kept."))
    else:
        messages.warning(request, _("This job can no longer be cancelled."))
    return redirect(job)


@require_POST
@roles.role_required
def job_retry(request, pk):
    job = _job(request, pk)
    if not runner.retry(job):  # queued again already (a double click), or not retryable
        messages.warning(request, _("This job can no longer be tried again."))
    return redirect(job)
