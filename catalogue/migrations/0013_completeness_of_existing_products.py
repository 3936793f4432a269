"""Compute the stored text completeness of the products that exist already."""

from django.db import migrations

from catalogue.completeness import of_product


def compute(apps, schema_editor):
    Product = apps.get_model("catalogue", "Product")
    changed = []
    for product in Product.objects.select_related("category").iterator(chunk_size=1000):
        result = of_product(product)
        product.completeness_en, product.completeness_zh = result.percent["en"], result.percent["zh"]
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
