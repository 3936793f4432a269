"""Set-up shared by the benchmark scripts.

A benchmark database is either a SQLite file or a PostgreSQL database of its own. To
rebuild it, the database is dropped and created again, then migrated — which also loads
the reference data (regencies, districts, HS codes, categories) — and filled with
``generate_catalogue``. (``manage.py flush`` would not do: it also empties the reference
tables that only the data migrations fill.)
"""

import os
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Production-like settings, minus what needs HTTPS or collected static files.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_MANIFEST": "0",
}


def peak_rss_mb():
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _postgres(url):
    """(maintenance URL, database name) of a PostgreSQL URL."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _sqlite_path(url):
    # sqlite:////abs/path → /abs/path; sqlite:///relative → relative (as dj-database-url).
    return Path(urlsplit(url).path[1:])


def is_postgres(url):
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql")


def create_database(url, replace=False):
    """Create the database of ``url`` if it is missing; ``replace`` drops it first.

    For SQLite, ``replace`` deletes the file (migrate creates it). PostgreSQL needs a role
    with CREATEDB, as the test run's ``etalase`` role has.
    """
    if not is_postgres(url):
        if replace:
            _sqlite_path(url).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    maintenance, name = _postgres(url)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if replace:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url):
    if is_postgres(url):
        import psycopg
        from psycopg import sql

        maintenance, name = _postgres(url)
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    else:
        _sqlite_path(url).unlink(missing_ok=True)


def setup_django(database_url, media_root, **env):
    """Configure and start Django in this process for ``database_url``."""
    os.environ.update(BENCH_ENV)
    os.environ.update(env)
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = str(media_root)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def build_catalogue(products, photos=0, rebuild=True):
    """Migrate (reference data included) and, when ``rebuild``, add the synthetic products.

    Call after ``create_database(url, replace=rebuild)`` and ``setup_django``.
    """
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if rebuild:
        started = time.perf_counter()
        call_command("generate_catalogue", products=products, seed=1, photos=photos, verbosity=0)
        print(f"generate_catalogue --products {products}: {time.perf_counter() - started:.1f} s")
