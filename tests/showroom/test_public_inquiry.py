"""Buyers' inquiries from the public pages: what is stored, the products' move to buyer
interest, the traps (honeypot, too fast), the rate limits, length limits, CSRF."""

import re

import pytest
from django.test import Client

from catalogue.models import Product, StatusChange
from showroom.models import Collection, Inquiry
from showroom.receiving import receive_inquiry
from tests.showroom.public_fixtures import _fresh_cache, buyer, shared  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def instant(settings):
    """No minimum time to fill the form (the tests fill it in microseconds)."""
    settings.SHOWROOM_MIN_FILL_SECONDS = 0


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def send(client, url, **fields):
    """GET ``url`` as a buyer, then POST its form back with ``fields``."""
    html = client.get(url).content.decode()
    data = {
        "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
        "started": hidden(html, "started"),
        "name": "王先生",
        "company": "宁波进出口有限公司",
        "city": "宁波 / 中国",
        "wechat": "wang_ningbo",
        "quantity": "200 件",
        "message": "请报价。",
        "website": "",
    }
    data.update(fields)
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def test_inquiry_from_a_product_page_is_stored_and_thanked(shared, buyer, instant):
    link, chair = shared["live"], shared["chair"]
    url = link.product_url(chair.code) + "?lang=en"
    response = send(buyer, url, products=chair.code)
    assert response.status_code == 302
    assert response["Location"] == link.get_absolute_url() + "thanks/?lang=en"
    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.wechat, inquiry.language) == ("王先生", "wang_ningbo", "en")
    assert inquiry.share_link == link and inquiry.collection == shared["collection"]
    assert list(inquiry.products.all()) == [chair]
    thanks = buyer.get(response["Location"])
    assert thanks.status_code == 200 and '<html lang="en">' in thanks.content.decode()


def test_inquiry_moves_products_to_buyer_interest_in_the_status_history(shared, buyer, instant):
    link, chair, sambal = shared["live"], shared["chair"], shared["sambal"]
    Product.objects.filter(pk=sambal.pk).update(status="exported")
    response = send(buyer, link.get_absolute_url(), products=[chair.code, sambal.code])
    assert response.status_code == 302
    assert response["Location"] == link.get_absolute_url() + "thanks/"
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "zh-hans"
    assert set(inquiry.products.all()) == {chair, sambal}
    chair.refresh_from_db()
    sambal.refresh_from_db()
    assert chair.status == "buyer_interest" and sambal.status == "exported"
    step = StatusChange.objects.get(product=chair, to_status="buyer_interest")
    assert step.from_status == "draft" and step.changed_by is None
    assert inquiry.reference in step.reason
    assert not StatusChange.objects.filter(product=sambal).exists()


def test_collection_form_lists_the_collection_products_as_checkboxes(shared, buyer):
    html = buyer.get(shared["live"].get_absolute_url()).content.decode()
    assert f'type="checkbox" name="products" value="{shared["chair"].code}"' in html
    assert f'value="{shared["sambal"].code}"' in html


def test_collection_form_needs_a_product(shared, buyer, instant):
    response = send(buyer, shared["live"].get_absolute_url() + "?lang=en")
    assert response.status_code == 400
    assert "Choose at least one product." in response.content.decode()
    assert not Inquiry.objects.exists()


