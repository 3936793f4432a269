"""Each FilterSet instance gets its own filters (core/filter_copies.py), as deep copies gave
it, without copying what nothing changes."""

import pytest
from django.http import QueryDict

from catalogue.filtersets import ProducerFilterSet, ProductFilterSet
from catalogue.models import Product
from regions.models import District

pytestmark = pytest.mark.django_db


def test_instances_have_filters_of_their_own():
    first, second = ProductFilterSet(QueryDict()), ProductFilterSet(QueryDict())
    for name, base in ProductFilterSet.base_filters.items():
        a, b = first.filters[name], second.filters[name]
        assert a is not base and a is not b, name
        assert a.extra is not base.extra and a.extra is not b.extra, name
        assert (a.parent, b.parent) == (first, second), name


def test_a_filters_queryset_set_on_one_instance_stays_with_it():
    narrowed = ProductFilterSet(QueryDict("regency=35.09"))
    everywhere = ProductFilterSet(QueryDict())
    assert set(narrowed.filters["district"].queryset.values_list("regency__code", flat=True)) == {
        "35.09"
    }
    assert everywhere.filters["district"].queryset.count() == District.objects.count()
    base = ProductFilterSet.base_filters["district"]
    assert base.queryset._result_cache is None  # the class's queryset is never evaluated
    assert base.queryset.count() == District.objects.count()


def test_a_method_filter_calls_its_own_filtersets_method(make_product, monkeypatch):
    make_product(name_id="Kursi drum")
    calls = []
    original = ProductFilterSet.search

    def search(self, queryset, name, value):
        calls.append(self)
        return original(self, queryset, name, value)

    monkeypatch.setattr(ProductFilterSet, "search", search)
    filterset = ProductFilterSet(QueryDict("q=kursi"), queryset=Product.objects.all())
    assert [p.name_id for p in filterset.qs] == ["Kursi drum"]
    assert calls == [filterset]


def test_every_list_filterset_copies_its_filters_so():
    from core.filter_copies import CopiedFilters

    for filterset_class in (ProductFilterSet, ProducerFilterSet):
        assert isinstance(filterset_class.base_filters, CopiedFilters)
