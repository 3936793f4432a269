"""Uploaded photos: checked by opening them, cleaned of metadata, thumbnailed once.

Used for product photos and visit-note photos alike. EXIF is dropped because phone photos
carry the GPS position of producers' homes.
"""

import io
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# MPO is how Pillow names a JPEG with extra preview frames (the MPF extension that many
# Samsung and Apple phone cameras write); it is a JPEG for our purposes.
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
THUMBNAIL_SIZE = (480, 480)

# Pillow raises DecompressionBombError above twice this; we refuse above it ourselves.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def validate_image_upload(upload):
    """Refuse anything that is not a real, reasonably sized image."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The photo is %(size)s MB; the limit is 10 MB."),
            code="too_large",
            params={"size": f"{size / 1024 / 1024:.1f}"},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The photo has %(mp)s megapixels; the limit is 40."),
                    code="too_many_pixels",
                    params={"mp": f"{width * height / 1e6:.0f}"},
                )
            _decode(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The photo is too large in pixels (limit 40 megapixels)."), code="too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not a photo we can read. Upload a JPEG, PNG or WebP image."),
            code="not_an_image",
        ) from exc
    finally:
        upload.seek(position)
    if kind not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Photos must be JPEG, PNG, WebP or GIF images."), code="unsupported_format"
        )


def _decode(image):
    """Read the whole image so that truncated or corrupt files fail here, not on save.

    ``verify()`` checks little for JPEG, so JPEGs are decoded, at 1/8 scale (the whole
    stream is still read) to keep a 40-megapixel photo cheap. PNG's ``verify()`` reads
    every chunk and checks its checksum without holding the pixels in memory.
    """
    if image.format == "PNG":
        image.verify()
        return
    if image.format in ("JPEG", "MPO"):
        image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()


def _encode(image, stem):
    """Encode as JPEG (or PNG when the image has transparency), with no metadata."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    # The colour profile says nothing about where a photo was taken; keeping it keeps
    # wide-gamut phone photos from looking washed out.
    icc_profile = image.info.get("icc_profile")
    out = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(out, "PNG", optimize=True, icc_profile=icc_profile)
        suffix = ".png"
    else:
        image.convert("RGB").save(
            out, "JPEG", quality=86, optimize=True, progressive=True, icc_profile=icc_profile
        )
        suffix = ".jpg"
    return ContentFile(out.getvalue(), name=f"{stem}{suffix}")


def clean_image(upload):
    """A copy of the upload, turned upright, with EXIF/GPS and other metadata dropped."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        if upright.mode not in ("RGB", "RGBA", "L", "LA"):
            # Palette, CMYK, 1-bit, 16-bit...: pasting them into a blank image of the same
            # mode would lose the palette, so turn them into plain RGB(A) first.
            has_alpha = "transparency" in upright.info or upright.mode in ("PA", "RGBa")
            upright = upright.convert("RGBA" if has_alpha else "RGB")
        # A fresh image carries none of the upload's metadata (EXIF, GPS, XMP, comments).
        clean = Image.new(upright.mode, upright.size)
        clean.paste(upright)
        if "transparency" in upright.info:
            clean.info["transparency"] = upright.info["transparency"]
        if "icc_profile" in upright.info:
            clean.info["icc_profile"] = upright.info["icc_profile"]
        stem = PurePosixPath(getattr(upload, "name", "photo") or "photo").stem
        return _encode(clean, stem)


def make_thumbnail(file, size=THUMBNAIL_SIZE):
    """A small JPEG/PNG for lists and galleries (lists never load originals)."""
    file.seek(0)
    with Image.open(file) as image:
        image.load()
        thumb = ImageOps.exif_transpose(image)
        thumb.thumbnail(size, Image.Resampling.LANCZOS)
        stem = PurePosixPath(getattr(file, "name", "thumb") or "thumb").stem
        return _encode(thumb, stem)


def process_new_upload(instance):
    """For a model with ``image`` and ``thumbnail``: clean a fresh upload, add a thumbnail."""
    if instance.image and not getattr(instance.image, "_committed", True):
        cleaned = clean_image(instance.image.file)
        instance.image.save(cleaned.name, cleaned, save=False)
        instance.thumbnail.delete(save=False) if instance.thumbnail else None
    if instance.image and not instance.thumbnail:
        thumb = make_thumbnail(instance.image.file)
        instance.thumbnail.save(thumb.name, thumb, save=False)
        instance.image.close()
