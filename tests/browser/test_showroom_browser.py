"""A buyer in China opens a share link on a phone with JavaScript off (WeChat's in-app
browser may run none): the grid in Chinese, a product, an inquiry, the thank-you page.
Screenshots: test-artifacts/showroom-*.png."""

import re
from urllib.parse import urlsplit

import pytest

from showroom.models import Inquiry
from tests.showroom.public_fixtures import SECRETS, _fresh_cache, shared  # noqa: F401, F811

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        java_script_enabled=False,
        device_scale_factor=2,
    )
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    yield page, hosts
    context.close()


def test_buyer_opens_a_link_and_sends_an_inquiry_in_chinese(shared, phone, live_server, settings):
    from tests.browser.conftest import ARTIFACTS

    settings.SHOWROOM_MIN_FILL_SECONDS = 1
    page, hosts = phone
    ARTIFACTS.mkdir(exist_ok=True)
    link, chair = shared["live"], shared["chair"]

    page.goto(live_server.url + link.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator(".card").count() == 2
    assert page.locator("h1").inner_text().startswith("油桶家具")
    page.screenshot(path=str(ARTIFACTS / "showroom-01-collection.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "showroom-01-collection-first-view.png"))

    page.locator(".card-link").first.click()
    page.wait_for_url(f"**{link.product_url(chair.code)}")
    assert "回收油桶椅" in page.locator("h1").inner_text()
    html = page.content()
    assert not [name for name, value in SECRETS.items() if value in html]
    box = page.locator(".hp").bounding_box()
    assert box is None or box["x"] < 0
    page.screenshot(path=str(ARTIFACTS / "showroom-02-product.png"), full_page=True)

    page.fill("#id_name", "王先生")
    page.fill("#id_company", "宁波进出口有限公司")
    page.fill("#id_city", "宁波")
    page.fill("#id_wechat", "wang_ningbo")
    page.fill("#id_quantity", "200 件")
    page.fill("#id_message", "请报价，并告知样品费用。")
    page.screenshot(path=str(ARTIFACTS / "showroom-03-inquiry-form.png"), full_page=True)
    page.wait_for_timeout(1100)
    page.locator("form.form button[type=submit]").click()
    # The redirect keeps the form's #inquiry fragment (browsers carry it over).
    page.wait_for_url(re.compile(re.escape(f"{link.get_absolute_url()}thanks/") + "(#.*)?$"))
    assert page.locator("[data-testid=thanks]").is_visible()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.screenshot(path=str(ARTIFACTS / "showroom-04-thanks.png"), full_page=True)

    inquiry = Inquiry.objects.get()
    assert inquiry.language == "zh-hans" and inquiry.wechat == "wang_ningbo"
    assert list(inquiry.products.all()) == [chair]
    assert hosts == {urlsplit(live_server.url).netloc}


def test_buyer_switches_to_english_and_sees_a_revoked_link(shared, phone, live_server):
    from tests.browser.conftest import ARTIFACTS

    page, hosts = phone
    page.goto(live_server.url + shared["live"].get_absolute_url())
    page.locator(".langs a[hreflang=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Recycled drum chair" in page.content()
    page.screenshot(path=str(ARTIFACTS / "showroom-05-collection-en.png"), full_page=True)
    response = page.goto(live_server.url + shared["revoked"].get_absolute_url())
    assert response.status == 410
    page.screenshot(path=str(ARTIFACTS / "showroom-06-gone.png"), full_page=True)
    assert hosts == {urlsplit(live_server.url).netloc}
