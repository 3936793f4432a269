"""manage.py prune_jobs: finished jobs older than JOBS_KEEP_DAYS go, the rest stay."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.jobs.models import Job

pytestmark = pytest.mark.django_db


def _job(state, days_ago):
    ended = timezone.now() - datetime.timedelta(days=days_ago)
    finished = ended if state in Job.FINISHED else None
    return Job.objects.create(kind="x", state=state, created_at=ended, finished_at=finished)


def test_prune_jobs_deletes_only_finished_jobs_past_the_setting(settings):
    settings.JOBS_KEEP_DAYS = 30
    old = [_job(state, 31) for state in ("done", "failed", "cancelled")]
    kept = [_job("done", 29), _job("queued", 40), _job("running", 40)]
    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert out.getvalue().strip() == "3 finished jobs deleted."
    assert not Job.objects.filter(pk__in=[job.pk for job in old]).exists()
    assert set(Job.objects.values_list("pk", flat=True)) == {job.pk for job in kept}


def test_prune_jobs_takes_the_days_to_keep():
    recent = _job("done", 3)
    call_command("prune_jobs", "--days", "2", stdout=io.StringIO())
    assert not Job.objects.filter(pk=recent.pk).exists()
    with pytest.raises(CommandError):
        call_command("prune_jobs", "--days", "0", stdout=io.StringIO())
