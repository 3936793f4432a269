"""Cheaper copies of a FilterSet's filters, made for every FilterSet built.

django-filter deep-copies a FilterSet class's filters for each instance
(``copy.deepcopy(self.base_filters)``), and with them every queryset, widget, validator
and list of choices their arguments hold: ~1,000 objects and a quarter of building the
product list's FilterSet. An instance only sets attributes on its filters (``model``,
``parent``, a district's ``queryset``), and django-filter writes a filter's queryset into
its ``extra``; so a copy of each filter, of its ``extra`` and of its querysets
(``.all()``: the class's stay unevaluated) keeps the instances apart just as well.
"""

import copy

from django.db.models import QuerySet
from django_filters.filters import FilterMethod
from django_filters.filterset import FilterSetMetaclass


def copy_filter(filter_):
    clone = copy.copy(filter_)
    clone.__dict__.pop("_field", None)  # each instance builds its own form field
    clone.extra = {
        key: value.all() if isinstance(value, QuerySet) else value
        for key, value in filter_.extra.items()
    }
    if isinstance(getattr(filter_, "queryset", None), QuerySet):
        clone.queryset = filter_.queryset.all()
    if isinstance(clone.__dict__.get("filter"), FilterMethod):
        clone.filter = FilterMethod(clone)  # it calls the method of its own filter's parent
    return clone


class CopiedFilters(dict):
    """A FilterSet class's filters; ``copy.deepcopy`` of it copies as described above."""

    def __deepcopy__(self, memo):
        return {name: copy_filter(filter_) for name, filter_ in self.items()}


class CopiedFiltersMetaclass(FilterSetMetaclass):
    def __new__(cls, name, bases, attrs):
        new_class = super().__new__(cls, name, bases, attrs)
        new_class.base_filters = CopiedFilters(new_class.base_filters)
        return new_class
