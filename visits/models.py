"""Delegation visits, their itineraries, the notes delegates write and what follows."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.photos import process_new_upload, validate_image_upload
from core.protected_files import ProtectedImageField
from core.uploads import RandomUploadPath
from visits.choices import FollowUpKind, FollowUpStatus, NoteVisibility, StopStatus, VisitStatus

note_photo_path = RandomUploadPath("notes")
note_thumbnail_path = RandomUploadPath("notes/thumbs")


class Visit(TrackedModel):
    title = models.CharField(_("title"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, default="TEC")
    purpose = models.TextField(_("purpose"), blank=True)
    start_date = models.DateField(_("from"), db_index=True)
    end_date = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegation members (users)"),
        blank=True,
        related_name="visits",
    )
    member_names = models.TextField(
        _("other delegation members"), blank=True, help_text=_("One name per line.")
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="visit_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%d.%m.%Y})"

    def get_absolute_url(self):
        return reverse("visit_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The visit cannot end before it starts.")})


class VisitStop(models.Model):
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="stops"
    )
    producer = models.ForeignKey(
        "catalogue.Producer",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="visit_stops",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    planned_at = models.DateTimeField(_("planned time"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StopStatus.choices, default=StopStatus.PLANNED
    )
    remarks = models.CharField(_("remarks"), max_length=255, blank=True)

    class Meta:
        ordering = ["visit", "position", "planned_at", "pk"]
        verbose_name = _("visit stop")
        verbose_name_plural = _("visit stops")

    def __str__(self):
        return f"{self.position}. {self.producer}"

    def get_absolute_url(self):
        return self.visit.get_absolute_url()


class VisitNote(models.Model):
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
    )
    stop = models.ForeignKey(
        VisitStop,
        verbose_name=_("stop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
    )
    producer = models.ForeignKey(
        "catalogue.Producer",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="notes",
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="visit_notes",
    )
    text = models.TextField(_("note"))
    interest = models.PositiveSmallIntegerField(
        _("interest (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    requested = models.JSONField(
        _("requested follow-ups"),
        default=list,
        blank=True,
        help_text=_("Kinds of follow-up the visitor asked for."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=NoteVisibility.choices,
        default=NoteVisibility.SHARED,
    )
    client_token = models.UUIDField(
        _("submission token"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Sent by the browser so that a note sent twice is stored once."),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("visit note")
        verbose_name_plural = _("visit notes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interest__isnull=True)
                | models.Q(interest__gte=1, interest__lte=5),
                name="note_interest_1_5",
            ),
        ]

    def __str__(self):
        return f"{self.producer}: {self.text[:60]}"

    def get_absolute_url(self):
        if self.visit_id:
            return self.visit.get_absolute_url() + f"#note-{self.pk}"
        return self.producer.get_absolute_url() + f"#note-{self.pk}"

    def clean(self):
        super().clean()
        unknown = set(self.requested or []) - set(FollowUpKind.values)
        if unknown:
            raise ValidationError({"requested": _("Unknown follow-up kind.")})
        if self.product_id and self.producer_id and self.product.producer_id != self.producer_id:
            raise ValidationError({"product": _("This product is not made by this producer.")})


class VisitNotePhoto(models.Model):
    note = models.ForeignKey(
        VisitNote, verbose_name=_("note"), on_delete=models.CASCADE, related_name="photos"
    )
    # Served by visits.file_views to those who may read the note (core.protected_files).
    image = ProtectedImageField(
        _("photo"),
        upload_to=note_photo_path,
        validators=[validate_image_upload],
        view_name="note_photo",
    )
    thumbnail = ProtectedImageField(
        _("thumbnail"),
        upload_to=note_thumbnail_path,
        blank=True,
        view_name="note_photo_thumbnail",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Processing(models.TextChoices):
        READY = "ready", _("Ready")
        PENDING = "pending", _("Being processed")
        FAILED = "failed", _("Could not be processed")

    # A note's photos are cleaned and thumbnailed by a background job (visits.photo_jobs):
    # until then the upload is kept as sent (in the protected notes/ folder, never served)
    # and the photo's views show a placeholder.
    processing = models.CharField(
        _("processing"), max_length=10, choices=Processing.choices, default=Processing.READY
    )
    processing_error = models.CharField(_("processing error"), max_length=20, blank=True)

    class Meta:
        ordering = ["note", "pk"]
        verbose_name = _("note photo")
        verbose_name_plural = _("note photos")

    def __str__(self):
        return self.image.name

    def save(self, *args, **kwargs):
        if self.processing == self.Processing.READY:
            process_new_upload(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("note_photo", args=[self.pk])

    @property
    def problem(self):
        """Why processing failed, in the reader's language."""
        if self.processing != self.Processing.FAILED:
            return ""
        return _("This photo could not be read; remove it and take it again.")


class FollowUp(TrackedModel):
    note = models.ForeignKey(
        VisitNote,
        verbose_name=_("note"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    producer = models.ForeignKey(
        "catalogue.Producer",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    description = models.TextField(_("what to do"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    due_date = models.DateField(_("due"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
        db_index=True,
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # What else a follow-up came out of, besides a note: any record of a higher app (a
    # buyer's inquiry), which visits may not import. Pages list them with the template
    # tag ``follow_ups_of`` (visits/templatetags/follow_up_sources.py).
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source type"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(_("source"), null=True, blank=True, editable=False)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        ordering = ["status", "due_date", "pk"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="followup_source")]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.producer}"

    def get_absolute_url(self):
        return reverse("followup_list") + f"#followup-{self.pk}"

    @property
    def is_open(self):
        return self.status in (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)

    @property
    def is_overdue(self):
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()
