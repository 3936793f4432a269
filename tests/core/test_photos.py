"""Uploaded photos (core/photos.py): checked, cleaned of EXIF/GPS, thumbnailed."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image

from catalogue.models import ProductPhoto
from core import photos

RED, BLUE = (220, 20, 20), (20, 20, 220)
GPS_LATITUDE = (8.0, 10.0, 12.5)  # somewhere in Jember


def encode(image, fmt="JPEG", **params):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg(size=(640, 480), colour=RED, **params):
    return encode(Image.new("RGB", size, colour), "JPEG", **params)


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (113.0, 41.0, 3.0)
    return exif


def png_header_only(width, height, bit_depth=1, colour_type=0, rows=None):
    """A valid PNG of ``width`` x ``height`` (1-bit grey), written without Pillow.

    With ``rows=None`` the pixel data is all zeros, so even a 48-megapixel image is a few
    kilobytes; with ``rows=0`` there is no pixel data (only the header matters).
    """

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    if rows == 0:
        pixels = zlib.compress(b"")
    else:
        row = b"\x00" + bytes((width * bit_depth + 7) // 8)
        compressor = zlib.compressobj(9)
        pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def stored_image(field_file):
    with default_storage.open(field_file.name, "rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image, data


def error_code(excinfo):
    return excinfo.value.code


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (jpeg(), "photo.jpg"),
        (encode(Image.new("RGBA", (300, 200), (0, 0, 0, 0)), "PNG"), "logo.png"),
        (encode(Image.new("RGB", (300, 200), RED), "WEBP"), "photo.webp"),
        (encode(Image.new("P", (300, 200)), "GIF"), "anim.gif"),
    ],
)
def test_real_images_pass(data, name):
    photos.validate_image_upload(upload(data, name))


def test_phone_jpeg_with_preview_frames_passes():
    # Many phone cameras write JPEGs with an MPF extension, which Pillow reads as "MPO".
    first = Image.new("RGB", (400, 300), RED)
    data = encode(first, "MPO", save_all=True, append_images=[Image.new("RGB", (80, 60))])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    photos.validate_image_upload(upload(data, "IMG_0001.JPG"))


@pytest.mark.parametrize(
    "data",
    [
        b"Nama produk: kursi drum\nHarga: 850000\n",
        b"",
        b"\xff\xd8\xff\xe0 not really a jpeg",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    ],
)
def test_file_that_is_not_an_image_is_refused_as_not_a_photo(data):
    with pytest.raises(ValidationError) as excinfo:
        photos.validate_image_upload(upload(data, "photo.jpg"))
    assert error_code(excinfo) == "not_an_image"
    with translation.override("en"):
        assert "not a photo" in str(excinfo.value.messages[0])


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "photo.jpg"), ("PNG", "photo.png")])
def test_truncated_image_is_refused_before_saving(fmt, name):
    data = encode(Image.effect_noise((800, 600), 60).convert("RGB"), fmt)
    with pytest.raises(ValidationError) as excinfo:
        photos.validate_image_upload(upload(data[: len(data) // 2], name))
    assert error_code(excinfo) == "not_an_image"


def png_with_pixel_data(width, height, raw, interlace=0):
    """A grey 8-bit PNG whose IDAT holds ``raw`` compressed as given, with correct CRCs."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, interlace)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _damaged_stream(width, height):
    """Compressed rows whose first deflate block has the reserved block type 3 (RFC 1951,
    §3.2.3): zlib refuses the stream, Pillow fails on save."""
    data = bytearray(zlib.compress(random_rows(width, height), 6))
    data[2] = 0b111  # BFINAL=1, BTYPE=11
    return bytes(data)


def random_rows(width, height):
    noise = Image.effect_noise((width, height), 80).convert("L").tobytes()
    return b"".join(b"\x00" + noise[row * width : (row + 1) * width] for row in range(height))


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(_damaged_stream(400, 300), id="damaged deflate data"),
        pytest.param(zlib.compress(random_rows(400, 300)[: 400 * 150]), id="rows missing"),
        pytest.param(zlib.compress(b"\x07" + random_rows(400, 300)[1:]), id="unknown filter type"),
    ],
)
def test_png_with_damaged_pixel_data_but_right_checksums_is_refused_before_saving(raw):
    # Image.verify() checks only the chunks' CRCs: such a file used to pass the upload check
    # and fail with a server error when it was saved.
    data = png_with_pixel_data(400, 300, raw)
    with pytest.raises(ValidationError) as excinfo:
        photos.validate_image_upload(upload(data, "photo.png", "image/png"))
    assert error_code(excinfo) == "not_an_image"


