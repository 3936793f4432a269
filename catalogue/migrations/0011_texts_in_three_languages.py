"""Materials, packaging, storage and the producer's description get English and Chinese
versions: today's text (Indonesian) moves into the ``_id`` field, in the change log too."""

from django.db import migrations

RENAMES = [
    ("product", "materials", "materials_id"),
    ("product", "packaging_description", "packaging_description_id"),
    ("product", "storage_conditions", "storage_conditions_id"),
    ("producer", "description", "description_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0010_producer_version"),
    ]

    operations = [
        migrations.RenameField(model_name=model, old_name=old, new_name=new)
        for name, old, new in RENAMES
        for model in (name, f"historical{name}")
    ]
