"""One list query: what a list's query string asks for, read the same way by every page.

A ``ListQuery`` binds a FilterSet class, a base queryset and the data of a query string (a
request's GET, a bulk action's hidden field, a stored export). The list page, its export,
the printable lookbook, the bulk actions, the export history and the dashboard's links all
read a list's query string through it, so they agree on:

- which filters apply: values bounded (``core.query_bounds``), then validated by the
  FilterSet. Lenient (the list, the export) ignores a value it does not understand and
  says so; strict (a bulk action on every matching row) selects no row then.
- the canonical query string: the filters and the sort only, keys in alphabetical order,
  empty values dropped, the values of a multiple-choice filter sorted, a single-valued
  filter given twice reduced to the value its form reads (the last one). The list's own
  links keep ``PAGE_PARAMS`` as well; any other parameter (an export's ``format``) is no
  part of the list's query.
- the active filters as chips (each with the link that removes it) and in words.
- the rows: ``queryset`` is filtered and sorted, never paginated. Pagination is the list
  page's own step (``paginate``), so an export streams the query without a page.
"""

import copy
from functools import cache, cached_property
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Window
from django.http import QueryDict
from django_filters import OrderingFilter

from core.paginators import CountLimitPaginator
from core.query_bounds import bound_query, notices_of

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
# The one set of parameters of a list URL that are no filters: they shape the page and
# select no rows, so the list's own links keep them and its query string leaves them out.
PAGE_PARAMS = ("page", "per_page", "view")


class Chip(NamedTuple):
    """One active filter value: the filter's label, the value in words, the list without it."""

    label: str
    text: str
    url: str


@cache
def _reads_many(filterset_class):
    """{filter name: whether its form field reads every value of the parameter}.

    A form reads a parameter through its widget: a multiple select reads every value, any
    other widget the last one (``QueryDict.get``).
    """
    return {
        name: bool(
            getattr(
                filter_.extra.get("widget") or filter_.field_class.widget,
                "allow_multiple_selected",
                False,
            )
        )
        for name, filter_ in filterset_class.base_filters.items()
    }


@cache
def _orderings(filterset_class):
    """The names of the filters that sort rather than filter (``sort``)."""
    return frozenset(
        name
        for name, filter_ in filterset_class.base_filters.items()
        if isinstance(filter_, OrderingFilter)
    )


def canonical(filterset_class, data, keep=()):
    """``data`` as the canonical QueryDict of ``filterset_class``'s list (see the module
    docstring), with the parameters named in ``keep`` besides the filters."""
    reads_many = _reads_many(filterset_class)
    result = QueryDict(mutable=True)
    for key in sorted(set(data) & {*reads_many, *keep}):
        values = data.getlist(key)
        if reads_many.get(key):
            values = sorted({value for value in values if value != ""})
        else:
            values = [values[-1]] if values and values[-1] != "" else []
        if values:
            result.setlist(key, values)
    return result


def query_string_for(filterset_class, **values):
    """The canonical query string that lists the rows ``values`` select, as a page that
    links to a list writes it: ``query_string_for(ProductFilterSet, regency="35.09",
    status=["draft", "candidate"])``. ``None`` leaves a filter out; a name that is not a
    filter of the list is an error, not a link that silently lists everything."""
    unknown = set(values) - set(filterset_class.base_filters)
    if unknown:
        raise ValueError(f"{filterset_class.__name__} has no filter {', '.join(sorted(unknown))}")
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, _as_values(value))
    return canonical(filterset_class, data).urlencode()


