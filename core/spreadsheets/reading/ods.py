"""Reading the first sheet of an ODS (OpenDocument, LibreOffice) spreadsheet into rows.

Called by ``files.read_spreadsheet`` with the archive already opened (and size-checked) by
``archives.open_zip``. ``content.xml`` is streamed in chunks through ``archives.xml_parser``
(which refuses DTDs and entities) with handlers that keep only the current row, so neither
a long sheet nor a row of millions of elements is ever held as a tree. Every element is
counted against ``Limits.elements``, every kept cell against ``Limits.cells``. Repeat counts
(which spreadsheet programs use to pad sheets, e.g. ``table:number-rows-repeated=
"1048553"`` after the last row) cost nothing while they repeat empty cells; repeated
values are kept up to the column and row limits only (OpenDocument 1.3, part 3, §9.1.3
``<table:table-row>`` and §9.1.4 ``<table:table-cell>``).
"""

import zipfile
import zlib
from datetime import date, datetime
from xml.parsers import expat

import defusedxml
from django.utils.translation import gettext as _

from core.spreadsheets.reading.archives import Counter, bomb, damaged, xml_parser
from core.spreadsheets.reading.errors import ImportFileError

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_TABLE_TABLE = f"{_TABLE}table"
_ROW = f"{_TABLE}table-row"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_ANNOTATION = f"{_OFFICE}annotation"
_P, _S, _TAB, _LINE_BREAK = f"{_TEXT}p", f"{_TEXT}s", f"{_TEXT}tab", f"{_TEXT}line-break"
_COLUMNS_REPEATED = f"{_TABLE}number-columns-repeated"
_ROWS_REPEATED = f"{_TABLE}number-rows-repeated"
_SPACES = f"{_TEXT}c"
_CHUNK = 256 * 1024
# ``<text:s text:c="n"/>`` stands for n spaces; no product text needs more than this.
_MAX_SPACES = 1000


class _FirstSheetDone(Exception):
    pass


def _ods_number(text):
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2**63 else number


def _ods_value(attrs, paragraphs):
    kind = attrs.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        return _ods_number(attrs.get(f"{_OFFICE}value"))
    if kind == "date":
        value = attrs.get(f"{_OFFICE}date-value")
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if kind == "boolean":
        return attrs.get(f"{_OFFICE}boolean-value") == "true"
    return "\n".join(paragraphs) if paragraphs else None


class _SheetReader:
    """expat handlers that turn the first ``<table:table>`` into ``(number, values)`` rows."""

    def __init__(self, limits, counter):
        self.limits = limits
        self.counter = counter
        self.done = []  # rows read since the last chunk
        self.number = 0  # spreadsheet row number of the last row read
        self.tables = 0
        self.row = None  # values of the current row; None outside a row
        self.row_repeat = 1
        self.empty = 0  # empty cells not yet padded into ``row`` (trailing ones never are)
        self.cell = None  # attributes of the current cell
        self.paragraphs = None  # its paragraphs' text, once it has any
        self.parts = None  # text of the current paragraph; None outside one
        self.annotation = 0  # depth inside <office:annotation> (comments are not values)

    # start/end run for every element: cells, the most common, are handled first and as
    # cheaply as possible (an empty cell costs ~0.9 µs, half of it expat's own calls).

    def start(self, tag, attrs):
        if tag in _CELLS:
            if self.row is not None:
                self.cell, self.paragraphs = attrs, None
        elif self.parts is not None:  # inside a paragraph of a cell
            if tag == _S:
                self.parts.append(" " * min(_MAX_SPACES, int(attrs.get(_SPACES, "1"))))
            elif tag == _TAB:
                self.parts.append("\t")
            elif tag == _LINE_BREAK:
                self.parts.append("\n")
            elif tag == _ANNOTATION:
                self.annotation += 1
        elif tag == _P:
            if self.cell is not None and not self.annotation:
                self.parts = []
        elif tag == _ROW:
            if self.tables == 1:
                self.row, self.empty = [], 0
                self.row_repeat = max(1, int(attrs.get(_ROWS_REPEATED, "1")))
        elif tag == _ANNOTATION:
            self.annotation += 1
        elif tag == _TABLE_TABLE:
            self.tables += 1
            self.row = None

    def end(self, tag):
        if tag in _CELLS:
            cell = self.cell
            if cell is not None:
                self.cell = None
                if cell or self.paragraphs:
                    self._end_cell(cell)
                else:
                    self.empty += 1
        elif self.parts is not None:
            if tag == _ANNOTATION:
                self.annotation -= 1
            elif tag == _P and not self.annotation:
                if self.paragraphs is None:
                    self.paragraphs = []
                self.paragraphs.append("".join(self.parts))
                self.parts = None
        elif tag == _ROW:
            if self.row is not None:
                self._end_row()
        elif tag == _ANNOTATION:
            self.annotation -= 1
        elif tag == _TABLE_TABLE and self.tables == 1:
            raise _FirstSheetDone

    def chars(self, text):
        if self.parts is not None and not self.annotation:
            self.parts.append(text)

    def _end_cell(self, attrs):
        value = _ods_value(attrs, self.paragraphs)
        repeat = max(1, int(attrs.get(_COLUMNS_REPEATED, "1")))
        if value is None or value == "":
            self.empty += repeat
            return
        # Cells beyond twice the column limit are dropped, as the XLSX reader does.
        room = 2 * self.limits.columns - len(self.row)
        padding = min(self.empty, room)
        self.row.extend([None] * padding)
        self.row.extend([value] * min(repeat, room - padding))
        self.empty = 0

    def _end_row(self):
        values, self.row = self.row, None
        if not values:
            self.number += self.row_repeat
            return
        # One list stands for all repeats; past the row limit ``files`` refuses the file.
        copies = min(self.row_repeat, self.limits.rows + 2)
        self.counter.add_cells(len(values) * copies)
        for _copy in range(copies):
            self.number += 1
            self.done.append((self.number, values))
        self.number += self.row_repeat - copies


def read_ods(archive, names, limits, counter=None):
    """Rows of the first sheet; ``archive`` and ``names`` are what ``archives.open_zip``
    returns, ``limits`` an ``archives.Limits``."""
    if "content.xml" not in names:
        if "xl/workbook.xml" in names:
            raise ImportFileError(
                _("This is an XLSX (Excel) workbook: name it .xlsx and upload it again.")
            )
        raise ImportFileError(_("The file is a ZIP archive but not an ODS spreadsheet."))
    reader = _SheetReader(limits, counter or Counter(limits))
    parser = xml_parser(namespaces=True)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    try:
        with archive.open("content.xml") as source:
            while chunk := source.read(_CHUNK):
                reader.counter.chunk(chunk)
                parser.Parse(chunk, False)
                yield from reader.done
                reader.done.clear()
            parser.Parse(b"", True)
    except _FirstSheetDone:
        pass
    except defusedxml.DefusedXmlException as exc:
        raise bomb() from exc
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise damaged("ods") from exc
    except TypeError as exc:
        raise damaged("ods") from exc
    yield from reader.done
