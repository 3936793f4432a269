from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import (
    Category,
    Certification,
    ExportRecord,
    HSCode,
    Producer,
    Product,
    ProductPhoto,
    StatusChange,
    Tag,
)
from catalogue.producer_writes import save_producer
from catalogue.product_writes import gap_labels, save_product
from catalogue.readiness import RULES_BY_KEY
from catalogue.resources import ProductResource
from core.admin import TrackedAdminMixin, WritePathAdminMixin, thumbnail_preview
from core.admin_formats import SafeExportMixin
from core.locking import OptimisticLockForm

# The record part of the producer and product pages: the version the form was opened at
# (the optimistic lock), the stored version, and who made and changed the record, when.
RECORD_FIELDSET = (
    _("Record"),
    {
        "fields": (
            "version",
            "stored_version",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
        )
    },
)


@admin.register(HSCode)
class HSCodeAdmin(admin.ModelAdmin):
    list_display = ("dotted", "description", "level", "regional")
    list_filter = ("level", "regional")
    search_fields = ("code", "description")
    ordering = ("code",)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "name_zh", "slug", "parent", "profile", "position")
    list_filter = ("profile", "parent")
    list_editable = ("position",)
    list_select_related = ("parent",)
    search_fields = ("name", "name_en", "name_zh", "slug")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "name_zh", "slug", "product_count")
    search_fields = ("name", "name_en", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_total=Count("products"))

    @admin.display(description=_("products"), ordering="product_total")
    def product_count(self, obj):
        return obj.product_total


class ProducerAdminForm(OptimisticLockForm, forms.ModelForm):
    class Meta:
        model = Producer
        # The admin builds the form from ProducerAdmin.fieldsets, which name every field.
        fields = "__all__"  # noqa: DJ007


@admin.register(Producer)
class ProducerAdmin(WritePathAdminMixin, TrackedAdminMixin, SimpleHistoryAdmin):
    """The district must lie in the regency: ``Producer.clean`` checks it on save.

    Saved through ``catalogue.producer_writes``, with the optimistic lock of the edit page.
    """

    form = ProducerAdminForm

    list_display = (
        "code",
        "name",
        "kind",
        "regency",
        "district",
        "has_exported",
        "product_count",
        "updated_at",
    )
    list_filter = ("kind", "regency", "has_exported")
    list_select_related = ("regency", "district")
    search_fields = ("code", "name", "contact_person", "village", "nib", "phone", "whatsapp")
    autocomplete_fields = ("regency", "district")
    date_hierarchy = "updated_at"
    fieldsets = (
        (None, {"fields": ("code", "name", "kind")}),
        (_("Description"), {"fields": ("description_id", "description_en", "description_zh")}),
        (
            _("Location"),
            {"fields": ("regency", "district", "village", "address", "latitude", "longitude")},
        ),
        (_("Contact"), {"fields": ("contact_person", "phone", "whatsapp", "email")}),
        (
            _("Business"),
            {"fields": ("nib", "year_founded", "workers", "has_exported", "export_experience")},
        ),
        RECORD_FIELDSET,
    )
    readonly_fields = ("stored_version",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_total=Count("products"))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Codes are stable keys used in URLs and spreadsheets: set once, never changed.
        return [*fields, "code"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        save_producer(obj, request.user, version=form.cleaned_data.get("version"))

    @admin.display(description=_("products"), ordering="product_total")
    def product_count(self, obj):
        return obj.product_total


class ProductPhotoInline(admin.TabularInline):
    model = ProductPhoto
    fields = ("preview", "image", "caption", "position", "is_primary")
    readonly_fields = ("preview",)
    extra = 0
    ordering = ("-is_primary", "position", "pk")

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return thumbnail_preview(obj)


class CertificationInline(admin.TabularInline):
    model = Certification
    fields = ("kind", "number", "issuer", "issued_on", "expires_on", "document")
    extra = 0


class StatusChangeInline(admin.TabularInline):
    """The promotion log, read-only: it is written by status changes, never by hand."""

    model = StatusChange
    fields = ("changed_at", "from_status", "to_status", "reason", "changed_by", "overrode_gaps")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProductAdminForm(OptimisticLockForm, forms.ModelForm):
    status_reason = forms.CharField(
        label=_("reason for the status change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored in the status log when the promotion status changes."),
    )

    class Meta:
        model = Product
        # The admin builds the form from ProductAdmin.fieldsets, which name every field.
        fields = "__all__"  # noqa: DJ007


@admin.register(Product)
class ProductAdmin(
    WritePathAdminMixin, SafeExportMixin, ExportMixin, TrackedAdminMixin, SimpleHistoryAdmin
):
    """Saved with its photos and certifications through ``catalogue.product_writes``, as
    the edit page saves them: optimistic lock, readiness recomputed once, status log.

    Export only: products are imported on /products/import/, which checks every row first,
    shows conflicts with newer edits and the readiness gate (one import path).
    """

    form = ProductAdminForm
    resource_classes = [ProductResource]
    list_display = (
        "code",
        "name_id",
        "producer",
        "category",
        "status",
        "readiness_score",
        "packaging_status",
        "price_idr",
        "updated_at",
    )
    list_filter = ("status", "packaging_status", "category", "producer__regency", "producer__kind")
    list_select_related = ("producer", "category")
    search_fields = (
        "code",
        "name_id",
        "name_en",
        "name_zh",
        "materials_id",
        "producer__code",
        "producer__name",
        "hs_code__code",
    )
    autocomplete_fields = ("producer", "category", "hs_code", "tags")
    date_hierarchy = "updated_at"
    history_list_display = ("status", "readiness_score")
    inlines = [ProductPhotoInline, CertificationInline, StatusChangeInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "producer",
                    "category",
                    "status",
                    "status_reason",
                    "not_suitable_reason",
                    "tags",
                )
            },
        ),
        (
            _("Names and descriptions"),
            {
                "fields": (
                    "name_id",
                    "name_en",
                    "name_zh",
                    "description_id",
                    "description_en",
                    "description_zh",
                )
            },
        ),
        (
            _("Specification"),
            {
                "fields": (
                    "materials_id",
                    "materials_en",
                    "materials_zh",
                    ("length_cm", "width_cm", "height_cm"),
                    "weight_kg",
                    "unit",
                )
            },
        ),
        (
            _("Trade"),
            {
                "fields": (
                    "price_idr",
                    "moq",
                    "capacity_per_month",
                    "lead_time_days",
                    "hs_code",
                    "origin_criterion",
                )
            },
        ),
        (
            _("Food and storage"),
            {
                "fields": (
                    "shelf_life_days",
                    "storage_conditions_id",
                    "storage_conditions_en",
                    "storage_conditions_zh",
                    "label_status",
                    "gacc_route",
                    "batch_coding",
                    "importer_known",
                )
            },
        ),
        (
            _("Packaging"),
            {
                "fields": (
                    "packaging_description_id",
                    "packaging_description_en",
                    "packaging_description_zh",
                    "packaging_status",
                    "wood_packaging",
                )
            },
        ),
        (_("Export readiness for China"), {"fields": ("readiness_score", "readiness_gap_list")}),
        (_("Text completeness"), {"fields": ("completeness_en", "completeness_zh")}),
        RECORD_FIELDSET,
    )
    readonly_fields = (
        "readiness_score",
        "readiness_gap_list",
        "completeness_en",
        "completeness_zh",
        "stored_version",
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "code"] if obj is not None else fields

    @admin.display(description=_("what is missing"))
    def readiness_gap_list(self, obj):
        if obj is None or not obj.readiness_gaps:
            return "—"
        labels = [RULES_BY_KEY[k].label if k in RULES_BY_KEY else k for k in obj.readiness_gaps]
        return format_html_join("", "<div>{}</div>", ((label,) for label in labels))

    def save_model(self, request, obj, form, change):
        """Nothing yet: ``save_related`` writes the product together with its inlines."""

    def save_related(self, request, form, formsets, change):
        """The product, its tags, photos and certifications in one write.

        Administrators may move a product on past the readiness gate without ticking a
        box; the status step records the gaps they overrode, as a confirmed move in the
        staff UI does, and the page says which they were.
        """

        def save_rows(product):
            super(ProductAdmin, self).save_related(request, form, formsets, change)
            return [row for formset in formsets for row in getattr(formset, "new_objects", ())]

        step = save_product(
            form.instance,
            request.user,
            version=form.cleaned_data.get("version"),
            status_reason=form.cleaned_data.get("status_reason", ""),
            confirm_gaps=True,
            save_related=save_rows,
        )
        if step is not None and step.overrode_gaps:
            messages.warning(
                request,
                _("Moved on despite open readiness gaps: %(gaps)s.")
                % {"gaps": gap_labels(step.overrode_gaps)},
            )

    def prepare_inline(self, request, instance, form):
        if isinstance(instance, ProductPhoto) and instance.uploaded_by_id is None:
            instance.uploaded_by = request.user


