"""Template filters that ask ``visits.access`` (templates never decide permissions alone)."""

from django import template

from visits import access, sources
from visits.choices import FollowUpKind

register = template.Library()
KIND_LABELS = dict(FollowUpKind.choices)


@register.filter
def note_editable_by(note, user):
    return access.can_edit_note(user, note)


@register.filter
def follow_up_closable_by(follow_up, user):
    return follow_up.is_open and access.can_close_follow_up(user, follow_up)


@register.filter
def note_quote_for(note, user):
    """``{% with quote=item.note|note_quote_for:user %}``: see ``access.note_quote``."""
    return access.note_quote(user, note)


@register.filter
def adds_follow_ups(user):
    return access.can_add_follow_ups(user)


@register.filter
def changes_follow_ups(user):
    return access.can_change_follow_ups(user)


@register.filter
def kind_labels(kinds):
    """``["samples", "price_quote"]`` → ``["Samples", "Price quote"]`` (translated)."""
    return [KIND_LABELS.get(kind, kind) for kind in kinds or []]


@register.filter
def pending_kinds(note):
    """Requested kinds without a follow-up yet. Pages that did not prefetch the note's
    follow-ups get all requested kinds: the button is safe to press twice anyway."""
    if "follow_ups" not in getattr(note, "_prefetched_objects_cache", {}):
        return list(note.requested or [])
    done = {item.kind for item in note.follow_ups.all()}
    return [kind for kind in note.requested or [] if kind not in done]


@register.filter
def source_quote_for(follow_up, user):
    """``{% with quote=item|source_quote_for:user %}``: see ``sources.source_quote``."""
    return sources.source_quote(user, follow_up)
