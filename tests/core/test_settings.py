"""Settings come from the environment; production settings pass Django's deploy checks.

Environment-dependent behaviour is checked in a fresh interpreter (settings are read once
per process), with an environment built from scratch for each case.
"""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

REPO_ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET_KEY = secrets.token_urlsafe(60)

# Every variable that relaxes production defaults, so that a developer's shell cannot make
# these tests pass (or fail) by accident.
_SETTINGS_PREFIXES = (
    "DEBUG",
    "SHOWROOM_",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_",
    "SECURE_",
    "SESSION_",
    "AWS_",
    "MEDIA_",
)
_SETTINGS_NAMES = {
    "DATABASE_URL",
    "BEHIND_PROXY",
    "STATIC_MANIFEST",
    "SERVE_MEDIA",
    "CACHE_URL",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "FORWARDED_ALLOW_IPS",
    "AXES_FAILURE_LIMIT",
    "AXES_USERNAME_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "DB_CONN_MAX_AGE",
    "STATIC_ROOT",
    "READINESS_ROUTE_DAYS",
    "READINESS_MIN_REMAINING_SHARE",
    "BACKUP_DIR",
}


def _clean_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_SETTINGS_PREFIXES) and key not in _SETTINGS_NAMES
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["SECRET_KEY"] = STRONG_SECRET_KEY
    env.update(overrides)
    return env


def _run(args, **overrides):
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=_clean_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _setting(expression, **overrides):
    """The value of ``expression`` (over ``settings``) in a fresh process, as text."""
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = _run(["-c", code], **overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_settings_pass_check_deploy():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        ALLOWED_HOSTS="etalase.example.org",
        CSRF_TRUSTED_ORIGINS="https://etalase.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_is_off_when_the_variable_is_absent():
    assert _setting("settings.DEBUG") == "False"


def test_debug_follows_the_variable():
    assert _setting("settings.DEBUG", DEBUG="1") == "True"
    assert _setting("settings.DEBUG", DEBUG="0") == "False"


def test_database_url_selects_sqlite_file():
    engine, name = _setting(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DATABASE_URL="sqlite:////tmp/x.db",
    ).split()
    assert engine == "django.db.backends.sqlite3"
    assert name == "/tmp/x.db"


def test_database_url_selects_postgresql():
    engine, name, host = _setting(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'], "
        "settings.DATABASES['default']['HOST']",
        DATABASE_URL="postgres://etalase:secret@db.example.org:5432/etalase",
    ).split()
    assert engine == "django.db.backends.postgresql"
    assert (name, host) == ("etalase", "db.example.org")


def test_without_database_url_sqlite_in_the_project_folder():
    engine, name = _setting(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']"
    ).split()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == REPO_ROOT / "db.sqlite3"


def test_indonesian_first_in_jakarta_time():
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.USE_TZ
    assert {"id", "en", "zh-hans"} <= {code for code, _name in settings.LANGUAGES}


def test_locale_middleware_sits_between_sessions_and_common():
    # Django's documented order: after SessionMiddleware, before CommonMiddleware.
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")


# --- Environment values are checked at start (README, "Configuration") -------------------

GUNICORN_CONF = REPO_ROOT / "config" / "gunicorn.conf.py"
SETTINGS_FILE = REPO_ROOT / "config" / "settings.py"
BUCKET = {"MEDIA_S3_BUCKET": "etalase-media"}

# (variable, bad value, other variables the check needs)
BAD_SETTINGS = [
    ("DEBUG", "ture", {}),
    ("SHOWROOM_INQUIRIES_PER_LINK", "0", {}),
    ("BEHIND_PROXY", "yes please", {}),
    ("STATIC_MANIFEST", "2", {}),
    ("SERVE_MEDIA", "of", {}),
    ("SECURE_SSL_REDIRECT", "nein", {}),
    ("SESSION_COOKIE_SECURE", "y", {}),
    ("CSRF_COOKIE_SECURE", "enabled", {}),
    ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "truee", {}),
    ("SECURE_HSTS_PRELOAD", "-1", {}),
    ("DB_CONN_MAX_AGE", "ten", {}),
    ("DB_CONN_MAX_AGE", "-1", {}),
    ("SECURE_HSTS_SECONDS", "1y", {}),
    ("SESSION_COOKIE_AGE", "0", {}),
    ("SESSION_COOKIE_AGE", "2.5", {}),
    ("AXES_FAILURE_LIMIT", "0", {}),
    ("AXES_FAILURE_LIMIT", "five", {}),
    ("AXES_USERNAME_FAILURE_LIMIT", "many", {}),
    ("AXES_COOLOFF_TIME", "1h", {}),
    ("AXES_COOLOFF_TIME", "-1", {}),
    ("AXES_COOLOFF_TIME", "nan", {}),
    ("AWS_QUERYSTRING_EXPIRE", "soon", BUCKET),
    ("AWS_QUERYSTRING_EXPIRE", "604801", BUCKET),
    ("AWS_S3_ADDRESSING_STYLE", "sideways", BUCKET),
    ("READINESS_ROUTE_DAYS", "45d", {}),
    ("READINESS_ROUTE_DAYS", "-3", {}),
    ("READINESS_MIN_REMAINING_SHARE", "half", {}),
    ("READINESS_MIN_REMAINING_SHARE", "1.5", {}),
    ("READINESS_MIN_REMAINING_SHARE", "-0.1", {}),
    ("LOG_LEVEL", "loud", {}),
    ("LOG_FORMAT", "xml", {}),
    ("FORWARDED_ALLOW_IPS", "10.0.0.300", {}),
    ("FORWARDED_ALLOW_IPS", "127.0.0.1,lb.internal", {}),
]

