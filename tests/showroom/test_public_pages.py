"""The buyers' pages of a share link: what they show, in which language, what they never
show, 404/410, view counts, the cache and its invalidation, and no other host."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from catalogue.product_writes import change_status
from showroom.models import ExchangeRate, ProductView, ShareLink
from tests.showroom.public_fixtures import SECRETS, _fresh_cache, buyer, shared  # noqa: F401

pytestmark = pytest.mark.django_db


def body(response):
    return response.content.decode()


def test_collection_page_shows_the_grid_in_chinese_whatever_the_browser_asks(shared, buyer):
    response = buyer.get(shared["live"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id,en;q=0.9")
    html = body(response)
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in html
    assert "回收油桶椅" in html and "油桶家具 · 采购商周" in html and "精选东爪哇杰姆伯产品" in html
    assert html.count('class="card"') == 2
    assert shared["live"].product_url(shared["chair"].code) in html
    assert "850,000" in html and "378" in html  # IDR and ≈ CNY at 2250
    assert timezone.localdate().isoformat() in html  # the rate's date


def test_language_switch_is_plain_links_that_keep_the_language(shared, buyer):
    link = shared["live"]
    html = body(buyer.get(link.get_absolute_url() + "?lang=en"))
    assert '<html lang="en">' in html
    assert "Recycled drum chair" in html and "回收油桶椅" not in html
    assert f'href="{link.product_url(shared["chair"].code)}?lang=en"' in html
    assert f'href="{link.get_absolute_url()}?lang=id"' in html
    assert f'href="{link.get_absolute_url()}"' in html  # back to Chinese
    assert f'action="{link.get_absolute_url()}?lang=en#inquiry"' in html
    assert "<script" not in html
    indonesian = body(buyer.get(link.get_absolute_url() + "?lang=id"))
    assert '<html lang="id">' in indonesian and "Kursi drum daur ulang" in indonesian
    assert "850.000" in indonesian


def test_unknown_language_falls_back_to_chinese(shared, buyer):
    html = body(buyer.get(shared["live"].get_absolute_url() + "?lang=xx"))
    assert '<html lang="zh-Hans">' in html


def test_prices_only_when_the_link_shows_them(shared, buyer):
    link = shared["live"]
    ShareLink.objects.filter(pk=link.pk).update(show_prices=False, updated_at=timezone.now())
    html = body(buyer.get(link.get_absolute_url() + "?lang=en"))
    assert "850,000" not in html and "CNY" not in html


def test_product_page_shows_the_specification(shared, buyer):
    chair = shared["chair"]
    html = body(buyer.get(shared["live"].product_url(chair.code) + "?lang=en"))
    assert "45 × 50 × 80.5 cm" in html and "7.25 kg" in html
    assert "LVLK Mutu Hutan" in html and "SVLK" in html
    assert SECRETS["expired_issuer"] not in html  # expired certification left out
    assert ("940171" in html) == bool(chair.hs_code_id)
    assert html.count(".webp") >= 2 and 'loading="lazy"' in html


def test_missing_chinese_text_is_shown_marked_with_its_language(shared, buyer):
    html = body(buyer.get(shared["live"].product_url(shared["chair"].code)))
    # No Chinese description: the Indonesian one, with lang="id" and a marker.
    assert '<div lang="id"><p>Kursi dari drum bekas, dicat tangan.</p></div>' in html
    assert '<span lang="id">Drum baja bekas, cat</span> <small class="lang-mark">' in html


def test_food_product_shows_shelf_life_and_storage(shared, buyer):
    html = body(buyer.get(shared["live"].product_url(shared["sambal"].code) + "?lang=en"))
    assert "270 days" in html and "Simpan di tempat sejuk dan kering" in html


@pytest.mark.parametrize("page", ["collection", "product", "food"])
def test_public_pages_never_show_private_values(shared, buyer, page):
    link = shared["live"]
    change_status(shared["chair"], "candidate")
    url = {
        "collection": link.get_absolute_url(),
        "product": link.product_url(shared["chair"].code),
        "food": link.product_url(shared["sambal"].code),
    }[page]
    for lang in ("", "?lang=en", "?lang=id"):
        html = body(buyer.get(url + lang))
        leaked = [name for name, value in SECRETS.items() if value in html]
        assert leaked == []
        for word in ("readiness", "staff-test", "visitor-test", "candidate", "/media/"):
            assert word not in html.lower()
        assert "certificate" not in html.lower()  # no document link


@pytest.mark.parametrize("which", ["expired", "revoked"])
def test_expired_or_revoked_link_is_gone_politely(shared, buyer, which):
    link = shared[which]
    for url in (link.get_absolute_url(), link.product_url(shared["chair"].code)):
        response = buyer.get(url)
        assert response.status_code == 410
        html = body(response)
        assert 'lang="zh-Hans"' in html and 'lang="en"' in html
        assert "This link is no longer valid" in html  # the English half


def test_unknown_and_malformed_tokens_get_the_same_404(shared, buyer):
    pages = [
        buyer.get("/s/" + "A" * 32 + "/"),
        buyer.get("/s/x/"),
        buyer.get("/s/" + shared["live"].token[:-1] + "/"),
        buyer.get("/s/" + "A" * 32 + "/" + shared["chair"].code + "/"),
    ]
    assert {page.status_code for page in pages} == {404}
    assert len({body(page) for page in pages}) == 1


def test_product_outside_the_collection_is_404(shared, buyer, make_product):
    other = make_product(name_id="Tidak dibagikan")
    response = buyer.get(shared["live"].product_url(other.code))
    assert response.status_code == 404
    assert "Tidak dibagikan" not in body(response)
    assert buyer.get(shared["live"].product_url("NOPE-0001")).status_code == 404


def test_views_are_counted_even_from_the_cache(shared, buyer):
    link, chair = shared["live"], shared["chair"]
    for _ in range(3):
        buyer.get(link.get_absolute_url())
    for _ in range(2):
        buyer.get(link.product_url(chair.code))
    link.refresh_from_db()
    assert link.view_count == 5 and link.last_viewed_at is not None
    assert ProductView.objects.get(share_link=link, product=chair).count == 2


def test_cached_page_costs_a_few_queries(shared, buyer, django_assert_max_num_queries):
    url = shared["live"].get_absolute_url()
    buyer.get(url)
    with django_assert_max_num_queries(4):  # link, version (+ rate), view count
        assert buyer.get(url).status_code == 200
    product = shared["live"].product_url(shared["chair"].code)
    buyer.get(product)
    with django_assert_max_num_queries(5):
        assert buyer.get(product).status_code == 200


def test_collection_page_queries_do_not_grow_with_products(
    shared, buyer, make_product, django_assert_max_num_queries
):
    from showroom.models import CollectionItem

    for position in range(10):
        product = make_product(name_id=f"Produk {position}")
        CollectionItem.objects.create(
            collection=shared["collection"], product=product, position=10 + position
        )
    with django_assert_max_num_queries(12):
        assert buyer.get(shared["live"].get_absolute_url()).status_code == 200


def test_a_product_change_invalidates_the_cached_pages(shared, buyer):
    from catalogue.product_writes import save_product

    link, chair = shared["live"], shared["chair"]
    assert "回收油桶椅" in body(buyer.get(link.get_absolute_url()))
    assert "回收油桶椅" in body(buyer.get(link.product_url(chair.code)))
    chair.name_zh = "新名字椅子"
    save_product(chair, None)
    assert "新名字椅子" in body(buyer.get(link.get_absolute_url()))
    assert "新名字椅子" in body(buyer.get(link.product_url(chair.code)))


def test_a_bulk_write_invalidates_the_cached_pages(shared, buyer):
    from catalogue.models import Product

    link = shared["live"]
    buyer.get(link.get_absolute_url())
    Product.objects.filter(pk=shared["chair"].pk).update(
        name_zh="批量改名", updated_at=timezone.now()
    )
    assert "批量改名" in body(buyer.get(link.get_absolute_url()))


def test_a_new_exchange_rate_invalidates_prices(shared, buyer):
    link = shared["live"]
    assert "378" in body(buyer.get(link.get_absolute_url()))
    ExchangeRate.objects.create(idr_per_cny=2000, valid_on=timezone.localdate())
    assert "425" in body(buyer.get(link.get_absolute_url()))


def test_removing_a_product_from_the_collection_invalidates(shared, buyer):
    link = shared["live"]
    buyer.get(link.get_absolute_url())
    shared["collection"].items.filter(product=shared["sambal"]).delete()
    html = body(buyer.get(link.get_absolute_url()))
    assert html.count('class="card"') == 1
    assert buyer.get(link.product_url(shared["sambal"].code)).status_code == 404


def test_revocation_takes_effect_at_once_with_a_cached_page(shared, buyer):
    link = shared["live"]
    assert buyer.get(link.get_absolute_url()).status_code == 200
    assert buyer.get(link.product_url(shared["chair"].code)).status_code == 200
    # Revoked by a raw update (no signal, updated_at unchanged): the cache cannot know.
    ShareLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    assert buyer.get(link.get_absolute_url()).status_code == 410
    assert buyer.get(link.product_url(shared["chair"].code)).status_code == 410


def test_pages_are_not_kept_by_browsers(shared, buyer):
    response = buyer.get(shared["live"].get_absolute_url())
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- nothing from another host -----------------------------------------------------------

URL_ATTRIBUTES = {"src", "href", "action", "srcset", "poster", "data", "formaction"}


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        self.styles = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                if name == "srcset":
                    self.urls += [part.strip().split(" ")[0] for part in value.split(",")]
                else:
                    self.urls.append(value)
            if name == "style" and value:
                self.styles.append(value)


def css_urls(text):
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
    found += re.findall(r"@import\s+['\"]([^'\"]+)", text)
    return found


def foreign(url):
    """Whether ``url`` points at another host (absolute or protocol-relative)."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) and parts.netloc not in ("testserver",)


