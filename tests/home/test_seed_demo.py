"""``python manage.py seed_demo``: the founding story, loaded once and safely again."""

import io
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from catalogue.choices import PromotionStatus
from catalogue.models import (
    Category,
    Certification,
    HSCode,
    Producer,
    Product,
    ProductPhoto,
    StatusChange,
    Tag,
)
from catalogue.readiness import route_settings
from catalogue.validators import validate_hs_code, validate_nib
from core import roles
from home.management.commands import seed_demo
from regions.models import Regency
from showroom.models import (
    Collection,
    CollectionItem,
    ExchangeRate,
    Inquiry,
    Sample,
    ShareLink,
)
from visits.models import FollowUp, Visit, VisitNote, VisitStop

COUNTED_MODELS = [
    Product,
    Producer,
    ProductPhoto,
    Certification,
    StatusChange,
    Visit,
    VisitStop,
    VisitNote,
    FollowUp,
    Collection,
    CollectionItem,
    ShareLink,
    Inquiry,
    Sample,
    ExchangeRate,
    User,
    Tag,
    Category,
    Regency,
]
DEMO_USERS = {
    "admin": roles.ADMINISTRATOR,
    "staff": roles.REGIONAL_STAFF,
    "regency": roles.REGENCY_STAFF,
    "visitor": roles.VISITOR,
}


def seed(*args):
    out = io.StringIO()
    # Small photos keep the test fast; the drawing and cleaning code is the same.
    call_command("seed_demo", "--photo-size", "160x120", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output):
    """{username: password} for the users whose new password the command printed."""
    found = {}
    for username in DEMO_USERS:
        match = re.search(rf"^\s+{username}\s+(\S+)\s", output, re.MULTILINE)
        if match and not match.group(1).startswith("("):
            found[username] = match.group(1)
    return found


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


def media_files():
    _dirs, photos = default_storage.listdir("products")
    _dirs, thumbs = default_storage.listdir("products/thumbs")
    return sorted(photos + thumbs)


@pytest.fixture
def output(db):
    return seed()


def test_seed_demo_loads_the_founding_story(output):
    assert Product.objects.count() >= 40
    assert Producer.objects.count() >= 15
    regencies = set(Producer.objects.values_list("regency__code", flat=True))
    assert regencies == {"35.08", "35.09", "35.10", "35.11", "35.12", "35.13", "35.74"}

    drum = Producer.objects.get(district__code="35.09.24", name__icontains="drum")
    assert drum.regency.code == "35.09"
    assert drum.products.filter(category__slug="furnitur-logam", hs_code="940320").exists()
    assert Producer.objects.filter(kind="smk", name__icontains="SMK Negeri 5 Jember").exists()
    assert Product.objects.filter(
        producer__kind="state_company", category__slug="cerutu", hs_code="240210"
    ).exists()
    for producer in Producer.objects.exclude(nib=""):
        validate_nib(producer.nib)
    assert Producer.objects.exclude(nib="").count() > Producer.objects.count() / 2
    assert Producer.objects.filter(has_exported=True).exists()

    # Every food product has a shelf life; several are far too short for the route to China.
    food = Product.objects.filter(category__profile="food")
    assert food.count() >= 10
    assert not food.filter(shelf_life_days__isnull=True).exists()
    short = food.filter(
        shelf_life_days__lt=route_settings().minimum_shelf_life(),
        packaging_status="needs_improvement",
    )
    assert short.filter(shelf_life_days__lte=30).count() >= 3
    for product in short:
        assert "shelf_life_route" in product.readiness_gaps
        assert product.readiness_score <= 40

    # HS codes: valid 6-digit subheadings, mostly those typical of the region.
    codes = set(Product.objects.values_list("hs_code", flat=True))
    assert None not in codes
    for code in codes:
        validate_hs_code(code)
    assert HSCode.objects.filter(code__in=codes, regional=True).count() >= len(codes) - 3


