"""Fixtures of the import-conflict tests (``test_import_conflicts``, ``test_import_command``):
products last saved an hour ago, and another staff member who edits them after an export."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from catalogue.models import Product
from core import roles


def backdate(hours=1, microsecond=987_654):
    """Every product (and its change log) as last saved ``hours`` ago, with microseconds
    as PostgreSQL and SQLite store them, so that a later save is a later second."""
    moment = (timezone.now() - datetime.timedelta(hours=hours)).replace(microsecond=microsecond)
    Product.objects.update(updated_at=moment)
    Product.history.update(history_date=moment)
    return moment


@pytest.fixture
def budi(db):
    """Another regional staff member: the one who edits after the export."""
    user = User.objects.create_user("budi", first_name="Budi", last_name="Santoso")
    user.groups.add(Group.objects.get(name=roles.REGIONAL_STAFF))
    return user


@pytest.fixture
def budi_client(budi):
    client = Client()
    client.force_login(budi)
    return client


@pytest.fixture
def bondowoso(make_producer, make_product):
    """BDW-0001 and BDW-0002 (165,000) in Bondowoso, exported an hour ago."""
    producer = make_producer("35.11", name="Kopi Ijen")
    products = [
        make_product(producer, "kerajinan-kayu", name_id="Nampan kayu", price_idr=90_000),
        make_product(producer, "kerajinan-kayu", name_id="Kotak kopi", price_idr=165_000),
    ]
    assert [p.code for p in products] == ["BDW-0001", "BDW-0002"]
    backdate()
    return products


def last_change(product):
    """The product's newest change-log entry."""
    return product.history.order_by("-history_date", "-history_id").first()
