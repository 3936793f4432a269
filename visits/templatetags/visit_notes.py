"""What visits add to the catalogue's product and producer pages.

The catalogue does not import visits; its pages load these tags instead, e.g.
``{% product_notes product as notes %}``. Each tag returns a queryset for the page's user,
evaluated once by the template that renders it.
"""

from django import template

from visits import presenters

register = template.Library()


@register.simple_tag(takes_context=True)
def product_notes(context, product):
    return presenters.notes_about_product(context["request"].user, product)


@register.simple_tag(takes_context=True)
def producer_notes(context, producer):
    return presenters.notes_about_producer(context["request"].user, producer)


@register.simple_tag
def product_follow_ups(product):
    return presenters.follow_ups_of_product(product)


@register.simple_tag
def producer_follow_ups(producer):
    return presenters.follow_ups_of_producer(producer)


@register.simple_tag
def producer_visit_stops(producer):
    return presenters.stops_at_producer(producer)
