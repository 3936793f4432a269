"""Decoding an uploaded image straight to a bounded size, without holding it whole at full size.

Pillow keeps RGB and RGBA pixels in 4 bytes each, so a 40-megapixel photo is 160 MB once
decoded, and every full-size copy (a mode conversion, ``ImageOps.exif_transpose``, a paste
into a fresh image) costs another 160 MB: processing one used to peak at ~800 MB. Here:

- JPEG is decoded by libjpeg at 1/2, 1/4 or 1/8 scale when that still covers the target
  (``Image.draft``: DCT scaling, Pillow docs "Image.draft");
- a non-interlaced PNG of at most 8 bits a sample is decoded in horizontal strips of a few
  megabytes (``_png_strips``), so its full-size pixels never exist at once;
- anything else (WebP, GIF, interlaced or 16-bit PNG) is decoded whole, once.

Each strip is converted to the output mode, reduced by a whole factor (``Image.reduce``, a
box average, exact across strip borders because strips are cut at multiples of the factor)
and resized across to the target width with LANCZOS (a horizontal-only pass, which never
mixes rows); only that narrow result is kept whole, then resized down to the target height.
The EXIF orientation is applied to the bounded image. The result is a fresh image, so none
of the upload's metadata (EXIF, GPS, XMP, comments) comes along; only the colour profile is
copied. Measured figures: ``benchmarks/uploads.py``.
"""

import io
import struct
import zlib

from PIL import ExifTags, Image

# How much decoded image a strip holds at most.
STRIP_BYTES = 4 * 1024 * 1024

# EXIF orientation → the transposition that shows the picture upright (EXIF 2.32,
# "Orientation" tag 0x0112; the same table as Pillow's ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

# PNG (bit depth, colour type) decodable strip by strip: Pillow's mode and the raw mode that
# packs a decoded row back into exactly the bytes it was unfiltered to (PNG specification,
# W3C, 2003, §6 "Colour types and values"). 16-bit samples are decoded to 8 bits, so they
# cannot be packed back; those PNGs are decoded whole.
_PNG_STRIP_MODES = {
    (1, 0): ("1", "1"),
    (2, 0): ("L", "L;2"),
    (4, 0): ("L", "L;4"),
    (8, 0): ("L", "L"),
    (8, 2): ("RGB", "RGB"),
    (1, 3): ("P", "P;1"),
    (2, 3): ("P", "P;2"),
    (4, 3): ("P", "P;4"),
    (8, 3): ("P", "P"),
    (8, 4): ("LA", "LA"),
    (8, 6): ("RGBA", "RGBA"),
}
_SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def fit(size, max_side):
    """``size`` scaled down (never up) so that its longer side is at most ``max_side``."""
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return width, height
    scale = max_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def output_mode(image):
    """The mode an upload is stored in: grey or colour, with alpha only when it has any."""
    if image.mode in ("RGB", "RGBA", "L", "LA") and "transparency" not in image.info:
        return image.mode
    if image.mode in ("LA", "La") or (image.mode == "L" and "transparency" in image.info):
        return "LA"
    if image.mode == "1" and "transparency" not in image.info:
        return "L"
    has_alpha = "transparency" in image.info or image.mode in ("RGBA", "RGBa", "PA")
    return "RGBA" if has_alpha else "RGB"


def decodes_whole(image, file):
    """Whether ``decode_bounded`` holds ``image`` (opened from ``file``) decoded at full
    size in 4 bytes a pixel or more: not JPEG (decoded scaled), not a PNG it reads in strips,
    not GIF (1 byte a pixel)."""
    if image.format in ("JPEG", "MPO", "GIF"):
        return False
    if image.format == "PNG":
        return _png_layout(file) is None
    return True


