"""Writing many product rows in a fixed number of queries.

Django's ``bulk_update`` builds a CASE WHEN per field and row (about 20 s for 10,000
products here) and ``bulk_create`` on SQLite splits at 999 parameters (about 20
change-log rows per query). These run one prepared statement with ``executemany``: one
query however many rows. Values go through each field's ``pre_save`` and
``get_db_prep_save`` as ``save()`` would; only quoted names from the model's metadata go
into the SQL text.
"""

from django.db import connections, router

BATCH_SIZE = 500
IN_CHUNK = 900  # SQLite allows 999 parameters per query


def chunks(items, size=IN_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def update_rows(objs, attributes):
    """UPDATE ``attributes`` of stored model instances (all of one model), by primary key."""
    if not objs:
        return
    meta = type(objs[0])._meta
    connection = connections[router.db_for_write(type(objs[0]))]
    quote = connection.ops.quote_name
    fields = [meta.get_field(attribute) for attribute in attributes]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in chunks(objs, BATCH_SIZE * 4):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] + [o.pk]
                    for o in chunk
                ],
            )


def insert_rows(objs):
    """INSERT new model instances (all of one model); the new primary keys are not read
    back."""
    if not objs:
        return
    meta = type(objs[0])._meta
    connection = connections[router.db_for_write(type(objs[0]))]
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
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