def test_interlaced_png_with_damaged_pixel_data_is_refused_before_saving():
    data = png_with_pixel_data(400, 300, _damaged_stream(400, 300), interlace=1)
    with pytest.raises(ValidationError) as excinfo:
        photos.validate_image_upload(upload(data, "photo.png", "image/png"))
    assert error_code(excinfo) == "not_an_image"


def test_png_with_sound_pixel_data_written_by_hand_passes():
    data = png_with_pixel_data(400, 300, zlib.compress(random_rows(400, 300)))
    photos.validate_image_upload(upload(data, "photo.png", "image/png"))


def test_image_format_outside_the_list_is_refused():
    data = encode(Image.new("RGB", (50, 50), RED), "BMP")
    with pytest.raises(ValidationError) as excinfo:
        photos.validate_image_upload(upload(data, "photo.bmp"))
    assert error_code(excinfo) == "unsupported_format"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_over_40_megapixels_is_refused_although_the_file_is_small():
    data = png_header_only(8000, 6000)  # 48 megapixels
    assert len(data) < 200_000
    assert photos.MAX_PIXELS < 8000 * 6000
    with pytest.raises(ValidationError) as excinfo:
        photos.validate_image_upload(upload(data, "big.png", "image/png"))
    assert error_code(excinfo) == "too_many_pixels"
    assert "48" in excinfo.value.messages[0]


def test_image_of_exactly_40_megapixels_passes():
    width, height = 8000, photos.MAX_PIXELS // 8000
    photos.validate_image_upload(upload(png_header_only(width, height), "ok.png", "image/png"))


def test_decompression_bomb_header_is_refused():
    data = png_header_only(100_000, 100_000, rows=0)  # 10 gigapixels claimed
    assert len(data) < 1000
    with pytest.raises(ValidationError) as excinfo:
        photos.validate_image_upload(upload(data, "bomb.png", "image/png"))
    assert error_code(excinfo) == "too_many_pixels"


def test_file_over_10_mb_is_refused_without_opening_it():
    big = upload(jpeg())
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as excinfo:
        photos.validate_image_upload(big)
    assert error_code(excinfo) == "too_large"
    at_limit = upload(jpeg())
    at_limit.size = 10 * 1024 * 1024
    photos.validate_image_upload(at_limit)


def test_validation_leaves_the_file_position_alone():
    photo = upload(jpeg())
    photo.seek(5)
    photos.validate_image_upload(photo)
    assert photo.tell() == 5


# --- cleaning on save ---------------------------------------------------------------------


@pytest.fixture
def product(make_product):
    return make_product()


