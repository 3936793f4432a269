"""Login, logout and the language switch."""

import re

import pytest
from django.conf import settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders_without_login_in_indonesian(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="id">' in content
    assert response["Content-Language"] == "id"
    assert 'name="username"' in content
    assert 'action="/i18n/setlang/"' in content


def test_login_page_follows_the_browser_language(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()


def test_anonymous_user_is_sent_to_login_with_next(client):
    response = client.get("/products/?regency=35.09")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/products/%3Fregency%3D35.09"


def test_language_switch_works_without_login(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/accounts/login/")
    assert '<html lang="en">' in page.content.decode()


def test_language_switch_to_chinese(client, visitor_user):
    client.force_login(visitor_user)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_language_switch_ignores_next_to_another_host(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "https://evil.example.com/"}
    )
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


def test_login_with_correct_password_goes_to_next(client, staff_user):
    response = client.post(
        "/accounts/login/",
        {"username": staff_user.username, "password": PASSWORD, "next": "/products/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/products/"
    assert client.get("/products/").status_code == 200


def test_login_without_next_goes_to_dashboard(client, staff_user):
    response = client.post(
        "/accounts/login/", {"username": staff_user.username, "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_login_with_wrong_password_shows_an_error(client, staff_user):
    response = client.post(
        "/accounts/login/", {"username": staff_user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="error"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_ignores_next_to_another_host(client, staff_user):
    response = client.post(
        "/accounts/login/",
        {"username": staff_user.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_logout_happens_on_post_only_and_a_get_offers_the_button(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/accounts/logout/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200  # a typed or bookmarked URL: a page, not a blank 405
    html = page.content.decode()
    assert f"You are logged in as {staff_user.username}. Log out now?" in html
    assert '<form method="post" action="/accounts/logout/">' in html
    assert client.get("/").status_code == 200  # still logged in
    response = client.post("/accounts/logout/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "You are logged out." in response.content.decode()
    assert client.get("/").status_code == 302
    assert client.get("/accounts/logout/")["Location"].startswith("/accounts/login/")


def test_login_page_says_when_you_are_logged_in_already(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"You are already logged in as {staff_user.username}." in html


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "This page does not exist"),
        ("zh-hans", "此页面不存在"),
        ("id", "Halaman ini tidak ada"),
    ],
)
def test_a_missing_page_answers_in_the_users_language(client, staff_user, settings, language, text):
    settings.DEBUG = False
    client.force_login(staff_user)
    response = client.get("/products/NO-SUCH-CODE/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert text in response.content.decode()
    assert 'data-testid="not-found"' in response.content.decode()


def test_a_server_error_page_is_rendered_in_the_users_language(rf, settings):
    from django.utils import translation
    from django.views.defaults import server_error

    settings.DEBUG = False
    with translation.override("en"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert 'data-testid="server-error"' in html and "Something went wrong on the server" in html


def test_logout_button_is_a_form_on_every_page(client, visitor_user):
    client.force_login(visitor_user)
    content = client.get("/products/").content.decode()
    assert '<form method="post" action="/accounts/logout/">' in content


def test_password_change_page_needs_login(client, visitor_user):
    assert client.get("/accounts/password_change/").status_code == 302
    client.force_login(visitor_user)
    assert client.get("/accounts/password_change/").status_code == 200


# --- Password reset is off: ask an administrator ----------------------------------------

RESET_URLS = [
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/MQ/set-password/",
    "/accounts/reset/MQ/abc123-0123456789abcdef/",
    "/accounts/reset/done/",
]


@pytest.mark.parametrize("url", RESET_URLS)
def test_password_reset_pages_say_to_ask_an_administrator(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="password-reset-unavailable"' in html
    page = html.split('data-testid="password-reset-unavailable"', 1)[1].split("</div>", 1)[0]
    assert "Please ask an administrator" in page
    # Nothing that looks like a reset flow: no form, no word of an e-mail sent.
    assert "mail" not in page.lower()
    assert re.findall(r'<form[^>]*action="([^"]*)"', html) == ["/i18n/setlang/"]


def test_password_reset_sends_no_mail(client, staff_user, mailoutbox):
    response = client.post("/accounts/password_reset/", {"email": staff_user.email})
    assert response.status_code == 405
    assert mailoutbox == []


def test_password_reset_page_in_the_users_language(client):
    response = client.get("/accounts/password_reset/", HTTP_ACCEPT_LANGUAGE="id")
    assert '<html lang="id">' in response.content.decode()


def test_login_page_links_forgotten_passwords_to_the_ask_an_administrator_page(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/accounts/password_reset/" data-testid="forgot-password"' in html
    page = client.get("/accounts/password_reset/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'data-testid="password-reset-unavailable"' in page.content
