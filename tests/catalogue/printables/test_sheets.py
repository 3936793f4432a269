"""Promotion sheets and lookbooks: bilingual A4 pages with a QR code, for any
filtered selection of the product list."""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.models import Category, Certification, Product, ProductPhoto
from catalogue.printables import sheets
from catalogue.printables.qr import qr_svg
from home.drawing import draw_product_photo

pytestmark = pytest.mark.django_db

PHONE = "+62 812-3456-7890"
WHATSAPP = "+62 813-9999-0001"
EMAIL = "drum.pakusari@example.org"
NIB = "9120001234567"


@pytest.fixture
def producer(make_producer):
    return make_producer(
        "35.09",
        "35.09.24",
        name="UD Drum Pakusari",
        contact_person="Pak Slamet",
        phone=PHONE,
        whatsapp=WHATSAPP,
        email=EMAIL,
        nib=NIB,
    )


def _photo(product, seed, primary=False):
    return ProductPhoto.objects.create(
        product=product,
        image=draw_product_photo(product.name_id, seed=seed, size=(160, 120)),
        position=seed,
        is_primary=primary,
    )


@pytest.fixture
def product(make_product, producer):
    product = make_product(
        producer,
        "furnitur-logam",
        name_id="Kursi drum bekas",
        name_en="Recycled drum chair",
        name_zh="油桶椅",
        price_idr=850_000,
        moq=20,
        capacity_per_month=1200,
        lead_time_days=21,
        materials="Drum baja bekas 200 L",
        length_cm=60,
        width_cm=55,
        height_cm=80,
        weight_kg="9.5",
        description_zh="用回收的200升钢桶手工制作。",
        description_en="Hand-made from recycled 200-litre steel drums.",
    )
    return product


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _sheet_url(product):
    return f"/products/{product.code}/sheet/"


# --- the promotion sheet ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff", "regency", "visitor"])
def test_every_role_gets_the_sheet_in_chinese_and_english(client, role_users, role, product):
    client.force_login(role_users[role])
    content = _get(client, _sheet_url(product))
    assert "油桶椅" in content
    assert "Recycled drum chair" in content
    assert "IDR 850,000" in content
    assert "价格" in content and "Price" in content
    assert "<svg" in content
    assert 'data-testid="sheet"' in content


