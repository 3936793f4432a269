"""Django admin for administrators: the site's titles and what every app's admin shares.

The staff UI is where people work; /admin/ is the administrators' tool for everything the
UI does not (yet) cover, so it shows every model and stamps edits like the UI does.
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.locking import WriteRefused
from core.models import Job, TrackedModel

admin.site.site_header = _("Etalase — Bakorwil V Jember")
admin.site.site_title = _("Etalase administration")
admin.site.index_title = _("Administration")

TRACKED_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")


def thumbnail_preview(photo, height=60):
    """A small <img> of a photo's thumbnail (photos carry ``image`` and ``thumbnail``)."""
    if photo is None or not photo.thumbnail:
        return "—"
    return format_html('<img src="{}" alt="" height="{}">', photo.thumbnail.url, height)


class TrackedAdminMixin:
    """Stamps who created and changed records, on the page's object and in its inlines.

    Put it before ``admin.ModelAdmin`` (or ``SimpleHistoryAdmin``) in the bases. Inlines
    that need more than the stamp (an uploader, a closing date) override ``prepare_inline``.
    """

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if issubclass(self.model, TrackedModel):
            fields += [name for name in TRACKED_FIELDS if name not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        if isinstance(obj, TrackedModel):
            obj.stamp(request.user)
        super().save_model(request, obj, form, change)

    def prepare_inline(self, request, instance, form):
        """Hook: adjust an inline row before it is saved."""

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, TrackedModel):
                obj.stamp(request.user)
            inline_form = next((f for f in formset.forms if f.instance is obj), None)
            self.prepare_inline(request, obj, inline_form)
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class WritePathAdminMixin:
    """For models saved through a write path that may refuse (``core.locking.WriteRefused``:
    an edit conflict, an unconfirmed step).

    The refusal leaves the page's transaction, which rolls back; the page is then built
    again from the same POST with the reason as a form error, so it comes back as an
    invalid form would: with everything the person entered (files must be chosen again).

    For a ``VersionedModel`` whose admin form is an ``OptimisticLockForm``: put
    ``"version"`` (the form's hidden lock field) and ``"stored_version"`` (read only) in
    the fieldsets.
    """

    # The model's version is not editable; the form's hidden field of that name replaces it.
    exclude: tuple[str, ...] = ("version",)

    @admin.display(description=_("version"))
    def stored_version(self, obj):
        return obj.version if obj is not None and obj.pk else "—"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WriteRefused as refused:
            request._etalase_refused_write = refused
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "_etalase_refused_write", None)
        if refused is None:
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned = super().clean()
                self.add_error(
                    refused.field if refused.field in self.fields else None, refused.message
                )
                return cleaned

        return RefusedForm


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs as they ran, for administrators; they change only through core.jobs.runner."""

    list_display = ["pk", "kind", "state", "owner", "done", "total", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["owner"]
    search_fields = ["kind", "subject", "owner__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
