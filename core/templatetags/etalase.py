from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.localization import language_suffix

register = template.Library()


@register.filter
def rupiah(value):
    """``1250000`` → ``Rp 1.250.000`` (grouping follows the active language)."""
    if value in (None, ""):
        return "—"
    return f"Rp {number_format(value, decimal_pos=0, force_grouping=True)}"


@register.simple_tag(takes_context=True)
def sort_link(context, field, label):
    """A column header that sorts by ``field``, toggling direction, keeping all filters."""
    listing = context["listing"]  # core.listing.ListQuery
    current = listing.params.get("sort", "")
    new = f"-{field}" if current == field else field
    mark = ""
    if current == field:
        mark = " ▲"
    elif current == f"-{field}":
        mark = " ▼"
    return format_html(
        '<a href="{}">{}<span class="sort-mark">{}</span></a>',
        listing.link(sort=new, page=None),
        label,
        mark,
    )


@register.simple_tag
def readiness(score):
    """A small bar and the percentage (built in Python: it is drawn on every list row)."""
    level = "high" if score >= 75 else "mid" if score >= 50 else "low"
    return format_html(
        '<span class="readiness {}" title="{} %"><span class="bar"><span style="width:{}%">'
        "</span></span>{}%</span>",
        level,
        score,
        score,
        score,
    )


@register.filter
def stars(value):
    if not value:
        return ""
    return "★" * value + "☆" * (5 - value)


@register.simple_tag
def localized(obj, field):
    """``obj.<field>_<lang>`` in the UI language, falling back to Indonesian (marked)."""
    suffix = language_suffix()
    value = getattr(obj, f"{field}_{suffix}", "")
    if value or suffix == "id":
        return value
    fallback = getattr(obj, f"{field}_id", "")
    if not fallback:
        return ""
    return format_html('<span class="fallback" title="{}">{}</span>', _("Not translated"), fallback)
