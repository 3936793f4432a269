"""Who sees which notes and visits (DESIGN.md, "Roles")."""

from django.db.models import Q

from core import roles

STAFF_ROLES = {roles.ADMINISTRATOR, roles.REGIONAL_STAFF}


def filter_visible_notes(user, notes):
    """Shared notes for everyone; private notes only for their author and regional staff."""
    if roles.role_of(user) in STAFF_ROLES:
        return notes
    return notes.filter(Q(visibility="shared") | Q(author=user))


def can_plan_visits(user):
    return roles.role_of(user) in STAFF_ROLES
