"""Uploaded photos: checked by opening them, cleaned of metadata, thumbnailed once.

Used for product photos and visit-note photos alike. EXIF is dropped because phone photos
carry the GPS position of producers' homes. What is stored is a fresh copy of at most
``STORED_MAX_SIDE`` px, decoded once at bounded memory by ``core.images``.
"""

import io
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from core import images as core_images

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Images that cannot be decoded at reduced size or in strips (WebP, interlaced or 16-bit
# PNG) are held whole, at 4 bytes a pixel or more (Pillow's WebP decoder ~18 bytes a
# pixel: 40 megapixels cost 715 MB); this keeps them near 200 MB. Camera photos are JPEG.
MAX_WHOLE_DECODE_PIXELS = 8_000_000
# MPO is how Pillow names a JPEG with extra preview frames (the MPF extension that many
# Samsung and Apple phone cameras write); it is a JPEG for our purposes.
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
THUMBNAIL_SIZE = (480, 480)
# The stored "original" is at most this many pixels on its longer side, as field and
# messaging apps store photos: a 12-megapixel phone photo keeps 3000 × 2250, enough for
# the detail page and the printed lookbook, and a 40-megapixel upload no longer costs
# a 40-megapixel re-encode (benchmarks/uploads.py).
STORED_MAX_SIDE = 3000

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
            if kind not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Photos must be JPEG, PNG, WebP or GIF images."), code="unsupported_format"
                )
            if width * height > MAX_WHOLE_DECODE_PIXELS and core_images.decodes_whole(
                image, upload
            ):
                raise ValidationError(
                    _(
                        "The photo has %(mp)s megapixels; in this format (WebP, or PNG that is "
                        "interlaced or has 16 bits a channel) the limit is %(limit)s. Save it "
                        "as JPEG, or make it smaller."
                    ),
                    code="too_many_pixels",
                    params={
                        "mp": f"{width * height / 1e6:.0f}",
                        "limit": MAX_WHOLE_DECODE_PIXELS // 1_000_000,
                    },
                )
            _decode(image, upload)
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


def _decode(image, upload):
    """Read the whole image so that truncated or corrupt files fail here, not on save.

    ``verify()`` checks little for JPEG, so JPEGs are decoded, at 1/8 scale (the whole
    stream is still read) to keep a 40-megapixel photo cheap. A PNG read in strips has every
    chunk's checksum verified and its pixel data inflated piece by piece, without holding
    the pixels; other PNGs (at most ``MAX_WHOLE_DECODE_PIXELS``) are decoded.
    """
    if image.format == "PNG" and not core_images.decodes_whole(image, upload):
        image.verify()
        if not core_images.png_pixel_data_is_whole(upload):
            raise OSError("damaged PNG image data")
        return
    if image.format in ("JPEG", "MPO"):
        image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()


def _encode(image, stem):
    """Encode as JPEG (or PNG when the image has an alpha channel), with no metadata."""
    # The colour profile says nothing about where a photo was taken; keeping it keeps
    # wide-gamut phone photos from looking washed out.
    icc_profile = image.info.get("icc_profile")
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA"):
        image.save(out, "PNG", compress_level=6, icc_profile=icc_profile)
        suffix = ".png"
    else:
        image.save(
            out, "JPEG", quality=86, optimize=True, progressive=True, icc_profile=icc_profile
        )
        suffix = ".jpg"
    return ContentFile(out.getvalue(), name=f"{stem}{suffix}")


def _stem(file, default):
    return PurePosixPath(getattr(file, "name", default) or default).stem


def _thumbnail_of(image, size):
    """``image`` scaled down (never up) to fit in ``size``, as ``Image.thumbnail`` does."""
    scale = min(1, size[0] / image.width, size[1] / image.height)
    box = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    thumb = image.resize(box, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if "icc_profile" in image.info:
        thumb.info["icc_profile"] = image.info["icc_profile"]
    return thumb


def clean_image(upload):
    """The upload turned upright, at most ``STORED_MAX_SIDE`` px, with no metadata; and its
    thumbnail (``(image, thumbnail)`` as files to save).

    Decoded once, at reduced size where the format allows (``core.images``); a fresh image
    carries none of the upload's metadata (EXIF, GPS, XMP, comments).
    """
    bounded = core_images.decode_bounded(upload, STORED_MAX_SIDE)
    stem = _stem(upload, "photo")
    return _encode(bounded, stem), _encode(_thumbnail_of(bounded, THUMBNAIL_SIZE), stem)


def make_thumbnail(file, size=THUMBNAIL_SIZE):
    """A small JPEG/PNG for lists and galleries (lists never load originals)."""
    bounded = core_images.decode_bounded(file, max(size))
    return _encode(_thumbnail_of(bounded, size), _stem(file, "thumb"))


def process_new_upload(instance):
    """For a model with ``image`` and ``thumbnail``: clean a fresh upload, add a thumbnail."""
    if instance.image and not getattr(instance.image, "_committed", True):
        cleaned, thumb = clean_image(instance.image.file)
        instance.image.save(cleaned.name, cleaned, save=False)
        instance.thumbnail.delete(save=False) if instance.thumbnail else None
        instance.thumbnail.save(thumb.name, thumb, save=False)
        instance.image.close()
    if instance.image and not instance.thumbnail:
        thumb = make_thumbnail(instance.image.file)
        instance.thumbnail.save(thumb.name, thumb, save=False)
        instance.image.close()
