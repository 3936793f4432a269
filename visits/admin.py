from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.admin import TrackedAdminMixin, thumbnail_preview
from visits.choices import FollowUpKind
from visits.models import FollowUp, Visit, VisitNote, VisitNotePhoto, VisitStop
from visits.services import track_closing


class VisitStopInline(admin.TabularInline):
    model = VisitStop
    fields = ("position", "producer", "planned_at", "status", "remarks")
    autocomplete_fields = ("producer",)
    ordering = ("position", "planned_at", "pk")
    extra = 0
    show_change_link = True


class VisitNoteInline(admin.TabularInline):
    """Notes are written in the note page or on their own admin page; here they are listed."""

    model = VisitNote
    fields = ("created_at", "producer", "product", "author", "interest", "excerpt")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("producer", "product", "author")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("note"))
    def excerpt(self, obj):
        return Truncator(obj.text).chars(80)


@admin.register(Visit)
class VisitAdmin(TrackedAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "organisation",
        "start_date",
        "end_date",
        "status",
        "stop_count",
        "note_count",
    )
    list_filter = ("status", "organisation")
    search_fields = ("title", "organisation", "purpose", "member_names")
    autocomplete_fields = ("members",)
    date_hierarchy = "start_date"
    inlines = [VisitStopInline, VisitNoteInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                stop_total=Count("stops", distinct=True), note_total=Count("notes", distinct=True)
            )
        )

    @admin.display(description=_("stops"), ordering="stop_total")
    def stop_count(self, obj):
        return obj.stop_total

    @admin.display(description=_("notes"), ordering="note_total")
    def note_count(self, obj):
        return obj.note_total


@admin.register(VisitStop)
class VisitStopAdmin(admin.ModelAdmin):
    list_display = ("__str__", "visit", "producer", "planned_at", "status")
    list_filter = ("status", "visit")
    list_select_related = ("visit", "producer")
    search_fields = ("producer__name", "producer__code", "visit__title", "remarks")
    autocomplete_fields = ("visit", "producer")


class VisitNotePhotoInline(admin.TabularInline):
    model = VisitNotePhoto
    fields = ("preview", "image")
    readonly_fields = ("preview",)
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return thumbnail_preview(obj)


class FollowUpInlineForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ("kind", "description", "producer", "product", "owner", "due_date", "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].required = False
        self.fields["producer"].help_text = _("Leave empty for the note's producer.")


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    form = FollowUpInlineForm
    fk_name = "note"
    fields = ("kind", "description", "producer", "product", "owner", "due_date", "status")
    autocomplete_fields = ("producer", "product", "owner")
    extra = 0


@admin.register(VisitNote)
class VisitNoteAdmin(TrackedAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "excerpt",
        "producer",
        "product",
        "visit",
        "author",
        "interest",
        "visibility",
    )
    list_display_links = ("created_at", "excerpt")
    list_filter = ("visibility", "interest", "visit")
    list_select_related = ("producer", "product", "visit", "author")
    search_fields = (
        "text",
        "producer__name",
        "producer__code",
        "product__code",
        "product__name_id",
    )
    autocomplete_fields = ("visit", "stop", "producer", "product", "author")
    date_hierarchy = "created_at"
    readonly_fields = ("client_token", "updated_at")
    inlines = [VisitNotePhotoInline, FollowUpInline]

    @admin.display(description=_("note"))
    def excerpt(self, obj):
        return Truncator(obj.text).chars(60)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "requested":
            # A JSON list of FollowUpKind values, ticked rather than typed.
            return forms.MultipleChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                choices=FollowUpKind.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def prepare_inline(self, request, instance, form):
        if isinstance(instance, FollowUp):
            if instance.producer_id is None:
                instance.producer_id = instance.note.producer_id
            track_closing(instance, request.user)


@admin.register(VisitNotePhoto)
class VisitNotePhotoAdmin(admin.ModelAdmin):
    list_display = ("preview", "__str__", "note", "processing", "created_at")
    list_display_links = ("preview", "__str__")
    list_select_related = ("note__producer",)
    search_fields = ("note__text", "note__producer__name")
    autocomplete_fields = ("note",)
    date_hierarchy = "created_at"
    fields = ("note", "preview", "image", "processing", "created_at")
    readonly_fields = ("preview", "processing", "created_at")

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return thumbnail_preview(obj)


@admin.register(FollowUp)
class FollowUpAdmin(TrackedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "product", "owner", "due_date", "status", "overdue")
    list_filter = ("status", "kind", "owner")
    list_select_related = ("producer", "product", "owner")
    search_fields = ("description", "producer__name", "producer__code", "product__code")
    autocomplete_fields = ("note", "producer", "product", "owner")
    date_hierarchy = "due_date"
    readonly_fields = ("closed_by", "closed_at")

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue

    def save_model(self, request, obj, form, change):
        track_closing(obj, request.user)
        super().save_model(request, obj, form, change)
