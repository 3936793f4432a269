"""Status changes of many products at once, in a fixed number of queries.

The same rules as ``services.change_status`` for one product: the status log with who,
when, from, to, reason and the gaps overridden, a change-log (history) entry, the editor
stamp, a version bump for forms opened before the change, and current readiness. Rows are
written with ``executemany`` of one prepared statement (one query however many rows;
``bulk_create`` on SQLite splits at 999 parameters, about 20 history rows).
"""

from django.db import connections, router, transaction
from django.utils import timezone

from catalogue.choices import PromotionStatus
from catalogue.models import Product, StatusChange
from catalogue.services import check_status_change, gaps_to_confirm
from catalogue.spreadsheets.importing.apply import BATCH_SIZE, chunks, readiness_of, update_products

CHANGED_FIELDS = [
    "status",
    "not_suitable_reason",
    "updated_by",
    "updated_at",
    "version",
    "readiness_score",
    "readiness_gaps",
]


def change_status_many(queryset, to_status, user=None, reason=""):
    """Move every product of ``queryset`` to ``to_status``; returns the products changed.

    Products already in ``to_status`` are left alone. Moves past the readiness gate record
    the gaps they override, as ``services.change_status`` does when the caller passes them.
    """
    check_status_change(to_status, reason)
    user = user if user is not None and user.is_authenticated else None
    now = timezone.now()
    with transaction.atomic():
        products = list(
            queryset.exclude(status=to_status).select_related("category").select_for_update()
        )
        steps = []
        for product in products:
            steps.append(
                StatusChange(
                    product=product,
                    from_status=product.status,
                    to_status=to_status,
                    reason=reason,
                    overrode_gaps=gaps_to_confirm(
                        product.status, to_status, product.readiness_gaps
                    ),
                    changed_by=user,
                    changed_at=now,
                )
            )
            product.status = to_status
            if to_status == PromotionStatus.NOT_SUITABLE:
                product.not_suitable_reason = reason
            product.stamp(user)
            product.updated_at = now
            product.version += 1
        for product, assessment in zip(products, readiness_of(products), strict=True):
            product.readiness_score, product.readiness_gaps = assessment.score, assessment.gaps
        update_products(products, CHANGED_FIELDS)
        insert_rows(history_records(products, user, now))
        insert_rows(steps)
    return products


def history_records(products, user, when):
    """Change-log entries for updated ``products``, as simple_history's
    ``bulk_history_create(update=True)`` builds them (django-simple-history docs, "Bulk
    Creating and Updating a Model with History")."""
    History = Product.history.model
    return [
        History(
            history_date=when,
            history_user=user or History.get_default_history_user(product),
            history_change_reason=getattr(product, "_change_reason", None),
            history_type="~",
            **{field.attname: getattr(product, field.attname) for field in History.tracked_fields},
        )
        for product in products
    ]


def insert_rows(objs):
    """INSERT new model instances (all of one model) with one ``executemany``.

    Values go through each field's ``pre_save`` and ``get_db_prep_save`` as ``save()``
    would; the new primary keys are not read back.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Only quoted names from the model's metadata go into the text; values are parameters.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in chunks(objs, BATCH_SIZE * 4):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                    for obj in chunk
                ],
            )
