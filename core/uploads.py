"""Uploads: random stored names, and a form field taking several photos at once."""

import uuid
from pathlib import PurePosixPath

from django import forms
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from core.photos import validate_image_upload


@deconstructible
class RandomUploadPath:
    """upload_to giving a random file name under ``folder`` (never the uploader's name)."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        suffix = PurePosixPath(filename).suffix.lower()[:8]
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, RandomUploadPath) and other.folder == self.folder


MAX_PHOTOS_PER_UPLOAD = 12


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one ``<input type=file multiple>``, each checked like a single one."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS_PER_UPLOAD:
            raise forms.ValidationError(
                _("Upload at most %(n)s photos at a time."), params={"n": MAX_PHOTOS_PER_UPLOAD}
            )
        errors = []
        for upload in files:
            try:
                super().clean(upload, initial)
                validate_image_upload(upload)
            except forms.ValidationError as exc:
                errors.extend(f"{upload.name}: {message}" for message in exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files
