"""Follow-ups of any record that is their ``source`` (a buyer's inquiry, …), for pages of
apps visits does not know: ``{% load follow_up_sources %}{% follow_ups_of inquiry as items %}``.
Also the kinds a follow-up can be of and the people who may own one, for forms those pages
post to a higher app: they offer exactly what the follow-up forms accept."""

from django import template

from visits import services
from visits.choices import FollowUpKind
from visits.forms import owners

register = template.Library()


@register.simple_tag
def follow_ups_of(source):
    return services.follow_ups_of_source(source)


@register.simple_tag
def follow_up_kinds():
    return FollowUpKind.choices


@register.simple_tag
def follow_up_owners():
    """Who may own a follow-up (``visits.forms.owners``, what the forms validate against)."""
    return owners()