@admin.register(ProductPhoto)
class ProductPhotoAdmin(admin.ModelAdmin):
    list_display = ("preview", "__str__", "product", "position", "is_primary", "created_at")
    list_display_links = ("preview", "__str__")
    list_filter = ("is_primary",)
    list_select_related = ("product",)
    search_fields = ("caption", "product__code", "product__name_id")
    autocomplete_fields = ("product", "uploaded_by")
    date_hierarchy = "created_at"
    fields = (
        "product",
        "preview",
        "image",
        "caption",
        "position",
        "is_primary",
        "uploaded_by",
        "created_at",
    )
    readonly_fields = ("preview", "created_at")

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return thumbnail_preview(obj)

    def save_model(self, request, obj, form, change):
        if obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Certification)
class CertificationAdmin(TrackedAdminMixin, admin.ModelAdmin):
    list_display = ("product", "kind", "number", "issuer", "issued_on", "expires_on")
    list_filter = ("kind", "expires_on")
    list_select_related = ("product",)
    search_fields = ("number", "issuer", "product__code", "product__name_id")
    autocomplete_fields = ("product",)
    date_hierarchy = "expires_on"


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """View only: the log is written when a status changes (here, in the UI, in imports)."""

    list_display = ("changed_at", "product", "from_status", "to_status", "changed_by")
    list_filter = ("to_status", "from_status")
    list_select_related = ("product", "changed_by")
    search_fields = ("product__code", "product__name_id", "reason")
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """Read only: written by every spreadsheet export (see the "Export history" page)."""

    list_display = ("created_at", "user", "kind", "format", "row_count", "filters_text")
    list_filter = ("kind", "format")
    list_select_related = ("user",)
    search_fields = ("user__username", "filters_text", "query")
    date_hierarchy = "created_at"
    exclude = ("fingerprints",)
    readonly_fields = ("fingerprint_count",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("fingerprints")

    @admin.display(description=_("products or producers recorded"))
    def fingerprint_count(self, obj):
        return len(obj.fingerprints)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
