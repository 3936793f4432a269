"""Form widgets rendered in Python rather than through the template engine.

Django renders every widget, and every ``<option>`` of a select, through a template; a
filter form of 18 fields with a few hundred options (146 districts, categories, tags…)
then costs more than the list's SQL. These widgets produce the same HTML from the same
context (``get_context``) without the per-widget and per-option templates, and read a
model select's rows with one plain query (Django's iterator opens a server-side cursor on
PostgreSQL: three round trips per select).
"""

from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs):
    """What ``django/forms/widgets/attrs.html`` writes for ``attrs``."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {escape(str(name))}")
        elif value is not False:
            parts.append(f' {escape(str(name))}="{escape(str(value))}"')
    return "".join(parts)


def _flatatt(attrs):
    """What ``django.forms.utils.flatatt`` writes for ``attrs`` (name="value" pairs sorted,
    then the true booleans sorted), without its per-pair ``format_html``."""
    pairs = sorted((name, value) for name, value in attrs.items() if not isinstance(value, bool))
    flags = sorted(name for name, value in attrs.items() if value is True)
    return "".join(
        [
            *(
                f' {conditional_escape(name)}="{conditional_escape(value)}"'
                for name, value in pairs
                if value is not None
            ),
            *(f" {conditional_escape(name)}" for name in flags),
        ]
    )


class FastInputMixin:
    """``<input>`` as ``django/forms/widgets/input.html`` writes it."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        shown = "" if value is None else f' value="{escape(str(value))}"'
        html = (
            f'<input type="{escape(str(widget["type"]))}" name="{escape(str(name))}"'
            f"{shown}{_attrs(widget['attrs'])}>"
        )
        return mark_safe(html)  # noqa: S308 - every value escaped above


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}
        parts = [f"<select{_flatatt(final_attrs)}>"]
        for option_value, option_label in _choices(self.choices):
            if isinstance(option_label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(str(option_value))}">')
                parts.extend(self._option(v, label, selected) for v, label in option_label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, option_label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - values and labels are escaped

    @staticmethod
    def _option(value, label, selected):
        value = "" if value is None else str(value)
        mark = " selected" if value in selected else ""
        return f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>'


def _choices(choices):
    """``choices``; a model field's as its ModelChoiceIterator gives them, from one query."""
    if not isinstance(choices, ModelChoiceIterator):
        return choices
    field = choices.field
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    return empty + [choices.choice(obj) for obj in list(choices.queryset)]


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


class FastDateInput(FastInputMixin, forms.DateInput):
    pass


class FastHiddenInput(FastInputMixin, forms.HiddenInput):
    pass


FAST_SELECTS: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.Select: FastSelect,
    forms.SelectMultiple: FastSelectMultiple,
}
FAST: dict[type[forms.Widget], type[forms.Widget]] = {
    **FAST_SELECTS,
    forms.TextInput: FastTextInput,
    forms.NumberInput: FastNumberInput,
    forms.DateInput: FastDateInput,
    forms.HiddenInput: FastHiddenInput,
}


def speed_up_widgets(form, fast_classes=FAST):
    """Make the form's stock widgets fast ones. Each form holds copies of its fields'
    widgets, so the change stays with this form; attributes, choices and formats stay."""
    for field in form.fields.values():
        fast = fast_classes.get(type(field.widget))
        if fast is not None:
            field.widget.__class__ = fast


def speed_up_selects(form):
    """Only the selects (``speed_up_widgets``)."""
    speed_up_widgets(form, FAST_SELECTS)
