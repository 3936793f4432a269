"""What the spreadsheet pages keep: each export (with row fingerprints for the export
history) and each uploaded import between preview and confirmation."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.protected_files import ProtectedFileField
from core.uploads import RandomUploadPath


class ExportRecord(models.Model):
    """One spreadsheet export: who, when, which filters, and a fingerprint of every row.

    The fingerprints let the export history say which products were added, removed or
    changed between two exports ("what is new since the last list we sent to TEC").
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="exports",
    )
    created_at = models.DateTimeField(_("exported at"), default=timezone.now, db_index=True)
    format = models.CharField(_("format"), max_length=10)
    kind = models.CharField(_("kind"), max_length=20, default="products")
    query = models.TextField(_("filters (query string)"), blank=True)
    filters_text = models.TextField(_("filters"), blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    fingerprints = models.JSONField(
        _("row fingerprints"), default=dict, blank=True, help_text=_("code → hash of the row")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.kind} {self.format} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("export_history") + f"#export-{self.pk}"


class ImportBatch(models.Model):
    """An uploaded product spreadsheet between preview and confirmation, and its outcome."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    # Served by catalogue.file_views to the uploader and administrators.
    file = ProtectedFileField(
        _("file"), upload_to=RandomUploadPath("imports"), view_name="import_file"
    )
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    changed_codes = models.JSONField(_("changed products"), default=list, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("product_import_preview", args=[self.pk])
