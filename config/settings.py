"""Etalase settings: one module, every deploy-time value from the environment.

Local use needs no configuration at all: SQLite in the project folder, a secret key
generated once into ``.secret_key``. Production sets ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL`` and friends (see README, "Configuration").
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    env,
    env_addresses,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
)

BASE_DIR = Path(__file__).resolve().parent.parent


def cache_from_url(url):
    """``CACHES["default"]`` from ``CACHE_URL``: ``redis://…`` (or ``rediss://``, several
    comma-separated for replicas), ``db://table`` (run ``createcachetable`` once),
    ``locmem://`` (this process only) or ``dummy://`` (no caching)."""
    scheme, _sep, rest = url.partition("://")
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or "etalase_cache",
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL scheme {scheme!r}: use redis://, rediss://, db://, locmem:// or dummy://"
    )


def tasks_from_url(url):
    """``TASKS`` (django-tasks) and ``RQ_QUEUES`` (django-rq) from ``TASKS_URL``: empty or
    ``db://`` the database backend (``manage.py db_worker`` runs its jobs), ``redis://…`` or
    ``rediss://…`` RQ on that Redis server (``manage.py rqworker``), ``immediate://`` run
    every job at once inside the request (tests, one-off scripts)."""
    scheme, _sep, _rest = (url or "db://").partition("://")
    if scheme == "db":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, {}
    if scheme in ("redis", "rediss"):
        return {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}, {"default": {"URL": url}}
    if scheme == "immediate":
        return {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}, {}
    raise ImproperlyConfigured(
        f"TASKS_URL scheme {scheme!r}: use db://, redis://, rediss:// or immediate://"
    )


def s3_media(bucket):
    """``STORAGES["default"]`` and ``MEDIA_URL`` for uploads in an S3-compatible bucket.

    The bucket stays private (photos show producers' homes): no ACL is set and every URL is
    signed, valid for ``AWS_QUERYSTRING_EXPIRE`` seconds. A stored name is never overwritten.
    ``MEDIA_URL`` is only the bucket's address here (the storage builds the URLs); the
    Content-Security-Policy allows images from its origin.
    """
    endpoint = env("AWS_S3_ENDPOINT_URL").rstrip("/")
    domain = env("AWS_S3_CUSTOM_DOMAIN")
    options = {
        "bucket_name": bucket,
        "location": env("MEDIA_S3_PREFIX").strip("/"),
        "endpoint_url": endpoint,
        "region_name": env("AWS_S3_REGION_NAME"),
        # botocore's addressing styles (botocore.config.Config, "s3" options).
        "addressing_style": env_choice("AWS_S3_ADDRESSING_STYLE", ("auto", "path", "virtual"), ""),
        "access_key": env("AWS_ACCESS_KEY_ID"),
        "secret_key": env("AWS_SECRET_ACCESS_KEY"),
        "custom_domain": domain,
        "querystring_auth": True,
        # S3 signs URLs for at most 7 days (AWS docs, "Sharing objects with presigned URLs").
        "querystring_expire": env_int(
            "AWS_QUERYSTRING_EXPIRE", 3600, minimum=1, maximum=7 * 24 * 3600
        ),
        "default_acl": None,
        "file_overwrite": False,
    }
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Unset values fall back to boto3's own lookup (environment, instance role).
        "OPTIONS": {key: value for key, value in options.items() if value != ""},
    }
    if domain:
        media_url = f"https://{domain}/"
    elif endpoint:
        media_url = f"{endpoint}/{bucket}/"
    else:
        media_url = f"https://{bucket}.s3.amazonaws.com/"
    return storage, media_url


def _local_secret_key():
    """A key generated once per checkout, so local runs need no set-up.

    Deployments with several app servers must set SECRET_KEY so that all share one.
    """
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form explained in the user's language (buyers' pages: the buyer's language).
CSRF_FAILURE_VIEW = "showroom.public_views.csrf_failure"
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "regions",
    "catalogue",
    "visits",
    "showroom",
    "home",
]

MIDDLEWARE = [
    # First, so that its one log line per request times everything below it.
    "core.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Background jobs (README, "Background jobs"): the database backend unless TASKS_URL names
# Redis; core.jobs keeps each job's progress and outcome, whichever backend runs it.
TASKS, RQ_QUEUES = tasks_from_url(env("TASKS_URL"))
if RQ_QUEUES:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
# A running job whose worker has not written its heartbeat for this many seconds is taken
# as lost (worker killed, machine gone) and marked failed. The worker writes it every
# JOBS_HEARTBEAT_SECONDS from a thread of its own; on SQLite that write waits while the
# job's own transaction holds the database (an import confirm), so the timeout must be
# longer than the longest confirm.
JOBS_HEARTBEAT_SECONDS = env_float("JOBS_HEARTBEAT_SECONDS", 2.0)
JOBS_LOST_AFTER_SECONDS = env_float("JOBS_LOST_AFTER_SECONDS", 600.0)
# Files built by jobs (a lookbook) are removed this many days after the job ended, by
# manage.py prune_job_files (README, "Background jobs").
JOB_FILES_DAYS = env_int("JOB_FILES_DAYS", 7)
# A lookbook (XLSX with photos, printable sheets) of more products than this is built by a
# background job; smaller ones answer at once.
LOOKBOOK_JOB_ROWS = env_int("LOOKBOOK_JOB_ROWS", 50)
# A job still queued after this long lost its task (queueing failed half-way, Redis
# flushed): it is marked failed, to be tried again. Keep it above the longest wait in the
# queue.
JOBS_QUEUED_LOST_AFTER_SECONDS = env_float("JOBS_QUEUED_LOST_AFTER_SECONDS", 21600.0)
# Finished jobs older than this many days are deleted by manage.py prune_jobs.
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 30, minimum=1)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.roles",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL says otherwise (any URL that
# dj-database-url understands, sqlite:///abs/path.db included).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                # Read through memory-mapped I/O and keep a larger page cache: lists
                # touch thousands of rows scattered over the file.
                "PRAGMA mmap_size=268435456; PRAGMA cache_size=-32000;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every login first (lockout after repeated failures), then Django's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Bahasa Indonesia first, then English and Simplified Chinese.
