"""Fixtures of the showroom tests: collections with products, and share links."""

from datetime import timedelta

import pytest
from django.utils import timezone

from regions.models import Regency
from showroom import collection_writes
from showroom.models import Collection


@pytest.fixture
def make_collection(db):
    def make(name="TEC Shanghai 2026", regency_code=None, products=(), user=None, **fields):
        regency = Regency.objects.get(code=regency_code) if regency_code else None
        collection = Collection(name_id=name, regency=regency, **fields)
        collection_writes.save_collection(collection, user)
        if products:
            collection_writes.add_products(collection, products, user)
        return collection

    return make


@pytest.fixture
def make_link(db):
    def make(collection, user=None, label="Ningbo importers", days=30, **fields):
        return collection_writes.create_link(
            collection,
            user,
            label=label,
            expires_at=timezone.now() + timedelta(days=days),
            **fields,
        )

    return make
