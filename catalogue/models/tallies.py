"""How many products there are per regency, category, status and readiness score.

The dashboard's counts over all products (regency × category, statuses, readiness buckets,
the funnel's "promoted") are sums over these rows: a few thousand at a million products,
where counting the products themselves read every one of them (3.9 s). The rows are kept
by database triggers (migration 0015), so every write path
keeps them right at once — forms, imports, bulk actions, ``bulk_create``,
``QuerySet.update``, deletes, raw SQL. Nothing in Python writes them.
"""

from django.db import models


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

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "category", "status", "readiness_score"],
                name="product_tally_key",
            ),
        ]

    def __str__(self):
        key = (self.regency_id, self.category_id, self.status, self.readiness_score)
        return f"{key}: {self.n}"