BAD_GUNICORN = [
    ("PORT", "eighty"),
    ("PORT", "70000"),
    ("WEB_CONCURRENCY", "0"),
    ("GUNICORN_THREADS", "two"),
    ("GUNICORN_TIMEOUT", "-1"),
    ("GUNICORN_GRACEFUL_TIMEOUT", "30s"),
    ("GUNICORN_KEEPALIVE", "x"),
    ("GUNICORN_MAX_REQUESTS", "1e3"),
    ("LOG_LEVEL", "loud"),
    ("FORWARDED_ALLOW_IPS", "10.0.0.0/33"),
]


def _clear_environment(monkeypatch, **values):
    for name in list(os.environ):
        if name.startswith(_SETTINGS_PREFIXES) or name in _SETTINGS_NAMES:
            monkeypatch.delenv(name)
    for name in ("LOG_LEVEL", "FORWARDED_ALLOW_IPS", "PORT", "BIND", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET_KEY)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def _refusal(path, monkeypatch, **values):
    """The ImproperlyConfigured message that reading ``path`` with ``values`` raises.

    The file runs in a namespace of its own (runpy), so the settings of this test process
    stay as they are.
    """
    _clear_environment(monkeypatch, **values)
    with pytest.raises(ImproperlyConfigured) as refused:
        runpy.run_path(str(path))
    return str(refused.value)


@pytest.mark.parametrize(("name", "value", "others"), BAD_SETTINGS)
def test_a_bad_value_stops_the_settings_naming_the_variable(monkeypatch, name, value, others):
    message = _refusal(SETTINGS_FILE, monkeypatch, **others, **{name: value})
    assert message.startswith(f"{name} must be ")
    assert repr(value.split(",")[-1]) in message


@pytest.mark.parametrize(("name", "value"), BAD_GUNICORN)
def test_a_bad_value_stops_gunicorns_configuration_naming_the_variable(monkeypatch, name, value):
    message = _refusal(GUNICORN_CONF, monkeypatch, **{name: value})
    assert message.startswith(f"{name} must be ")
    assert repr(value) in message


def test_the_log_level_message_lists_the_levels(monkeypatch):
    message = _refusal(SETTINGS_FILE, monkeypatch, LOG_LEVEL="loud")
    assert message == "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'loud'"


@pytest.mark.parametrize(("value", "level"), [("info", "INFO"), ("Warning", "WARNING")])
def test_log_level_in_any_case_starts_django(value, level):
    # The whole start-up, logging configuration included (an unknown level used to fail
    # only there, in every worker).
    assert _setting("settings.LOGGING['root']['level']", LOG_LEVEL=value) == level


@pytest.mark.parametrize(("value", "level"), [("INFO", "info"), ("debug", "debug")])
def test_log_level_in_any_case_configures_gunicorn(monkeypatch, value, level):
    _clear_environment(monkeypatch, LOG_LEVEL=value)
    assert runpy.run_path(str(GUNICORN_CONF))["loglevel"] == level


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("TRUE", True), (" yes ", True), ("On", True)]
    + [("0", False), ("false", False), ("No", False), ("OFF", False), ("", False)],
)
def test_booleans_accept_the_documented_words_in_any_case(monkeypatch, value, expected):
    _clear_environment(monkeypatch, BEHIND_PROXY=value)
    assert runpy.run_path(str(SETTINGS_FILE))["TRUST_X_FORWARDED_FOR"] is expected


def test_numbers_within_their_ranges_are_read(monkeypatch):
    _clear_environment(
        monkeypatch,
        AXES_COOLOFF_TIME="0.5",
        AXES_USERNAME_FAILURE_LIMIT="30",
        READINESS_MIN_REMAINING_SHARE="1",
        DB_CONN_MAX_AGE="60",
        FORWARDED_ALLOW_IPS="10.0.0.0/24, ::1",
        SHOWROOM_INQUIRIES_PER_ADDRESS="3",
        SHOWROOM_INQUIRIES_LINK_WINDOW="60",
        SHOWROOM_MIN_FILL_SECONDS="1.5",
    )
    values = runpy.run_path(str(SETTINGS_FILE))
    assert values["SHOWROOM_INQUIRIES_PER_ADDRESS"] == (3, 600)
    assert values["SHOWROOM_INQUIRIES_PER_LINK"] == (20, 60)
    assert values["SHOWROOM_MIN_FILL_SECONDS"] == 1.5
    assert values["AXES_COOLOFF_TIME"] == 0.5
    assert values["AXES_USERNAME_FAILURE_LIMIT"] == 30
    assert values["READINESS_MIN_REMAINING_SHARE"] == 1.0
    assert values["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert values["FORWARDED_ALLOW_IPS"] == ["10.0.0.0/24", "::1"]


def test_a_cooloff_of_zero_locks_until_an_administrator_unlocks(monkeypatch):
    _clear_environment(monkeypatch, AXES_COOLOFF_TIME="0")
    assert runpy.run_path(str(SETTINGS_FILE))["AXES_COOLOFF_TIME"] is None