def test_products_vary_in_readiness_status_names_and_certificates(output):
    scores = list(Product.objects.values_list("readiness_score", flat=True))
    assert min(scores) < 30
    assert max(scores) == 100
    assert len(set(scores)) >= 10
    assert set(Product.objects.values_list("status", flat=True)) == set(PromotionStatus.values)
    assert Product.objects.filter(name_zh="").exists()
    assert Product.objects.exclude(name_zh="").count() >= 20
    for product in Product.objects.filter(status="not_suitable"):
        assert product.not_suitable_reason.strip()
    for product in Product.objects.exclude(status="draft"):
        last = product.status_changes.first()  # newest first
        assert last.to_status == product.status
        assert last.changed_by.username == "staff"
    assert Product.objects.filter(tags__slug="unggulan").exists()
    assert Product.objects.filter(tags__slug="smk", producer__kind="smk").exists()

    today = timezone.localdate()
    assert Certification.objects.filter(expires_on__lt=today).exists()
    assert Certification.objects.filter(
        expires_on__gte=today, expires_on__lte=today + timedelta(days=60)
    ).exists()
    spp_irt = Certification.objects.filter(kind="spp_irt")
    assert spp_irt.count() >= 5
    for number in spp_irt.values_list("number", flat=True):
        assert re.fullmatch(r"\d{15}", number), number
    assert {"halal", "gacc", "svlk"} <= set(Certification.objects.values_list("kind", flat=True))
    assert Product.objects.filter(created_by__username="staff").count() == Product.objects.count()


def test_every_product_has_one_to_three_photos_with_thumbnails(output):
    for product in Product.objects.prefetch_related("photos"):
        photos = list(product.photos.all())
        assert 1 <= len(photos) <= 3, product.code
        assert [p.is_primary for p in photos].count(True) == 1
        for photo in photos:
            assert default_storage.exists(photo.image.name)
            assert photo.thumbnail and default_storage.exists(photo.thumbnail.name)
    assert ProductPhoto.objects.count() == len(media_files()) / 2


def test_tec_visit_on_19_march_with_stops_notes_and_open_follow_ups(output):
    visit = Visit.objects.get(start_date=date(2026, 3, 19))
    assert visit.organisation == "TEC"
    assert visit.end_date == date(2026, 3, 20)
    assert visit.status == "done"
    assert visit.members.filter(username="visitor").exists()

    stops = list(visit.stops.all())
    assert len(stops) >= 5
    assert [s.position for s in stops] == list(range(1, len(stops) + 1))
    assert {s.status for s in stops} == {"visited", "skipped"}
    local_days = {timezone.localtime(s.planned_at).date() for s in stops}
    assert local_days == {date(2026, 3, 19), date(2026, 3, 20)}
    assert timezone.localtime(stops[0].planned_at).hour == 8

    notes = VisitNote.objects.filter(visit=visit)
    assert notes.count() >= 5
    assert notes.filter(author__username="visitor").exists()
    assert notes.filter(product__isnull=False).exists()
    for note in notes:
        assert 1 <= note.interest <= 5
        assert note.stop.producer_id == note.producer_id
        if note.product_id:
            assert note.product.producer_id == note.producer_id

    open_follow_ups = [f for f in FollowUp.objects.all() if f.is_open]
    assert open_follow_ups
    assert all(f.owner.username == "staff" for f in open_follow_ups)
    assert any(f.is_overdue for f in open_follow_ups)
    assert any(f.due_date > timezone.localdate() for f in open_follow_ups)

    upcoming = Visit.objects.get(status="planned")
    assert upcoming.start_date > timezone.localdate()
    assert upcoming.stops.count() >= 3


def test_demo_users_have_their_roles_and_printed_passwords(output):
    passwords = printed_passwords(output)
    assert set(passwords) == set(DEMO_USERS)
    for username, role in DEMO_USERS.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert roles.role_of(user) == role
        assert authenticate(username=username, password=passwords[username]) == user
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(username="staff").is_staff
    regency = User.objects.get(username="regency")
    assert set(regency.regencies.values_list("code", flat=True)) == {"35.09", "35.10"}


