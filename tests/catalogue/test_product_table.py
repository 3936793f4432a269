"""The product list's rows (catalogue/tables.py): the same HTML as the templates wrote them,
values escaped, per-row rights, and no query per row.

``REFERENCE_ROW`` and ``REFERENCE_CARD`` are the row and card templates the list used
before its rows were built in Python; the Python rows must render exactly as they did.
"""

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalogue.models import ProductPhoto
from catalogue.querysets import product_queryset
from catalogue.tables import ProductTable, completeness_cell, row_queryset, url_pattern
from home.drawing import draw_product_photo

pytestmark = pytest.mark.django_db

REFERENCE_ROW = """{% load etalase %}
    <tr>
      {% if can_edit %}<td class="col-select">{% if editable %}<input type="checkbox" name="selected" value="{{ product.code }}" aria-label="{{ product.code }}">{% endif %}</td>{% endif %}
      <td class="col-photo">{% with photo=product.primary_photos.0 %}{% if photo and photo.thumbnail %}<img class="thumb" src="{{ photo.thumbnail.url }}" alt="" loading="lazy" width="48" height="48">{% else %}<div class="thumb-empty"></div>{% endif %}{% endwith %}</td>
      <td class="col-code"><a class="code" href="{% url 'product_detail' product.code %}">{{ product.code }}</a></td>
      <td class="name col-name"><a href="{% url 'product_detail' product.code %}">{% localized product "name" %}</a></td>
      <td class="hide-sm col-producer">{{ product.producer.name }}<div class="small muted show-md">{{ product.producer.regency.short_name }}</div></td>
      <td class="hide-sm hide-md col-regency">{{ product.producer.regency.short_name }}</td>
      <td class="hide-sm hide-md col-category">{{ product.category }}</td>
      <td class="col-status"><span class="badge status-{{ product.status }}">{{ product.get_status_display }}</span></td>
      <td class="col-readiness">{% readiness product.readiness_score %}</td>
      <td class="hide-sm col-texts small">{{ texts }}</td>
      <td class="num hide-sm col-price">{{ product.price_idr|rupiah }}</td>
      <td class="hide-sm hide-md col-updated small muted">{{ product.updated_at|date:"SHORT_DATE_FORMAT" }}</td>
    </tr>
  """  # noqa: E501

REFERENCE_CARD = """{% load etalase %}
  <div class="photo-card">
    {% if can_edit %}{% if editable %}<label class="select"><input type="checkbox" name="selected" value="{{ product.code }}" aria-label="{{ product.code }}"></label>{% endif %}{% endif %}
    <a href="{% url 'product_detail' product.code %}">{% with photo=product.primary_photos.0 %}{% if photo and photo.thumbnail %}<img src="{{ photo.thumbnail.url }}" alt="{{ product.name_id }}" loading="lazy">{% else %}<div class="thumb-empty"></div>{% endif %}{% endwith %}</a>
    <div class="body">
      <a class="name" href="{% url 'product_detail' product.code %}">{% localized product "name" %}</a>
      <span class="small muted"><span class="code">{{ product.code }}</span> · {{ product.producer.regency.short_name }}</span>
      <span><span class="badge status-{{ product.status }}">{{ product.get_status_display }}</span> {% readiness product.readiness_score %}</span>
      <span class="small">{{ product.price_idr|rupiah }}</span>
    </div>
  </div>
"""  # noqa: E501


@pytest.fixture
def products(make_producer, make_product):
    jember = make_producer("35.09", name='Drum <b>"Pakusari"</b> & Co')
    banyuwangi = make_producer("35.10", name="Batik Gandrung")
    made = [
        make_product(
            producer=jember,
            name_id="Kursi <drum> & 'meja'",
            name_en="Drum chair",
            name_zh="油桶椅",
            price_idr=1_250_000,
            readiness_score=80,
        ),
        make_product(producer=jember, name_id="Meja jati", status="candidate", price_idr=None),
        make_product(
            producer=banyuwangi, category="batik", name_id="Batik gajah oling", readiness_score=55
        ),
        make_product(producer=banyuwangi, category="batik", name_id=""),
    ]
    ProductPhoto.objects.create(
        product=made[0], image=draw_product_photo("Kursi", size=(80, 60)), is_primary=True
    )
    return made