def gps_jpeg(orientation=None, size=(400, 200)):
    """Left half red, right half blue, with GPS and (optionally) orientation in EXIF."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return encode(image, "JPEG", quality=95, exif=gps_exif(orientation).tobytes())


@pytest.mark.django_db
def test_exif_and_gps_are_removed_from_the_stored_photo(product):
    data = gps_jpeg()
    original = Image.open(io.BytesIO(data)).getexif()
    assert original.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == GPS_LATITUDE

    photo = ProductPhoto(product=product, image=upload(data, "rumah-pak-budi.jpg"))
    photo.save()

    for field in (photo.image, photo.thumbnail):
        image, raw = stored_image(field)
        assert len(image.getexif()) == 0, field.name
        assert "exif" not in image.info
        assert b"Exif\x00\x00" not in raw
        assert b"PhoneMaker" not in raw


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "name"), [("PNG", "logo.png"), ("WEBP", "photo.webp")])
def test_metadata_is_removed_from_png_and_webp_too(product, fmt, name):
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (120, 80), (*RED, 128))
    params = {"exif": gps_exif().tobytes()}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "PhoneMaker at Jl. Kenanga 5")
        params["pnginfo"] = text
    data = encode(image, fmt, **params)
    assert b"PhoneMaker" in data

    photo = ProductPhoto.objects.create(product=product, image=upload(data, name, "image/png"))
    for field in (photo.image, photo.thumbnail):
        stored, raw = stored_image(field)
        assert len(stored.getexif()) == 0, field.name
        assert b"PhoneMaker" not in raw and b"Kenanga" not in raw


@pytest.mark.django_db
def test_orientation_is_applied_before_exif_is_dropped(product):
    # EXIF orientation 6: the camera was turned; show the picture rotated 90° clockwise.
    # Rotated clockwise, the left (red) half ends up at the top.
    photo = ProductPhoto.objects.create(
        product=product, image=upload(gps_jpeg(orientation=6, size=(400, 200)))
    )
    image, _raw = stored_image(photo.image)
    assert image.size == (200, 400)
    thumb, _raw = stored_image(photo.thumbnail)
    assert thumb.width < thumb.height
    top = image.convert("RGB").getpixel((100, 50))
    bottom = image.convert("RGB").getpixel((100, 350))
    assert top[0] > 150 and top[2] < 100, top
    assert bottom[2] > 150 and bottom[0] < 100, bottom


@pytest.mark.django_db
def test_a_thumbnail_of_at_most_480_px_is_stored(product):
    photo = ProductPhoto.objects.create(product=product, image=upload(jpeg(size=(2000, 1500))))
    assert photo.thumbnail
    assert default_storage.exists(photo.thumbnail.name)
    thumb, _raw = stored_image(photo.thumbnail)
    assert max(thumb.size) <= 480
    assert thumb.size == (480, 360)  # aspect ratio kept
    original, _raw = stored_image(photo.image)
    assert original.size == (2000, 1500)


@pytest.mark.django_db
def test_small_photo_is_not_enlarged_for_its_thumbnail(product):
    photo = ProductPhoto.objects.create(product=product, image=upload(jpeg(size=(120, 90))))
    thumb, _raw = stored_image(photo.thumbnail)
    assert thumb.size == (120, 90)


@pytest.mark.django_db
def test_stored_file_names_are_random_not_the_uploaded_name(product):
    first = ProductPhoto.objects.create(product=product, image=upload(jpeg(), "rumah-budi.jpg"))
    second = ProductPhoto.objects.create(product=product, image=upload(jpeg(), "rumah-budi.jpg"))
    names = [first.image.name, second.image.name, first.thumbnail.name, second.thumbnail.name]
    assert len(set(names)) == 4
    for name in names:
        assert "budi" not in name and "rumah" not in name
    assert Path(first.image.name).parent.as_posix() == "products"
    assert Path(first.thumbnail.name).parent.as_posix() == "products/thumbs"
    assert len(Path(first.image.name).stem) == 32  # a uuid4 in hex


@pytest.mark.django_db
def test_palette_image_keeps_its_colours(product):
    image = Image.new("P", (60, 40))
    image.putpalette([*RED, *BLUE] + [0, 0, 0] * 254)
    image.paste(1, (30, 0, 60, 40))  # right half: palette entry 1 (blue)
    photo = ProductPhoto.objects.create(
        product=product, image=upload(encode(image, "PNG"), "palette.png", "image/png")
    )
    stored, _raw = stored_image(photo.image)
    left = stored.convert("RGB").getpixel((10, 20))
    right = stored.convert("RGB").getpixel((50, 20))
    assert all(abs(a - b) < 30 for a, b in zip(left, RED, strict=True)), left
    assert all(abs(a - b) < 30 for a, b in zip(right, BLUE, strict=True)), right


@pytest.mark.django_db
def test_transparent_png_stays_transparent(product):
    image = Image.new("RGBA", (60, 40), (0, 0, 0, 0))
    image.paste((*RED, 255), (0, 0, 30, 40))
    photo = ProductPhoto.objects.create(
        product=product, image=upload(encode(image, "PNG"), "logo.png", "image/png")
    )
    stored, _raw = stored_image(photo.image)
    assert stored.format == "PNG"
    assert stored.convert("RGBA").getpixel((50, 20))[3] == 0
    assert stored.convert("RGBA").getpixel((10, 20))[3] == 255


@pytest.mark.django_db
def test_resaving_a_photo_keeps_its_files(product):
    photo = ProductPhoto.objects.create(product=product, image=upload(jpeg()))
    names = (photo.image.name, photo.thumbnail.name)
    photo.caption = "Kursi drum"
    photo.save()
    photo.refresh_from_db()
    assert (photo.image.name, photo.thumbnail.name) == names


@pytest.mark.django_db
def test_photo_full_clean_runs_the_image_validator(product):
    photo = ProductPhoto(product=product, image=upload(b"just text", "photo.jpg"))
    with pytest.raises(ValidationError) as excinfo:
        photo.full_clean()
    assert "image" in excinfo.value.message_dict


# --- bounded cost -------------------------------------------------------------------------

MEMORY_CHILD = """
import io, resource, struct, sys, zlib
from core import photos

