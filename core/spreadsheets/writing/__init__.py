"""Spreadsheet writers for exports: streamed XLSX, CSV and ODS, and the lookbook XLSX.

The streamed writers are generators of ``bytes``: the first chunk leaves before the
database query runs, rows are written in batches and the zip container is produced
incrementally (``zipfile`` on a non-seekable sink with data descriptors), and the one
thing kept per row, its fingerprint for the export history, goes to a temporary file
(``Export``), so memory stays flat however many rows there are. The sheet XML is written
by hand because every off-the-shelf writer was too slow for 100,000 rows
(``benchmarks/spreadsheets.py``).

Formula injection and stored control characters: every cell goes through
``core.spreadsheets.cells``. CSV text starting with = + - @ ＝ tab or CR is prefixed with an
apostrophe (``neutralise_formula``). XLSX cells are written as inline strings
(``t="inlineStr"``) and ODS cells as ``office:value-type="string"``: typed text, which
neither Excel nor LibreOffice ever evaluates, so these two formats keep the exact value
(less the characters XML forbids) and an edited file imports back without apostrophes.
Someone who opens the XLSX and saves it as CSV gets what Excel writes; our own CSV export
is the safe one to send on.

Header row: the column keys the caller gives (for products, the contract keys of
``catalogue.spreadsheets.columns``) and nothing above them, so any exported file can be
imported back.
"""

from core.spreadsheets.writing.common import (
    FORMATS,
    LOOKBOOK,
    LOOKBOOK_MAX_ROWS,
    Export,
    Format,
    file_name,
    fingerprint,
)
from core.spreadsheets.writing.csv_writer import csv_stream
from core.spreadsheets.writing.lookbook import lookbook_bytes
from core.spreadsheets.writing.ods import ods_stream
from core.spreadsheets.writing.xlsx import xlsx_stream


def stream(fmt, export):
    """The file for ``export`` in format ``fmt``, as a generator of bytes."""
    return {"xlsx": xlsx_stream, "csv": csv_stream, "ods": ods_stream}[fmt.key](export)


__all__ = [
    "FORMATS",
    "LOOKBOOK",
    "LOOKBOOK_MAX_ROWS",
    "Export",
    "Format",
    "csv_stream",
    "file_name",
    "fingerprint",
    "lookbook_bytes",
    "ods_stream",
    "stream",
    "xlsx_stream",
]
