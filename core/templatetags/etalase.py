from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import localization
from core.localization import language_suffix

register = template.Library()


@register.filter
def rupiah(value):
    """``1250000`` → ``Rp 1.250.000`` (grouping follows the active language)."""
    return rupiah_formatter()(value)


def rupiah_formatter():
    """``rupiah`` with the active language's separators looked up once, for many values."""
    language = get_language()
    separator = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    thousands = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)

    def format_rupiah(value):
        if value in (None, ""):
            return "—"
        text = numberformat.format(
            value, separator, 0, grouping, thousands, force_grouping=True, use_l10n=True
        )
        return f"Rp {text}"

    return format_rupiah


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


@register.simple_tag
def text_in(obj, stem, language=None, truncate=0):
    """``obj``'s text ``stem`` for a reader of ``language`` (``core.localization.text_in``).
    A fallback in another language is wrapped in its ``lang`` and followed by the name of
    its language, e.g. ``<span lang="id">…</span> (Bahasa Indonesia)``; nothing at all
    gives "". ``truncate``: at most that many characters (an ellipsis ends a cut text)."""
    shown = localization.text_in(obj, stem, language)
    if truncate:
        shown = localization.LocalizedText(
            Truncator(shown.text).chars(truncate), shown.language, shown.wanted
        )
    return marked(shown)


@register.filter
def marked(shown):
    """A ``core.localization.LocalizedText``: as is in its wanted language, else in a
    ``lang`` span followed by its language's name (a screen reader and a reader both know
    it is not a translation)."""
    if not getattr(shown, "is_fallback", False):
        return str(shown or "")
    return format_html(
        '<span lang="{}" class="fallback-text">{}</span> '
        '<span class="fallback-language">({})</span>',
        shown.html_lang,
        shown.text,
        shown.language_name,
    )


@register.filter
def filter_field(field):
    """A bound field of a list's filter form as ``partials/filters.html`` lays it out: label,
    widget and errors in a ``div.field`` (a hidden field alone). Built here rather than by
    the template: ~18 fields of a dozen lookups each were ~1.5 ms of every list page."""
    if field.is_hidden:
        return field  # rendered as {{ field }} would
    errors = field.errors
    html = (
        f'\n      <div class="field{" has-error" if errors else ""}">'
        f'<label for="{conditional_escape(field.id_for_label)}">'
        f"{conditional_escape(field.label)}</label>{field}{errors if errors else ''}</div>\n      "
    )
    return mark_safe(html)  # noqa: S308 - label and id escaped, widget and errors are HTML


@register.simple_tag
def options(choices, params, name):
    """The ``<option>`` elements of ``choices``, the one ``params[name]`` names selected."""
    current = params.get(name) if params is not None else None
    return mark_safe(  # noqa: S308 - values and labels escaped
        "".join(
            f'<option value="{conditional_escape(value)}"'
            f"{' selected' if value == current else ''}>{conditional_escape(label)}</option>"
            for value, label in choices
        )
    )