def test_running_twice_changes_nothing(output):
    before = counts()
    hashes = dict(User.objects.values_list("username", "password"))
    product_history = Product.history.count()
    producer_history = Producer.history.count()
    updated = dict(Product.objects.values_list("code", "updated_at"))
    tokens = dict(ShareLink.objects.values_list("label", "token"))
    files = media_files()

    second = seed()

    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert Product.history.count() == product_history
    assert Producer.history.count() == producer_history
    assert dict(Product.objects.values_list("code", "updated_at")) == updated
    assert dict(ShareLink.objects.values_list("label", "token")) == tokens
    assert media_files() == files
    assert printed_passwords(second) == {}
    for username in DEMO_USERS:
        assert re.search(rf"^\s+{username}\s+\(unchanged", second, re.MULTILINE)
    assert "new)" not in second


def test_second_run_restores_demo_values_and_keeps_user_edits_elsewhere(output):
    product = Product.objects.get(code="JBR-0001")
    Product.objects.filter(pk=product.pk).update(price_idr=1, name_zh="")
    product.photos.all().delete()
    Product.objects.filter(code="JBR-0005").update(name_zh="自定义")

    seed()

    product.refresh_from_db()
    assert product.price_idr == 3_250_000
    assert product.name_zh
    assert product.photos.count() == 3
    assert Product.objects.get(code="JBR-0005").name_zh == "自定义"


def test_reset_passwords_sets_new_ones(output):
    old = printed_passwords(output)

    new = printed_passwords(seed("--reset-passwords"))

    assert set(new) == set(DEMO_USERS)
    for username in DEMO_USERS:
        assert new[username] != old[username]
        assert authenticate(username=username, password=old[username]) is None
        assert authenticate(username=username, password=new[username]) is not None


@pytest.mark.django_db
def test_a_failure_writes_nothing(monkeypatch):
    def fail(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(seed_demo.Seeder, "seed_visits", fail)
    with pytest.raises(RuntimeError):
        seed()

    assert Product.objects.count() == 0
    assert not User.objects.filter(username__in=DEMO_USERS).exists()
    assert not default_storage.exists("products") or media_files() == []


@pytest.mark.django_db
def test_photo_size_must_be_width_x_height():
    with pytest.raises(CommandError, match="WIDTHxHEIGHT"):
        call_command("seed_demo", "--photo-size", "large")


def test_a_demo_collection_with_live_expired_and_revoked_links(output, settings):
    collection = Collection.objects.get()
    assert collection.items.count() >= 6
    assert collection.name_zh and collection.intro_zh and collection.intro_en
    links = {link.label: link for link in collection.share_links.all()}
    states = sorted(
        ("revoked" if link.is_revoked else "expired" if link.is_expired else "live")
        for link in links.values()
    )
    assert states == ["expired", "live", "revoked"]
    (live,) = [link for link in links.values() if link.is_live]
    # The live link's public URL is printed with the logins.
    assert f"{settings.SITE_URL}/s/{live.token}/" in output
    assert output.index("Demo share link") < output.index("Records")


def test_two_demo_inquiries_and_a_sample_about_shared_products(output):
    inquiries = list(Inquiry.objects.prefetch_related("products"))
    assert len(inquiries) == 2
    shared = set(Collection.objects.get().products.values_list("pk", flat=True))
    for inquiry in inquiries:
        assert inquiry.share_link.is_live
        assert {p.pk for p in inquiry.products.all()} <= shared
        assert inquiry.products.get().status == "buyer_interest"
    sample = Sample.objects.get()
    assert sample.inquiry.status == "sample_sent"
    assert sample.product in sample.inquiry.products.all()
    assert ExchangeRate.objects.exists()
