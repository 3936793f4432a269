"""Streamed CSV: UTF-8 with a BOM, formula-looking text neutralised."""

import csv

from core.spreadsheets.cells import CSV_SUSPECT_FIRST, neutralise_formula
from core.spreadsheets.writing.common import ROW_BATCH, header_of


class _TextSink:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def drain(self):
        data = "".join(self.parts).encode("utf-8")
        self.parts.clear()
        return data


def csv_stream(export):
    """UTF-8 with a byte-order mark (so Excel reads Chinese names right), one header row.

    The csv module already writes None as an empty cell and a datetime as
    ``2026-11-28 15:30:00``; only text that could start a formula (the rule of
    ``core.spreadsheets.cells.csv_value``, inlined: a set lookup on the first character
    before the call) and booleans are rewritten.
    """
    sink = _TextSink()
    writer = csv.writer(sink, lineterminator="\r\n")
    writer.writerow([header_of(c) for c in export.columns])
    yield b"\xef\xbb\xbf" + sink.drain()
    texts = [i for i, c in enumerate(export.columns) if c.kind == "text"]
    booleans = [i for i, c in enumerate(export.columns) if c.kind == "bool"]
    pending = 0
    for row in export.counted_rows():
        for i in texts:
            value = row[i]
            if value and value[0] in CSV_SUSPECT_FIRST:
                row[i] = neutralise_formula(value)
        for i in booleans:
            if row[i] is not None:
                row[i] = "TRUE" if row[i] else "FALSE"
        writer.writerow(row)
        pending += 1
        if pending >= ROW_BATCH:
            yield sink.drain()
            pending = 0
    if pending:
        yield sink.drain()
