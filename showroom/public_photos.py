"""Product photos for buyers: WebP thumbnails of a few widths, made once and stored.

Uploads are behind the login (``config.urls``, ``serve_media``); buyers get product photos
through their share link instead (``/s/<token>/p/<photo>/<width>.webp``), only photos of
products in that link's collection, only while the link is live. Each width is encoded
once from the stored original (at most 3000 px, ``core.photos``), decoded at bounded size
(``core.images.decode_bounded``), and kept in the default storage under ``showroom/webp/``,
named after the original's file so that a replaced photo gets new thumbnails.

WebP quality 72 and method 4: measured on the demo's drawn photos and on phone photos, a
320 px thumbnail is 6–20 KB, the range that keeps a 12-product grid under the 300 KB
first-view budget (issue 13; benchmarks/showroom_weight.py).
"""

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core import images as core_images

WIDTHS = (320, 480, 640, 1024)
QUALITY = 72
FOLDER = "showroom/webp"


def srcset(url_of, photo):
    """``srcset`` text of ``photo`` for every width (``url_of(photo, width)`` gives the URL)."""
    return ", ".join(f"{url_of(photo, width)} {width}w" for width in WIDTHS)


def thumbnail_name(photo, width):
    digest = hashlib.blake2b(photo.image.name.encode(), digest_size=6).hexdigest()
    return f"{FOLDER}/{photo.pk}-{digest}-{width}.webp"


def encode_webp(file, width):
    """The image in ``file`` at most ``width`` px wide and high, as WebP bytes."""
    bounded = core_images.decode_bounded(file, width)
    if bounded.mode not in ("RGB", "RGBA"):
        bounded = bounded.convert("RGBA" if "A" in bounded.mode else "RGB")
    out = io.BytesIO()
    bounded.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def thumbnail(photo, width):
    """The stored name of ``photo``'s WebP thumbnail at ``width``, made if missing."""
    name = thumbnail_name(photo, width)
    if default_storage.exists(name):
        return name
    with photo.image.open("rb") as original:
        data = encode_webp(original, width)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another process made it meanwhile: keep theirs
        default_storage.delete(saved)
    return name
