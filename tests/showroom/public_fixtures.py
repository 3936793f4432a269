"""A collection shared with buyers, for the public-page tests: two products (furniture
with a photo and certifications, food with shelf life), a producer whose private details
must never reach a buyer, a live link showing prices, an expired and a revoked one."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from catalogue.models import Certification, ProductPhoto
from showroom.models import Collection, CollectionItem, ExchangeRate, ShareLink
from tests.catalogue.test_product_edit import jpeg

# Values of the fixture that a public page must never contain.
SECRETS = {
    "nib": "9120304050607",
    "phone": "081234567890",
    "email": "rahasia-produsen@example.org",
    "address": "Jl. Mawar Rahasia 12",
    "contact_person": "Pak Slamet Rahasia",
    "cert_number": "SVLK-NOMOR-RAHASIA-77",
    "expired_issuer": "Lembaga Kedaluwarsa",
    "note": "Rahasia",
}


@pytest.fixture
def shared(make_producer, make_product, make_visit_with_notes, staff_user):
    producer = make_producer(
        "35.09",
        name="Drum Pakusari",
        nib=SECRETS["nib"],
        phone=SECRETS["phone"],
        whatsapp=SECRETS["phone"],
        email=SECRETS["email"],
        address=SECRETS["address"],
        contact_person=SECRETS["contact_person"],
    )
    chair = make_product(
        producer=producer,
        category="furnitur-logam",
        name_id="Kursi drum daur ulang",
        name_en="Recycled drum chair",
        name_zh="回收油桶椅",
        description_id="Kursi dari drum bekas, dicat tangan.",
        materials="Drum baja bekas, cat",
        length_cm=Decimal("45"),
        width_cm=Decimal("50"),
        height_cm=Decimal("80.5"),
        weight_kg=Decimal("7.250"),
        packaging_description="Kardus lima lapis",
        price_idr=850_000,
        moq=20,
        lead_time_days=30,
        capacity_per_month=150,
        hs_code_id="940171" if _hs("940171") else None,
    )
    sambal = make_product(
        producer=producer,
        category="makanan-olahan",
        name_id="Sambal pecel",
        name_en="Peanut chili sauce",
        shelf_life_days=270,
        storage_conditions="Simpan di tempat sejuk dan kering",
        price_idr=25_000,
        moq=500,
    )
    photo = ProductPhoto.objects.create(product=chair, image=jpeg(), is_primary=True)
    ProductPhoto.objects.create(product=chair, image=jpeg("second.jpg", seed=2), position=1)
    today = timezone.localdate()
    Certification.objects.create(
        product=chair,
        kind="svlk",
        number=SECRETS["cert_number"],
        issuer="LVLK Mutu Hutan",
        expires_on=today + datetime.timedelta(days=300),
    )
    Certification.objects.create(
        product=chair,
        kind="sni",
        issuer=SECRETS["expired_issuer"],
        expires_on=today - datetime.timedelta(days=1),
    )
    make_visit_with_notes(producer, product=chair)
    collection = Collection.objects.create(
        name_id="Furnitur drum untuk pekan pembeli",
        name_en="Drum furniture for buyers' week",
        name_zh="油桶家具 · 采购商周",
        intro_id="Produk pilihan dari Jember.",
        intro_zh="精选东爪哇杰姆伯产品。",
    )
    CollectionItem.objects.create(collection=collection, product=chair, position=1)
    CollectionItem.objects.create(collection=collection, product=sambal, position=2)
    ExchangeRate.objects.create(idr_per_cny=Decimal("2250.00"), valid_on=today)
    future = timezone.now() + datetime.timedelta(days=30)
    live = ShareLink.objects.create(
        collection=collection, label="Ningbo importers", expires_at=future, show_prices=True
    )
    expired = ShareLink.objects.create(
        collection=collection,
        label="Old",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    revoked = ShareLink.objects.create(
        collection=collection, label="Revoked", expires_at=future, revoked_at=timezone.now()
    )
    return {
        "producer": producer,
        "chair": chair,
        "sambal": sambal,
        "photo": photo,
        "collection": collection,
        "live": live,
        "expired": expired,
        "revoked": revoked,
    }


def _hs(code):
    from catalogue.models import HSCode

    return HSCode.objects.filter(code=code).exists()


@pytest.fixture
def buyer():
    """A buyer's browser: no account, no session, CSRF checks as in production."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
