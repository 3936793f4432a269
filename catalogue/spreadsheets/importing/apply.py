"""Writing a checked plan: all rows in one transaction, through the product write path
(change log, status log, readiness)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from catalogue.models import Category, Product
from catalogue.product_writes import write_many

# What to do with rows whose product changed after the file's updated_at (plan.conflicts).
SKIP, OVERWRITE = "skip", "overwrite"
WRITE_SLICE = 2_000


@dataclass
class Result:
    created: list
    updated: list
    skipped: list = field(default_factory=list)  # conflicting rows left as they are
    overwritten: list = field(default_factory=list)  # products whose newer changes were undone

    @property
    def codes(self):
        return [p.code for p in self.created] + [p.code for p in self.updated]


def apply_plan(plan, user=None, reason="", when=None, conflicts=None, overwrite_reason=""):
    """Write a plan without errors: every row or, if anything fails, none.

    Products are created and updated in bulk by ``product_writes.write_many``, with their
    change-log rows, status steps and readiness. Confirming the import confirms the
    readiness gaps its preview listed (``plan.overrides``): the steps record them. Rows in
    conflict with newer changes need a choice: ``conflicts=SKIP`` leaves them out,
    ``OVERWRITE`` writes them with ``overwrite_reason`` in their change-log entries.
    """
    if not plan.is_valid:
        raise ValueError("A plan with errors cannot be applied.")
    if plan.conflicts and conflicts not in (SKIP, OVERWRITE):
        raise ValueError("A plan with conflicts needs conflicts=SKIP or OVERWRITE.")
    now = when or timezone.now()
    categories = {c.pk: c for c in Category.objects.all()}
    with transaction.atomic():
        created, updated, from_statuses = [], [], {}
        skipped, overwritten = [], []
        changed_fields = set()
        for row in plan.rows:
            if row.action == "new":
                created.append(Product(code=row.code, **row.values))
            elif row.action == "changed":
                product = row.product
                if row.conflict and conflicts == SKIP:
                    skipped.append(row)
                    continue
                if row.conflict:
                    product._change_reason = overwrite_reason or reason
                    overwritten.append(product)
                from_statuses[product.pk] = product.status
                for attribute, value in row.values.items():
                    setattr(product, attribute, value)
                    changed_fields.add(attribute)
                updated.append(product)
        for product in created + updated:
            product.category = categories[product.category_id]  # no query per row below
        # In slices, inside the one transaction: what write_many builds for its products
        # (change-log rows, readiness, SQL parameters) is held for one slice at a time,
        # not for 100,000 rows at once.
        written = []
        for start in range(0, max(len(created), len(updated)), WRITE_SLICE):
            written += write_many(
                created=created[start : start + WRITE_SLICE],
                updated=updated[start : start + WRITE_SLICE],
                attributes=sorted(changed_fields),
                from_statuses=from_statuses,
                user=user,
                when=now,
                history_reason=reason,
                confirm_gaps=True,
            )
    return Result(created=written, updated=updated, skipped=skipped, overwritten=overwritten)
