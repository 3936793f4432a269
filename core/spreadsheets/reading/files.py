"""Reading uploaded spreadsheets (XLSX, CSV, ODS) safely into rows of raw values.

Nothing here knows about products: ``read_spreadsheet`` turns the bytes of a file into a
``Sheet`` (the row holding the column keys, and the data rows with their spreadsheet row
numbers), or raises ``ImportFileError`` with a message for the user. Parsing and
validating the values is the job of the importer that calls it
(``catalogue.spreadsheets.importing``).

Safety: the file's extension decides the expected format and its content must match it;
XML (inside XLSX and ODS) is parsed by parsers that refuse DTDs and entity declarations
(billion laughs, external entities); ZIP members are checked against an uncompressed-size
limit before anything is decompressed; size and row limits stop oversized files early.

This module is the entry point: the limits, file-type sniffing, CSV reading and the
assembly of rows into a ``Sheet``. The XLSX and ODS readers are in ``xlsx`` and ``ods``,
the ZIP/XML safety checks they share in ``archives``, ``ImportFileError`` in ``errors``.
"""

import codecs
import csv
import io
import marshal
from collections.abc import MutableSequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.spreadsheets.reading.archives import Limits, open_zip
from core.spreadsheets.reading.errors import ImportFileError
from core.spreadsheets.reading.ods import read_ods
from core.spreadsheets.reading.xlsx import read_xlsx

# A full export must import back: 100,000 products with their texts in three languages
# are a 28 MB XLSX and a 58 MB CSV (measured at 3 Dec 2026), and a CSV is not compressed.
# The other limits, not the size, bound what reading costs.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_DATA_ROWS = 100_000
# XLSX/ODS are ZIP files: a small file may inflate enormously (a "zip bomb").
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
# A header row this wide is not a product sheet.
MAX_COLUMNS = 500
# What reading one file may cost (benchmarks/import_files.py): a sheet of 100,000 rows ×
# 21 columns is ~4.3 million XML elements and 2.1 million cells, read in ~9 s of CPU; the
# worst files within these limits, accepted or refused, cost ~15 s and ~150 MB. Python's
# expat handlers cost ~0.7 µs per element even for an empty one, hence the element limit.
# The product sheet has 33 columns since its texts travel in three languages: an export of
# 100,000 products with every text filled is 3.3 million cells (~6.8 million elements), and
# it must import back, hence 3.5 million cells.
MAX_XML_ELEMENTS = 8_000_000
MAX_CELLS = 3_500_000
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_CHARACTERS = 50_000_000
FORMATS = ("xlsx", "csv", "ods")

# Leading bytes of file types people send by mistake.
_MAGIC = [
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"\xd0\xcf\x11\xe0", "Excel 97–2003 (.xls) or other old Office file"),
    (b"PK\x03\x04", "ZIP archive"),
]


class CompactRows(MutableSequence):
    """A list of (row number, [raw values]) that holds each row's values packed.

    A sheet of 100,000 product rows held as Python lists of strings takes ~190 MB (an
    object of 50–80 bytes per cell besides its text); packed with ``marshal`` (C, ~2 µs a
    row each way) it takes a third of that. Rows whose values ``marshal`` cannot pack (the
    dates an ODS cell may hold) are kept as they are. A row may be replaced by None, to let
    it go once it is used. Only bytes packed here are ever unpacked (never a file's).
    """

    def __init__(self, rows=()):
        self._items = []
        for row in rows:
            self.append(row)

    @staticmethod
    def _pack(row):
        if row is None:
            return None
        number, values = row
        try:
            return number, marshal.dumps(values)
        except ValueError:
            return number, list(values)

    @staticmethod
    def _unpack(item):
        if item is None:
            return None
        number, values = item
        if isinstance(values, bytes):
            # Only bytes that _pack made are unpacked, never bytes from a file.
            return number, marshal.loads(values)  # noqa: S302
        return number, list(values)

    def __len__(self):
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._unpack(item) for item in self._items[index]]
        return self._unpack(self._items[index])

    def __setitem__(self, index, row):
        self._items[index] = self._pack(row)

    def __delitem__(self, index):
        del self._items[index]

    def insert(self, index, row):
        self._items.insert(index, self._pack(row))

    def __iter__(self):
        return map(self._unpack, self._items)

    def __eq__(self, other):
        return isinstance(other, (list, CompactRows)) and list(self) == list(other)

    def __repr__(self):
        return f"CompactRows({list(self)!r})"


@dataclass
class Sheet:
    format: str
    header_row: int  # spreadsheet row number (1-based) of the column keys
    header: list  # normalised header cells, in column order
    # (row number, [raw values]) of non-empty rows
    rows: CompactRows = field(default_factory=CompactRows)


