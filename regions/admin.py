from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from regions.models import District, Regency


class DistrictInline(admin.TabularInline):
    model = District
    fields = ("code", "name")
    extra = 0
    show_change_link = True


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "abbreviation", "district_count", "producer_count")
    list_filter = ("kind",)
    search_fields = ("code", "name", "abbreviation")
    filter_horizontal = ("staff",)
    inlines = [DistrictInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                district_total=Count("districts", distinct=True),
                producer_total=Count("producers", distinct=True),
            )
        )

    @admin.display(description=_("districts"), ordering="district_total")
    def district_count(self, obj):
        return obj.district_total

    @admin.display(description=_("producers"), ordering="producer_total")
    def producer_count(self, obj):
        return obj.producer_total


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "regency")
    list_filter = ("regency",)
    search_fields = ("code", "name", "regency__name")
    autocomplete_fields = ("regency",)
    list_select_related = ("regency",)
