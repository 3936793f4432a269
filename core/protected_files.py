"""Uploaded files that only some users may read: note photos, certificate documents, imports.

A model declares such a file with ``ProtectedFileField`` / ``ProtectedImageField`` and
names the view that serves it. That view (one per app, e.g. ``visits.file_views``) asks
the app's access helper about the object the file belongs to, answers 404 for what the
user may not see, and returns ``protected_file_response``:

- on local disk (or any storage without signed URLs) the file is streamed through
  Django's storage API with the inert headers of ``core.security.make_inert``;
- with object storage that signs URLs (django-storages S3) the allowed user is redirected
  to a URL signed for ``PROTECTED_URL_SECONDS`` — so a signed URL is only ever issued to
  someone the view let through, never written into a page.

The file's ``.url`` is the view's URL, so templates, form widgets and the admin link to the
check, never to the storage. The plain ``/media/`` route refuses the folders of these fields
(``is_protected``), so knowing or guessing a stored name does not help.

Responses are ``Cache-Control: private, no-store``: a shared cache must not hand a file to
the next user, and a browser should not keep one after logout (OWASP Session Management
Cheat Sheet, "Web Content Caching").
"""

import functools
import mimetypes
import posixpath

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import content_disposition_header

from core.security import DOWNLOAD_TYPES, INLINE_TYPES, make_inert

# Long enough for the browser to follow the redirect on a slow phone connection; a
# signed URL copied out of the address bar stops working soon after.
PROTECTED_URL_SECONDS = 60
CACHE_CONTROL = "private, no-store"


class ProtectedUrlMixin:
    """``.url`` of a protected file: the view that checks access (by the owner's pk)."""

    @property
    def url(self):
        self._require_file()
        return reverse(self.field.view_name, args=[self.instance.pk])


class ProtectedFieldFile(ProtectedUrlMixin, FieldFile):
    pass


class ProtectedImageFieldFile(ProtectedUrlMixin, ImageFieldFile):
    pass


class ProtectedFieldMixin:
    """A file field whose files are served by ``view_name`` only.

    It deconstructs as the plain Django field: the column and the storage are the same,
    only the URL differs, so switching a field to it needs no migration.
    """

    plain_path = ""

    def __init__(self, *args, view_name, **kwargs):
        self.view_name = view_name
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, self.plain_path, args, kwargs

    def clone(self):
        _name, _path, args, kwargs = self.deconstruct()
        return self.__class__(*args, view_name=self.view_name, **kwargs)

    @property
    def protected_folder(self):
        folder = getattr(self.upload_to, "folder", None)
        if folder is None and isinstance(self.upload_to, str):
            folder = self.upload_to.split("%", 1)[0]
        folder = (folder or "").strip("/")
        if not folder:
            raise ImproperlyConfigured(
                f"{self} needs an upload folder of its own so /media/ can refuse it"
            )
        return folder


class ProtectedFileField(ProtectedFieldMixin, models.FileField):
    attr_class = ProtectedFieldFile
    plain_path = "django.db.models.FileField"


class ProtectedImageField(ProtectedFieldMixin, models.ImageField):
    attr_class = ProtectedImageFieldFile
    plain_path = "django.db.models.ImageField"


@functools.cache
def protected_folders():
    """Upload folders of every protected field of every installed model."""
    return frozenset(
        field.protected_folder.lower()
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, ProtectedFieldMixin)
    )


def is_protected(name):
    """Is ``name`` (a stored name or a /media/ path) inside a protected folder?

    Normalised first, so ``products/../notes/x.jpg`` or ``//notes/x.jpg`` count too; and
    compared case-insensitively for storages on case-insensitive disks.
    """
    path = posixpath.normpath("/" + (name or "")).lstrip("/").lower()
    return any(path == folder or path.startswith(folder + "/") for folder in protected_folders())


def _signs_urls(storage):
    """Does ``storage.url`` give a signed, expiring URL (django-storages S3)?

    With a custom domain django-storages signs only through CloudFront; without a signer
    that URL would be public, so such files are streamed instead.
    """
    if not getattr(storage, "querystring_auth", False):
        return False
    return not getattr(storage, "custom_domain", None) or bool(
        getattr(storage, "cloudfront_signer", None)
    )


def _signed_url(storage, name, filename):
    """A short-lived URL whose answer carries the inert type and disposition too (S3's
    ``response-content-type`` / ``response-content-disposition`` overrides, AWS S3 API
    reference, GetObject)."""
    content_type, _encoding = mimetypes.guess_type(name)
    parameters = {"ResponseCacheControl": CACHE_CONTROL}
    if content_type in INLINE_TYPES:
        parameters["ResponseContentType"] = content_type
    else:
        parameters["ResponseContentType"] = (
            content_type if content_type in DOWNLOAD_TYPES else "application/octet-stream"
        )
        parameters["ResponseContentDisposition"] = content_disposition_header(
            as_attachment=True, filename=filename
        )
    return storage.url(name, parameters=parameters, expire=PROTECTED_URL_SECONDS)


def protected_file_response(field_file, *, filename=None):
    """The file, streamed inert or as a redirect to a signed URL; 404 if it is missing.

    Call it only after the view has checked that the user may see the file's owner.
    """
    if not field_file:
        raise Http404
    storage, name = field_file.storage, field_file.name
    filename = filename or posixpath.basename(name)
    if _signs_urls(storage):
        response = HttpResponseRedirect(_signed_url(storage, name, filename))
    else:
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = make_inert(FileResponse(handle), name, filename)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
