"""Filtered, paginated lists: the shared machinery behind every list page.

A list view is configuration: a FilterSet class and a queryset. ``FilteredList`` applies
the filters exactly as the export and the bulk actions do, paginates, and describes the
active filters as removable chips.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import QueryDict

from core.query_bounds import bound_query

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
# Query parameters that shape the page but do not filter rows.
VIEW_PARAMS = {"page", "per_page", "view", "sort"}


def page_size(params):
    try:
        size = int(params.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def remembered_list_url(request, name, default):
    """The last list URL (with its filters) the user saw for ``name``, e.g. "products"."""
    return request.session.get(f"list_url:{name}", default)


class DeferredJoinPaginator(Paginator):
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
        """The page and ``count`` from one query; None when it finds no row (past the last
        page, or nothing matches), which the two-query path then answers."""
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
            return None
        self.count = found[0][1]  # the cached_property of Paginator
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = [key for key, _count in found[: top - bottom]]
        loaded = self.rows.in_bulk(keys, field_name=self.key)
        return self._get_page([loaded[key] for key in keys if key in loaded], number, self)


class FilteredList:
    page_sizes = PAGE_SIZES

    def __init__(self, request, filterset_class, queryset, remember_as=None, rows=None, key="pk"):
        """``remember_as`` keeps this URL in the session so edits can return to it;
        ``rows`` loads the page's rows (default: ``queryset``, which is filtered), by the
        unique field ``key`` (see ``DeferredJoinPaginator``)."""
        if remember_as:
            remembered = f"list_url:{remember_as}"
            if request.session.get(remembered) != request.get_full_path():
                request.session[remembered] = request.get_full_path()
        self.request = request
        self.filterset = filterset_class(request.GET, queryset=queryset, request=request)
        # What the filters read (core.query_bounds): the pages, chips and export links too.
        self.params = getattr(self.filterset, "bounded_data", request.GET)
        self.queryset = self.filterset.qs
        self.per_page = page_size(self.params)
        searching = any(
            self.params.get(name, "").strip()
            for name in getattr(filterset_class, "search_params", ())
        )
        self.paginator = DeferredJoinPaginator(
            self.queryset,
            self.per_page,
            rows=queryset if rows is None else rows,
            count_with_page=searching,
            key=key,
        )
        self.page = self.paginator.get_page(self.params.get("page"))

    @property
    def is_valid(self):
        return self.filterset.is_valid()

    def errors(self):
        """(label, messages) of each filter value that was not understood (and ignored)."""
        form = self.filterset.form
        return [
            (form.fields[name].label if name in form.fields else name, " ".join(messages))
            for name, messages in self.filterset.errors.items()
        ]

    def notices(self):
        """What the query string held and the list did not read (too long, too many, …)."""
        notices = getattr(self.filterset, "notices", None)
        return notices() if notices else []

    def chips(self):
        """One removable chip per active filter value: (label, value text, URL without it)."""
        form = self.filterset.form
        if not form.is_bound:
            return []
        form.is_valid()
        chips = []
        for name, field in form.fields.items():
            if name in VIEW_PARAMS or field.widget.is_hidden and name != "producer":
                continue
            if name in form.errors:  # ignored: the notice names it, no chip pretends it applies
                continue
            # A single-valued field reads the last value only; the others apply to nothing.
            multiple = getattr(field.widget, "allow_multiple_selected", False)
            raws = self.params.getlist(name) if multiple else self.params.getlist(name)[-1:]
            for raw in raws:
                if raw == "":
                    continue
                chips.append((field.label, self._describe(field, raw), self._without(name, raw)))
        return chips

    @staticmethod
    def _describe(field, raw):
        choices = getattr(field, "choices", None)
        if choices:
            for value, label in choices:
                if isinstance(label, (list, tuple)):
                    continue
                key = getattr(value, "value", value)
                if str(key) == raw:
                    return str(label)
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                key = getattr(field, "to_field_name", None) or "pk"
                obj = queryset.filter(**{key: raw}).first()
                if obj is not None:
                    return str(obj)
        return raw

    def _without(self, name, raw):
        params = self.params.copy()
        params.setlist(name, [v for v in params.getlist(name) if v != raw])
        params.pop("page", None)
        return "?" + params.urlencode()

    def filter_query(self):
        """The query string of the filters and sort alone (for export and bulk actions)."""
        params = QueryDict(mutable=True)
        for key in self.params:
            if key not in {"page", "per_page", "view"}:
                params.setlist(key, [v for v in self.params.getlist(key) if v != ""])
        return params.urlencode()


class ChipsOfQueries:
    """``FilteredList.chips`` of many stored queries of one list, as (label, value text).

    For pages that describe many saved queries (the export history): one FilterSet for
    all of them, and one query per model filter (regency, category, producer…) for the
    values of the whole page, where a ``FilteredList`` per query would run several each.
    A value that names no row is left out, as the list ignores it; so is one outside the
    choices another filter allows, as the FilterSet's ``limited_by`` declares it:
    ``{"district": ("regency", "regency.code")}`` (a district's ``regency.code`` must be
    the ``regency`` value when one is given).
    """

    def __init__(self, filterset_class, request, queryset, queries):
        self.fields = filterset_class(None, queryset=queryset, request=request).form.fields
        self.limited_by = getattr(filterset_class, "limited_by", {})
        search_params = getattr(filterset_class, "search_params", ())
        self.params = {q: bound_query(QueryDict(q), search_params)[0] for q in set(queries)}
        self.names = {
            name: self._names_of(field, name)
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelChoiceField)
        }

    @staticmethod
    def _value(field, raw):
        """``raw`` as the model filter's lookup reads it, or None if it cannot."""
        meta = field.queryset.model._meta
        try:
            return (
                meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
            ).to_python(raw)
        except ValidationError:
            return None

    def _names_of(self, field, name):
        """{value: text} of every value of the filter ``name`` on the page."""
        key = field.to_field_name or "pk"
        values = {
            self._value(field, raw)
            for params in self.params.values()
            for raw in params.getlist(name)
        } - {None, ""}
        if not values:
            return {}
        rows = field.queryset.filter(**{f"{key}__in": values})
        return {getattr(row, key): row for row in rows}

    def _allowed(self, name, row, params):
        other, path = self.limited_by.get(name, (None, ""))
        wanted = params.get(other) if other else None
        if not wanted:
            return True
        value = row
        for attribute in path.split("."):
            value = getattr(value, attribute)
        return str(value) == wanted

    def chips(self, query):
        params = self.params[query]
        chips = []
        for name, field in self.fields.items():
            if name in VIEW_PARAMS or field.widget.is_hidden and name != "producer":
                continue
            multiple = getattr(field.widget, "allow_multiple_selected", False)
            raws = params.getlist(name) if multiple else params.getlist(name)[-1:]
            raws = [raw for raw in raws if raw != ""]
            if not raws:
                continue
            if name in self.names:
                rows = [self.names[name].get(self._value(field, raw)) for raw in raws]
                if None in rows or not all(self._allowed(name, r, params) for r in rows):
                    continue  # not understood: the list ignores the filter
                texts = [field.label_from_instance(row) for row in rows]
            else:
                try:
                    field.clean(raws if multiple else raws[0])
                except ValidationError:
                    continue
                texts = [FilteredList._describe(field, raw) for raw in raws]
            chips += [(field.label, text) for text in texts]
        return chips
