"""Compute the stored text completeness of the products that exist already.

A frozen copy of ``catalogue.completeness`` as it was when this migration was written, so
that later changes to the app's rules cannot change what this migration does.
"""

from django.db import migrations

TEXTS = (
    ("name", None),
    ("description", None),
    ("materials", None),
    ("packaging_description", None),
    ("storage_conditions", frozenset({"food"})),
)


def _filled(value):
    return bool((value or "").strip())


def percentages(product):
    """``(completeness_en, completeness_zh)`` of a product."""
    profile = product.category.profile
    counted = [
        stem
        for stem, only in TEXTS
        if (only is None or profile in only)
        and (stem == "name" or _filled(getattr(product, f"{stem}_id")))
    ]
    return tuple(
        sum(_filled(getattr(product, f"{stem}_{language}")) for stem in counted)
        * 100
        // len(counted)
        for language in ("en", "zh")
    )


def compute(apps, schema_editor):
    Product = apps.get_model("catalogue", "Product")
    changed = []
    for product in Product.objects.select_related("category").iterator(chunk_size=1000):
        product.completeness_en, product.completeness_zh = percentages(product)
        changed.append(product)
        if len(changed) >= 1000:
            Product.objects.bulk_update(changed, ["completeness_en", "completeness_zh"])
            changed = []
    Product.objects.bulk_update(changed, ["completeness_en", "completeness_zh"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0012_texts_fields_and_completeness"),
    ]

    operations = [migrations.RunPython(compute, migrations.RunPython.noop)]