def _reference(template, user, selectable):
    from catalogue import access

    engine = engines["django"]
    rendered = []
    for product in product_queryset().order_by("code"):
        editable = access.can_edit_product(user, product)
        texts = completeness_cell((product.completeness_en, product.completeness_zh))
        context = {
            "product": product,
            "can_edit": selectable,
            "editable": editable,
            "texts": texts,
        }
        rendered.append(engine.from_string(template).render(context))
    return "".join(rendered)


@pytest.mark.parametrize("language", ["id", "en", "zh-hans"])
@pytest.mark.parametrize("role", ["staff", "regency", "visitor"])
def test_rows_render_as_the_templates_did(products, role_users, language, role):
    from catalogue import access

    user = role_users[role]
    selectable = access.can_change_products(user)
    with translation.override(language):
        table = ProductTable(user, row_queryset().order_by("code"), selectable=selectable)
        assert table.body() == _reference(REFERENCE_ROW, user, selectable)
        assert table.cards() == _reference(REFERENCE_CARD, user, selectable)


def test_rows_escape_every_value(products, staff_user):
    # Indonesian: the names below are the Indonesian ones (whatever an earlier test left on).
    with translation.override("id"):
        body = ProductTable(staff_user, row_queryset(), selectable=True).body()
    assert "Kursi &lt;drum&gt; &amp; &#x27;meja&#x27;" in body
    assert "Drum &lt;b&gt;&quot;Pakusari&quot;&lt;/b&gt; &amp; Co" in body
    assert "<drum>" not in body and "<b>" not in body


def test_a_name_not_translated_falls_back_to_indonesian_marked(products, staff_user):
    with translation.override("en"):
        rows = {r.code: r for r in ProductTable(staff_user, row_queryset(), True).rows}
    assert rows[products[0].code].name == "Drum chair"
    assert rows[products[1].code].name == (
        '<span class="fallback" title="Not translated">Meja jati</span>'
    )
    assert rows[products[3].code].name == ""


def test_rows_ask_no_query_of_their_own(products, regency_user):
    from catalogue import access

    page = list(row_queryset())
    regency_user.has_perm("catalogue.change_product")  # the permissions, once per request
    access.editable_regency_ids(regency_user)  # the scope, once per request
    with CaptureQueriesContext(connection) as queries:
        table = ProductTable(regency_user, page, selectable=True)
        table.body(), table.cards()
    assert len(queries) == 0
    assert {row.code: row.can_edit for row in table.rows} == {
        product.code: product.producer.regency.code == "35.09" for product in products
    }


@pytest.mark.parametrize("code", ["JBR-0001", "A B", "a?b#c", "100%", "油桶", "~:@!"])
def test_url_pattern_builds_what_reverse_builds(code):
    assert url_pattern("product_detail")(code) == reverse("product_detail", args=[code])


@pytest.mark.parametrize(
    "format_string", ["d/m/Y", "m/d/Y", "Y/n/j", "j-n-y", "Y-m-d", "d M Y", r"j \d\e F", "N j, Y"]
)
def test_date_formatter_writes_what_dateformat_writes(format_string):
    import datetime

    from django.utils import dateformat

    from catalogue.tables import date_formatter

    for day in (datetime.date(2026, 3, 9), datetime.date(999, 12, 31), datetime.date(2026, 11, 28)):
        assert date_formatter(format_string)(day) == dateformat.format(day, format_string)


@pytest.mark.parametrize("language", ["id", "en", "zh-hans"])
def test_date_formatter_serves_every_language_of_the_site(language):
    import datetime

    from django.utils import dateformat, formats

    from catalogue.tables import date_formatter

    with translation.override(language):
        short = formats.get_format("SHORT_DATE_FORMAT")
        day = datetime.date(2026, 3, 9)
        assert date_formatter(short)(day) == dateformat.format(day, short)