def _as_values(value):
    """A parameter's values from a value, a list of values, or None (no value)."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def with_query(path, query_string):
    """``path?query_string``, or ``path`` alone for an empty query string."""
    return f"{path}?{query_string}" if query_string else path


def _search_params(filterset_class):
    return getattr(filterset_class, "search_params", ("q",))


class ListQuery:
    """The query of one list: filters, sort and page parameters (see the module docstring).

    ``data`` is a QueryDict or a dict; ``strict`` selects no row when a filter is not
    understood (``is_valid``), where the lenient default ignores that filter.
    """

    page_sizes = PAGE_SIZES

    def __init__(self, filterset_class, data=None, queryset=None, *, request=None, strict=False):
        bounded, self.ignored = bound_query(
            QueryDict() if data is None else data, _search_params(filterset_class)
        )
        self.filterset_class = filterset_class
        self.strict = strict
        # What the list reads, canonical: its filters, sort and page parameters.
        self.params = canonical(filterset_class, bounded, keep=PAGE_PARAMS)
        self.filterset = filterset_class(
            canonical(filterset_class, self.params), queryset=queryset, request=request
        )

    @classmethod
    def from_string(cls, filterset_class, query_string, queryset=None, **kwargs):
        return cls(filterset_class, QueryDict(query_string), queryset, **kwargs)

    @property
    def form(self):
        return self.filterset.form

    @property
    def is_valid(self):
        """Every filter understood and nothing of the query string left unread."""
        return not self.ignored and self.filterset.is_valid()

    @cached_property
    def queryset(self):
        """The matching rows, sorted; none when strict and a filter is not understood."""
        if self.strict and not self.is_valid:
            return self.filterset.queryset.none()
        return self.filterset.qs

    def more_than(self, limit):
        """Whether more than ``limit`` rows match: a count that stops after ``limit + 1``."""
        return self.queryset.order_by()[: limit + 1].count() > limit

    @cached_property
    def query_string(self):
        """The canonical query string of the filters and the sort: the export, bulk
        action, lookbook and export history all take the list's rows from it."""
        return canonical(self.filterset_class, self.params).urlencode()

    def url_at(self, path):
        """``path`` with the canonical query string: the list of these rows at ``path``."""
        return with_query(path, self.query_string)

    @property
    def page_settings(self):
        """The parameters a filter form keeps without showing them: the sort, the view and
        the rows per page (not the page: new filters start on the first)."""
        keep = {*_orderings(self.filterset_class), *PAGE_PARAMS} - {"page"}
        settings = QueryDict(mutable=True)
        for key in self.params:
            if key in keep:
                settings.setlist(key, self.params.getlist(key))
        return settings

    def link(self, **changes):
        """``?…`` of this list with ``changes`` (a value, a list of values, or None to
        drop the parameter), canonical and with the page parameters kept."""
        params = copy.copy(self.params)  # setlist replaces lists: no need to copy them too
        for name, value in changes.items():
            params.setlist(name, _as_values(value))
        return "?" + canonical(self.filterset_class, params, keep=PAGE_PARAMS).urlencode()

    @property
    def per_page(self):
        try:
            size = int(self.params.get("per_page", DEFAULT_PAGE_SIZE))
        except ValueError:
            return DEFAULT_PAGE_SIZE
        return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE

    def errors(self):
        """(label, messages) of each filter value that was not understood (and ignored)."""
        fields = self.form.fields
        return [
            (fields[name].label if name in fields else name, " ".join(messages))
            for name, messages in self.filterset.errors.items()
        ]

    def notices(self):
        """What the query string held and the list did not read (too long, too many, …)."""
        return notices_of(self.ignored, self.form.fields)

    def _cleaned(self, name, field, raws):
        form = self.form
        form.is_valid()
        if name in form.errors:
            raise ValidationError("")
        return form.cleaned_data.get(name)

    def chips(self):
        """One removable ``Chip`` per value of a filter that applies (not the sort)."""
        chips = []
        for name, label, raw, text in applied(self.form.fields, self.params, self._cleaned):
            if name in _orderings(self.filterset_class):
                continue
            rest = [value for value in self.params.getlist(name) if value != raw]
            chips.append(Chip(label, text, self.link(**{name: rest, "page": None})))
        return chips

    def words(self):
        """The filters that apply and the sort, in words in the active language:
        ``Regency: Kabupaten Jember; Promotion status: Draft; Sort: Price (descending)``."""
        return in_words(
            applied(self.form.fields, self.params, self._cleaned), _orderings(self.filterset_class)
        )


def applied(fields, params, clean):
    """(name, label, raw value, value in words) of every value of ``params`` that applies.

    ``clean(name, field, raws)`` gives the value the filter applies, or raises
    ValidationError when the filter ignores it as not understood.
    """
    described = []
    for name, field in fields.items():
        raws = params.getlist(name)
        if not raws:
            continue
        try:
            value = clean(name, field, raws)
        except ValidationError:
            continue
        if value is None or value == "" or value == []:
            continue
        described += [(name, field.label, raw, text) for raw, text in _texts(field, value, raws)]
    return described


