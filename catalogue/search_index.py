"""The SQLite index of the product search: an FTS5 table with the trigram tokenizer.

``q`` finds a product when every word occurs, case-insensitively, in its code, one of its
names or its producer's name (catalogue/search.py). ``LIKE '%word%'`` reads every product
for that; the trigram tokenizer of FTS5 (SQLite 3.34 or newer) answers the same substring
question from an index ("The Trigram Tokenizer", https://www.sqlite.org/fts5.html).

The table ``catalogue_product_fts`` has one row per product (its ``rowid`` is the
product's id) and two columns: ``text``, the code and the three names joined by spaces
(the PostgreSQL search reads the same expression, ``search.PRODUCT_TEXT``), and
``producer``, the producer's name. A word has no space, so it occurs in one of the fields
exactly when it occurs in the joined text, and an FTS5 phrase never spans two columns.

Same results as ``LIKE``: SQLite's ``LIKE`` folds the case of ASCII letters only. The index
keeps ``lower()`` of the texts (which also folds ASCII only, "Core Functions",
https://www.sqlite.org/lang_corefunc.html#lower) with ``case_sensitive 1``, and the word is
looked up as ``lower()`` of it, so "É" and "é" differ here exactly as they do for ``LIKE``
(tests/catalogue/test_search_index.py checks it with random texts). ``%`` and ``_`` are
plain characters in a phrase, as in the escaped ``LIKE`` of Django's ``icontains``.

Kept current by triggers, on every write path at once (forms, imports, bulk actions,
``bulk_create``, ``QuerySet.update``, raw SQL): inserting, changing or deleting a product,
and renaming a producer (which rewrites the producer column of its products). Migration
0014 creates the table, fills it and adds the triggers, only on SQLite 3.34 or newer; on
PostgreSQL the GIN trigram indexes of migration 0008 serve the search.

A word shorter than three characters has no trigram: it keeps the plain ``LIKE``.
"""

from django.db.models import Q
from django.db.models.expressions import RawSQL

TABLE = "catalogue_product_fts"
TRIGRAM_MIN_LENGTH = 3
MIN_SQLITE_VERSION = (3, 34, 0)

_TEXT = (
    "lower(coalesce({p}.code, '') || ' ' || coalesce({p}.name_id, '') || ' ' || "
    "coalesce({p}.name_en, '') || ' ' || coalesce({p}.name_zh, ''))"
)
_PRODUCER = "lower(coalesce((SELECT name FROM catalogue_producer WHERE id = {p}.producer_id), ''))"

# Only constants are formatted into these statements.
CREATE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text, producer, "
    "tokenize = 'trigram case_sensitive 1')",
    f"INSERT INTO {TABLE} (rowid, text, producer) "  # noqa: S608
    f"SELECT p.id, {_TEXT.format(p='p')}, {_PRODUCER.format(p='p')} FROM catalogue_product p",
    f"CREATE TRIGGER catalogue_product_fts_insert AFTER INSERT ON catalogue_product BEGIN "  # noqa: S608
    f"INSERT INTO {TABLE} (rowid, text, producer) "
    f"VALUES (new.id, {_TEXT.format(p='new')}, {_PRODUCER.format(p='new')}); END",
    "CREATE TRIGGER catalogue_product_fts_update AFTER UPDATE OF "  # noqa: S608
    "id, code, name_id, name_en, name_zh, producer_id ON catalogue_product BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = old.id; "
    f"INSERT INTO {TABLE} (rowid, text, producer) "
    f"VALUES (new.id, {_TEXT.format(p='new')}, {_PRODUCER.format(p='new')}); END",
    "CREATE TRIGGER catalogue_product_fts_delete AFTER DELETE ON catalogue_product BEGIN "  # noqa: S608
    f"DELETE FROM {TABLE} WHERE rowid = old.id; END",
    "CREATE TRIGGER catalogue_producer_fts_rename AFTER UPDATE OF name ON catalogue_producer "  # noqa: S608
    f"WHEN old.name IS NOT new.name BEGIN UPDATE {TABLE} "
    "SET producer = lower(coalesce(new.name, '')) "
    "WHERE rowid IN (SELECT id FROM catalogue_product WHERE producer_id = new.id); END",
]
DROP = [
    "DROP TRIGGER IF EXISTS catalogue_producer_fts_rename",
    "DROP TRIGGER IF EXISTS catalogue_product_fts_delete",
    "DROP TRIGGER IF EXISTS catalogue_product_fts_update",
    "DROP TRIGGER IF EXISTS catalogue_product_fts_insert",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def supported(connection):
    """Whether ``connection`` is SQLite with the trigram tokenizer (3.34 or newer): then
    migration 0014 made the index (Python 3.11's own SQLite is newer still)."""
    if connection.vendor != "sqlite":
        return False
    return connection.Database.sqlite_version_info >= MIN_SQLITE_VERSION


def usable_for(term):
    return len(term) >= TRIGRAM_MIN_LENGTH


def phrase(term):
    """The FTS5 query of ``term`` as one phrase: in double quotes, a quote doubled
    ("FTS5 Strings", https://www.sqlite.org/fts5.html#fts5_strings)."""
    return '"' + term.replace('"', '""') + '"'


def products_with(term):
    """Products whose code, names or producer's name contain ``term`` (3+ characters),
    as the ``LIKE`` of ``icontains`` finds them, from the index."""
    sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH lower(%s)"  # noqa: S608
    return Q(pk__in=RawSQL(sql, [phrase(term)]))  # noqa: S611 (the word is a parameter)


def install(schema_editor):
    if supported(schema_editor.connection):
        for statement in CREATE:
            schema_editor.execute(statement)


def uninstall(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)