def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

# 40 megapixels of 8-bit RGB (160 MB once decoded by Pillow), ~120 KB as a file.
width, height = 8000, 5000
row = b"\\x00" + bytes(range(256)) * (width * 3 // 256) + bytes(width * 3 % 256)
compressor = zlib.compressobj(9)
pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
data = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
data += chunk(b"IEND", b"")
upload = io.BytesIO(data)
upload.name = "big.png"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
photos.clean_image(upload)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def test_a_40_megapixel_png_is_processed_without_holding_it_decoded_at_full_size():
    import subprocess
    import sys

    # A child process of its own, for a true peak of resident memory (ru_maxrss).
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    grown_mb = int(done.stdout.split()[-1])
    # Decoded whole, the pixels alone are 160 MB (the old processing grew by ~700 MB).
    assert grown_mb < 120, done.stdout


@pytest.fixture
def loaded_sizes(monkeypatch):
    """(format, size) of every image Pillow decodes."""
    from PIL import ImageFile

    sizes = []
    original = ImageFile.ImageFile.load

    def load(self):
        if self.tile:
            sizes.append((self.format, self.size))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


@pytest.mark.django_db
def test_jpeg_is_decoded_at_reduced_size_and_stored_bounded(product, monkeypatch, loaded_sizes):
    monkeypatch.setattr(photos, "STORED_MAX_SIDE", 600)
    data = gps_jpeg(orientation=6, size=(2400, 1200))
    photo = ProductPhoto.objects.create(product=product, image=upload(data, "big.jpg"))
    # libjpeg's DCT scaling: 1/4 of 2400 × 1200 still covers 600 × 300; decoded once.
    assert loaded_sizes == [("JPEG", (600, 300))]
    stored, _raw = stored_image(photo.image)
    assert stored.size == (300, 600)  # upright, longer side 600
    top, bottom = stored.getpixel((150, 100)), stored.getpixel((150, 500))
    assert top[0] > 150 and top[2] < 100, top
    assert bottom[2] > 150 and bottom[0] < 100, bottom
    thumb, _raw = stored_image(photo.thumbnail)
    assert thumb.size == (240, 480)


@pytest.mark.django_db
def test_large_png_is_stored_bounded_and_decoded_in_strips(product, monkeypatch, loaded_sizes):
    from core import images as core_images

    monkeypatch.setattr(photos, "STORED_MAX_SIDE", 500)
    monkeypatch.setattr(core_images, "STRIP_BYTES", 1600 * 4 * 100)  # 100 rows of 1600 px
    data = encode(Image.effect_noise((1600, 1000), 50).convert("RGB"), "PNG")
    photo = ProductPhoto.objects.create(product=product, image=upload(data, "big.png"))
    stored, _raw = stored_image(photo.image)
    assert stored.size == (500, 312)
    decoded = [size for fmt, size in loaded_sizes if fmt == "PNG"]
    # Strips of 99 rows (a multiple of the reduction factor, 3), each after the first
    # with the row before it; never the whole image.
    assert max(height for _width, height in decoded) == 100
    assert sum(height for _width, height in decoded) == 1000 + len(decoded) - 1


def gradient(mode, size=(300, 221)):
    """A picture whose rows differ, so that PNG's Sub, Up, Average and Paeth filters all
    occur; in ``mode``."""
    noise = Image.effect_noise(size, 40)
    rgb = Image.merge("RGB", [noise, Image.linear_gradient("L").resize(size), noise.rotate(90)])
    if mode == "RGBA":
        return Image.merge("RGBA", [*rgb.split(), Image.linear_gradient("L").resize(size)])
    if mode == "LA":
        return Image.merge("LA", [noise, Image.linear_gradient("L").resize(size)])
    if mode == "P":
        return rgb.quantize(200)
    return rgb.convert(mode)


@pytest.mark.parametrize(
    ("mode", "params"),
    [
        ("RGB", {}),
        ("RGBA", {}),
        ("L", {}),
        ("LA", {}),
        ("1", {}),
        ("P", {}),
        ("P", {"bits": 4}),
        ("P", {"transparency": 3}),
        ("RGB", {"transparency": (0, 0, 0)}),
    ],
    ids=[
        "rgb",
        "rgba",
        "grey",
        "grey-alpha",
        "1-bit",
        "palette",
        "palette-4-bit",
        "palette-transparent",
        "rgb-colour-key",
    ],
)
def test_png_decoded_in_strips_equals_pillows_whole_decode(monkeypatch, mode, params):
    from core import images as core_images

    monkeypatch.setattr(core_images, "STRIP_BYTES", 5000)  # ~4 rows a strip: ~55 strips
    data = encode(gradient(mode), "PNG", **params)
    assert core_images._png_layout(io.BytesIO(data)) is not None
    whole = Image.open(io.BytesIO(data))
    expected = whole.convert(core_images.output_mode(whole))
    decoded = core_images.decode_bounded(io.BytesIO(data), 10_000)
    assert decoded.mode == expected.mode
    assert decoded.tobytes() == expected.tobytes()


def test_strips_scale_down_like_the_whole_image(monkeypatch):
    from core import images as core_images

    monkeypatch.setattr(core_images, "STRIP_BYTES", 20_000)
    picture = gradient("RGB", (1200, 903))
    data = encode(picture, "PNG")
    decoded = core_images.decode_bounded(io.BytesIO(data), 400)
    expected = picture.reduce(3).resize((400, 301), Image.Resampling.LANCZOS)
    assert decoded.size == expected.size
    difference = max(abs(a - b) for a, b in zip(decoded.tobytes(), expected.tobytes(), strict=True))
    assert difference <= 2


def interlaced_png(width, height, colour):
    """An Adam7-interlaced RGB PNG of one colour (Pillow does not write interlaced PNGs).

    PNG specification (W3C), §8.2 "Interlace methods": seven passes over a grid of 8 × 8.
    """
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4)]
    passes += [(1, 0, 2, 2), (0, 1, 1, 2)]
    raw = b""
    for x0, y0, dx, dy in passes:
        columns, rows = -(-(width - x0) // dx), -(-(height - y0) // dy)
        if columns > 0 and rows > 0:
            raw += (b"\x00" + bytes(colour) * columns) * rows

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("kind", ["interlaced", "16-bit"])
def test_png_that_cannot_be_read_in_strips_is_decoded_whole(kind):
    from core import images as core_images

    if kind == "16-bit":
        data = encode(gradient("L").convert("I;16"), "PNG")
    else:
        data = interlaced_png(300, 221, RED)
        assert Image.open(io.BytesIO(data)).convert("RGB").getpixel((299, 220)) == RED
    assert core_images._png_layout(io.BytesIO(data)) is None
    decoded = core_images.decode_bounded(io.BytesIO(data), 150)
    assert max(decoded.size) == 150
    if kind == "interlaced":
        assert decoded.getpixel((75, 55)) == RED


@pytest.mark.django_db
def test_png_orientation_in_its_exif_chunk_is_applied(product):
    image = Image.new("RGB", (400, 200), RED)
    image.paste(BLUE, (200, 0, 400, 200))
    data = encode(image, "PNG", exif=gps_exif(orientation=6).tobytes())
    photo = ProductPhoto.objects.create(product=product, image=upload(data, "p.png", "image/png"))
    stored, raw = stored_image(photo.image)
    assert stored.size == (200, 400)
    assert b"PhoneMaker" not in raw


@pytest.mark.parametrize(
    ("kind", "refused"),
    [("jpeg", False), ("png", False), ("gif", False), ("webp", True), ("interlaced-png", True)],
)
def test_formats_decoded_whole_have_a_lower_pixel_limit(monkeypatch, kind, refused):
    monkeypatch.setattr(photos, "MAX_WHOLE_DECODE_PIXELS", 10_000)
    picture = Image.new("RGB", (200, 100), RED)
    data = {
        "jpeg": lambda: encode(picture, "JPEG"),
        "png": lambda: encode(picture, "PNG"),
        "gif": lambda: encode(picture.convert("P"), "GIF"),
        "webp": lambda: encode(picture, "WEBP"),
        "interlaced-png": lambda: interlaced_png(200, 100, RED),
    }[kind]()
    photo = upload(data, f"photo.{kind}")
    if not refused:
        photos.validate_image_upload(photo)
        return
    with pytest.raises(ValidationError) as excinfo:
        photos.validate_image_upload(photo)
    assert error_code(excinfo) == "too_many_pixels"
    with translation.override("en"):
        assert "the limit is 0" in str(excinfo.value.messages[0])
        assert "Save it as JPEG" in str(excinfo.value.messages[0])