def in_words(described, orderings):
    """``Label: value; …`` of ``applied`` values: filters first, then the sort."""
    ordered = [d for d in described if d[0] not in orderings] + [
        d for d in described if d[0] in orderings
    ]
    return "; ".join(f"{label}: {text}" for _name, label, _raw, text in ordered)


def _texts(field, value, raws):
    """(raw, words) of each raw value that ``field`` read as ``value``."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        key = field.to_field_name or "pk"
        rows = {str(getattr(row, key)): row for row in value}
        return [(raw, field.label_from_instance(rows[raw])) for raw in raws if raw in rows]
    if isinstance(field, forms.ModelChoiceField):
        return [(raws[-1], field.label_from_instance(value))]
    if isinstance(field, forms.ChoiceField):
        return [(raw, _choice_label(field, raw)) for raw in raws]
    return [(raw, raw) for raw in raws]


def _choice_label(field, raw):
    for value, label in field.choices:
        if not isinstance(label, (list, tuple)) and str(getattr(value, "value", value)) == raw:
            return label
    return raw


def paginate(query, rows=None, key="pk"):
    """The page of ``query`` that the list page shows (its ``page`` and ``per_page``): the
    keys of the page from the query, the rows with the joins of ``rows`` (by default its
    base queryset), by the unique field ``key`` (see ``DeferredJoinPaginator``)."""
    searching = any(
        query.params.get(name, "").strip() for name in _search_params(query.filterset_class)
    )
    paginator = DeferredJoinPaginator(
        query.queryset,
        query.per_page,
        rows=query.filterset.queryset if rows is None else rows,
        count_with_page=searching,
        key=key,
    )
    return paginator.get_page(query.params.get("page"))


def remember_list_url(request, name, query):
    """Keep the list URL the user sees as ``name`` ("products") for edits to return to."""
    params = query.params.urlencode()
    url = request.path + (f"?{params}" if params else "")
    key = f"list_url:{name}"
    if request.session.get(key) != url:
        request.session[key] = url


def remembered_list_url(request, name, default):
    """The last list URL (with its filters) the user saw for ``name``, e.g. "products"."""
    return request.session.get(f"list_url:{name}", default)


class DeferredJoinPaginator(CountLimitPaginator):
    """Finds the page's primary keys first, then loads those rows with their joins.

    The filtered, sorted query selects only ``pk`` (and the sort columns), so the
    database sorts narrow rows and joins producers, regencies and categories for the 50
    rows shown instead of for every match: a search word found in 13,000 of 100,000
    products costs 48 ms instead of 133 ms on PostgreSQL. ``rows`` is the unfiltered
    queryset (with its select_related, prefetch_related and annotations) that loads them.

    ``count_with_page``: count the matches in the page's query (``COUNT(*) OVER ()``)
    instead of a query of their own. Worth it when finding the matches is the costly part,
    as for a text search: the database then finds them once, not once to count and once
    for the page (status + regency + search at 100,000 products on PostgreSQL: 100 → 54 ms).
    Without a search it is not: the count reads an index, and the page of an unfiltered
    list stops after 50 rows of the sort's index where the window would read them all.
    Without it the count stops at ``LIST_COUNT_LIMIT`` (``CountLimitPaginator``); the
    window's count is exact, and shown as it is.

    ``key``: the unique field that names the rows (default the primary key). A key held in
    the index the filter walks lets the database find the page without reading the table:
    products by ``code`` in the (producer, status, code, …) index, 30 → 21 ms for a regency
    of 21,700 products on PostgreSQL.
    """

    def __init__(self, object_list, per_page, rows, count_with_page=False, key="pk", **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows
        self.count_with_page = count_with_page
        self.key = key

    def get_page(self, number):
        """As Paginator.get_page (page 1 for a missing or unreadable number, the last page
        past the end), counting in the page's query where it may."""
        if self.count_with_page and "count" not in self.__dict__:
            try:
                wanted = int(number)
            except (TypeError, ValueError):
                wanted = 1
            page = self._page_and_count(wanted)
            if page is not None:
                return page
        return super().get_page(number)

    def page(self, number):
        if self.count_with_page and "count" not in self.__dict__:
            page = self._page_and_count(number)
            if page is not None:
                return page
        self._reach(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list(self.key, flat=True)[bottom:top])
        loaded = self.rows.in_bulk(keys, field_name=self.key)
        # A row deleted between the two queries is left out rather than failing the page.
        return self._get_page([loaded[key] for key in keys if key in loaded], number, self)

    def _page_and_count(self, number):
        """The page and ``count`` from one query; None when it finds no row past the first
        page (which may be past the last), which the two-query path then answers."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return None
        if number < 1:
            return None
        bottom = (number - 1) * self.per_page
        # The rows of this page and, for a last page with orphans, the few after it.
        found = list(
            self.object_list.annotate(_etalase_count=Window(Count("pk"))).values_list(
                self.key, "_etalase_count"
            )[bottom : bottom + self.per_page + self.orphans]
        )
        if not found:
            if number == 1:  # nothing matches: no need to count (a search with a typo)
                self.count = 0
                return self._get_page([], 1, self)
            return None
        self.count = found[0][1]  # the cached_property of Paginator
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = [key for key, _count in found[: top - bottom]]
        loaded = self.rows.in_bulk(keys, field_name=self.key)
        return self._get_page([loaded[key] for key in keys if key in loaded], number, self)


class StoredQueries:
    """The words of many stored queries of one list (the export history), in a number of
    queries that does not grow with them.

    One FilterSet form serves them all, and one query per model filter (regency,
    category, producer…) finds the values of every query at once, where a ``ListQuery``
    per query would validate each with queries of its own. A value is read as the
    FilterSet reads it: one that names no row is not understood, and so is one outside
    the choices another filter allows, as the FilterSet's ``limited_by`` declares it:
    ``{"district": ("regency", "regency.code")}`` (a district's ``regency.code`` must be
    the ``regency`` value when one is given).
    """

    def __init__(self, filterset_class, queries, request=None):
        self.filterset_class = filterset_class
        self.fields = filterset_class(None, request=request).form.fields
        self.limited_by = getattr(filterset_class, "limited_by", {})
        search_params = _search_params(filterset_class)
        self.params = {
            query: canonical(filterset_class, bound_query(QueryDict(query), search_params)[0])
            for query in set(queries)
        }
        self.rows = {
            name: self._rows_of(name, field)
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelChoiceField)
        }

    @staticmethod
    def _key(field, raw):
        """``raw`` as the model filter's lookup reads it, or None if it cannot."""
        meta = field.queryset.model._meta
        try:
            return (
                meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
            ).to_python(raw)
        except ValidationError:
            return None

    def _rows_of(self, name, field):
        """{key: row} of every value of the filter ``name`` in the stored queries."""
        keys = {
            self._key(field, raw) for params in self.params.values() for raw in params.getlist(name)
        } - {None, ""}
        if not keys:
            return {}
        key = field.to_field_name or "pk"
        return {getattr(row, key): row for row in field.queryset.filter(**{f"{key}__in": keys})}

    def _allowed(self, name, row, params):
        other, path = self.limited_by.get(name, (None, ""))
        wanted = params.get(other) if other else None
        if not wanted:
            return True
        value = row
        for attribute in path.split("."):
            value = getattr(value, attribute)
        return str(value) == wanted

    def _clean(self, params):
        def clean(name, field, raws):
            if name not in self.rows:  # read as the form reads it
                return field.clean(field.widget.value_from_datadict(params, {}, name))
            rows = [self.rows[name].get(self._key(field, raw)) for raw in raws]
            if None in rows or not all(self._allowed(name, row, params) for row in rows):
                raise ValidationError("")
            return rows if isinstance(field, forms.ModelMultipleChoiceField) else rows[-1]

        return clean

    def words(self, query):
        """``ListQuery.words`` of ``query``, as the list would read it now."""
        params = self.params[query]
        return in_words(
            applied(self.fields, params, self._clean(params)), _orderings(self.filterset_class)
        )
