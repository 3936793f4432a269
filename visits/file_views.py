"""Note photos, shown exactly to those who may read the note (``visits.access``).

A photo of a note the user may not read is a 404, as for a missing one
(``core.protected_files``).
"""

from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from core.protected_files import CACHE_CONTROL, protected_file_response
from core.roles import role_required
from visits import access, photo_jobs
from visits.models import VisitNotePhoto


@require_safe
@role_required
def note_photo(request, pk, thumbnail=False):
    photos = access.filter_visible_note_photos(request.user, VisitNotePhoto.objects.all())
    photo = get_object_or_404(photos.only("image", "thumbnail", "processing"), pk=pk)
    if photo.processing != VisitNotePhoto.Processing.READY:
        # Not the upload as sent (its metadata is still in it): the placeholder, asked
        # again next time (visits.photo_jobs).
        response = redirect(photo_jobs.placeholder_url(photo))
        response["Cache-Control"] = CACHE_CONTROL
        return response
    return protected_file_response(
        photo.thumbnail if thumbnail and photo.thumbnail else photo.image
    )
