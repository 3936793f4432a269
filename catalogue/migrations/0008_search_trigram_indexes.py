"""GIN trigram indexes for the product search on PostgreSQL (see catalogue/search.py).

The indexed expressions are exactly those catalogue/search.py writes, so that PostgreSQL
can use them for ``LIKE '%word%'`` and for pg_trgm's word similarity (typos). pg_trgm is a
trusted extension (PostgreSQL 13+): the database owner may create it, no superuser needed.
SQLite has no trigram index; there the migration does nothing. No model state changes.
"""

from django.db import migrations

PRODUCT_TEXT = (
    "UPPER(code::text || ' ' || name_id::text || ' ' || name_en::text || ' ' || name_zh::text)"
)

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS product_search_trgm ON catalogue_product "
    f"USING gin (({PRODUCT_TEXT}) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS producer_name_trgm ON catalogue_producer "
    "USING gin ((UPPER(name::text)) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS producer_name_trgm",
    "DROP INDEX IF EXISTS product_search_trgm",
    # The extension stays: other database objects may use it.
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0007_product_search_index"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
