"""Settings come from the environment; production settings pass Django's deploy checks.

Environment-dependent behaviour is checked in a fresh interpreter (settings are read once
per process), with an environment built from scratch for each case.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

REPO_ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET_KEY = secrets.token_urlsafe(60)

# Every variable that relaxes production defaults, so that a developer's shell cannot make
# these tests pass (or fail) by accident.
_SETTINGS_PREFIXES = (
    "DEBUG",
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