LANGUAGE_CODE = "id"
LANGUAGES = [
    ("id", _("Bahasa Indonesia")),
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Our own number formats where Django's do not suit prices (config/formats/<lang>/).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads go to an S3-compatible bucket when one is named, so that every app server sees
# the same files; otherwise to MEDIA_ROOT on this server's disk.
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET") or env("AWS_STORAGE_BUCKET_NAME")
if MEDIA_S3_BUCKET:
    MEDIA_STORAGE, _media_url = s3_media(MEDIA_S3_BUCKET)
else:
    MEDIA_STORAGE, _media_url = {"BACKEND": "django.core.files.storage.FileSystemStorage"}, ""
MEDIA_URL = env("MEDIA_URL", _media_url or "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env_bool("STATIC_MANIFEST", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Security: strict whenever DEBUG is off; each flag can be relaxed from the environment
# (e.g. SECURE_SSL_REDIRECT=0 behind a proxy that already redirects).
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers check app servers over plain HTTP: a redirect would read as "unhealthy".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=1)
# Content-Security-Policy (core/security.py): extra origins images may come from, besides
# MEDIA_URL's own origin when it is absolute (e.g. the object storage's public address).
CSP_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS")

# Reverse proxies (README, "Security"): with BEHIND_PROXY, X-Forwarded-For is believed only
# from the addresses in FORWARDED_ALLOW_IPS (core.security.client_ip), the list gunicorn
# reads for X-Forwarded-Proto (config/gunicorn.conf.py), so both trust the same proxies.
TRUST_X_FORWARDED_FOR = BEHIND_PROXY
FORWARDED_ALLOW_IPS = env_addresses("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Login throttling (django-axes, core.security.LoginThrottleHandler), two limits: after
# AXES_FAILURE_LIMIT failed logins for one username from one address that pair is locked,
# and after AXES_USERNAME_FAILURE_LIMIT failures for one username from all addresses
# together the username is locked everywhere (so that rotating addresses does not help).
# A lock lasts AXES_COOLOFF_TIME hours (0 = until an administrator unlocks it in the admin
# or with `manage.py axes_reset_username`).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_TIME", 1.0) or None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "core.security.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"

# Nothing kept in one process that another app server needs: sessions live in the
# database (Django's default) and the cache is shared when CACHE_URL names Redis or a table.
CACHES = {"default": cache_from_url(env("CACHE_URL", "locmem://"))}

# One log line per request (core.logging.RequestLogMiddleware); LOG_FORMAT=json writes
# every log record as one JSON object per line, for log collectors.
LOG_FORMAT = env_choice("LOG_FORMAT", ("plain", "json"), "plain")
# Python's level names (logging docs, "Logging Levels"); `info` works as well as `INFO`.
LOG_LEVEL = env_choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# django-import-export
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Not IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT: it strips only a leading "=" and turns every
# value into text; admin exports use the formats of core/admin_formats.py instead.

# Export readiness for China: the shelf-life-vs-route rule (trade practice;
# catalogue/readiness/rules.py).
READINESS_ROUTE_DAYS = env_int("READINESS_ROUTE_DAYS", 45)
READINESS_MIN_REMAINING_SHARE = env_float("READINESS_MIN_REMAINING_SHARE", 0.5, maximum=1.0)

# List pages count their matches up to this many rows, then say "more than …"
# (core/paginators.py): an exact count of a million rows costs as much as reading them.
LIST_COUNT_LIMIT = env_int("LIST_COUNT_LIMIT", 10_000, minimum=1)
# Seconds the dashboard's counts over all products stay in the cache (home/dashboard.py);
# 0 = counted on every visit.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 120, minimum=0)

# Buyers' inquiries on the public share-link pages (showroom.rate_limits, showroom.public_forms):
# at most N inquiries per client address and per share link in a window of seconds, counted in
# the cache — with several gunicorn workers or servers CACHE_URL must name a shared cache
# (Redis or a database table), or each process counts on its own (README, "Showroom").
SHOWROOM_INQUIRIES_PER_ADDRESS = (
    env_int("SHOWROOM_INQUIRIES_PER_ADDRESS", 5, minimum=1),
    env_int("SHOWROOM_INQUIRIES_ADDRESS_WINDOW", 10 * 60, minimum=1),
)
SHOWROOM_INQUIRIES_PER_LINK = (
    env_int("SHOWROOM_INQUIRIES_PER_LINK", 20, minimum=1),
    env_int("SHOWROOM_INQUIRIES_LINK_WINDOW", 3600, minimum=1),
)
# A form sent back sooner than this after it was shown is taken for a bot.
SHOWROOM_MIN_FILL_SECONDS = env_float("SHOWROOM_MIN_FILL_SECONDS", 3.0)

# Uploaded media is served by Django itself only when asked (demo, single small server);
# larger deployments serve it from object storage or the web server (README, "Production").
# With object storage the photo URLs point at the bucket, so there is nothing to serve.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG) and not MEDIA_S3_BUCKET

# Where `manage.py backup` writes its archives unless given --output (README, "Backups").
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "backups")))

# HSTS preload is an opt-in for a whole domain (SECURE_HSTS_PRELOAD=1); a deployment on a
# subdomain of a government domain cannot be preloaded, so the deploy check does not ask.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
