"""Who sees and edits which visits, notes and follow-ups (README, "Roles and demo logins").

As in ``catalogue.access``, a model permission (carried by the role groups, editable in
/admin/) says what a user may do; the role adds on which records:

| role           | visits & stops | notes                                | follow-ups          |
|----------------|----------------|--------------------------------------|---------------------|
| Administrator  | plan, edit     | read all, edit all                   | create, edit, close |
| Regional staff | plan, edit     | read all, edit all                   | create, edit, close |
| Regency staff  | read           | write; read shared + own; edit own   | read; close own     |
| Visitor        | read           | write; read own; edit own            | read; close own     |

Visitors see their own notes only (README, "Roles and demo logins"): a delegate does not read
what other delegates or the staff wrote. "Private" notes are seen by their author and by
regional staff only. Whatever quotes a note (a follow-up on a page, a report, a sheet)
goes through ``note_quote``, so the quote follows the note's readers. Views call these
helpers and answer 404 for what the user may not see and 403 for what they may see but
not change; templates only show what these helpers allowed.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core import roles
from visits.choices import NoteVisibility

VIEW_VISIT = "visits.view_visit"
ADD_VISIT = "visits.add_visit"
CHANGE_VISIT = "visits.change_visit"
ADD_STOP = "visits.add_visitstop"
CHANGE_STOP = "visits.change_visitstop"
DELETE_STOP = "visits.delete_visitstop"
VIEW_NOTE = "visits.view_visitnote"
ADD_NOTE = "visits.add_visitnote"
CHANGE_NOTE = "visits.change_visitnote"
VIEW_FOLLOW_UP = "visits.view_followup"
ADD_FOLLOW_UP = "visits.add_followup"
CHANGE_FOLLOW_UP = "visits.change_followup"
# Every permission these helpers check.
PERMISSIONS = frozenset(
    {
        VIEW_VISIT,
        ADD_VISIT,
        CHANGE_VISIT,
        ADD_STOP,
        CHANGE_STOP,
        DELETE_STOP,
        VIEW_NOTE,
        ADD_NOTE,
        CHANGE_NOTE,
        VIEW_FOLLOW_UP,
        ADD_FOLLOW_UP,
        CHANGE_FOLLOW_UP,
    }
)

# Roles whose note permissions reach every note (the others': shared and own, or own).
STAFF_ROLES = {roles.ADMINISTRATOR, roles.REGIONAL_STAFF}


def is_visit_staff(user):
    return roles.role_of(user) in STAFF_ROLES


def can_view_visits(user):
    return user.has_perm(VIEW_VISIT)


def can_view_follow_ups(user):
    return user.has_perm(VIEW_FOLLOW_UP)


def filter_visible_notes(user, notes):
    """All notes for regional staff; own notes for visitors; else shared + own notes."""
    if not user.has_perm(VIEW_NOTE):
        return notes.none()
    role = roles.role_of(user)
    if role in STAFF_ROLES:
        return notes
    if role == roles.VISITOR:
        return notes.filter(author=user)
    return notes.filter(Q(visibility=NoteVisibility.SHARED) | Q(author=user))


def filter_visible_note_photos(user, photos):
    """Photos of the notes ``user`` may read (the same rule as the notes themselves)."""
    notes = photos.model._meta.get_field("note").related_model.objects.all()
    return photos.filter(note__in=filter_visible_notes(user, notes))


def can_see_note(user, note):
    if not user.has_perm(VIEW_NOTE):
        return False
    role = roles.role_of(user)
    if role in STAFF_ROLES:
        return True
    own = note.author_id == user.pk
    return own if role == roles.VISITOR else own or note.visibility == NoteVisibility.SHARED


QUOTE_CHARS = 200


@dataclass(frozen=True)
class NoteQuote:
    """The opening words of a note as one reader may see them (``readable`` False: only a
    placeholder, the note's words stay with the note)."""

    text: str
    readable: bool

    def __str__(self):
        return self.text


def note_quote(user, note, chars=QUOTE_CHARS):
    """What a page quoting ``note`` shows ``user``: the note's first ``chars`` characters
    if they may read the note, else a placeholder; ``None`` when there is no note."""
    if note is None:
        return None
    if can_see_note(user, note):
        return NoteQuote(Truncator(note.text).chars(chars), readable=True)
    return NoteQuote(_("(from a note you cannot read)"), readable=False)


def can_add_visit(user):
    return user.has_perm(ADD_VISIT)


def can_change_visit(user):
    return user.has_perm(CHANGE_VISIT)


def can_add_stop(user):
    return user.has_perm(ADD_STOP)


def can_change_stop(user):
    """Edit a stop, move it in the itinerary, mark it visited or skipped."""
    return user.has_perm(CHANGE_STOP)


def can_delete_stop(user):
    return user.has_perm(DELETE_STOP)


def can_write_notes(user):
    """Every role writes notes (visitors and regency staff included)."""
    return user.has_perm(ADD_NOTE)


def can_edit_note(user, note):
    """Authors edit their own notes; staff edit all."""
    if not user.has_perm(CHANGE_NOTE):
        return False
    return is_visit_staff(user) or note.author_id == user.pk


def can_add_follow_ups(user):
    """Create follow-ups from a note's requests."""
    return user.has_perm(ADD_FOLLOW_UP)


def can_change_follow_ups(user):
    """Change any follow-up (owner, due date, status)."""
    return user.has_perm(CHANGE_FOLLOW_UP)


def can_close_follow_up(user, follow_up):
    """Whoever may change follow-ups closes any; whoever owns one closes it too."""
    if can_change_follow_ups(user):
        return True
    return user.has_perm(VIEW_FOLLOW_UP) and follow_up.owner_id == user.pk


def require(allowed):
    """403 unless ``allowed`` (the answer of one of these helpers)."""
    if not allowed:
        raise PermissionDenied


def get_note_or_404(user, queryset, pk):
    """A note the user may see (404 for an invisible one as for a missing one)."""
    return get_object_or_404(filter_visible_notes(user, queryset), pk=pk)


def get_note_for_edit(user, queryset, pk):
    """A note the user may edit: 404 if they cannot see it, 403 if they only read it."""
    note = get_note_or_404(user, queryset, pk)
    if not can_edit_note(user, note):
        raise PermissionDenied
    return note
