"""The write path of collections and share links (showroom.collection_writes)."""

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from core.locking import EditConflict, WriteRefused
from showroom import collection_writes
from showroom.models import CollectionItem, ShareLink

pytestmark = pytest.mark.django_db


def _codes(collection):
    return list(collection.items.order_by("position").values_list("product__code", flat=True))


def test_products_are_added_in_order_and_counted_once(make_collection, make_product, staff_user):
    a, b, c = make_product(), make_product(), make_product()
    collection = make_collection(products=[a, b])
    added, already = collection_writes.add_products(collection, [b, c, c], staff_user)
    assert (added, already) == (1, 2)
    assert _codes(collection) == [a.code, b.code, c.code]
    assert list(collection.items.values_list("position", flat=True)) == [1, 2, 3]


def test_regency_collection_refuses_other_regencies_naming_them_and_adds_nothing(
    make_collection, make_product, make_producer, staff_user
):
    own = make_product(producer=make_producer("35.09"))
    stranger = make_product(producer=make_producer("35.10"), category="batik")
    collection = make_collection(regency_code="35.09")
    with pytest.raises(WriteRefused) as refused:
        collection_writes.add_products(collection, [own, stranger], staff_user)
    assert stranger.code in refused.value.message
    assert "Jember" in refused.value.message
    assert not collection.items.exists()


def test_region_wide_collection_takes_every_regency(make_collection, make_product, make_producer):
    products = [make_product(producer=make_producer(code)) for code in ("35.09", "35.10")]
    collection = make_collection()
    assert collection_writes.add_products(collection, products, None) == (2, 0)


def test_collection_refuses_more_than_the_maximum(make_collection, make_product, monkeypatch):
    monkeypatch.setattr(collection_writes, "MAX_ITEMS", 2)
    collection = make_collection(products=[make_product()])
    with pytest.raises(WriteRefused):
        collection_writes.add_products(collection, [make_product(), make_product()], None)
    assert collection.items.count() == 1


def test_giving_a_regency_to_a_collection_with_other_products_is_refused(
    make_collection, make_product, make_producer, jember
):
    collection = make_collection(products=[make_product(producer=make_producer("35.10"))])
    collection.regency = jember
    with pytest.raises(WriteRefused):
        collection_writes.save_collection(collection, None, version=collection.version)


def test_a_stale_edit_is_refused(make_collection):
    collection = make_collection()
    collection.name_en = "Drums"
    collection_writes.save_collection(collection, None, version=collection.version)
    with pytest.raises(EditConflict):
        collection_writes.save_collection(collection, None, version=1)


def test_adding_products_does_not_invalidate_an_open_edit_form(make_collection, make_product):
    collection = make_collection()
    version = collection.version
    collection_writes.add_products(collection, [make_product()], None)
    collection.refresh_from_db()
    assert collection.version == version


def test_remove_renumbers_and_move_stays_within_the_ends(make_collection, make_product):
    a, b, c = make_product(), make_product(), make_product()
    collection = make_collection(products=[a, b, c])
    item_a = CollectionItem.objects.get(collection=collection, product=a)
    item_c = CollectionItem.objects.get(collection=collection, product=c)
    collection_writes.move_product(collection, item_c.pk, -1, None)
    assert _codes(collection) == [a.code, c.code, b.code]
    collection_writes.move_product(collection, item_a.pk, -1, None)  # already first
    assert _codes(collection) == [a.code, c.code, b.code]
    assert collection_writes.remove_product(collection, item_a.pk, None)
    assert _codes(collection) == [c.code, b.code]
    assert list(collection.items.values_list("position", flat=True)) == [1, 2]


def test_set_order_puts_unnamed_items_last(make_collection, make_product):
    a, b, c = make_product(), make_product(), make_product()
    collection = make_collection(products=[a, b, c])
    item_c = CollectionItem.objects.get(collection=collection, product=c)
    collection_writes.set_order(collection, [item_c.pk], None)
    assert _codes(collection) == [c.code, a.code, b.code]


def test_a_new_link_has_an_unguessable_token_and_a_default_expiry(make_collection, staff_user):
    collection = make_collection()
    link = collection_writes.create_link(collection, staff_user, label="Ningbo importers")
    other = collection_writes.create_link(collection, staff_user, label="Yiwu buyers")
    # token_urlsafe: 6 bits per character; at least 128 bits.
    assert len(link.token) * 6 >= 128 and link.token != other.token
    assert math.isclose(
        (link.expires_at - timezone.now()).total_seconds(),
        timedelta(days=collection_writes.DEFAULT_LINK_DAYS).total_seconds(),
        abs_tol=60,
    )
    assert link.created_by == staff_user and link.is_live
    assert link.get_absolute_url() == f"/s/{link.token}/"


@pytest.mark.parametrize(
    ("label", "days"), [("", 30), ("   ", 30), ("Buyers", -1), ("Buyers", 800)]
)
def test_a_link_needs_a_label_and_a_sensible_expiry(make_collection, label, days):
    collection = make_collection()
    with pytest.raises(WriteRefused):
        collection_writes.create_link(
            collection, None, label=label, expires_at=timezone.now() + timedelta(days=days)
        )
    assert not ShareLink.objects.exists()


def test_revoke_takes_effect_at_once_and_keeps_the_first_revocation(
    make_collection, make_link, staff_user, visitor_user
):
    link = make_link(make_collection())
    assert collection_writes.revoke_link(link, staff_user)
    assert not collection_writes.revoke_link(link, visitor_user)
    stored = ShareLink.objects.get(pk=link.pk)
    assert stored.revoked_by == staff_user and stored.revoked_at is not None
    assert not stored.is_live


def test_exchange_rate_is_recorded_with_its_date(staff_user):
    import datetime
    from decimal import Decimal

    rate = collection_writes.set_exchange_rate(
        Decimal("2250.50"), datetime.date(2026, 5, 1), staff_user
    )
    assert rate.created_by == staff_user and str(rate.idr_per_cny) == "2250.50"
