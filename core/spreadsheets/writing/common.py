"""Shared pieces of the export writers: formats, the export description, XML helpers."""

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from django.utils import timezone

from core.spreadsheets.cells import xml_text

ROW_BATCH = 500  # rows per chunk handed to the web server
# Level 1 deflates the sheet XML ~2.7× faster than the default 6, for files ~25% larger.
COMPRESS_LEVEL = 1
_EXCEL_EPOCH = datetime(1899, 12, 30)
# Fingerprint JSON kept in memory before it moves to a temporary file on disk.
FINGERPRINT_SPOOL_BYTES = 1_000_000


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    content_type: str


FORMATS = {
    f.key: f
    for f in (
        Format("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        Format("csv", "csv", "text/csv; charset=utf-8"),
        Format("ods", "ods", "application/vnd.oasis.opendocument.spreadsheet"),
    )
}
LOOKBOOK = Format("lookbook", "xlsx", FORMATS["xlsx"].content_type)
LOOKBOOK_MAX_ROWS = 500


def header_of(column):
    """The header cell of ``column``: its ``header`` text when it has one (the readable
    layout), else its key (the import contract)."""
    return getattr(column, "header", "") or column.key


@dataclass
class Export:
    """One export in progress: what to write, and what was written (for the history).

    ``rows`` is an iterator of value lists in ``columns`` order; reading ``counted_rows()``
    counts them and fingerprints each row (code → short hash) while they stream past.
    ``about`` holds (label, value) pairs for the "About" sheet; the row count is added
    once all rows are written. ``present`` turns each row into what is written (the
    readable layout's words) after it was fingerprinted: both layouts of a list have the
    same fingerprints.

    The fingerprints are the only thing an export keeps per row, so they leave the process:
    their JSON text (~29 bytes a row) is written to a temporary file, in memory up to
    ``spool_bytes`` (≈ 35,000 rows) and on disk beyond, and read back in pieces
    (``fingerprint_chunks``) when the export is recorded. Kept as text in memory they made
    an export of 1,000,000 products peak at 267 MB instead of ~110 MB: 25 MB of parts grew
    while the rows streamed, then ~160 MB more went to joining the text and sending it to
    the database in one query (README, "A million products").
    """

    columns: list
    rows: object
    sheet_title: str = "Products"
    about: list = field(default_factory=list)
    rows_label: str = "Rows"
    created_at: datetime = field(default_factory=timezone.now)
    row_count: int = 0
    present: object = None
    spool_bytes: int = FINGERPRINT_SPOOL_BYTES
    _fingerprint_file: object = field(default=None, repr=False)

    def counted_rows(self):
        # The last-update time is left out of the fingerprint: a save that changes nothing
        # the spreadsheet shows is not a change worth reporting to a partner.
        # Two slices around that one column: a list of kept indexes costs more per row.
        keys = [c.key for c in self.columns]
        cut = keys.index("updated_at") if "updated_at" in keys else len(keys)
        self.close()
        # Text mode, no newline translation; the JSON is ASCII (json.dumps escapes the
        # rest), so its characters are its bytes.
        out = self._fingerprint_file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by close())
            max_size=self.spool_bytes, mode="w+", encoding="ascii", newline=""
        )
        out.write("{")
        separator = ""
        pending = []
        for row in self.rows:
            self.row_count += 1
            values = row[:cut] + row[cut + 1 :]
            code = row[0]
            plain = code.isascii() and code.isprintable() and '"' not in code and "\\" not in code
            key = f'"{code}"' if plain else json.dumps(code)
            pending.append(f'{key}:"{fingerprint(values)}"')
            if len(pending) >= 1000:
                out.write(separator + ",".join(pending))
                separator = ","
                pending.clear()
            yield self.present(row) if self.present is not None else row
        if pending:
            out.write(separator + ",".join(pending))
        out.write("}")

    def fingerprint_chunks(self, size=1 << 16):
        """The JSON text of the fingerprints, ``{"JBR-0001": "3f2a9c01de", …}``, in pieces
        of ``size`` characters, for ``ExportRecord.fingerprints``."""
        out = self._fingerprint_file
        if out is None or out.closed:
            yield "{}"
            return
        out.seek(0)
        while chunk := out.read(size):
            yield chunk

    def fingerprints_json(self):
        """The whole JSON text at once (small exports and tests)."""
        return "".join(self.fingerprint_chunks())

    @property
    def fingerprints(self):
        return json.loads(self.fingerprints_json())

    def close(self):
        """Delete the fingerprints' temporary file (also done when the export is freed)."""
        if self._fingerprint_file is not None:
            self._fingerprint_file.close()
            self._fingerprint_file = None

    def about_rows(self):
        return [*self.about, (self.rows_label, self.row_count)]


def fingerprint(values):
    """A short, stable hash of a row's values (10 hex digits)."""
    text = "\x1f".join(map(str, values))
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=5).hexdigest()


def file_name(kind, fmt, when=None):
    """``etalase-products-20261128-1530.xlsx`` (local time)."""
    when = timezone.localtime(when or timezone.now())
    suffix = "-lookbook" if fmt.key == "lookbook" else ""
    return f"etalase-{kind}{suffix}-{when:%Y%m%d-%H%M}.{fmt.extension}"


class _Sink:
    """A write-only, non-seekable file for ``zipfile``: collects bytes until drained."""

    def __init__(self):
        self._chunks = []
        self._position = 0

    def write(self, data):
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self):
        return self._position

    def flush(self):
        pass

    def drain(self):
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _clean(xml):
    """Sheet XML through the safe cell path (``core.spreadsheets.cells``): characters XML
    forbids dropped, and CR as a character reference, which an XML parser keeps (a raw CR
    becomes LF, XML 1.0 §2.11). Run over whole batches of rows: markup holds neither."""
    return xml_text(xml).replace("\r", "&#13;")


def _text(value):
    value = str(value)
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    return value


def _column_letter(index):
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _batched_xml(rows, render):
    """Yield the XML of ``rows`` as encoded chunks of ``ROW_BATCH`` rows."""
    parts = []
    for number, row in enumerate(rows, start=2):
        parts.append(render(number, row))
        if len(parts) >= ROW_BATCH:
            yield _clean("".join(parts)).encode("utf-8")
            parts.clear()
    if parts:
        yield _clean("".join(parts)).encode("utf-8")


def _sheet_ref(title):
    """A sheet name as spreadsheet formulas and filters quote it: ``'About'``."""
    return "'" + title.replace("'", "''") + "'"
