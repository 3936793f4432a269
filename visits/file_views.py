"""Note photos, shown exactly to those who may read the note (``visits.access``).

A photo of a note the user may not read is a 404, as for a missing one
(``core.protected_files``).
"""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from core.protected_files import protected_file_response
from core.roles import role_required
from visits import access
from visits.models import VisitNotePhoto


@require_safe
@role_required
def note_photo(request, pk, thumbnail=False):
    photos = access.filter_visible_note_photos(request.user, VisitNotePhoto.objects.all())
    photo = get_object_or_404(photos.only("image", "thumbnail"), pk=pk)
    return protected_file_response(
        photo.thumbnail if thumbnail and photo.thumbnail else photo.image
    )
