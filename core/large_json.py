"""Write a large JSON value from pieces of its text, without holding the text in memory.

A JSON text of tens of megabytes (an export's row fingerprints: ~29 MB at a million rows)
sent as one query parameter costs the process several copies of it: the joined text, the
quoted literal and the query (psycopg 3, as Django uses it, binds parameters on the client).
On PostgreSQL the pieces go to the server with ``COPY … FROM STDIN`` into a temporary table
instead, and the query that writes the row reads them from there (psycopg 3, "Using COPY
TO and COPY FROM", https://www.psycopg.org/psycopg3/docs/basic/copy.html). Other databases
(SQLite) get the text as one parameter: SQLite runs inside the process, so the value passes
through its memory whichever way it is written.
"""

from contextlib import contextmanager, suppress

from django.db import DatabaseError, connections
from django.db.models import JSONField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

_STAGING = "etalase_json_text"
_READ = "SELECT body::jsonb FROM etalase_json_text"

# COPY's text format escapes backslash, newline, carriage return and tab (PostgreSQL,
# "COPY", File Formats, https://www.postgresql.org/docs/current/sql-copy.html), backslash
# first. Fingerprint text holds none of them: the four checks take ~1/18 of the time of one
# ``str.translate`` of the chunk.
_COPY_ESCAPES = (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


def _copy_text(chunk):
    for raw, escaped in _COPY_ESCAPES:
        if raw in chunk:
            chunk = chunk.replace(raw, escaped)
    return chunk


@contextmanager
def json_from_text(chunks, using="default"):
    """An expression for a ``JSONField`` value whose JSON text is the strings of ``chunks``
    put together, to use in one query inside the block::

        with json_from_text(export.fingerprint_chunks()) as fingerprints:
            ExportRecord.objects.create(..., fingerprints=fingerprints)

    On PostgreSQL the text waits in a temporary table until the block ends (two more
    queries: its creation and its removal).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield Cast(Value("".join(chunks)), JSONField())
        return
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {_STAGING} (body text)")
        try:
            with cursor.cursor.copy(f"COPY {_STAGING} (body) FROM STDIN") as copy:
                for chunk in chunks:
                    copy.write(_copy_text(chunk))
            yield RawSQL(_READ, (), output_field=JSONField())  # noqa: S611 (a constant)
        finally:
            # In a failed transaction the DROP fails too; the rollback removes the table.
            with suppress(DatabaseError):
                cursor.execute(f"DROP TABLE {_STAGING}")