def test_at_least_one_contact_is_required(shared, buyer, instant):
    url = shared["live"].product_url(shared["chair"].code) + "?lang=en"
    response = send(buyer, url, products=shared["chair"].code, wechat="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "WeChat ID, phone or e-mail" in html
    assert 'value="宁波进出口有限公司"' in html  # the buyer's entries are kept
    assert not Inquiry.objects.exists()


def test_bad_e_mail_is_refused_in_the_buyers_language(shared, buyer, instant):
    url = shared["live"].product_url(shared["chair"].code)
    response = send(buyer, url, products=shared["chair"].code, email="not-an-address")
    assert response.status_code == 400
    assert '<html lang="zh-Hans">' in response.content.decode()
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("name", 100),
        ("company", 200),
        ("city", 100),
        ("wechat", 50),
        ("phone", 40),
        ("quantity", 100),
        ("target_price", 100),
        ("message", 2000),
    ],
)
def test_every_field_has_a_length_limit(shared, buyer, instant, field, limit):
    url = shared["live"].product_url(shared["chair"].code) + "?lang=en"
    response = send(buyer, url, products=shared["chair"].code, **{field: "x" * (limit + 1)})
    assert response.status_code == 400
    assert f"at most {limit} characters" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_product_not_in_the_collection_is_refused(shared, buyer, instant, make_product):
    other = make_product(name_id="Lain")
    url = shared["live"].product_url(shared["chair"].code)
    response = send(buyer, url, products=other.code)
    assert response.status_code == 400
    assert not Inquiry.objects.exists()


def test_honeypot_filled_stores_nothing(shared, buyer, instant):
    url = shared["live"].product_url(shared["chair"].code)
    response = send(buyer, url, products=shared["chair"].code, website="http://spam.example")
    assert response.status_code == 302  # the bot is told nothing
    assert not Inquiry.objects.exists()


def test_honeypot_is_hidden_by_the_stylesheet_not_inline(shared, buyer):
    html = buyer.get(shared["live"].get_absolute_url()).content.decode()
    assert '<div class="hp" aria-hidden="true">' in html and "style=" not in html


def test_too_fast_gets_a_clear_message_and_stores_nothing(shared, buyer, settings):
    settings.SHOWROOM_MIN_FILL_SECONDS = 60
    url = shared["live"].product_url(shared["chair"].code) + "?lang=en"
    response = send(buyer, url, products=shared["chair"].code)
    assert response.status_code == 400
    assert "sent too quickly" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_forged_start_time_is_refused(shared, buyer, instant):
    url = shared["live"].product_url(shared["chair"].code) + "?lang=en"
    response = send(buyer, url, products=shared["chair"].code, started="1.0")
    assert response.status_code == 400 and not Inquiry.objects.exists()


def test_rate_limit_per_address(shared, instant, settings):
    settings.SHOWROOM_INQUIRIES_PER_ADDRESS = (2, 600)
    client = Client(enforce_csrf_checks=True)
    url = shared["live"].product_url(shared["chair"].code) + "?lang=en"
    assert send(client, url, products=shared["chair"].code).status_code == 302
    assert send(client, url, products=shared["chair"].code).status_code == 302
    refused = send(client, url, products=shared["chair"].code)
    assert refused.status_code == 429
    assert '<html lang="en">' in refused.content.decode()
    assert "try again later" in refused.content.decode()
    assert Inquiry.objects.count() == 2
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.1.2.3")
    assert send(other, url, products=shared["chair"].code).status_code == 302


def test_rate_limit_per_link(shared, instant, settings):
    settings.SHOWROOM_INQUIRIES_PER_LINK = (2, 3600)
    url = shared["live"].product_url(shared["chair"].code)
    for number in range(2):
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR=f"10.0.0.{number + 1}")
        assert send(client, url, products=shared["chair"].code).status_code == 302
    late = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.9")
    refused = send(late, url, products=shared["chair"].code)
    assert refused.status_code == 429 and '<html lang="zh-Hans">' in refused.content.decode()
    assert Inquiry.objects.count() == 2


