"""Select widgets rendered in Python rather than one template per option.

Django renders every ``<option>`` through the template engine; a filter form with a few
hundred options (146 districts, HS codes, …) then costs more than the list's SQL. These
widgets produce the same HTML from the same context, without the per-option templates.
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}
        parts = [f"<select{flatatt(final_attrs)}>"]
        for option_value, option_label in self.choices:
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


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


def speed_up_selects(form):
    """Swap the form's stock Select widgets for the fast ones (same attributes, choices)."""
    for field in form.fields.values():
        widget = field.widget
        fast = {forms.Select: FastSelect, forms.SelectMultiple: FastSelectMultiple}.get(
            type(widget)
        )
        if fast is not None:
            new = fast(attrs=widget.attrs)
            new.choices = widget.choices
            new.is_required = widget.is_required
            field.widget = new
