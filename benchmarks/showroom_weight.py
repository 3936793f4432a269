"""Page weight: the first view of a 12-product share link on a phone, as a buyer loads it.

Builds a collection of 12 products, each with two photos (drawn by ``home.drawing`` at
1600 × 1200 with film-grain noise added, so that they compress like camera photos rather
than flat drawings), a live link showing prices and an exchange rate; starts gunicorn on
``--port`` (8053) and opens the link in Chromium at 390 × 844 with JavaScript off, for
each ``--scale`` (device pixel ratio; 1 = the issue's "390 px", 3 = a recent iPhone).
Counts the bytes of every response the page loaded without scrolling (HTML, CSS, images;
Chromium's lazy loading may fetch images below the fold too, and those are counted),
then prints the total against the 300 KB budget of issue 13.

    .venv/bin/python benchmarks/showroom_weight.py
    .venv/bin/python benchmarks/showroom_weight.py --scale 1 --scale 2 --scale 3
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import BENCH_ENV, ROOT, create_database, setup_django

BIN = Path(sys.executable).parent
BUDGET = 300 * 1024
PRODUCTS = 12


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--port", type=int, default=8053)
    parser.add_argument("--scale", type=float, action="append")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    args.scale = args.scale or [1.0, 3.0]
    return args


def photo_bytes(title, profile, seed):
    """A drawn product photo with grain, as JPEG (what a phone upload becomes)."""
    from PIL import Image

    from home.drawing import draw_product_photo

    drawn = Image.open(draw_product_photo(title, profile, seed=seed, size=(1600, 1200)))
    # Texture at several scales (fine grain is averaged away by the downscale; a camera
    # photo's wood grain, weave and shadows are not).
    grained = drawn.convert("RGB")
    for side, share in ((1600, 0.10), (400, 0.12), (160, 0.10)):
        noise = Image.effect_noise((side, side * 3 // 4), 60).resize(drawn.size, Image.BICUBIC)
        grained = Image.blend(grained, Image.merge("RGB", [noise] * 3), share)
    out = io.BytesIO()
    grained.save(out, "JPEG", quality=88)
    return out.getvalue()


def build_showroom(products=PRODUCTS, photos_each=2):
    """A collection of ``products`` products with photos and a live link; returns it."""
    import datetime
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from catalogue.models import Category, Producer, Product, ProductPhoto
    from regions.models import Regency
    from showroom.models import Collection, CollectionItem, ExchangeRate, ShareLink

    categories = list(Category.objects.filter(slug__in=["furnitur-logam", "batik", "kopi-teh"]))
    regencies = list(Regency.objects.order_by("code"))
    collection = Collection.objects.create(
        name_id="Pekan pembeli TEC Shanghai 2026",
        name_en="TEC Shanghai buyers' week 2026",
        name_zh="2026 上海 TEC 采购商周 · 东爪哇精选",
        intro_zh="来自印度尼西亚东爪哇第五区域的家居、手工艺和食品精选，可提供样品。",
        intro_en="Furniture, crafts and food from Bakorwil V, East Java; samples available.",
    )
    for number in range(products):
        regency = regencies[number % len(regencies)]
        producer = Producer.objects.create(
            name=f"Produsen {number}",
            kind="home_industry",
            regency=regency,
            district=regency.districts.order_by("code").first(),
        )
        category = categories[number % len(categories)]
        product = Product.objects.create(
            producer=producer,
            category=category,
            name_id=f"Produk unggulan {number + 1}",
            name_en=f"Featured product {number + 1}",
            name_zh=f"精选产品 {number + 1} 号",
            description_zh="手工制作，可按需定制尺寸和颜色。" * 3,
            price_idr=150_000 + number * 37_500,
            moq=50,
            lead_time_days=30,
            capacity_per_month=500,
            shelf_life_days=365 if category.profile == "food" else None,
        )
        for view in range(photos_each):
            data = photo_bytes(product.name_en, category.profile, seed=number * 10 + view)
            ProductPhoto.objects.create(
                product=product,
                image=SimpleUploadedFile(f"p{number}-{view}.jpg", data, "image/jpeg"),
                is_primary=view == 0,
                position=view,
            )
        CollectionItem.objects.create(collection=collection, product=product, position=number)
    ExchangeRate.objects.create(idr_per_cny=Decimal("2250"), valid_on=timezone.localdate())
    return ShareLink.objects.create(
        collection=collection,
        label="Benchmark",
        expires_at=timezone.now() + datetime.timedelta(days=30),
        show_prices=True,
    )


def server_env(database_url, media_root, port):
    return {
        **os.environ,
        **BENCH_ENV,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        "DB_CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(Path(media_root).parent / "static"),
    }


def start_gunicorn(env, port, workers, log_path):
    log = open(log_path, "ab")  # noqa: SIM115 (open while the server runs)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=log,
        env=env,
        start_new_session=True,
    )
    for _ in range(60):
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    sys.exit(f"gunicorn did not answer; see {log_path}")


def stop(server):
    import signal

    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def measure(url, scale, chromium):
    """(total bytes, {kind: bytes}, request count) of the first view of ``url``."""
    from playwright.sync_api import sync_playwright

    sizes = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=scale,
            java_script_enabled=False,
            locale="zh-CN",
        )
        page = context.new_page()
        page.on("response", lambda response: sizes.append(response))
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(500)
        kinds = {}
        for response in sizes:
            kind = response.headers.get("content-type", "?").split(";")[0]
            kinds[kind] = kinds.get(kind, 0) + len(response.body())
        browser.close()
    return sum(kinds.values()), kinds, len(sizes)


def main():
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="etalase-showroom-weight-"))
    database_url = args.database_url or f"sqlite:///{tmp}/weight.sqlite3"
    create_database(database_url, replace=True)
    setup_django(database_url, tmp / "media")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    os.environ["STATIC_ROOT"] = str(tmp / "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env(database_url, tmp / "media", args.port),
        check=True,
    )
    link = build_showroom()
    env = server_env(database_url, tmp / "media", args.port)
    server = start_gunicorn(env, args.port, 2, tmp / "gunicorn.log")
    url = f"http://127.0.0.1:{args.port}{link.get_absolute_url()}"
    try:
        measure(url, 1, args.chromium)  # first visit makes the WebP thumbnails once
        print(f"first view of a {PRODUCTS}-product collection at 390 × 844, JavaScript off")
        for scale in args.scale:
            total, kinds, count = measure(url, scale, args.chromium)
            detail = ", ".join(
                f"{kind} {size / 1024:.1f} KB" for kind, size in sorted(kinds.items())
            )
            verdict = "within" if total <= BUDGET else "OVER"
            print(
                f"  device pixel ratio {scale:g}: {total / 1024:.1f} KB in {count} responses "
                f"({detail}) — {verdict} the 300 KB budget"
            )
    finally:
        stop(server)


if __name__ == "__main__":
    main()
