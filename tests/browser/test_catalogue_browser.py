"""The catalogue as people use it, in a real Chromium.

Regional staff filter the product list by regency and category, switch to the photo grid,
open a product, edit it and upload a photo; a visitor finds no way to edit; the list works
on a 390×844 phone; the language switch changes the page language. Screenshots of every
step land in ``test-artifacts/catalogue-*.png``.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from catalogue.models import Product, ProductPhoto

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def jpeg_bytes(size=(1200, 900), colour=(200, 120, 40)):
    """A real photo-like JPEG (gradient and shapes) made with Pillow."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    width, height = size
    for y in range(0, height, 6):
        shade = int(255 * y / height)
        draw.line([(0, y), (width, y)], fill=(shade, 90, 255 - shade), width=6)
    draw.ellipse([width // 4, height // 4, 3 * width // 4, 3 * height // 4], fill=(240, 200, 60))
    draw.rectangle([40, 40, 240, 160], outline=(255, 255, 255), width=8)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@pytest.fixture
def catalogue(make_producer, make_product, staff_user):
    """Three furniture products (two in Jember, one in Banyuwangi) and a Jember handicraft."""
    jember_a = make_producer("35.09", "35.09.24", name="UD Drum Pakusari")
    jember_b = make_producer("35.09", name="CV Jati Jember")
    banyuwangi = make_producer("35.10", name="Mebel Osing Banyuwangi")
    drum_chair = make_product(
        jember_a,
        "furnitur-logam",
        name_id="Kursi drum bekas",
        name_en="Recycled drum chair",
        price_idr=750_000,
    )
    teak_table = make_product(
        jember_b, "furnitur-kayu", name_id="Meja jati lipat", price_idr=2_400_000
    )
    make_product(banyuwangi, "furnitur-kayu", name_id="Lemari Osing", price_idr=3_100_000)
    make_product(jember_a, "kerajinan-kayu", name_id="Topeng kayu", price_idr=150_000)
    ProductPhoto.objects.create(
        product=drum_chair,
        image=SimpleUploadedFile("drum.jpg", jpeg_bytes(colour=(20, 90, 110)), "image/jpeg"),
        is_primary=True,
        uploaded_by=staff_user,
    )
    return {"drum_chair": drum_chair, "teak_table": teak_table}


def image_loaded(locator):
    """True when the <img> has really been fetched and decoded (not a broken icon)."""
    return locator.evaluate("img => img.complete && img.naturalWidth > 0")


def no_horizontal_overflow(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_staff_filter_grid_open_edit_and_upload(
    page, live_server, login, shot, staff_user, catalogue, tmp_path
):
    login(staff_user, screenshot="catalogue-01-login")
    expect(page.locator(".user-chip")).to_contain_text(staff_user.username)
    shot("catalogue-02-dashboard")

    page.goto(f"{live_server.url}/products/")
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*4\b"))
    shot("catalogue-03-list-all")

    # Choosing a regency reloads the form (so that districts follow the regency) …
    filters = page.locator("aside.filters")
    with page.expect_navigation():
        filters.locator("select[name=regency]").select_option("35.09")
    expect(page).to_have_url(re.compile(r"regency=35\.09"))
    district_values = filters.locator("select[name=district] option").evaluate_all(
        "options => options.map(o => o.value).filter(Boolean)"
    )
    assert district_values and all(v.startswith("35.09.") for v in district_values)
    # … then a parent category, which includes its sub-categories.
    filters.locator("select[name=category]").select_option("furnitur")
    filters.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"category=furnitur"))
    assert "regency=35.09" in page.url

    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*2\b"))
    rows = page.locator("[data-testid=product-table] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Kursi drum bekas")).to_have_count(1)
    expect(rows.filter(has_text="Meja jati lipat")).to_have_count(1)
    chips = page.locator(".chips a.chip")
    expect(chips).to_have_count(2)
    expect(chips.filter(has_text="Jember")).to_have_count(1)
    expect(chips.filter(has_text="Furni")).to_have_count(1)
    thumb = rows.filter(has_text="Kursi drum bekas").locator("img.thumb")
    assert image_loaded(thumb), "the list thumbnail did not load"
    shot("catalogue-04-list-filtered")
    # The staff table (checkbox column, bulk bar) fits a laptop screen without sideways scroll.
    assert no_horizontal_overflow(page), "the product list is wider than a 1366 px screen"
    expect(page.locator(".topbar .menu-toggle")).to_be_hidden()  # phone-only button

    # Removing the regency chip widens the list to Banyuwangi's furniture too.
    chips.filter(has_text="Jember").click()
    page.wait_for_url(lambda url: "regency=" not in url)
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*3\b"))
    expect(page.locator(".chips a.chip")).to_have_count(1)
    page.go_back()
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*2\b"))

    # Grid view keeps the filters.
    page.locator(".segmented a[href*='view=grid']").click()
    page.wait_for_url(re.compile(r"view=grid"))
    assert "regency=35.09" in page.url and "category=furnitur" in page.url
    cards = page.locator("[data-testid=product-grid] .photo-card")
    expect(cards).to_have_count(2)
    expect(page.locator(".segmented a[aria-current=true]")).to_have_attribute(
        "href", re.compile("view=grid")
    )
    drum_card = cards.filter(has_text="Kursi drum bekas")
    assert image_loaded(drum_card.locator("img")), "the grid photo did not load"
    expect(cards.filter(has_text="Meja jati lipat").locator(".thumb-empty")).to_have_count(1)
    shot("catalogue-05-grid")

    # Open the product without a photo.
    teak = catalogue["teak_table"]
    cards.filter(has_text="Meja jati lipat").locator("a.name").click()
    page.wait_for_url(f"{live_server.url}/products/{teak.code}/")
    expect(page.locator("h1")).to_have_text("Meja jati lipat")
    expect(page.locator(".detail-grid .empty").first).to_be_visible()  # no photos yet
    shot("catalogue-06-detail-before")

    # Edit: change a field and upload a real JPEG.
    page.locator("[data-testid=edit-product]").click()
    page.wait_for_url(f"{live_server.url}/products/{teak.code}/edit/")
    expect(page.locator("#id_name_id")).to_have_value("Meja jati lipat")
    page.fill("#id_name_en", "Folding teak table")
    page.fill("#id_materials_id", "Kayu jati Perhutani, finishing minyak")
    photo = tmp_path / "meja-jati.jpg"
    photo.write_bytes(jpeg_bytes())
    page.set_input_files("#id_photos", str(photo))
    shot("catalogue-07-edit-form")
    page.locator("[data-testid=save]").click()

    # Saving returns to the list the user came from, filters and grid view intact.
    page.wait_for_url(re.compile(r"/products/\?.*view=grid"))
    assert "regency=35.09" in page.url and "category=furnitur" in page.url
    success = page.locator(".messages li.success")
    expect(success).to_contain_text(teak.code)
    shot("catalogue-08-list-after-save")

    page.goto(f"{live_server.url}/products/{teak.code}/")
    expect(page.locator(".page-head .muted")).to_contain_text("Folding teak table")
    expect(page.locator("dl.spec")).to_contain_text("Kayu jati Perhutani")
    gallery = page.locator("#gallery-main")
    expect(gallery).to_be_visible()
    assert image_loaded(gallery), "the uploaded photo does not show in the gallery"
    shot("catalogue-09-detail-after-save")

    teak.refresh_from_db()
    assert teak.name_en == "Folding teak table"
    assert teak.version == 2
    saved = teak.photos.get()
    assert saved.is_primary and saved.thumbnail
    assert saved.image.name != "meja-jati.jpg"  # random file name

    # The list now shows the new thumbnail (not the original) for that product.
    page.goto(f"{live_server.url}/products/?category=furnitur&regency=35.09&view=grid")
    card_img = page.locator(".photo-card").filter(has_text="Meja jati lipat").locator("img")
    assert image_loaded(card_img)
    assert card_img.get_attribute("src") == saved.thumbnail.url
    shot("catalogue-10-grid-after-upload")


