"""Login throttling with django-axes: a username is locked from one address after
AXES_FAILURE_LIMIT failed logins and everywhere after AXES_USERNAME_FAILURE_LIMIT failures
from all addresses together, with a clear message; X-Forwarded-For counts only from
trusted proxies; administrators unlock."""

import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from core.security import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
PAIR_LIMIT = 5
USERNAME_LIMIT = 20
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = PAIR_LIMIT
    settings.AXES_USERNAME_FAILURE_LIMIT = USERNAME_LIMIT
    settings.AXES_COOLOFF_TIME = 1.0
    # As in production behind a load balancer: BEHIND_PROXY=1, FORWARDED_ALLOW_IPS=10.0.0.2.
    settings.TRUST_X_FORWARDED_FOR = True
    settings.FORWARDED_ALLOW_IPS = [PROXY]


def _login(client, password, username="staff-test", address="10.0.0.7", **extra):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **{**ENGLISH, **extra},
    )


def _fail(client, times, **kwargs):
    return [_login(client, "wrong", **kwargs) for _ in range(times)][-1]


def _locked(response):
    return response.status_code == 429 and b'data-testid="lockout"' in response.content


def test_correct_password_logs_in(client, staff_user):
    assert _login(client, PASSWORD).status_code == 302


def test_failures_below_the_limit_show_the_usual_error(client, staff_user):
    response = _fail(client, PAIR_LIMIT - 1)
    assert response.status_code == 200
    assert b"Please try again" in response.content
    assert _login(client, PASSWORD).status_code == 302


def test_lockout_after_the_limit_even_with_the_right_password(client, staff_user):
    response = _fail(client, PAIR_LIMIT)
    assert _locked(response)
    assert b"Too many failed login attempts" in response.content
    assert b"from here is blocked for 60 minutes" in response.content
    # The login form is still there, with the username filled in.
    assert b'value="staff-test"' in response.content

    response = _login(client, PASSWORD)
    assert _locked(response)
    assert "_auth_user_id" not in client.session