def references(html):
    parser = _References()
    parser.feed(html)
    urls = parser.urls + [u for style in parser.styles for u in css_urls(style)]
    for block in re.findall(r"<style[^>]*>(.*?)</style>", html, re.S):
        urls += css_urls(block)
    return urls


def _stylesheet(url):
    path = url.removeprefix(
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    return (Path(settings.BASE_DIR) / "static" / path).read_text()


def test_foreign_url_detection():
    assert foreign("//fonts.googleapis.com/css") and foreign("https://cdn.example.com/x.js")
    assert not foreign("/static/css/showroom.css") and not foreign("#inquiry")
    assert not foreign("?lang=en")


def test_no_public_page_or_its_css_refers_to_another_host(shared, buyer):
    link = shared["live"]
    pages = [
        link.get_absolute_url(),
        link.get_absolute_url() + "?lang=en",
        link.product_url(shared["chair"].code),
        link.product_url(shared["sambal"].code) + "?lang=id",
        link.get_absolute_url() + "thanks/",
        shared["revoked"].get_absolute_url(),
        "/s/unknown/",
    ]
    offenders = []
    stylesheets = set()
    for page in pages:
        html = body(buyer.get(page))
        assert "<script" not in html
        for url in references(html):
            if foreign(url):
                offenders.append((page, url))
            if url.endswith(".css"):
                stylesheets.add(url)
    assert stylesheets, "the pages link their stylesheet"
    for sheet in stylesheets:
        offenders += [(sheet, url) for url in css_urls(_stylesheet(sheet)) if foreign(url)]
    assert offenders == []


def test_a_photo_deleted_without_a_product_write_invalidates_through_the_signal(shared, buyer):
    link = shared["live"]
    url = link.product_url(shared["chair"].code)
    photo_path = f"/p/{shared['photo'].pk}/"
    assert photo_path in body(buyer.get(url))
    shared["photo"].delete()  # as the Django admin would: no product save
    assert photo_path not in body(buyer.get(url))
