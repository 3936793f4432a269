"""Writing a checked plan: all rows in one transaction, through the product write path
(change log, status log, readiness)."""

from collections import namedtuple
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from catalogue.bulk_sql import chunks
from catalogue.models import Category, Product
from catalogue.product_writes import write_many

# What to do with rows whose product changed after the file's updated_at (plan.conflicts).
SKIP, OVERWRITE = "skip", "overwrite"
WRITE_SLICE = 2_000
# A product written, by key: the result holds no model instances either.
Written = namedtuple("Written", "pk code")


@dataclass
class Result:
    created: list  # ``Written`` of the new products, with their keys
    updated: list  # ``Written`` of the changed products
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

    The plan holds no model instances: the changed products are loaded again by key, a
    slice at a time (under the lock the confirm's plan took, in its transaction), and
    written with that slice.
    """
    if not plan.is_valid:
        raise ValueError("A plan with errors cannot be applied.")
    if plan.conflicts and conflicts not in (SKIP, OVERWRITE):
        raise ValueError("A plan with conflicts needs conflicts=SKIP or OVERWRITE.")
    now = when or timezone.now()
    categories = {c.pk: c for c in Category.objects.all()}
    result = Result(created=[], updated=[])
    new_rows, changed_rows = [], []
    for row in plan.rows:
        if row.action == "new":
            new_rows.append(row)
        elif row.action == "changed":
            if row.conflict and conflicts == SKIP:
                result.skipped.append(row)
            else:
                changed_rows.append(row)
    attributes = sorted({attribute for row in changed_rows for attribute in row.values})
    with transaction.atomic():
        # In slices, inside the one transaction: the products and what write_many builds
        # for them (change-log rows, readiness, SQL parameters) are held for one slice at
        # a time, not for 100,000 rows at once.
        for start in range(0, max(len(new_rows), len(changed_rows)), WRITE_SLICE):
            created = [
                Product(code=row.code, **row.values)
                for row in new_rows[start : start + WRITE_SLICE]
            ]
            updated, from_statuses = _changed(
                changed_rows[start : start + WRITE_SLICE],
                reason=overwrite_reason or reason,
                overwritten=result.overwritten,
            )
            for product in created + updated:
                product.category = categories[product.category_id]  # no query per row below
            written = write_many(
                created=created,
                updated=updated,
                attributes=attributes,
                from_statuses=from_statuses,
                user=user,
                when=now,
                history_reason=reason,
                confirm_gaps=True,
            )
            result.created += [Written(p.pk, p.code) for p in written]
            result.updated += [Written(p.pk, p.code) for p in updated]
    return result


def _changed(rows, reason, overwritten):
    """The stored products of one slice of changed rows, loaded by key and given the
    rows' values, and each one's status before (by key)."""
    stored = {}
    for chunk in chunks([row.pk for row in rows]):
        stored.update((p.pk, p) for p in Product.objects.filter(pk__in=chunk))
    updated, from_statuses = [], {}
    for row in rows:
        product = stored[row.pk]
        if row.conflict:
            product._change_reason = reason
            overwritten.append(Written(product.pk, product.code))
        from_statuses[product.pk] = product.status
        for attribute, value in row.values.items():
            setattr(product, attribute, value)
        updated.append(product)
    return updated, from_statuses
