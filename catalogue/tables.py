"""The product list's rows (table and photo grid), rendered in Python in one pass.

A page shows up to 200 rows of 11 cells. Through the template engine each row cost two
``{% url %}`` reversals, a simple tag per name and readiness bar, and a variable lookup,
localisation and escape per cell: 50 rows took ~17 ms of the page's ~45 ms. Here what is
the same for many rows is computed once per page (the detail URL pattern, status labels,
category and regency names, readiness bars, dates, the "not translated" title) and each
row is one string format with every value escaped, as the admin's changelist builds its
rows in Python (``items_for_result``): ~1 ms for 50 rows, the same HTML. The row markup
lives here, next to the values it shows; the table head, the grid and the page around
them stay in templates.

Per-row rights come from ``catalogue.access`` (``row_flags``), not from the template.
"""

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from urllib.parse import quote

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from catalogue import access
from catalogue.choices import PromotionStatus
from catalogue.models import Product, ProductPhoto
from core.localization import language_suffix, pick
from core.templatetags.etalase import readiness, rupiah_formatter
from regions.models import short_regency_name

# What Django's reverse() leaves unquoted in a path argument (django.urls.resolvers).
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"
_PLACEHOLDER = "CODE"


def url_pattern(name):
    """A function code → URL of the route ``name``, reversed once instead of once per row.

    The code is quoted as reverse() would quote it.
    """
    prefix, suffix = reverse(name, args=[_PLACEHOLDER]).rsplit(_PLACEHOLDER, 1)
    return lambda code: f"{prefix}{quote(code, safe=_PATH_SAFE)}{suffix}"


# What a row reads, in the one query that loads a page's rows (``row_queryset``): the
# product's own columns and, joined for those 50 rows only, its producer's, regency's and
# category's names and its primary photo's thumbnail. Loaded as related model instances
# (select_related, a photo prefetch) they were 150 more objects and one more query per
# page of 50, the largest cost of building it (a product has 40 columns, a producer 24).
ROW_FIELDS = (
    "code",
    "name_id",
    "name_en",
    "name_zh",
    "status",
    "readiness_score",
    "completeness_en",
    "completeness_zh",
    "price_idr",
    "updated_at",
)


def row_queryset():
    """Products with what a list row shows (``product_rows``)."""
    thumbnails = ProductPhoto.objects.filter(product=OuterRef("pk"), is_primary=True)
    return Product.objects.only(*ROW_FIELDS).annotate(
        row_producer=F("producer__name"),
        row_regency_id=F("producer__regency_id"),
        row_regency=F("producer__regency__name"),
        row_category=F("category__name"),
        row_category_en=F("category__name_en"),
        row_category_zh=F("category__name_zh"),
        row_thumbnail=Subquery(thumbnails.values("thumbnail")[:1]),
    )


@dataclass(frozen=True, slots=True)
class ProductRow:
    code: str
    url: str
    name: SafeString  # in the UI language, escaped, marked when it falls back to Indonesian
    name_id: str
    producer: str
    regency: str
    category: str
    status: str
    status_label: str
    readiness: SafeString
    texts: SafeString  # completeness in English and Chinese (catalogue.completeness)
    price: str
    updated: str
    thumbnail: str  # URL, or "" without a primary photo
    can_edit: bool


# The bar depends on the score alone (0–100): built once per process, not once per row.
_readiness_bar = lru_cache(maxsize=128)(readiness)

# Django's date format characters that give a number, as ``dateformat`` writes them.
_DATE_PARTS = {
    "d": lambda day: f"{day.day:02d}",
    "j": lambda day: str(day.day),
    "m": lambda day: f"{day.month:02d}",
    "n": lambda day: str(day.month),
    "Y": lambda day: f"{day.year:04d}",
    "y": lambda day: f"{day.year % 100:02d}",
}


def date_formatter(format_string):
    """A function date → text as ``dateformat.format(date, format_string)``. Short date
    formats are numbers and separators ("d/m/Y", "Y/n/j"): those are written without
    ``dateformat``'s per-call parsing (a third of the rows' cost); others go through it."""
    if any(char.isalpha() and char not in _DATE_PARTS for char in format_string) or (
        "\\" in format_string
    ):
        return lambda day: dateformat.format(day, format_string)
    parts = [_DATE_PARTS.get(char, char) for char in format_string]
    return lambda day: "".join(part(day) if callable(part) else part for part in parts)


