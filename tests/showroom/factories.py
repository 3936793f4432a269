"""Small factories for showroom records (plain functions: fixtures stay in the tests)."""

from datetime import timedelta

from django.utils import timezone

from showroom.models import Collection, CollectionItem, Inquiry, ProductView, Sample, ShareLink


def make_collection(*products, name="TEC Shanghai 2026", regency=None):
    collection = Collection.objects.create(name_id=name, regency=regency)
    for position, product in enumerate(products):
        CollectionItem.objects.create(collection=collection, product=product, position=position)
    return collection


def make_link(collection, label="Ningbo importers", days=30):
    return ShareLink.objects.create(
        collection=collection, label=label, expires_at=timezone.now() + timedelta(days=days)
    )


def make_inquiry(*products, link=None, **fields):
    fields.setdefault("name", "Wang Wei")
    fields.setdefault("company", "Ningbo Home Trading")
    fields.setdefault("wechat", "wangwei88")
    fields.setdefault("message", "请报价，起订量多少？")
    inquiry = Inquiry.objects.create(
        share_link=link, collection=link.collection if link else None, **fields
    )
    inquiry.products.set(products)
    return inquiry


def make_sample(product, **fields):
    return Sample.objects.create(product=product, **fields)


def view(link, product, count=1):
    return ProductView.objects.create(share_link=link, product=product, count=count)