def file_format(name):
    """``xlsx``/``csv``/``ods`` from the file name, or None."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in FORMATS else None


def check_size(size):
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is %(size)s MB; files over %(limit)s MB cannot be imported.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_FILE_BYTES // 1024 // 1024}
        )


def limits():
    """The limits in force (read when called, so that tests can lower them)."""
    return Limits(
        columns=MAX_COLUMNS,
        rows=MAX_DATA_ROWS,
        elements=MAX_XML_ELEMENTS,
        cells=MAX_CELLS,
        shared_strings=MAX_SHARED_STRINGS,
        shared_characters=MAX_SHARED_CHARACTERS,
    )


def read_spreadsheet(data, name, header_keys, refuse_header=None):
    """The ``Sheet`` in ``data`` (the file's bytes); ``name`` decides the format.

    ``header_keys`` are the known column keys: the header is row 1, or row 2 when row 1 is
    a human-readable title row and row 2 holds the keys. ``refuse_header(cells)`` (the
    normalised cells of a candidate header row) may return a message: the file is refused
    with it (e.g. a file made for reading, not for importing).
    """
    fmt = file_format(name)
    if fmt is None:
        raise ImportFileError(_("Upload an .xlsx, .csv or .ods file."))
    check_size(len(data))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    kind = _sniff_kind(data)
    if fmt in ("xlsx", "ods"):
        if kind != "zip":
            raise ImportFileError(_wrong_content(name, fmt, kind))
        archive, names = open_zip(data, fmt, MAX_UNCOMPRESSED_BYTES)
        reader = read_xlsx if fmt == "xlsx" else read_ods
        rows = reader(archive, names, limits())
    else:
        if kind != "text":
            raise ImportFileError(_wrong_content(name, fmt, kind))
        rows = _read_csv(data)
    return _assemble(fmt, rows, header_keys, refuse_header)


def _sniff_kind(data):
    # Excel's "Unicode Text" and other UTF-16 writers start with a byte-order mark;
    # the zero bytes of UTF-16 would otherwise look binary.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return "zip" if magic == b"PK\x03\x04" else label
    if b"\x00" in data[:8192]:
        return "binary"
    return "text"


def _wrong_content(name, fmt, kind):
    described = {
        "text": _("plain text (perhaps CSV)"),
        "binary": _("binary data"),
        "zip": _("a ZIP archive (perhaps XLSX or ODS)"),
    }.get(kind, kind)
    return _(
        "%(name)s is not a real %(format)s file: its content is %(kind)s. Save the "
        "spreadsheet as %(format)s (or give the file the extension that matches its content) "
        "and upload it again."
    ) % {"name": name, "format": fmt.upper(), "kind": described}


# ---------------------------------------------------------------------------- CSV


def _decode(data):
    """UTF-16 with a BOM (Excel's "Unicode Text", TAB-separated), UTF-8 (with or without
    BOM), else Windows-1252 (what Excel on Windows writes as "CSV")."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # the BOM tells the byte order and is dropped
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The file starts as UTF-16 text but is not valid UTF-16. Save it as UTF-8 CSV.")
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is neither UTF-8 nor Windows-1252 text. Save it as UTF-8 CSV.")
        ) from exc


def _delimiter(text):
    """``,`` or ``;`` (Excel in Indonesian uses ``;``) or tab, judged by the first line."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data):
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    # Cells beyond twice the column limit are dropped, as the XLSX and ODS readers do.
    width = 2 * MAX_COLUMNS
    try:
        for number, values in enumerate(reader, start=1):
            yield number, values[:width]
    except csv.Error as exc:
        raise ImportFileError(
            _("Row %(row)s of the CSV file cannot be read: %(error)s")
            % {"row": reader.line_num, "error": exc}
        ) from exc


# ---------------------------------------------------------------------------- rows


def normalise_header(value):
    """``" Name ID "`` → ``name_id``: case, spaces and hyphens do not matter."""
    if value is None:
        return ""
    return "_".join(str(value).strip().lower().replace("-", " ").split())


def _is_blank(values):
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _assemble(fmt, rows, header_keys, refuse_header=None):
    """Find the key row (row 1, or row 2 under a title row), then collect the data rows."""
    known = set(header_keys)
    rows = iter(rows)
    first = []
    for number, values in rows:
        if number > 2:
            first.append((number, values))
            break
        first.append((number, values))
    candidates = [(n, [normalise_header(v) for v in values]) for n, values in first if n <= 2]
    scored = [(sum(key in known for key in header), n, header) for n, header in candidates]
    scored = [item for item in scored if item[0]]
    # The header row chosen, or (none has a key) any row of the first two, may be refused.
    chosen = [max(scored, key=lambda item: (item[0], -item[1]))[2]] if scored else None
    for header in (chosen or [h for _n, h in candidates]) if refuse_header else ():
        message = refuse_header(header)
        if message:
            raise ImportFileError(message)
    if not scored:
        if all(_is_blank(values) for _n, values in first):
            raise ImportFileError(_("The file is empty."))
        raise ImportFileError(
            _(
                "The first row must hold the column keys (code, name_id, producer_code, …). "
                "Download the import template to see them."
            )
        )
    # Most keys wins; on a tie the first row.
    _score, header_row, header = max(scored, key=lambda item: (item[0], -item[1]))
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(
            _("The sheet has %(n)s columns; a product sheet has at most %(limit)s.")
            % {"n": len(header), "limit": MAX_COLUMNS}
        )
    sheet = Sheet(format=fmt, header_row=header_row, header=header)
    pending = [(n, values) for n, values in first if n > header_row]
    for number, values in _chain(pending, rows):
        if _is_blank(values):
            continue
        if len(sheet.rows) >= MAX_DATA_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": f"{MAX_DATA_ROWS:,}"}
            )
        sheet.rows.append((number, values))
    if not sheet.rows:
        raise ImportFileError(_("The file has column keys but no data rows."))
    return sheet


def _chain(first, rest):
    yield from first
    yield from rest
