"""Login throttling with django-axes: a username is locked from one address after
AXES_FAILURE_LIMIT failed logins, with a clear message; administrators unlock it."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from core.security import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 1.0


def _login(client, password, username="staff-test", address="10.0.0.7", **extra):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **{**ENGLISH, **extra},
    )


def _fail(client, times, **kwargs):
    return [_login(client, "wrong", **kwargs) for _ in range(times)][-1]


def test_correct_password_logs_in(client, staff_user):
    assert _login(client, PASSWORD).status_code == 302


def test_failures_below_the_limit_show_the_usual_error(client, staff_user):
    response = _fail(client, 2)
    assert response.status_code == 200
    assert b"Please try again" in response.content
    assert _login(client, PASSWORD).status_code == 302


def test_lockout_after_the_limit_even_with_the_right_password(client, staff_user):
    response = _fail(client, 3)
    assert response.status_code == 429
    assert b'data-testid="lockout"' in response.content
    assert b"Too many failed login attempts" in response.content
    assert b"60 minutes" in response.content
    # The login form is still there, with the username filled in.
    assert b'value="staff-test"' in response.content

    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_message_in_the_users_language(client, staff_user):
    _fail(client, 3)
    response = _login(client, PASSWORD, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 429
    assert b'<html lang="id">' in response.content


def test_lock_is_per_username_and_address(client, staff_user, visitor_user):
    _fail(client, 3)
    # The same account from another address, and another account from this address.
    assert _login(Client(), PASSWORD, address="10.0.0.8").status_code == 302
    assert _login(Client(), PASSWORD, username="visitor-test").status_code == 302


def test_success_resets_the_count(client, staff_user):
    _fail(client, 2)
    assert _login(client, PASSWORD).status_code == 302
    assert _login(Client(), "wrong").status_code == 200
    assert _login(Client(), PASSWORD).status_code == 302


def test_administrator_unlocks_in_the_admin(client, staff_user, admin_user):
    _fail(client, 3)
    attempt = AccessAttempt.objects.get(username="staff-test")
    admin = Client()
    admin.force_login(admin_user)
    page = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert admin.get(page).status_code == 200
    assert admin.post(page, {"post": "yes"}).status_code == 302

    assert _login(client, PASSWORD).status_code == 302


def test_administrator_unlocks_with_the_command(client, staff_user):
    _fail(client, 3)
    call_command("axes_reset_username", "staff-test")
    assert _login(client, PASSWORD).status_code == 302


def test_admin_login_is_throttled_too(client, admin_user):
    for _ in range(3):
        response = client.post(
            "/admin/login/", {"username": "admin-test", "password": "wrong"}, **ENGLISH
        )
    assert response.status_code == 429


def test_client_address_behind_a_proxy_is_the_one_the_proxy_added(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.1"
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "203.0.113.9"
