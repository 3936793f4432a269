"""Promotion sheets and lookbooks as printed by a real Chromium.

The pages are printed to PDF (A4, backgrounds on) into ``test-artifacts/print-*.pdf``,
checked for their page count and size, and rendered to PNG (``pdftoppm`` when installed,
else a print-media screenshot) so that people can look at them. Each sheet must fit its
page: the print CSS clips a sheet at one page, so the test also asserts that nothing was
clipped.
"""

import datetime
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.utils import timezone

from catalogue.models import Certification, ProductPhoto
from home.drawing import draw_product_photo
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

A4_POINTS = (595.28, 841.89)
# A4 width less the 12 mm margins, in CSS pixels: the width the print layout has.
PRINT_CONTENT_WIDTH = round((210 - 24) / 25.4 * 96)


@pytest.fixture
def trio(make_producer, make_product):
    """Three Jember products of different profiles: food with many certificates, tobacco,
    and metal furniture without a Chinese name or photos."""
    today = timezone.localdate()
    coop = make_producer("35.09", "35.09.24", name="Koperasi Kopi Pakusari", phone="0812111222")
    plant = make_producer("35.09", name="Pabrik Cerutu Jember", kind="state_company")
    coffee = make_product(
        coop,
        "kopi-teh",
        name_id="Kopi arabika Ijen-Raung, biji hijau",
        name_en="Ijen-Raung arabica green beans, fully washed",
        name_zh="伊真-拉翁阿拉比卡咖啡生豆（水洗）",
        description_en="Geographical-indication arabica grown at 1,100–1,500 m. " * 12,
        description_zh="地理标志阿拉比卡咖啡，海拔1100至1500米，全水洗，一级。" * 10,
        materials="Biji kopi arabika",
        price_idr=145_000,
        unit="kg",
        moq=1000,
        capacity_per_month=12_000,
        lead_time_days=30,
        hs_code_id="090111",
        shelf_life_days=365,
        storage_conditions="Gudang kering, kelembapan 60–65 %, suhu di bawah 25 °C",
        packaging_description="Karung goni 60 kg dengan kantong hermetis GrainPro, "
        "label GACC, palet kayu bersertifikat ISPM-15.",
        packaging_status="export_ready",
        weight_kg=60,
    )
    for kind, number, days in [
        ("gacc", "CIDN35112024050917", 900),
        ("halal", "ID35110001120450322", None),
        ("spp_irt", "211351118001524", 700),
        ("organic", "LSO-081-IDN-2025", 400),
        ("haccp", "HACCP-2025-00017", 30),
        ("iso", "ISO-22000-OLD", -10),
    ]:
        expires = today + datetime.timedelta(days=days) if days is not None else None
        Certification.objects.create(product=coffee, kind=kind, number=number, expires_on=expires)
    cigars = make_product(
        plant,
        "cerutu",
        name_id="Cerutu Besuki Robusto",
        name_en="Besuki Robusto cigars, box of 10",
        name_zh="贝苏基罗布图雪茄（10支装）",
        price_idr=850_000,
        unit="box",
    )
    stool = make_product(coop, "furnitur-logam", name_id="Bangku drum", name_en="Drum stool")
    for product, profile, count in [(coffee, "food", 3), (cigars, "tobacco", 1)]:
        for n in range(count):
            ProductPhoto.objects.create(
                product=product,
                image=draw_product_photo(product.name_id, profile, seed=n, view=n),
                position=n,
                is_primary=n == 0,
            )
    return {"coffee": coffee, "cigars": cigars, "stool": stool}


def pdf_pages(path):
    """The page objects of a Chromium PDF (its page dictionaries are not compressed)."""
    return re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes())


def media_boxes(path):
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", path.read_bytes())
    return [(float(w), float(h)) for w, h in boxes]


def print_to_pdf(page, name):
    """``test-artifacts/<name>.pdf`` and one PNG per page (60 dpi) beside it."""
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / name)], check=True
        )
    else:  # no poppler: the print layout as one long screenshot
        page.emulate_media(media="print")
        page.screenshot(path=str(ARTIFACTS / f"{name}-print.png"), full_page=True)
        page.emulate_media(media="null")  # no emulation: print media for page.pdf()
    return pdf


def clipped_sheets(page):
    """Codes of the sheets whose content does not fit their page in the print layout."""
    page.set_viewport_size({"width": PRINT_CONTENT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    try:
        return page.evaluate(
            """() => [...document.querySelectorAll('.sheet')]
                .filter(s => s.scrollHeight > s.clientHeight + 1)
                .map(s => s.dataset.product || 'cover')"""
        )
    finally:
        page.emulate_media(media="null")  # no emulation: print media for page.pdf()
        page.set_viewport_size({"width": 1366, "height": 900})


def broken_images(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('.sheet img')]
            .filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src)"""
    )


def chinese_font_available(page):
    return page.evaluate("() => document.fonts.check('16px \"Noto Sans CJK SC\"', '油桶')")


def test_promotion_sheet_prints_on_one_a4_page(page, live_server, login, shot, staff_user, trio):
    coffee = trio["coffee"]
    login(staff_user)
    page.goto(f"{live_server.url}/products/{coffee.code}/")
    page.get_by_test_id("promotion-sheet").click()
    page.wait_for_url(f"{live_server.url}/products/{coffee.code}/sheet/")
    page.wait_for_load_state("networkidle")
    shot("print-01-sheet-screen")
    assert broken_images(page) == []
    assert page.locator(".sheet img").count() == 3
    assert chinese_font_available(page), "install fonts-noto-cjk (Chinese text would be boxes)"
    qr = page.locator("figure.qr")
    assert qr.get_attribute("data-qr-url") == f"{settings.SITE_URL}/products/{coffee.code}/"
    assert qr.locator("svg").bounding_box()["width"] > 80  # 30 mm on screen
    assert "ISO-22000-OLD" not in page.content()  # expired
    assert "0812111222" not in page.content()  # the producer's phone
    assert clipped_sheets(page) == []

    pdf = print_to_pdf(page, "print-sheet")
    assert len(pdf_pages(pdf)) == 1
    for width, height in media_boxes(pdf):
        assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1


def test_tobacco_sheet_prints_its_restricted_channel_notice(
    page, live_server, login, staff_user, trio
):
    login(staff_user)
    page.goto(f"{live_server.url}/products/{trio['cigars'].code}/sheet/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("restricted-channel").is_visible()
    assert clipped_sheets(page) == []
    pdf = print_to_pdf(page, "print-sheet-tobacco")
    assert len(pdf_pages(pdf)) == 1


def test_lookbook_prints_a_cover_and_one_page_per_product(
    page, live_server, login, shot, staff_user, trio
):
    """The officer filters the list, switches the UI to Chinese and prints the lookbook."""
    login(staff_user)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/products/?regency=35.09")
    page.get_by_test_id("print-lookbook").click()
    page.wait_for_url(re.compile(r".*/products/lookbook/\?regency=35\.09$"))
    page.wait_for_load_state("networkidle")
    shot("print-02-lookbook-screen")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_test_id("lookbook-count").inner_text().startswith("3")
    codes = page.eval_on_selector_all("article.sheet", "els => els.map(e => e.dataset.product)")
    assert codes == sorted(p.code for p in trio.values())
    assert broken_images(page) == []
    assert clipped_sheets(page) == []

    pdf = print_to_pdf(page, "print-lookbook")
    assert len(pdf_pages(pdf)) == 4  # the cover and three sheets
    assert len(media_boxes(pdf)) == 4
