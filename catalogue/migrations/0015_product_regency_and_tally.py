"""The product keeps its producer's regency, and the product counts are tallied.

1. ``Product.regency``: added empty, filled from the producers in one ``UPDATE``, then
   required. On PostgreSQL a multi-column GIN index (``btree_gin``, a trusted extension)
   over (status, regency, the search text of catalogue/search.py) lets one index scan find
   the products of a status and regency matching a word (README "A million products").
2. ``ProductTally``: products per (regency, category, status, readiness score), filled
   from the products and kept by triggers on every insert, update and delete of a product
   (row triggers on SQLite; statement triggers with transition tables on PostgreSQL,
   "CREATE TRIGGER", https://www.postgresql.org/docs/current/sql-createtrigger.html).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

import catalogue.models.fields

PRODUCT_TEXT = (
    "UPPER(code::text || ' ' || name_id::text || ' ' || name_en::text || ' ' || name_zh::text)"
)
KEY = "regency_id, category_id, status, readiness_score"
TALLY = "catalogue_producttally"

FILL = {
    "postgresql": "UPDATE catalogue_product p SET regency_id = r.regency_id "
    "FROM catalogue_producer r WHERE r.id = p.producer_id",
    "sqlite": "UPDATE catalogue_product SET regency_id = (SELECT r.regency_id FROM "
    "catalogue_producer r WHERE r.id = catalogue_product.producer_id)",
}
COUNT = (
    f"INSERT INTO {TALLY} ({KEY}, n) SELECT {KEY}, COUNT(*) FROM catalogue_product "  # noqa: S608
    f"GROUP BY {KEY}"
)


def _upsert(source, sign):
    """Add ``sign`` × the rows of ``source`` (a transition table) to the tally: new rows
    only, never an update in place (catalogue/models/tallies.py says why)."""
    return (
        f"INSERT INTO {TALLY} ({KEY}, n) SELECT {KEY}, {sign}COUNT(*) FROM {source} "  # noqa: S608
        f"GROUP BY {KEY};"
    )


POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS product_status_regency_search ON catalogue_product "
    f"USING gin (status, regency_id, ({PRODUCT_TEXT}) gin_trgm_ops)",
    "ANALYZE catalogue_product",  # the planner's statistics of the new column
    COUNT,
    "CREATE FUNCTION catalogue_product_tally() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # noqa: S608 (constants only)
    f"IF TG_OP = 'INSERT' THEN {_upsert('new_rows', '')} "
    f"ELSIF TG_OP = 'DELETE' THEN {_upsert('old_rows', '-')} "
    # Only the rows whose key changed: a bulk edit of names or tags writes nothing here.
    "ELSE "
    f"INSERT INTO {TALLY} ({KEY}, n) SELECT {KEY}, SUM(d) FROM ("
    f"SELECT o.regency_id, o.category_id, o.status, o.readiness_score, -1 AS d "
    "FROM old_rows o JOIN new_rows w ON w.id = o.id "
    "WHERE (o.regency_id, o.category_id, o.status, o.readiness_score) IS DISTINCT FROM "
    "(w.regency_id, w.category_id, w.status, w.readiness_score) UNION ALL "
    "SELECT w.regency_id, w.category_id, w.status, w.readiness_score, 1 "
    "FROM old_rows o JOIN new_rows w ON w.id = o.id "
    "WHERE (o.regency_id, o.category_id, o.status, o.readiness_score) IS DISTINCT FROM "
    "(w.regency_id, w.category_id, w.status, w.readiness_score)) changed "
    f"GROUP BY {KEY} HAVING SUM(d) <> 0; "
    "END IF; RETURN NULL; END $$",
    "CREATE TRIGGER catalogue_product_tally_insert AFTER INSERT ON catalogue_product "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION catalogue_product_tally()",
    "CREATE TRIGGER catalogue_product_tally_update AFTER UPDATE ON catalogue_product "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION catalogue_product_tally()",
    "CREATE TRIGGER catalogue_product_tally_delete AFTER DELETE ON catalogue_product "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION catalogue_product_tally()",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalogue_product_tally_insert ON catalogue_product",
    "DROP TRIGGER IF EXISTS catalogue_product_tally_update ON catalogue_product",
    "DROP TRIGGER IF EXISTS catalogue_product_tally_delete ON catalogue_product",
    "DROP FUNCTION IF EXISTS catalogue_product_tally()",
    "DROP INDEX IF EXISTS product_status_regency_search",
]


def _add(prefix, sign):
    return (
        f"INSERT INTO {TALLY} ({KEY}, n) VALUES ({prefix}.regency_id, {prefix}.category_id, "  # noqa: S608
        f"{prefix}.status, {prefix}.readiness_score, {sign}1);"
    )


SQLITE = [
    COUNT,
    "CREATE TRIGGER catalogue_product_tally_insert AFTER INSERT ON catalogue_product "
    f"BEGIN {_add('new', '')} END",
    f"CREATE TRIGGER catalogue_product_tally_update AFTER UPDATE OF {KEY} ON catalogue_product "
    "WHEN old.regency_id IS NOT new.regency_id OR old.category_id IS NOT new.category_id "
    "OR old.status IS NOT new.status OR old.readiness_score IS NOT new.readiness_score "
    f"BEGIN {_add('old', '-')} {_add('new', '')} END",
    "CREATE TRIGGER catalogue_product_tally_delete AFTER DELETE ON catalogue_product "
    f"BEGIN {_add('old', '-')} END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalogue_product_tally_insert",
    "DROP TRIGGER IF EXISTS catalogue_product_tally_update",
    "DROP TRIGGER IF EXISTS catalogue_product_tally_delete",
]


def fill_regency(apps, schema_editor):
    schema_editor.execute(FILL[schema_editor.connection.vendor])


def require_regency(apps, schema_editor):
    """NOT NULL (PostgreSQL) and the foreign key's index, under Django's own name."""
    product = apps.get_model("catalogue", "Product")
    field = product._meta.get_field("regency")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalogue_product ALTER COLUMN regency_id SET NOT NULL")
    schema_editor.execute(schema_editor._create_index_sql(product, fields=[field]))


def _search_index(name):
    """Migration 0014's ``forward``/``backward`` (the SQLite FTS5 index and its triggers).

    Unapplying ``Product.regency`` on SQLite rebuilds the product table, which drops the
    triggers on it and fails on the producer's trigger that names it; so the index is
    dropped before and made again after (migrate backwards, tests/catalogue/
    test_text_migration.py)."""
    search = importlib.import_module("catalogue.migrations.0014_sqlite_trigram_search_index")
    return getattr(search, name)


def _drop_search_index(apps, schema_editor):
    _search_index("backward")(apps, schema_editor)


def _make_search_index(apps, schema_editor):
    _search_index("forward")(apps, schema_editor)


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0014_sqlite_trigram_search_index"),
        ("regions", "0001_initial"),
    ]

    operations = [
        # Backwards only: the search index made again once the column is gone (see above).
        migrations.RunPython(migrations.RunPython.noop, _make_search_index, elidable=False),
        migrations.AddField(
            model_name="product",
            name="regency",
            field=catalogue.models.fields.ProducerRegencyField(
                editable=False,
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.regency",
                verbose_name="regency",
            ),
        ),
        # Backwards only: the search index dropped before the column is removed.
        migrations.RunPython(migrations.RunPython.noop, _drop_search_index, elidable=False),
        migrations.RunPython(fill_regency, migrations.RunPython.noop, elidable=False),
        # Required from now on. Only the database's part is done by hand: on SQLite
        # Django would rebuild the table for NOT NULL, which breaks the FTS triggers of
        # migration 0014 (there the column stays nullable; the write paths fill it).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="product",
                    name="regency",
                    field=catalogue.models.fields.ProducerRegencyField(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.regency",
                        verbose_name="regency",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(require_regency, migrations.RunPython.noop, elidable=False)
            ],
        ),
        migrations.CreateModel(
            name="ProductTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=20)),
                ("readiness_score", models.PositiveSmallIntegerField()),
                ("n", models.IntegerField(default=0)),
                (
                    "category",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalogue.category",
                    ),
                ),
                (
                    "regency",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="regions.regency",
                    ),
                ),
            ],
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
            elidable=False,
        ),
    ]