def test_lockout_message_in_the_users_language(client, staff_user):
    _fail(client, PAIR_LIMIT)
    response = _login(client, PASSWORD, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Terlalu banyak percobaan masuk yang gagal" in html


def test_lock_is_per_username_and_address(client, staff_user, visitor_user):
    _fail(client, PAIR_LIMIT)
    # The same account from another address, and another account from this address.
    assert _login(Client(), PASSWORD, address="10.0.0.8").status_code == 302
    assert _login(Client(), PASSWORD, username="visitor-test").status_code == 302


def test_success_resets_the_count(client, staff_user):
    _fail(client, PAIR_LIMIT - 1)
    assert _login(client, PASSWORD).status_code == 302
    assert _login(Client(), "wrong").status_code == 200
    assert _login(Client(), PASSWORD).status_code == 302


def test_administrator_unlocks_in_the_admin(client, staff_user, admin_user):
    _fail(client, PAIR_LIMIT)
    attempt = AccessAttempt.objects.get(username="staff-test")
    admin = Client()
    admin.force_login(admin_user)
    page = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert admin.get(page).status_code == 200
    assert admin.post(page, {"post": "yes"}).status_code == 302

    assert _login(client, PASSWORD).status_code == 302


def test_administrator_unlocks_with_the_command(client, staff_user):
    _fail(client, PAIR_LIMIT)
    call_command("axes_reset_username", "staff-test")
    assert _login(client, PASSWORD).status_code == 302


def test_admin_login_is_throttled_too(client, admin_user):
    for _ in range(PAIR_LIMIT):
        response = client.post(
            "/admin/login/", {"username": "admin-test", "password": "wrong"}, **ENGLISH
        )
    assert response.status_code == 429


# --- Addresses behind proxies -----------------------------------------------------------


def test_forwarded_for_from_an_untrusted_address_is_ignored(client, staff_user):
    """A brute-force tool that sends a new X-Forwarded-For with every try, straight to the
    app server, is counted by its own address."""
    for attempt in range(PAIR_LIMIT):
        response = _login(
            client, "wrong", address="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}"
        )
    assert _locked(response)
    response = _login(client, PASSWORD, address="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert _locked(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_behind_a_trusted_proxy_the_client_address_counts(staff_user):
    # Whatever the client wrote further left in the header does not change its address.
    for attempt in range(PAIR_LIMIT):
        response = _login(
            Client(),
            "wrong",
            address=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.9",
        )
    assert _locked(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # Another client through the same proxy is not locked: the proxy's address is not counted.
    elsewhere = _login(Client(), PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert elsewhere.status_code == 302


def test_username_is_locked_everywhere_after_failures_from_many_addresses(staff_user, visitor_user):
    for attempt in range(USERNAME_LIMIT - 1):
        assert _login(Client(), "wrong", address=f"192.0.2.{attempt}").status_code == 200
    response = _login(Client(), "wrong", address="192.0.2.200")
    assert _locked(response)

    # The right password from yet another address is refused, with the lockout message.
    response = _login(Client(), PASSWORD, address="198.51.100.1")
    assert _locked(response)
    assert b"Too many failed login attempts with this username." in response.content
    assert b"blocked everywhere for 60 minutes" in response.content
    # Another username is not locked, from any of those addresses.
    assert (
        _login(Client(), PASSWORD, username="visitor-test", address="192.0.2.3").status_code == 302
    )


def test_failures_from_many_addresses_below_the_username_limit_do_not_lock(staff_user):
    for attempt in range(USERNAME_LIMIT - 1):
        _login(Client(), "wrong", address=f"192.0.2.{attempt}")
    assert _login(Client(), PASSWORD, address="198.51.100.1").status_code == 302


def test_administrator_unlocks_a_username_locked_everywhere(staff_user):
    for attempt in range(USERNAME_LIMIT):
        _login(Client(), "wrong", address=f"192.0.2.{attempt}")
    assert _locked(_login(Client(), PASSWORD, address="198.51.100.1"))
    call_command("axes_reset_username", "staff-test")
    assert _login(Client(), PASSWORD, address="198.51.100.1").status_code == 302


def _page_without(response, username):
    """The page with what differs by request only (CSRF token, username) taken out."""
    html = response.content.decode().replace(username, "USERNAME")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize(
    ("failures", "addresses"),
    [(PAIR_LIMIT, lambda attempt: "10.0.0.7"), (USERNAME_LIMIT, lambda i: f"192.0.2.{i}")],
    ids=["per-address", "per-username"],
)
def test_lockout_does_not_tell_whether_the_username_exists(staff_user, failures, addresses):
    pages = {}
    for username in ("staff-test", "nobody-by-this-name"):
        for attempt in range(failures):
            _login(Client(), "wrong", username=username, address=addresses(attempt))
        response = _login(Client(), PASSWORD, username=username, address=addresses(0))
        assert _locked(response), username
        pages[username] = _page_without(response, username)
    assert pages["staff-test"] == pages["nobody-by-this-name"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        # Not behind a trusted proxy: the header is the client's own claim.
        ("198.51.100.7", "203.0.113.9", ["10.0.0.2"], "198.51.100.7"),
        ("10.0.0.2", "", ["10.0.0.2"], "10.0.0.2"),
        ("10.0.0.2", "203.0.113.9", ["10.0.0.2"], "203.0.113.9"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.9", ["10.0.0.2"], "203.0.113.9"),
        # Two proxies in a row (a CDN and the load balancer), named as a network.
        ("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.3", ["10.0.0.0/24"], "203.0.113.9"),
        ("::ffff:10.0.0.2", "203.0.113.9", ["10.0.0.2"], "203.0.113.9"),
        ("10.0.0.2", "[2001:db8::7]:443", ["10.0.0.2"], "2001:db8::7"),
        ("10.0.0.2", "203.0.113.9:4711", ["10.0.0.2"], "203.0.113.9"),
        # A header that is not an address: only the proxy's own address is known.
        ("10.0.0.2", "unknown", ["10.0.0.2"], "10.0.0.2"),
        # "*": only the load balancer reaches the server; the entry it appended is the client.
        ("10.9.9.9", "1.2.3.4, 203.0.113.9", ["*"], "203.0.113.9"),
        # A Unix socket has no address; gunicorn trusts it, so do we.
        ("", "203.0.113.9", ["127.0.0.1"], "203.0.113.9"),
    ],
)
def test_client_address(rf, settings, remote, forwarded, trusted, expected):
    settings.FORWARDED_ALLOW_IPS = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_without_behind_proxy_the_header_is_ignored(rf, settings):
    settings.TRUST_X_FORWARDED_FOR = False
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == PROXY


def _queries_of_a_failed_login(addresses):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for attempt in range(addresses):
        _login(Client(), "wrong", address=f"192.0.2.{attempt}")
    with CaptureQueriesContext(connection) as queries:
        _login(Client(), "wrong", address="198.51.100.1")
    return len(queries)


def test_counting_failures_takes_the_same_queries_however_many_addresses(staff_user):
    few = _queries_of_a_failed_login(1)
    AccessAttempt.objects.all().delete()
    many = _queries_of_a_failed_login(12)
    assert few == many
