"""Widgets rendered in Python (core/widgets.py) and the filter-form tags: the HTML of the
stock, template-rendered widgets and template loops, from one query per model select."""

import re

import pytest
from django import forms
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from core.widgets import (
    FastDateInput,
    FastHiddenInput,
    FastNumberInput,
    FastSelect,
    FastSelectMultiple,
    FastTextInput,
    _flatatt,
    speed_up_widgets,
)
from regions.models import District, Regency

INPUTS = [
    (forms.TextInput, FastTextInput, {"type": "search", "placeholder": 'a "b" <c>'}),
    (forms.NumberInput, FastNumberInput, {"min": 0, "max": 100, "step": 5, "required": True}),
    (forms.DateInput, FastDateInput, {"type": "date", "disabled": False}),
    (forms.HiddenInput, FastHiddenInput, {}),
]


@pytest.mark.parametrize(("stock", "fast", "attrs"), INPUTS)
@pytest.mark.parametrize("value", [None, "", "x & <y>", 42, "2026-03-19"])
def test_fast_inputs_write_what_the_stock_templates_write(stock, fast, attrs, value):
    extra = {"id": "id_f", "aria-invalid": "true"}
    assert fast(attrs=attrs).render("f", value, extra) == stock(attrs=attrs).render(
        "f", value, extra
    )


def _no_layout_whitespace(html):
    """The select as a browser reads it: the stock template puts each option on a line of
    its own, and the order of a tag's attributes means nothing."""
    html = re.sub(r">\s+<", "><", html).strip()
    opening = re.match(r"<select([^>]*)>", html)
    attrs = sorted(re.findall(r'\s([\w-]+(?:="[^"]*")?)', opening.group(1)))
    return f"<select {' '.join(attrs)}>" + html[opening.end() :]


CHOICES = [("", "Any"), ("a", "A & B"), ("b", gettext_lazy("Yes")), (1, "<one>")]


@pytest.mark.parametrize(("stock", "fast"), [(forms.Select, FastSelect)])
@pytest.mark.parametrize("value", [None, "a", 1, "nope"])
def test_fast_select_writes_what_the_stock_template_writes(stock, fast, value):
    attrs = {"size": 4, "data-autosubmit": True, "class": 'x"y'}
    expected = stock(attrs=attrs, choices=CHOICES).render("s", value, {"id": "id_s"})
    rendered = fast(attrs=attrs, choices=CHOICES).render("s", value, {"id": "id_s"})
    assert _no_layout_whitespace(rendered) == _no_layout_whitespace(expected)


def test_fast_multiple_select_marks_every_chosen_value():
    html = FastSelectMultiple(choices=CHOICES).render("s", ["a", "b"])
    assert '<option value="a" selected>A &amp; B</option>' in html
    assert '<option value="b" selected>' in html
    assert " multiple" in html


def test_flatatt_as_django_writes_it():
    from django.forms.utils import flatatt

    attrs = {"b": True, "a": "x<y", "c": None, "d": False, "aa": 3, "z": True}
    assert _flatatt(attrs) == flatatt(attrs)


class _Form(forms.Form):
    q = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    regency = forms.ModelChoiceField(
        Regency.objects.all(), to_field_name="code", required=False, empty_label="All"
    )
    district = forms.ModelChoiceField(
        District.objects.select_related("regency"), to_field_name="code", required=False
    )
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)


@pytest.mark.django_db
def test_a_fast_model_select_reads_its_rows_in_one_plain_query():
    stock = _Form({"regency": "35.09", "district": "35.09.24"})
    fast = _Form({"regency": "35.09", "district": "35.09.24"})
    speed_up_widgets(fast)
    fast.is_valid()  # validation reads its values itself
    with CaptureQueriesContext(connection) as queries:
        rendered = str(fast["district"])
    assert len(queries) == 1 and "DECLARE" not in queries[0]["sql"]
    assert _no_layout_whitespace(rendered) == _no_layout_whitespace(str(stock["district"]))
    assert '<option value="35.09.24" selected>Pakusari</option>' in rendered


FIELD_LOOP = """{% for field in form %}{% if field.name != "sort" %}
      {% if field.is_hidden %}{{ field }}{% else %}
      <div class="field{% if field.errors %} has-error{% endif %}"><label for="{{ field.id_for_label }}">{{ field.label }}</label>{{ field }}{{ field.errors }}</div>
      {% endif %}
    {% endif %}{% endfor %}"""  # noqa: E501 - the filter form's loop before filter_field
FIELD_TAG = """{% load etalase %}{% for field in form %}{% if field.name != "sort" %}
      {{ field|filter_field }}
    {% endif %}{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {}, {"regency": "99.99", "q": "<b>kursi</b>"}])
def test_filter_field_lays_out_fields_as_the_template_loop_did(data):
    engine = engines["django"]
    form = _Form(data)
    assert engine.from_string(FIELD_TAG).render({"form": form}) == engine.from_string(
        FIELD_LOOP
    ).render({"form": form})


def test_options_as_the_template_loop_wrote_them():
    engine = engines["django"]
    loop = (
        '{% for value, label in choices %}<option value="{{ value }}"{% if value == '
        "params.sort %} selected{% endif %}>{{ label }}</option>{% endfor %}"
    )
    tag = '{% load etalase %}{% options choices params "sort" %}'
    choices = [("", "—"), ("code", "Code"), ("-code", 'Code "desc" & <more>')]
    for params in ({}, {"sort": "code"}, {"sort": "-code"}):
        context = {"choices": choices, "params": params}
        assert engine.from_string(tag).render(context) == engine.from_string(loop).render(context)
