"""Follow-ups of any record that is their ``source`` (a buyer's inquiry, …), for pages of
apps visits does not know: ``{% load follow_up_sources %}{% follow_ups_of inquiry as items %}``.
Also the kinds a follow-up can be of, for forms those pages post to a higher app."""

from django import template

from visits import services
from visits.choices import FollowUpKind

register = template.Library()


@register.simple_tag
def follow_ups_of(source):
    return services.follow_ups_of_source(source)


@register.simple_tag
def follow_up_kinds():
    return FollowUpKind.choices
