"""Shared fixtures: one user per role, and small factories for catalogue records."""

import itertools

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db.models.signals import post_migrate

from catalogue.models import Category, Producer, Product, tallies
from core import roles
from regions.models import District, Regency


def _recount_the_tally(sender, using="default", **kwargs):
    """After the flush that ends a transactional test (Django emits post_migrate then).

    On SQLite the flush deletes the products row by row, and their delete triggers write
    −1 rows into the product tally — after the tally itself was emptied when the flush
    (whose tables come from a set) happens to empty it first — so the next tests would
    start from negative counts."""
    if sender.label == "catalogue":
        tallies.recount(using)


post_migrate.connect(_recount_the_tally, dispatch_uid="tests-recount-the-tally")

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _local_settings(settings, tmp_path):
    """Plain HTTP test client, plain static storage, uploads in a temporary folder."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # django-axes refuses authenticate() calls without a request; the login throttling
    # tests (tests/core/test_login_throttling.py) switch it back on.
    settings.AXES_ENABLED = False
    # Background jobs run at once, inside the request that starts them (core.jobs);
    # tests/core/test_job_faults.py runs real workers.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts and ends with an empty cache: the dashboard keeps its counts there
    (home/dashboard.py), the public pages their HTML, so no test sees another's records."""
    cache.clear()
    yield
    cache.clear()


def _user(username, role=None, superuser=False):
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        is_staff=superuser,
        is_superuser=superuser,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def jember(db):
    return Regency.objects.get(code="35.09")


@pytest.fixture
def banyuwangi(db):
    return Regency.objects.get(code="35.10")


@pytest.fixture
def admin_user(db):
    return _user("admin-test", roles.ADMINISTRATOR, superuser=True)


@pytest.fixture
def staff_user(db):
    return _user("staff-test", roles.REGIONAL_STAFF)


@pytest.fixture
def staff_client(client, staff_user):
    """The test client, logged in as regional staff."""
    client.force_login(staff_user)
    return client


@pytest.fixture
def regency_user(db, jember):
    """Regency staff covering Jember only."""
    user = _user("regency-test", roles.REGENCY_STAFF)
    jember.staff.add(user)
    return user


@pytest.fixture
def visitor_user(db):
    return _user("visitor-test", roles.VISITOR)


@pytest.fixture
def role_users(admin_user, staff_user, regency_user, visitor_user):
    return {
        "admin": admin_user,
        "staff": staff_user,
        "regency": regency_user,
        "visitor": visitor_user,
    }


@pytest.fixture
def make_producer(db):
    def make(regency_code="35.09", district_code=None, **fields):
        regency = Regency.objects.get(code=regency_code)
        district = (
            District.objects.get(code=district_code)
            if district_code
            else regency.districts.order_by("code").first()
        )
        fields.setdefault("name", f"Producer {next(_counter)}")
        fields.setdefault("kind", "home_industry")
        return Producer.objects.create(regency=regency, district=district, **fields)

    return make


@pytest.fixture
def make_product(db, make_producer):
    def make(producer=None, category="kerajinan-kayu", **fields):
        producer = producer or make_producer()
        fields.setdefault("name_id", f"Produk {next(_counter)}")
        if isinstance(category, str):
            category = Category.objects.get(slug=category)
        if category.profile == "food":
            fields.setdefault("shelf_life_days", 180)
        return Product.objects.create(producer=producer, category=category, **fields)

    return make


@pytest.fixture
def make_visit_with_notes(staff_user, visitor_user):
    """A TEC visit with one stop at ``producer``: a shared note by the visitor (asking for
    samples, about ``product`` if given), a private note by staff and one follow-up."""
    from datetime import date

    from visits.models import FollowUp, Visit, VisitNote, VisitStop

    def make(producer, product=None):
        visit = Visit.objects.create(
            title="TEC", start_date=date(2026, 3, 19), end_date=date(2026, 3, 20)
        )
        stop = VisitStop.objects.create(visit=visit, producer=producer, position=1)
        shared = VisitNote.objects.create(
            visit=visit,
            stop=stop,
            producer=producer,
            product=product,
            author=visitor_user,
            text="Bagus",
            requested=["samples"],
        )
        private = VisitNote.objects.create(
            visit=visit,
            stop=stop,
            producer=producer,
            author=staff_user,
            text="Rahasia",
            visibility="private",
            requested=["samples"],
        )
        follow_up = FollowUp.objects.create(
            note=shared, producer=producer, kind="samples", owner=staff_user
        )
        return visit, stop, shared, private, follow_up

    return make
