"""The FTS5 trigram index of the product search on SQLite 3.34+, with the triggers that
keep it current (catalogue/search_index.py explains it and queries it). PostgreSQL:
nothing (migration 0008 made its GIN trigram indexes). No model state changes.

The statements are a frozen copy of what ``search_index`` held when this migration was
written, so that later changes there (which need a migration of their own) never change
what this one did.
"""

from django.db import migrations

MIN_SQLITE_VERSION = (3, 34, 0)
CREATE = [
    "CREATE VIRTUAL TABLE catalogue_product_fts USING fts5(text, producer, tokenize = 'trigram case_sensitive 1')",
    "INSERT INTO catalogue_product_fts (rowid, text, producer) SELECT p.id, lower(coalesce(p.code, '') || ' ' || coalesce(p.name_id, '') || ' ' || coalesce(p.name_en, '') || ' ' || coalesce(p.name_zh, '')), lower(coalesce((SELECT name FROM catalogue_producer WHERE id = p.producer_id), '')) FROM catalogue_product p",
    "CREATE TRIGGER catalogue_product_fts_insert AFTER INSERT ON catalogue_product BEGIN INSERT INTO catalogue_product_fts (rowid, text, producer) VALUES (new.id, lower(coalesce(new.code, '') || ' ' || coalesce(new.name_id, '') || ' ' || coalesce(new.name_en, '') || ' ' || coalesce(new.name_zh, '')), lower(coalesce((SELECT name FROM catalogue_producer WHERE id = new.producer_id), ''))); END",
    "CREATE TRIGGER catalogue_product_fts_update AFTER UPDATE OF id, code, name_id, name_en, name_zh, producer_id ON catalogue_product BEGIN DELETE FROM catalogue_product_fts WHERE rowid = old.id; INSERT INTO catalogue_product_fts (rowid, text, producer) VALUES (new.id, lower(coalesce(new.code, '') || ' ' || coalesce(new.name_id, '') || ' ' || coalesce(new.name_en, '') || ' ' || coalesce(new.name_zh, '')), lower(coalesce((SELECT name FROM catalogue_producer WHERE id = new.producer_id), ''))); END",
    "CREATE TRIGGER catalogue_product_fts_delete AFTER DELETE ON catalogue_product BEGIN DELETE FROM catalogue_product_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER catalogue_producer_fts_rename AFTER UPDATE OF name ON catalogue_producer WHEN old.name IS NOT new.name BEGIN UPDATE catalogue_product_fts SET producer = lower(coalesce(new.name, '')) WHERE rowid IN (SELECT id FROM catalogue_product WHERE producer_id = new.id); END",
]
DROP = [
    "DROP TRIGGER IF EXISTS catalogue_producer_fts_rename",
    "DROP TRIGGER IF EXISTS catalogue_product_fts_delete",
    "DROP TRIGGER IF EXISTS catalogue_product_fts_update",
    "DROP TRIGGER IF EXISTS catalogue_product_fts_insert",
    "DROP TABLE IF EXISTS catalogue_product_fts",
]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite" and (
        connection.Database.sqlite_version_info >= MIN_SQLITE_VERSION
    ):
        for statement in CREATE:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0013_completeness_of_existing_products"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
