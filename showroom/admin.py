"""The Django admin of collections, share links and exchange rates (administrators only).

Saves go through ``showroom.collection_writes`` as on the staff pages; the token, the
revocation and the view count are not edited here (revoke on the collection page).
"""

from django.contrib import admin

from core.admin import TrackedAdminMixin
from showroom.collection_writes import save_collection
from showroom.models import Collection, CollectionItem, ExchangeRate, ShareLink


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    fields = ("position", "product")
    raw_id_fields = ("product",)


class ShareLinkInline(admin.TabularInline):
    model = ShareLink
    extra = 0
    fields = ("label", "expires_at", "show_prices", "revoked_at", "view_count")
    readonly_fields = ("revoked_at", "view_count")

    def has_add_permission(self, request, obj=None):
        return False  # links are made on the collection page (collection_writes.create_link)


@admin.register(Collection)
class CollectionAdmin(TrackedAdminMixin, admin.ModelAdmin):
    list_display = ("name_id", "name_zh", "regency", "updated_at")
    list_filter = ("regency",)
    list_select_related = ("regency",)
    search_fields = ("name_id", "name_en", "name_zh")
    inlines = [CollectionItemInline, ShareLinkInline]

    def save_model(self, request, obj, form, change):
        save_collection(obj, request.user)


@admin.register(ShareLink)
class ShareLinkAdmin(TrackedAdminMixin, admin.ModelAdmin):
    list_display = ("label", "collection", "expires_at", "revoked_at", "show_prices", "view_count")
    list_filter = ("show_prices",)
    list_select_related = ("collection",)
    search_fields = ("label", "collection__name_id")
    readonly_fields = ("token", "revoked_at", "revoked_by", "view_count", "last_viewed_at")
    raw_id_fields = ("collection",)

    def has_add_permission(self, request):
        return False  # links are made on the collection page (collection_writes.create_link)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(TrackedAdminMixin, admin.ModelAdmin):
    list_display = ("valid_on", "idr_per_cny", "created_by")
    list_select_related = ("created_by",)
    date_hierarchy = "valid_on"
