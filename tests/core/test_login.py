"""Login, logout and the language switch."""

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


def test_logout_is_post_only(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_logout_button_is_a_form_on_every_page(client, visitor_user):
    client.force_login(visitor_user)
    content = client.get("/products/").content.decode()
    assert '<form method="post" action="/accounts/logout/">' in content


def test_password_change_page_needs_login(client, visitor_user):
    assert client.get("/accounts/password_change/").status_code == 302
    client.force_login(visitor_user)
    assert client.get("/accounts/password_change/").status_code == 200
