"""How many products there are per regency, category, status and readiness score.

The dashboard's counts over all products (regency × category, statuses, readiness buckets,
the funnel's "promoted") are sums over these rows: a few thousand at a million products,
where counting the products themselves read every one of them (3.9 s). The rows are kept
by database triggers (migration 0015), so every write path
keeps them right at once — forms, imports, bulk actions, ``bulk_create``,
``QuerySet.update``, deletes, raw SQL. Nothing in Python writes them.

The triggers only ever *insert* rows of +n and −n: a key has many rows and its count is
their sum. Updating one row per key in place would lock it until the writer commits, so
an import confirming 100,000 rows in one transaction would make every product edit of
the same regency, category, status and score wait for minutes, and two bulk writes could
deadlock. ``compact()`` folds the rows into one per key now and then.
"""

from django.db import connections, models, transaction

# More rows than this and the dashboard folds them first (a million products have about
# 6,300 keys).
COMPACT_ABOVE = 20_000


class ProductTally(models.Model):
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    category = models.ForeignKey(
        "catalogue.Category", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    status = models.CharField(max_length=20)
    readiness_score = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    def __str__(self):
        key = (self.regency_id, self.category_id, self.status, self.readiness_score)
        return f"{key}: {self.n}"


KEY = "regency_id, category_id, status, readiness_score"


def compact(using="default"):
    """Fold the tally's rows into one per key (dropping keys that sum to 0); the sums stay
    the same for every reader, whatever is written meanwhile."""
    table = ProductTally._meta.db_table
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement, so one snapshot: exactly the rows deleted are summed. Rows of
            # transactions not yet committed are not seen, stay, and count later.
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} RETURNING {KEY}, n) "  # noqa: S608
                f"INSERT INTO {table} ({KEY}, n) SELECT {KEY}, SUM(n) FROM gone "
                f"GROUP BY {KEY} HAVING SUM(n) <> 0"
            )
            return
        # SQLite: one writer at a time, so the two statements see the same rows.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        (last,) = cursor.fetchone()
        cursor.execute(
            f"INSERT INTO {table} ({KEY}, n) SELECT {KEY}, SUM(n) FROM {table} "  # noqa: S608
            f"WHERE id <= %s GROUP BY {KEY} HAVING SUM(n) <> 0",
            [last],
        )
        cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last])  # noqa: S608


def compact_if_long(using="default"):
    if ProductTally.objects.using(using).count() > COMPACT_ABOVE:
        compact(using)


def recount(using="default"):
    """Count the tally again from the products (one row per key). Only while nothing else
    writes products: a write committed between the two statements would count twice.
    The test run calls it after each flush (tests/conftest.py)."""
    table = ProductTally._meta.db_table
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({KEY}, n) SELECT {KEY}, COUNT(*) "  # noqa: S608
            f"FROM catalogue_product GROUP BY {KEY}"
        )
