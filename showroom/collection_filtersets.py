"""The FilterSet of the collection list (``core.listing.ListQuery`` reads it)."""

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from catalogue.filtersets import SortFilter
from core.query_bounds import BoundedFilterSet
from regions.models import Regency
from showroom.models import Collection


class CollectionFilterSet(BoundedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name in any language")}),
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Regency"),
        to_field_name="code",
        queryset=Regency.objects.all(),
        empty_label=_("All regencies"),
    )
    sort = SortFilter(
        label=_("Sort"),
        by={"name": lambda: Lower("name_id")},
        tiebreak="pk",
        fields=[("name_id", "name"), ("regency__code", "regency"), ("updated_at", "updated")],
    )

    class Meta:
        model = Collection
        fields: list[str] = []

    def search(self, queryset, name, value):
        """Every word in one of the three names (the search is bounded to ten words)."""
        for word in value.split():
            queryset = queryset.filter(
                Q(name_id__icontains=word) | Q(name_en__icontains=word) | Q(name_zh__icontains=word)
            )
        return queryset
