"""The cache is chosen by CACHE_URL, so that several app servers can share one."""

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from config.settings import cache_from_url
from tests.core.test_settings import _setting


def test_redis_url_selects_the_redis_cache():
    assert cache_from_url("redis://cache.internal:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }
    assert cache_from_url("rediss://:secret@cache.internal:6380/0")["LOCATION"].startswith(
        "rediss://"
    )


def test_db_url_names_the_cache_table():
    assert cache_from_url("db://etalase_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "etalase_cache",
    }
    assert cache_from_url("db://")["LOCATION"] == "etalase_cache"


def test_local_and_dummy_caches():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("dummy://")["BACKEND"].endswith("DummyCache")


def test_unknown_scheme_is_refused_without_echoing_the_url():
    with pytest.raises(ImproperlyConfigured) as error:
        cache_from_url("memcached://user:secret@cache:11211")
    assert "secret" not in str(error.value)


def test_cache_defaults_to_local_memory():
    assert _setting("settings.CACHES['default']['BACKEND']").endswith("LocMemCache")


def test_cache_url_from_the_environment():
    backend = _setting("settings.CACHES['default']['BACKEND']", CACHE_URL="redis://cache:6379/0")
    assert backend == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.django_db
def test_database_cache_works_after_createcachetable(settings):
    settings.CACHES = {**settings.CACHES, "shared": cache_from_url("db://etalase_cache_test")}
    call_command("createcachetable", "--database", "default", verbosity=0)
    shared = caches["shared"]
    shared.set("greeting", "halo", 60)
    assert shared.get("greeting") == "halo"
