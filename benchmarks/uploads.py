"""Photo uploads: time and peak memory of checking and processing one photo, and a note of 12.

Every case runs in a child process of its own, so that its peak resident memory (RSS:
VmHWM) belongs to it alone; the figure includes the ~70 MB of Python, Django and
Pillow that every worker holds anyway (printed as "idle"). Each case does what an upload
does: ``validate_image_upload`` (the form's check), then the processing on save (a clean,
upright copy without metadata, and the thumbnail). Wall time depends on what else the
machine runs; the CPU time of the child is printed too.

- new: ``core.photos`` as it is (``core.images.decode_bounded``: JPEG decoded at
  reduced size, PNG in strips, stored at most ``STORED_MAX_SIDE`` px);
- old: ``old_process`` below, the older unbounded processing (full decode, upright copy,
  fresh RGB(A) copy, full-size re-encode, the thumbnail from a second full decode), kept
  here as the anchor: ratios are old ÷ new, of CPU time and of peak RSS.

Files (made once in the temporary folder): a 40-megapixel PNG of a few hundred kilobytes
(as anybody can send), a 40-megapixel JPEG, a 12-megapixel phone JPEG with GPS and
orientation in its EXIF; "note ×12" processes 12 of them one after another, as a note
with 12 photos does.

    .venv/bin/python benchmarks/uploads.py [--only png40,note-png40]
"""

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, setup_django

FOLDER = Path(tempfile.gettempdir()) / "etalase-bench-uploads"
KINDS = {
    "png40": ("40 MP PNG", "photo.png"),
    "jpeg40": ("40 MP JPEG", "photo.jpg"),
    "phone12": ("12 MP phone JPEG", "phone.jpg"),
}
CASES = {kind: (label, 1) for kind, (label, _name) in KINDS.items()}
CASES |= {f"note-{kind}": (f"note ×12 {label}", 12) for kind, (label, _name) in KINDS.items()}


def make_files():
    from PIL import ExifTags, Image, ImageDraw

    FOLDER.mkdir(exist_ok=True)
    png = FOLDER / "png40.png"
    if not png.exists():
        image = Image.new("RGB", (7744, 5164), (200, 180, 160))
        draw = ImageDraw.Draw(image)
        for left in range(0, 7744, 400):
            draw.rectangle((left, 100, left + 200, 5000), fill=(left % 255, 20, 90))
        image.save(png, "PNG")
    for kind, size, exif in (("jpeg40", (7744, 5164), None), ("phone12", (4032, 3024), 6)):
        path = FOLDER / f"{kind}.jpg"
        if path.exists():
            continue
        noise = Image.effect_noise((size[0] // 8, size[1] // 8), 40).convert("RGB")
        params = {"quality": 88}
        if exif:
            tags = Image.Exif()
            tags[ExifTags.Base.Make] = "PhoneMaker"
            tags[ExifTags.Base.Orientation] = exif
            gps = tags.get_ifd(ExifTags.IFD.GPSInfo)
            gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "S", (8.0, 10.0, 12.5)
            params["exif"] = tags.tobytes()
        noise.resize(size, Image.Resampling.BICUBIC).save(path, "JPEG", **params)


def path_of(kind):
    return next(FOLDER.glob(f"{kind}.*"))


def peak_rss_mb():
    """This process's peak resident memory: VmHWM of /proc/self/status (Linux).

    Not ``getrusage``'s ru_maxrss, which a child keeps from its parent across fork and exec
    (Linux, kernel/exit.c and fs/exec.c keep ``signal->maxrss``), so it would show this
    script's own peak while it made the test files.
    """
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


# --- The anchor: the older unbounded processing -------------------------------------------


def old_process(upload):
    """``core.photos`` before its bounds: ``clean_image`` then ``make_thumbnail``."""
    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    def encode(image):
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        out = io.BytesIO()
        if has_alpha:
            image.convert("RGBA").save(out, "PNG", optimize=True)
        else:
            image.convert("RGB").save(out, "JPEG", quality=86, optimize=True, progressive=True)
        return ContentFile(out.getvalue(), name="photo")

    upload.seek(0)
    with Image.open(upload) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        if upright.mode not in ("RGB", "RGBA", "L", "LA"):
            has_alpha = "transparency" in upright.info or upright.mode in ("PA", "RGBa")
            upright = upright.convert("RGBA" if has_alpha else "RGB")
        clean = Image.new(upright.mode, upright.size)
        clean.paste(upright)
        cleaned = encode(clean)
    del upright, clean
    with Image.open(cleaned) as image:
        image.load()
        thumb = ImageOps.exif_transpose(image)
        thumb.thumbnail((480, 480), Image.Resampling.LANCZOS)
        return cleaned, encode(thumb)


# --- Child processes ----------------------------------------------------------------------


def child(case, version):
    setup_django(f"sqlite:///{FOLDER / 'unused.db'}", FOLDER / "media")
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from core import photos as images

    idle = peak_rss_mb()
    kind = case.removeprefix("note-")
    data = path_of(kind).read_bytes()
    _label, count = CASES[case]
    process = old_process if version == "old" else images.clean_image
    started, cpu = time.perf_counter(), time.process_time()
    for _photo in range(count):
        upload = SimpleUploadedFile(KINDS[kind][1], data)
        images.validate_image_upload(upload)
        stored, _thumbnail = process(upload)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    with Image.open(stored) as image:
        size = image.size
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "peak": peak_rss_mb(),
                "idle": idle,
                "stored": size,
            }
        )
    )


def measure(case, version):
    command = [sys.executable, __file__, "--child", case, "--version", version]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{case} ({version}) failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated cases: " + ",".join(CASES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--version", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.version)
        return
    make_files()
    cases = [c for c in CASES if not args.only or c in args.only.split(",")]
    print(
        f"{'case':28} {'file':>8} {'version':7} {'seconds':>8} {'CPU':>7} {'peak RSS':>9} "
        f"{'idle':>6} {'stored as':>11} {'CPU ×':>7} {'RSS ×':>6}"
    )
    for case in cases:
        label, _count = CASES[case]
        size = f"{path_of(case.removeprefix('note-')).stat().st_size / 1024:.0f} KB"
        old = measure(case, "old")
        new = measure(case, "new")
        for version, result in (("old", old), ("new", new)):
            ratios = ""
            if version == "new":
                faster = old["cpu"] / result["cpu"]  # CPU: steadier than wall time
                ratios = f"{faster:6.1f}× {old['peak'] / result['peak']:5.1f}×"
            stored = "×".join(str(n) for n in result["stored"])
            print(
                f"{label:28} {size:>8} {version:7} {result['seconds']:7.2f}s {result['cpu']:6.2f}s "
                f"{result['peak']:6.0f} MB {result['idle']:3.0f} MB {stored:>11} {ratios}",
                flush=True,
            )


if __name__ == "__main__":
    main()
