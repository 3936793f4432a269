"""The FTS5 trigram index of the product search on SQLite 3.34+, with the triggers that
keep it current (see catalogue/search_index.py). PostgreSQL: nothing (migration 0008 made
its GIN trigram indexes). No model state changes."""

from django.db import migrations

from catalogue import search_index


def forward(apps, schema_editor):
    search_index.install(schema_editor)


def backward(apps, schema_editor):
    search_index.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0013_completeness_of_existing_products"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