def test_post_without_csrf_token_is_refused(shared, buyer, instant):
    url = shared["live"].product_url(shared["chair"].code)
    response = send(buyer, url, products=shared["chair"].code, csrfmiddlewaretoken=None)
    assert response.status_code == 403
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    ("query", "html_lang", "phrase"),
    [("", "zh-Hans", "您的询价未能发送"), ("?lang=en", "en", "Your inquiry could not be sent")],
)
def test_a_buyer_without_cookies_is_told_in_the_page_language_and_led_back(
    shared, instant, query, html_lang, phrase
):
    """A browser that blocks cookies never sends the CSRF cookie back (WeChat settings)."""
    url = shared["live"].product_url(shared["chair"].code) + query
    no_cookies = Client(enforce_csrf_checks=True)
    html = no_cookies.get(url).content.decode()
    no_cookies.cookies.clear()
    data = {"csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"), "name": "王先生"}
    response = no_cookies.post(url, data)
    body = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{html_lang}">' in body and phrase in body
    assert f'href="{shared["live"].product_url(shared["chair"].code)}{query}"' in body
    assert "CSRF" not in body and not Inquiry.objects.exists()


def test_a_staff_form_refused_by_the_csrf_check_is_explained_in_the_users_language(
    staff_user,
):
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(staff_user)
    staff.cookies["django_language"] = "en"
    no_cookie = staff.post("/collections/new/", {"name_id": "Pameran"}).content.decode()
    assert 'data-testid="csrf-failure"' in no_cookie and "Please allow cookies" in no_cookie
    staff.get("/collections/new/")  # now the browser has the cookie, the form an old token
    response = staff.post("/collections/new/", {"name_id": "Pameran", "csrfmiddlewaretoken": "x"})
    body = response.content.decode()
    assert response.status_code == 403 and "The form could not be sent" in body
    assert "Nothing was saved" in body and not Collection.objects.exists()


def test_cached_html_has_no_per_visitor_token_and_each_buyer_gets_a_working_one(shared, instant):
    from django.core.cache import cache

    url = shared["live"].product_url(shared["chair"].code)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    html_one = first.get(url).content.decode()
    html_two = second.get(url).content.decode()  # served from the cache
    assert hidden(html_one, "csrfmiddlewaretoken") != hidden(html_two, "csrfmiddlewaretoken")
    cached = list(cache._cache.values())  # locmem: pickled entries
    assert cached and not any(b"csrfmiddlewaretoken" in entry for entry in cached)
    # The second buyer, who got the cached page, can send with their own token.
    assert send(second, url, products=shared["chair"].code).status_code == 302
    assert Inquiry.objects.count() == 1


def test_inquiry_on_a_revoked_link_is_gone(shared, instant):
    client = Client(enforce_csrf_checks=True)
    url = shared["revoked"].product_url(shared["chair"].code)
    client.get(shared["live"].get_absolute_url())  # a CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token, "name": "x", "wechat": "y"})
    assert response.status_code == 410
    assert not Inquiry.objects.exists()


def test_receive_inquiry_validates_before_writing(shared):
    from django.core.exceptions import ValidationError

    link = shared["live"]
    with pytest.raises(ValidationError):
        receive_inquiry(link, [shared["chair"]], "en", name="Li")  # no contact
    with pytest.raises(ValidationError):
        receive_inquiry(link, [], "en", name="Li", wechat="li")
    with pytest.raises(ValidationError):
        receive_inquiry(link, [shared["chair"]], "en", name="x" * 101, wechat="li")
    assert not Inquiry.objects.exists()
    inquiry = receive_inquiry(link, [shared["chair"]], "zh-hans", name="李", email="li@example.cn")
    assert inquiry.pk and inquiry.products.get() == shared["chair"]


def test_a_link_label_of_full_length_still_lets_the_buyer_inquire(shared):
    """The change log's reason holds 100 characters; a 200-character label used to make the
    inquiry fail with a database error on PostgreSQL."""
    link = shared["live"]
    link.label = "Asosiasi importir Ningbo — " + "x" * 173
    link.save()
    inquiry = receive_inquiry(link, [shared["chair"]], "zh-hans", name="李", wechat="li_nb")
    record = shared["chair"].history.latest()
    assert record.history_change_reason.startswith(inquiry.reference)
    assert len(record.history_change_reason) == 100 and record.history_change_reason[-1] == "…"
    step = StatusChange.objects.get(product=shared["chair"], to_status="buyer_interest")
    assert link.label in step.reason  # the status log keeps the whole label
