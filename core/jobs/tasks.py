"""The one task django-tasks runs for every job: load the ``Job`` and run its kind."""

from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from core.jobs import runner


@task()
def run_job(job_id):
    # The immediate backend runs the job inside the request that started it: no worker
    # to watch over, so no heartbeat thread.
    threaded = not isinstance(run_job.get_backend(), ImmediateBackend)
    return runner.execute(job_id, threaded=threaded)
