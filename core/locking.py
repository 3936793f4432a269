"""Optimistic locking for records people edit in forms: one version number per row.

An edit form carries the version its record had when the form was opened (a hidden
``version`` field, ``OptimisticLockForm``). Saving locks the stored row (SELECT … FOR
UPDATE) and compares: if someone saved in between, nothing is written and the editor is
told, with everything they typed still in the form; otherwise the record is written with
the next version. This is Fowler's "Optimistic Offline Lock" (*Patterns of Enterprise
Application Architecture*). Models carry the number through ``core.models.VersionedModel``.
"""

from django import forms
from django.utils.translation import gettext


class WriteRefused(Exception):
    """A write path wrote nothing; ``message`` tells the editor why and ``field`` names the
    form field it concerns (None: the form as a whole)."""

    field: str | None = None

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class EditConflict(WriteRefused):
    """The record was saved by someone else after the form was opened."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            gettext(
                "Someone else saved this %(object)s (version %(theirs)s) after you opened it. "
                "Your changes were not saved: open the %(object)s again to see theirs."
            )
            % {"object": current._meta.verbose_name, "theirs": current.version}
        )


def lock_version(instance, version=None):
    """Lock the stored row of ``instance`` until the transaction ends and check ``version``.

    ``version`` is the version the editor started from (``OptimisticLockForm``), or None
    for writes that do not start from a form (a status change made by code). Raises
    ``EditConflict`` if the row was saved since; otherwise gives ``instance`` the next
    version and returns the stored row as it was before this write. A new record (no
    primary key yet) has nothing to lock: None. Call it inside ``transaction.atomic``.
    """
    if instance.pk is None:
        return None
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if version is not None and version != current.version:
        raise EditConflict(current)
    instance.version = current.version + 1
    return current


class OptimisticLockForm(forms.Form):
    """Mixin for ModelForms of a ``VersionedModel``: the hidden ``version`` field.

    Put it before ``forms.ModelForm`` in the bases and pass ``form.cleaned_data["version"]``
    to the write path, which calls ``lock_version``.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.fields["version"].initial = instance.version

    def clean_version(self):
        """The version the form was opened at; for a stored record whose form lost it, 0
        (never a stored version: the save is refused rather than written blind)."""
        version = self.cleaned_data.get("version")
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk is not None:
            return 0
        return version