class _PerPage(dict):
    """Values computed once per page: ``key`` → ``make(key)``."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


def product_rows(user, products):
    """One ``ProductRow`` per product of ``products`` (a page of ``row_queryset()``), in
    one pass without queries."""
    products = list(products)
    detail_url = url_pattern("product_detail")
    thumbnail_url = ProductPhoto._meta.get_field("thumbnail").storage.url
    suffix = language_suffix()
    fallback = '<span class="fallback" title="' + escape(_("Not translated")) + '">{}</span>'
    status_labels = {value: str(label) for value, label in PromotionStatus.choices}
    regencies = _PerPage(short_regency_name)
    categories = _PerPage(lambda names: pick(*names))  # as Category.localized_name
    price = rupiah_formatter()
    days = _PerPage(date_formatter(formats.get_format("SHORT_DATE_FORMAT")))
    texts = _PerPage(completeness_cell)
    rows = []
    flags = access.row_flags(user, [product.row_regency_id for product in products])
    for product, can_edit in zip(products, flags, strict=True):
        name = getattr(product, f"name_{suffix}")
        if name:
            name_html = escape(name)
        elif product.name_id:  # no name at all: "", as the ``localized`` template tag
            name_html = fallback.format(escape(product.name_id))
        else:
            name_html = ""
        rows.append(
            ProductRow(
                code=product.code,
                url=detail_url(product.code),
                name=mark_safe(name_html),  # noqa: S308 - escaped above
                name_id=product.name_id,
                producer=product.row_producer,
                regency=regencies[product.row_regency],
                category=categories[
                    product.row_category, product.row_category_en, product.row_category_zh
                ],
                status=product.status,
                status_label=status_labels.get(product.status, product.status),
                readiness=_readiness_bar(product.readiness_score),
                texts=texts[product.completeness_en, product.completeness_zh],
                price=price(product.price_idr),
                updated=days[timezone.localtime(product.updated_at).date()],
                thumbnail=thumbnail_url(product.row_thumbnail) if product.row_thumbnail else "",
                can_edit=can_edit,
            )
        )
    return rows


def completeness_cell(percents):
    """``EN 80 % · 中文 40 %``: how complete the texts are, a full language marked."""
    parts = []
    for (language, label, title), percent in zip(_TEXT_LANGUAGES, percents, strict=True):
        state = "complete" if percent >= 100 else "incomplete"
        parts.append(
            f'<span class="texts-{state}" data-language="{language}" '
            f'title="{escape(str(title))}">{label} {percent} %</span>'
        )
    return mark_safe(" · ".join(parts))  # noqa: S308 - fixed labels, numbers


_TEXT_LANGUAGES = (("en", "EN", _lazy("English texts")), ("zh", "中文", _lazy("Chinese texts")))


def _text(value):
    """``value`` escaped for HTML, unless it is already safe (as ``format_html`` does)."""
    return value if isinstance(value, SafeString) else escape(value)


_CHECKBOX = '<input type="checkbox" name="selected" value="{}" aria-label="{}">'
_EMPTY_THUMB = '<div class="thumb-empty"></div>'
# The whitespace is the one the templates wrote, so the page's HTML stays as it was.
_TABLE_ROW = (
    "\n    <tr>\n      {}"
    '\n      <td class="col-photo">{}</td>'
    '\n      <td class="col-code"><a class="code" href="{}">{}</a></td>'
    '\n      <td class="name col-name"><a href="{}">{}</a></td>'
    '\n      <td class="hide-sm col-producer">{}<div class="small muted show-md">{}</div></td>'
    '\n      <td class="hide-sm hide-md col-regency">{}</td>'
    '\n      <td class="hide-sm hide-md col-category">{}</td>'
    '\n      <td class="col-status"><span class="badge status-{}">{}</span></td>'
    '\n      <td class="col-readiness">{}</td>'
    '\n      <td class="hide-sm col-texts small">{}</td>'
    '\n      <td class="num hide-sm col-price">{}</td>'
    '\n      <td class="hide-sm hide-md col-updated small muted">{}</td>'
    "\n    </tr>\n  "
)
_GRID_CARD = (
    '\n  <div class="photo-card">\n    {}'
    '\n    <a href="{}">{}</a>'
    '\n    <div class="body">'
    '\n      <a class="name" href="{}">{}</a>'
    '\n      <span class="small muted"><span class="code">{}</span> · {}</span>'
    '\n      <span><span class="badge status-{}">{}</span> {}</span>'
    '\n      <span class="small">{}</span>'
    "\n    </div>\n  </div>\n"
)


def table_row(row, selectable):
    """The ``<tr>`` of ``row``; ``selectable``: the table has a checkbox column."""
    code, url = _text(row.code), _text(row.url)
    select = ""
    if selectable:
        box = _CHECKBOX.format(code, code) if row.can_edit else ""
        select = f'<td class="col-select">{box}</td>'
    thumb = (
        f'<img class="thumb" src="{_text(row.thumbnail)}" alt="" loading="lazy" width="48" '
        'height="48">'
        if row.thumbnail
        else _EMPTY_THUMB
    )
    regency = _text(row.regency)
    return _TABLE_ROW.format(
        select,
        thumb,
        url,
        code,
        url,
        row.name,
        _text(row.producer),
        regency,
        regency,
        _text(row.category),
        _text(row.status),
        _text(row.status_label),
        row.readiness,
        row.texts,
        _text(row.price),
        _text(row.updated),
    )


def grid_card(row, selectable):
    """The photo card of ``row`` in the grid view."""
    code, url = _text(row.code), _text(row.url)
    select = ""
    if selectable and row.can_edit:
        select = '<label class="select">' + _CHECKBOX.format(code, code) + "</label>"
    thumb = (
        f'<img src="{_text(row.thumbnail)}" alt="{_text(row.name_id)}" loading="lazy">'
        if row.thumbnail
        else _EMPTY_THUMB
    )
    return _GRID_CARD.format(
        select,
        url,
        thumb,
        url,
        row.name,
        code,
        _text(row.regency),
        _text(row.status),
        _text(row.status_label),
        row.readiness,
        _text(row.price),
    )


class ProductTable:
    """A page of products as the list shows them: ``rows`` (with ``can_edit`` each), and
    the table body or grid cards as HTML. ``selectable``: the page has checkboxes (the
    user may change products); a row has one only if the user may change that product."""

    def __init__(self, user, products, selectable):
        self.rows = product_rows(user, products)
        self.selectable = selectable

    def body(self):
        html = "".join(table_row(row, self.selectable) for row in self.rows)
        return mark_safe(html)  # noqa: S308 - every value escaped by ``_text``

    def cards(self):
        html = "".join(grid_card(row, self.selectable) for row in self.rows)
        return mark_safe(html)  # noqa: S308 - every value escaped by ``_text``
