"""A note's photos are cleaned and thumbnailed by a background job, not in the request.

Cleaning a photo (upright copy of at most 3000 px without metadata, and its thumbnail,
``core.photos.clean_image``) costs ~0.8 s of CPU for a 12-megapixel phone photo, so a note
with 12 took ~9 s to send (``benchmarks/uploads.py``): too long for a phone on a field
connection, whose offline outbox then tries again. Now the request only checks each
upload (``core.photos.validate_image_upload``: size, format, pixel bound, a 1/8-scale
decode; ~0.05 s a photo), stores it as sent in the protected ``notes/`` folder, and starts
the ``note_photos`` job; the note is stored and answered at once, and the same note sent
again (its token) finds it and starts nothing. Until the job has made a photo's clean copy
and thumbnail, the photo's views answer with a placeholder and never the upload itself
(which still carries its EXIF and GPS); a photo that cannot be processed says why, and its
upload is removed.
"""

import logging

from django.templatetags.static import static
from django.utils.translation import gettext_lazy
from PIL import Image

from core.jobs import runner
from core.photos import clean_image
from visits.models import VisitNotePhoto

logger = logging.getLogger(__name__)
KIND = "note_photos"
Processing = VisitNotePhoto.Processing
PLACEHOLDERS = {
    Processing.PENDING: "img/photo-pending.svg",
    Processing.FAILED: "img/photo-failed.svg",
}


def add_photos(note, uploads):
    """Store ``uploads`` (already checked) as photos of ``note`` waiting for the job."""
    return [
        VisitNotePhoto.objects.create(note=note, image=upload, processing=Processing.PENDING)
        for upload in uploads
    ]


def start(note, photos):
    """Start the job that processes ``photos`` (call it once they are committed)."""
    if not photos:
        return None
    pks = [photo.pk for photo in photos]
    return runner.start(
        KIND,
        note.author,
        subject=note.pk,
        options={"photos": pks},
        key=f"note-photos:{note.pk}:{pks[0]}-{pks[-1]}",
    )


def placeholder_url(photo):
    return static(PLACEHOLDERS[photo.processing])


def _delete_quietly(storage, name):
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not remove %s from the media storage", name, exc_info=True)


def process(photo):
    """Make ``photo``'s clean copy and thumbnail from its stored upload; True if done."""
    storage = photo.image.storage
    upload = photo.image.name
    try:
        with photo.image.open("rb") as stored:
            cleaned, thumb = clean_image(stored)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        logger.warning("Note photo %s could not be processed", photo.pk, exc_info=True)
        failed = VisitNotePhoto.objects.filter(pk=photo.pk, processing=Processing.PENDING)
        if failed.update(processing=Processing.FAILED, processing_error="unreadable", image=""):
            _delete_quietly(storage, upload)  # it still carries its metadata
        return False
    image_name = storage.save(photo.image.field.generate_filename(photo, cleaned.name), cleaned)
    thumb_name = storage.save(photo.thumbnail.field.generate_filename(photo, thumb.name), thumb)
    done = VisitNotePhoto.objects.filter(pk=photo.pk, processing=Processing.PENDING).update(
        image=image_name, thumbnail=thumb_name, processing=Processing.READY
    )
    for name in [upload] if done else [image_name, thumb_name]:  # or removed meanwhile
        _delete_quietly(storage, name)
    return bool(done)


def _run(job, progress):
    photos = list(
        VisitNotePhoto.objects.filter(
            pk__in=job.options.get("photos", []), processing=Processing.PENDING
        ).order_by("pk")
    )
    progress(0, len(photos), "photos")
    processed = 0
    for done, photo in enumerate(photos, start=1):
        processed += process(photo)
        progress(done)
    return {"processed": processed, "failed": len(photos) - processed}


def register():
    from core.jobs import registry

    registry.register(registry.Kind(name=KIND, label=gettext_lazy("Photos of a note"), run=_run))