def test_sheet_is_chinese_first_then_english_whatever_the_ui_language(
    client, visitor_user, product
):
    client.force_login(visitor_user)
    for language in ("id", "en", "zh-hans"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        content = _get(client, _sheet_url(product))
        assert content.index("油桶椅") < content.index("Recycled drum chair")
        # Choice labels come from the catalogues in both languages: "piece" is 件 in Chinese.
        assert '<span lang="zh-Hans">件</span> piece' in content
        assert "起订量</span> MOQ" in content


def test_qr_code_encodes_the_product_page_url(client, visitor_user, product, settings):
    settings.SITE_URL = "https://etalase.example.org"
    client.force_login(visitor_user)
    content = _get(client, _sheet_url(product))
    url = f"https://etalase.example.org/products/{product.code}/"
    assert f'data-qr-url="{url}"' in content
    # The very SVG that segno draws for that URL (drawn locally: no network involved).
    assert str(qr_svg(url, title=url)) in content
    assert str(qr_svg(url + "x", title=url + "x")) not in content


def test_sheet_prints_spec_price_and_trade_facts(client, visitor_user, product):
    product.hs_code_id = "940320"
    product.save()
    client.force_login(visitor_user)
    content = _get(client, _sheet_url(product))
    for text in [
        "Drum baja bekas 200 L",
        "60 × 55 × 80 cm",
        "9.5 kg",
        "1,200",  # capacity per month
        "21 <span",  # lead time in days
        "9403.20",
        "用回收的200升钢桶手工制作。",
        "Hand-made from recycled 200-litre steel drums.",
        'data-testid="sheet-readiness">',
    ]:
        assert text in content, text


def test_sheet_uses_full_photos_primary_first_and_at_most_three(client, visitor_user, product):
    others = [_photo(product, 1), _photo(product, 2), _photo(product, 3)]
    primary = _photo(product, 4, primary=True)
    client.force_login(visitor_user)
    content = _get(client, _sheet_url(product))
    assert f'class="photo-primary" src="{primary.image.url}"' in content
    assert primary.thumbnail.url not in content
    shown = [p for p in others if p.image.url in content]
    assert len(shown) == 2
    assert content.count("<img") == 3


def test_missing_chinese_name_is_marked_pending(client, visitor_user, product):
    product.name_zh = ""
    product.save()
    client.force_login(visitor_user)
    content = _get(client, _sheet_url(product))
    assert 'data-testid="name-zh-pending"' in content
    assert "中文名称待定" in content and "Chinese name pending" in content


def test_expired_certifications_are_left_out_and_counted(client, visitor_user, product):
    today = timezone.localdate()
    Certification.objects.create(
        product=product, kind="sni", number="SNI-VALID-1", expires_on=today.replace(year=2099)
    )
    Certification.objects.create(product=product, kind="iso", number="ISO-NO-EXPIRY")
    Certification.objects.create(
        product=product,
        kind="haccp",
        number="HACCP-EXPIRED-9",
        expires_on=today - datetime.timedelta(days=1),
    )
    client.force_login(visitor_user)
    content = _get(client, _sheet_url(product))
    assert "SNI-VALID-1" in content and "2099-" in content
    assert "ISO-NO-EXPIRY" in content
    assert "HACCP-EXPIRED-9" not in content
    assert 'data-testid="expired-note"' in content
    assert "1 expired certificate not listed" in content


def test_tobacco_sheet_carries_the_restricted_channel_notice(
    client, visitor_user, make_product, product
):
    cigars = make_product(category="cerutu", name_id="Cerutu Besuki", name_zh="雪茄")
    client.force_login(visitor_user)
    content = _get(client, _sheet_url(cigars))
    assert 'data-testid="restricted-channel"' in content
    assert "Tobacco Monopoly Law" in content and "烟草专卖法" in content
    assert 'data-testid="restricted-channel"' not in _get(client, _sheet_url(product))


def test_food_sheet_shows_shelf_life_and_storage(client, visitor_user, make_product):
    food = make_product(
        category="makanan-olahan",
        name_id="Suwar-suwir",
        shelf_life_days=120,
        storage_conditions="Simpan di tempat sejuk",
    )
    client.force_login(visitor_user)
    content = _get(client, _sheet_url(food))
    assert "保质期</span> Shelf life" in content and "120 <span" in content
    assert "Simpan di tempat sejuk" in content


@pytest.mark.parametrize("role", ["admin", "staff", "visitor"])
def test_sheet_never_shows_the_producers_contact_details_or_nib(client, role_users, role, product):
    """TEC contacts producers through Bakorwil V Jember, whose contact block is printed."""
    client.force_login(role_users[role])
    content = _get(client, _sheet_url(product))
    for private in [PHONE, WHATSAPP, EMAIL, NIB, "Pak Slamet"]:
        assert private not in content
    assert (
        "<strong>Bakorwil V Jember</strong> — Badan Koordinasi Wilayah V, Provinsi Jawa Timur"
        in (content)
    )
    assert "through Bakorwil V Jember" in content


def test_unknown_product_is_404(client, visitor_user):
    client.force_login(visitor_user)
    assert client.get("/products/NOPE-0001/sheet/").status_code == 404


@pytest.mark.parametrize("path", ["/products/JBR-0001/sheet/", "/products/lookbook/"])
def test_anonymous_users_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", ["/products/{code}/sheet/", "/products/lookbook/"])
def test_logged_in_users_without_a_role_are_refused(client, product, path):
    client.force_login(User.objects.create_user("no-role", password="x-y-z-123456"))
    assert client.get(path.format(code=product.code)).status_code == 403


def test_product_page_links_to_its_sheet(client, visitor_user, product):
    client.force_login(visitor_user)
    content = _get(client, f"/products/{product.code}/")
    assert f'href="/products/{product.code}/sheet/" data-testid="promotion-sheet"' in content


# --- the lookbook -------------------------------------------------------------------------


@pytest.fixture
def selection(make_producer, make_product, producer, product):
    """Three products in Jember (two metal furniture, one wood carving), one in Banyuwangi."""
    stool = make_product(producer, "furnitur-logam", name_id="Bangku drum", name_zh="油桶凳")
    mask = make_product(make_producer("35.09"), "kerajinan-kayu", name_id="Topeng kayu")
    far = make_product(make_producer("35.10"), "furnitur-logam", name_id="Lemari drum")
    Product.objects.filter(pk=stool.pk).update(status="shortlisted")
    return {"chair": product, "stool": stool, "mask": mask, "far": far}


def _sheet_codes(content):
    return re.findall(r'<article class="sheet" lang="en" data-product="([^"]+)"', content)


def test_lookbook_has_a_sheet_per_filtered_product_and_a_cover(client, staff_user, selection):
    client.force_login(staff_user)
    content = _get(client, "/products/lookbook/?regency=35.09&category=furnitur-logam")
    assert _sheet_codes(content) == sorted([selection["chair"].code, selection["stool"].code])
    cover = content[content.index('data-testid="lookbook-cover"') : content.index("<article")]
    assert 'data-testid="lookbook-count"><strong>2</strong>' in cover
    # The filters in words, in Chinese and in English, and the counts by regency/status.
    assert "Regency: Kabupaten Jember" in cover
    assert "Category: Metal &amp; drum furniture" in cover
    assert "Kabupaten Jember" in cover
    assert "Shortlisted" in cover and "Draft" in cover
    assert "Product lookbook" in cover and "产品目录" in cover


@pytest.mark.parametrize(
    "query",
    [
        "",
        "regency=35.09",
        "status=shortlisted",
        "q=drum",
        "category=furnitur-logam&sort=-name",
        "min_readiness=101",
    ],
)
def test_lookbook_holds_exactly_the_rows_the_list_shows(client, staff_user, selection, query):
    client.force_login(staff_user)
    listed = client.get(f"/products/?{query}").context["listing"].queryset
    content = _get(client, f"/products/lookbook/?{query}")
    assert _sheet_codes(content) == [p.code for p in listed]


def test_lookbook_without_filters_says_all_products(client, staff_user, selection):
    client.force_login(staff_user)
    content = _get(client, "/products/lookbook/")
    assert "All products in the catalogue" in content
    assert len(_sheet_codes(content)) == 4


def test_lookbook_over_200_products_asks_to_narrow_the_filter(
    client, staff_user, producer, settings
):
    settings.LOOKBOOK_JOB_ROWS = sheets.LOOKBOOK_LIMIT  # printed in the request
    category = Category.objects.get(slug="kerajinan-kayu")
    Product.objects.bulk_create(
        Product(code=f"T-{n:04d}", producer=producer, category=category, name_id=f"Produk {n}")
        for n in range(sheets.LOOKBOOK_LIMIT + 1)
    )
    client.force_login(staff_user)
    content = _get(client, "/products/lookbook/?regency=35.09")
    assert 'data-testid="lookbook-too-many"' in content
    assert "201" in content and "200" in content
    assert _sheet_codes(content) == []
    assert 'href="/products/?regency=35.09"' in content
    # Narrowed to 200, it prints.
    Product.objects.filter(code="T-0000").delete()
    assert len(_sheet_codes(_get(client, "/products/lookbook/?regency=35.09"))) == 200


def _rich_products(make_product, producer, count, start):
    today = timezone.localdate()
    for n in range(start, start + count):
        product = make_product(producer, "furnitur-logam", name_id=f"Kursi {n}", name_zh="椅子")
        _photo(product, n, primary=True)
        _photo(product, n + 100)
        Certification.objects.create(product=product, kind="sni", number=f"SNI-{n}")
        Certification.objects.create(
            product=product, kind="iso", expires_on=today - datetime.timedelta(days=3)
        )


def test_lookbook_queries_do_not_grow_with_the_products(
    client, staff_user, make_product, producer, django_assert_max_num_queries
):
    client.force_login(staff_user)
    url = "/products/lookbook/?regency=35.09&category=furnitur-logam"
    _rich_products(make_product, producer, 2, start=1)
    client.get(url)  # warm the session and the user's role
    with CaptureQueriesContext(connection) as few:
        assert len(_sheet_codes(_get(client, url))) == 2
    _rich_products(make_product, producer, 8, start=10)
    with django_assert_max_num_queries(len(few)):
        assert len(_sheet_codes(_get(client, url))) == 10


def test_sheet_queries_are_few(client, staff_user, product, django_assert_max_num_queries):
    _photo(product, 1, primary=True)
    Certification.objects.create(product=product, kind="sni", number="SNI-1")
    client.force_login(staff_user)
    with django_assert_max_num_queries(9):  # the ninth: the share links the sheet offers
        _get(client, _sheet_url(product))


def test_product_list_links_to_the_lookbook_with_its_filters(client, staff_user, selection):
    client.force_login(staff_user)
    content = _get(client, "/products/?regency=35.09&status=shortlisted&page=1")
    link = re.search(r'href="(/products/lookbook/\?[^"]*)" data-testid="print-lookbook"', content)
    assert link is not None
    assert html.unescape(link.group(1)) == "/products/lookbook/?regency=35.09&status=shortlisted"
