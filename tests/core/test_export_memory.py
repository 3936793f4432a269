"""The streamed export writers keep nothing per row: memory does not grow with the rows.

An export of 1,000,000 products peaked at 267 MB (103 MB at 100,000) because the row
fingerprints stayed in the process as JSON text (README, "A million products"). Measured
here with tracemalloc (Python's own allocations, not the allocator's RSS): the highest
memory of streaming 10 × as many rows must stay within a small margin of the smaller run.
"""

import csv
import io
import json
import tracemalloc
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest

from core.spreadsheets.writing import Export, fingerprint, stream
from core.spreadsheets.writing.common import FORMATS


@dataclass(frozen=True)
class Column:
    key: str
    kind: str = "text"
    width: int = 12


COLUMNS = [Column("code"), Column("name"), Column("readiness", "int")]
SPOOL_BYTES = 20_000  # both runs spill their fingerprints to disk (≈ 800 rows)


def rows(count):
    for number in range(count):
        yield [f"JBR-{number:06d}", f"Kursi {number}", number % 101]


def peak_while_streaming(fmt, count):
    """(highest traced memory above the start, in bytes; the export) for ``count`` rows."""
    export = Export(columns=COLUMNS, rows=rows(count), spool_bytes=SPOOL_BYTES)
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        size = 0
        for chunk in stream(FORMATS[fmt], export):
            size += len(chunk)
        peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    assert export.row_count == count and size > 0
    return peak, export


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ods"])
def test_streaming_ten_times_the_rows_takes_no_more_memory(fmt):
    small, _export = peak_while_streaming(fmt, 2_000)
    large, export = peak_while_streaming(fmt, 20_000)
    # Measured: 0.35–0.94 MB for either run; fingerprints kept in memory would add ~0.5 MB
    # (25 bytes a row).
    assert large < small + 100_000, (small, large)
    # ... and they are all still there, read back from the temporary file.
    fingerprints = export.fingerprints
    assert len(fingerprints) == 20_000
    assert fingerprints["JBR-019999"] == fingerprint(["JBR-019999", "Kursi 19999", 19999 % 101])
    export.close()
    assert export.fingerprints == {}


def test_the_spilled_fingerprints_are_the_rows_of_the_file():
    export = Export(columns=COLUMNS, rows=rows(3_000), spool_bytes=SPOOL_BYTES)
    data = b"".join(stream(FORMATS["csv"], export))
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == ["code", "name", "readiness"] and len(lines) == 3_001
    text = "".join(export.fingerprint_chunks(size=1000))  # many small pieces
    assert json.loads(text) == {
        code: fingerprint([code, name, int(readiness)]) for code, name, readiness in lines[1:]
    }


def test_a_streamed_xlsx_still_opens_with_its_cells():
    export = Export(columns=COLUMNS, rows=rows(2_000), spool_bytes=SPOOL_BYTES)
    data = b"".join(stream(FORMATS["xlsx"], export))
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    values = list(book["Products"].iter_rows(values_only=True))
    assert values[0] == ("code", "name", "readiness")
    assert values[1] == ("JBR-000000", "Kursi 0", 0)
    assert values[-1] == ("JBR-001999", "Kursi 1999", 1999 % 101)
    assert len(values) == 2_001