def decode_bounded(file, max_side):
    """The image in ``file``, upright, its longer side at most ``max_side``, in a fresh image.

    The mode is ``output_mode``'s; ``info`` holds the colour profile only.
    """
    file.seek(0)
    with Image.open(file) as image:
        png = _png_layout(file) if image.format == "PNG" else None
        # PngImageFile.getexif() decodes the whole image to look for an eXIf chunk after
        # the pixels; _png_layout has already looked.
        exif = _exif(png["exif"]) if png else image.getexif()
        orientation = exif.get(ExifTags.Base.Orientation, 1)
        icc_profile = image.info.get("icc_profile")
        mode = output_mode(image)
        target = fit(image.size, max_side)
        if image.format in ("JPEG", "MPO"):
            image.draft(None, target)  # libjpeg's DCT scaling; image.size becomes the scaled size
        factor = max(1, min(image.width // target[0], image.height // target[1]))
        rows = _strip_rows(image.width, factor)
        strips = _png_strips(png, rows) if png else _loaded_strips(image, rows)
        reduced = _shrink(strips, image.size, target, factor, mode)
        image.close()  # frees the decoded pixels before the last resize
    bounded = reduced
    if reduced.size != target:
        bounded = reduced.resize(target, Image.Resampling.LANCZOS)
    del reduced
    if orientation in _UPRIGHT:
        bounded = bounded.transpose(_UPRIGHT[orientation])
    if icc_profile:
        bounded.info["icc_profile"] = icc_profile
    return bounded


def _exif(data):
    exif = Image.Exif()
    if data:
        exif.load(data)
    return exif


def _strip_rows(width, factor):
    """Rows per strip: about ``STRIP_BYTES`` of 4-byte pixels, a multiple of ``factor``."""
    rows = max(1, STRIP_BYTES // (4 * max(1, width)))
    return max(factor, rows - rows % factor)


def _shrink(strips, size, target, factor, mode):
    width, height = size
    target_width = target[0]
    reduced_height = -(-height // factor)
    out = Image.new(mode, (target_width, reduced_height))
    top = 0
    for strip in strips:
        if strip.mode != mode:
            strip = strip.convert(mode)
        if factor > 1:
            strip = strip.reduce(factor)
        if strip.width != target_width:
            strip = strip.resize((target_width, strip.height), Image.Resampling.LANCZOS)
        out.paste(strip, (0, top))
        top += strip.height
    if top != reduced_height:
        raise OSError("image data ended early")
    return out


def _loaded_strips(image, rows):
    image.load()
    for top in range(0, image.height, rows):
        yield image.crop((0, top, image.width, min(image.height, top + rows)))


# --- PNG strip by strip --------------------------------------------------------------------


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _png_layout(file):
    """What ``_png_strips`` needs of a PNG it can decode in strips, else None."""
    file.seek(0)
    data = file.read()
    position, header, extra, idat, exif = 8, None, [], [], b""
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind in (b"PLTE", b"tRNS"):
            extra.append(_chunk(kind, body))
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"eXIf":
            exif = body
        elif kind == b"acTL":  # an animated PNG: let Pillow pick the frame it shows
            return None
        elif kind == b"IEND":
            break
        position += 12 + length
    if header is None or not idat:
        return None
    width, height, depth, colour, _compression, _filter, interlace = header
    if interlace or (depth, colour) not in _PNG_STRIP_MODES:
        return None
    row_bytes = 1 + (width * _SAMPLES[colour] * depth + 7) // 8
    return {
        "size": (width, height),
        "header": header,
        "extra": b"".join(extra),
        "idat": b"".join(idat),
        "row_bytes": row_bytes,
        "rawmode": _PNG_STRIP_MODES[(depth, colour)][1],
        "exif": exif,
    }


def _png_strips(png, rows):
    """The PNG's rows, ``rows`` at a time, each strip decoded by Pillow as a small PNG.

    PNG filters a scanline against the one before it (PNG specification, W3C, §9
    "Filtering"), so every strip after the first is prefixed with the previous strip's last
    row, unfiltered (filter type 0), which Pillow decodes and we crop off again.
    """
    width, height = png["size"]
    _w, _h, depth, colour, compression, filter_method, _interlace = png["header"]
    inflater = zlib.decompressobj()
    pending = png["idat"]
    previous = None
    for top in range(0, height, rows):
        count = min(rows, height - top)
        needed = count * png["row_bytes"]
        pieces, got = [], 0
        while got < needed:
            try:
                piece = inflater.decompress(pending, needed - got)
            except zlib.error as exc:
                raise OSError(f"damaged PNG image data: {exc}") from exc
            pending = inflater.unconsumed_tail
            if not piece:
                break
            pieces.append(piece)
            got += len(piece)
        if got < needed:
            raise OSError("PNG image data ended early")
        if previous is not None:
            pieces[:0] = [b"\x00", previous]
        lines = count + (previous is not None)
        header = struct.pack(">IIBBBBB", width, lines, depth, colour, compression, filter_method, 0)
        idat = zlib.compress(b"".join(pieces), 0)  # stored: Pillow only has to unfilter
        del pieces
        small = b"".join(
            (
                _PNG_SIGNATURE,
                _chunk(b"IHDR", header),
                png["extra"],
                struct.pack(">I", len(idat)),
                b"IDAT",
                idat,
                struct.pack(">I", zlib.crc32(idat, zlib.crc32(b"IDAT"))),
                _chunk(b"IEND", b""),
            )
        )
        del idat
        with Image.open(io.BytesIO(small)) as strip:
            strip.load()
            if previous is not None:
                strip = strip.crop((0, 1, width, lines))
        previous = strip.crop((0, count - 1, width, count)).tobytes("raw", png["rawmode"])
        yield strip


def png_pixel_data_is_whole(file):
    """Whether a PNG that ``decode_bounded`` reads in strips holds all its rows, each with a
    known filter type, in a zlib stream that inflates without error.

    ``Image.verify()`` checks only the chunks' CRCs, so a PNG whose compressed data is
    damaged but whose checksums are right used to pass the upload check and fail when it
    was saved. This inflates the data in pieces and throws them away, so a 40-megapixel PNG
    costs CPU time but no memory. PNGs that are not read in strips return True: they are
    decoded whole and small enough (``MAX_WHOLE_DECODE_PIXELS``) to be loaded by the check.
    Filter types 0–4: PNG specification (W3C), §9.2 "Filter types for filter method 0".
    """
    png = _png_layout(file)
    if png is None:
        return True
    needed = png["size"][1] * png["row_bytes"]
    inflater = zlib.decompressobj()
    pending, got = png["idat"], 0
    while got < needed:
        try:
            piece = inflater.decompress(pending, min(STRIP_BYTES, needed - got))
        except zlib.error:
            return False
        pending = inflater.unconsumed_tail
        if not piece:
            return False
        # the first byte of every row is its filter type
        first = (-got) % png["row_bytes"]
        if any(kind > 4 for kind in piece[first :: png["row_bytes"]]):
            return False
        got += len(piece)
    return True
