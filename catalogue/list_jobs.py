"""Lists too long to answer at once: their lookbooks are built by a background job.

A lookbook (the XLSX with photos, the printable sheets) of more than ``LOOKBOOK_JOB_ROWS``
products is not built in the request: the request starts a job (``core.jobs``) that builds
the file into the media storage, and answers with the job's page, which links to the file
once it is done. Smaller lists keep their answer at once. The same list asked for again
while its job is still queued or running finds that job (a double click is one job).
"""

import hashlib

from django.conf import settings

from core.jobs import runner
from core.jobs.models import Job


def is_large(listing):
    return listing.more_than(settings.LOOKBOOK_JOB_ROWS)


def start(kind, user, query, **options):
    """The job building ``kind`` of the list ``query`` (a canonical query string) for
    ``user``: the one still under way for the same list and options, else a new one."""
    options = {"query": query, **options}
    subject = hashlib.blake2b(repr(sorted(options.items())).encode(), digest_size=16).hexdigest()
    pending = Job.objects.filter(
        kind=kind, owner=user, subject=subject, state__in=(Job.State.QUEUED, Job.State.RUNNING)
    ).first()
    if pending is not None:
        return pending
    return runner.start(kind, user, subject=subject, options=options)
