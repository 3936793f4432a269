from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackedModel(models.Model):
    """Base for records people edit: when and by whom they were created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def stamp(self, user):
        """Record ``user`` as the editor (and creator, for a new record) before saving."""
        if user is not None and user.is_authenticated:
            if self._state.adding and self.created_by_id is None:
                self.created_by = user
            self.updated_by = user


class VersionedModel(models.Model):
    """Base for records edited in forms: a version number that every save bumps.

    The optimistic lock of ``core.locking`` compares it with the version a form was opened
    at. A new record is version 1, so 0 never matches a stored row.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


from core.jobs.models import Job  # noqa: E402  (the app's models live in core.jobs too)

__all__ = ["Job", "TrackedModel", "VersionedModel"]