def test_visitor_reads_but_cannot_edit(page, live_server, login, shot, visitor_user, catalogue):
    drum = catalogue["drum_chair"]
    login(visitor_user)

    page.goto(f"{live_server.url}/products/")
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*4\b"))
    expect(page.locator("[data-bulk]")).to_have_count(0)
    expect(page.locator("input[name=selected]")).to_have_count(0)
    expect(page.locator(".page-head a[href='/products/new/']")).to_have_count(0)
    shot("catalogue-10-visitor-list")

    page.goto(f"{live_server.url}/products/{drum.code}/")
    expect(page.locator("h1")).to_have_text("Kursi drum bekas")
    expect(page.locator("[data-testid=edit-product]")).to_have_count(0)
    expect(page.locator(f"a[href$='/products/{drum.code}/edit/']")).to_have_count(0)
    assert image_loaded(page.locator("#gallery-main"))
    shot("catalogue-11-visitor-detail")

    response = page.goto(f"{live_server.url}/products/{drum.code}/edit/")
    assert response.status == 403
    # In the site's layout and language, with a way back.
    expect(page.locator("[data-testid=forbidden]")).to_be_visible()
    expect(page.locator("#sidebar")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    shot("catalogue-12-visitor-edit-403")

    # A forged POST is refused too, and nothing changes.
    status = page.evaluate(
        """async (url) => {
            const r = await fetch(url, {method: "POST", body: new FormData()});
            return r.status;
        }""",
        f"{live_server.url}/products/{drum.code}/edit/",
    )
    assert status == 403
    assert Product.objects.get(pk=drum.pk).version == drum.version


def test_phone_list_filters_and_menu(page, live_server, login, shot, staff_user, catalogue):
    page.set_viewport_size(PHONE)
    login(staff_user, screenshot="catalogue-13-phone-login")
    page.goto(f"{live_server.url}/products/")
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*4\b"))
    assert no_horizontal_overflow(page), "the phone list is wider than the screen"
    shot("catalogue-14-phone-list", full_page=False)

    # The filter panel is folded away until the Filters button opens it.
    filters = page.locator("#filters")
    toggle = page.locator("button.filters-toggle")
    expect(toggle).to_be_visible()
    expect(filters).to_be_hidden()
    toggle.click()
    expect(filters).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    shot("catalogue-15-phone-filters-open", full_page=False)
    with page.expect_navigation():
        filters.locator("select[name=regency]").select_option("35.10")
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*1\b"))
    expect(page.locator(".chips a.chip")).to_have_count(1)
    # The panel stays open after the reload, for the next filter (the regency's districts).
    expect(filters).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert no_horizontal_overflow(page)
    shot("catalogue-16-phone-filtered", full_page=False)
    toggle.click()
    expect(filters).to_be_hidden()
    page.reload()
    expect(filters).to_be_hidden()  # only right after choosing a regency

    # The sidebar sits off-screen until the menu button slides it in.
    sidebar = page.locator("#sidebar")
    menu = page.locator("button.menu-toggle")
    expect(menu).to_be_visible()
    assert sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 0
    menu.click()
    page.wait_for_function(
        "() => document.getElementById('sidebar').getBoundingClientRect().left >= 0"
    )
    expect(sidebar.locator("a[href='/products/']")).to_be_in_viewport()
    shot("catalogue-17-phone-menu-open", full_page=False)
    # A tap outside closes it again.
    page.mouse.click(370, 600)
    page.wait_for_function(
        "() => document.getElementById('sidebar').getBoundingClientRect().right <= 0"
    )

    # Grid on the phone: two columns of cards, still no sideways scrolling.
    page.goto(f"{live_server.url}/products/?view=grid")
    cards = page.locator(".photo-card")
    expect(cards).to_have_count(4)
    assert cards.nth(0).bounding_box()["y"] == cards.nth(1).bounding_box()["y"]  # side by side
    assert no_horizontal_overflow(page)
    shot("catalogue-18-phone-grid", full_page=False)

    # Detail and edit pages fit the phone too (wide tables scroll inside their card).
    drum = catalogue["drum_chair"]
    page.goto(f"{live_server.url}/products/{drum.code}/")
    assert image_loaded(page.locator("#gallery-main"))
    assert no_horizontal_overflow(page), "the product page is wider than the phone"
    shot("catalogue-19-phone-detail")
    page.goto(f"{live_server.url}/products/{drum.code}/edit/")
    assert no_horizontal_overflow(page), "the edit form is wider than the phone"
    shot("catalogue-20-phone-edit")


def test_language_switch_changes_page_language(page, live_server, login, shot, staff_user):
    login(staff_user)
    page.goto(f"{live_server.url}/products/")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.locator(".topbar .lang-switch button[value=en]").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.url.endswith("/products/")
    expect(page.locator(".topbar .lang-switch button[value=en]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("h1")).to_have_text("Products")
    shot("catalogue-21-english")

    page.locator(".topbar .lang-switch button[value=zh-hans]").click()
    page.wait_for_function("() => document.documentElement.lang === 'zh-hans'")
    expect(page.locator(".topbar .lang-switch button[value=zh-hans]")).to_have_attribute(
        "aria-pressed", "true"
    )
    shot("catalogue-22-chinese")

    page.locator(".topbar .lang-switch button[value=id]").click()
    page.wait_for_function("() => document.documentElement.lang === 'id'")
