from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class StopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    VISITED = "visited", _("Visited")
    SKIPPED = "skipped", _("Skipped")


class FollowUpKind(models.TextChoices):
    SAMPLES = "samples", _("Samples")
    PRICE_QUOTE = "price_quote", _("Price quote")
    SPEC_CHANGE = "spec_change", _("Spec change")
    PACKAGING = "packaging", _("Packaging improvement")
    CERTIFICATION = "certification", _("Certification")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("follow-up status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class NoteVisibility(models.TextChoices):
    SHARED = "shared", _("Shared with the team")
    PRIVATE = "private", _("Private (author and staff)")
