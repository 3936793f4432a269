"""Staff-side writes of inquiries and samples: the one write path of each (the public form
that creates inquiries is ``showroom.public_views``' own).

Validate first (the forms), then one transaction that locks the row and checks the version
the form was opened at (``core.locking``): two people answering the same inquiry cannot
overwrite each other's status or notes unseen. ``simple_history`` records who changed what.
"""

from django.db import transaction

from core.locking import lock_version
from showroom.choices import InquiryStatus
from showroom.models import Inquiry

# An inquiry still at one of these moves on to "sample sent" when a sample goes out for
# it; one that is further along (a quotation, an order) or closed stays where it is.
BEFORE_SAMPLE = (InquiryStatus.NEW, InquiryStatus.ANSWERED)


def _save_inquiry(inquiry, user, version=None, fields=None):
    lock_version(inquiry, version)
    inquiry.stamp(user)
    inquiry._history_user = user  # simple_history: also outside a request (shell, tasks)
    inquiry.save(update_fields=fields)


def save_inquiry(inquiry, user, version):
    """Store what staff changed on an inquiry (status, owner, notes); raises
    ``core.locking.EditConflict`` if someone saved it after ``version``."""
    with transaction.atomic():
        _save_inquiry(inquiry, user, version)
    return inquiry


def save_sample(sample, user, version=None):
    """Store a new or edited sample; a new sample for an inquiry that was new or answered
    moves that inquiry to "sample sent". Returns the inquiry moved, or None."""
    moved = None
    with transaction.atomic():
        adding = sample._state.adding
        lock_version(sample, version)
        sample.stamp(user)
        sample.save()
        if adding and sample.inquiry_id:
            inquiry = Inquiry.objects.select_for_update().get(pk=sample.inquiry_id)
            if inquiry.status in BEFORE_SAMPLE:
                inquiry.status = InquiryStatus.SAMPLE_SENT
                _save_inquiry(inquiry, user)
                moved = inquiry
    return moved
