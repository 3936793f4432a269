"""Certificate documents: a PDF, or a scan or photo of the paper certificate.

Anything else (a renamed text file, an HTML page, a spreadsheet) is refused with a clear
message instead of being stored and later downloaded by a buyer's partner. The content is
checked, not only the name: a PDF starts with ``%PDF-``; an image must open as JPEG, PNG or
WebP.
"""

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".webp"}


def _is_image(upload):
    try:
        with Image.open(upload) as image:
            return image.format in IMAGE_FORMATS
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def validate_certificate_document(upload):
    """Refuse an uploaded document that is not a PDF, JPEG, PNG or WebP file (≤ 10 MB)."""
    if not isinstance(upload, UploadedFile):
        return  # the document already stored: checked when it was uploaded
    if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The document is %(size)s MB; the limit is 10 MB."),
            code="too_large",
            params={"size": f"{upload.size / 1024 / 1024:.1f}"},
        )
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    valid = suffix in SUFFIXES and (head == b"%PDF-" if suffix == ".pdf" else _is_image(upload))
    upload.seek(0)
    if not valid:
        raise ValidationError(
            _("Upload the certificate as a PDF file, or as a JPEG, PNG or WebP scan or photo."),
            code="unsupported_document",
        )
