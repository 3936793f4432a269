"""Reading the first sheet of an ODS (OpenDocument, LibreOffice) spreadsheet into rows.

Called by ``files.read_spreadsheet`` with the archive already opened (and size-checked) by
``archives.open_zip``. ``content.xml`` is parsed with defusedxml's ``iterparse``, which
refuses entity declarations (XML bombs); rows are cleared once read, and repeat counts
(which spreadsheet programs use to pad sheets) are capped.
"""

import zipfile
import zlib
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

import defusedxml
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from catalogue.importing.archives import bomb, damaged
from catalogue.importing.errors import ImportFileError

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
# Spreadsheet programs pad the end of sheets with huge repeat counts of empty cells/rows.
_MAX_REPEAT = 1000


def _ods_number(text):
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2**63 else number


def _ods_node_text(node):
    parts = [node.text or ""]
    for child in node:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1")))
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_ods_node_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_text(cell):
    paragraphs = [_ods_node_text(p) for p in cell if p.tag == f"{_TEXT}p"]
    return "\n".join(paragraphs) if paragraphs else None


def _ods_value(cell):
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        return _ods_number(cell.get(f"{_OFFICE}value"))
    if kind == "date":
        value = cell.get(f"{_OFFICE}date-value")
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if kind == "boolean":
        return cell.get(f"{_OFFICE}boolean-value") == "true"
    return _ods_text(cell)


def _ods_cells(row, max_columns):
    values = []
    for cell in row:
        if cell.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            continue
        value = _ods_value(cell)
        repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1"))
        values.extend([value] * min(repeat, _MAX_REPEAT if value is None else max_columns))
        if len(values) > max_columns * 4:
            break
    while values and values[-1] in (None, ""):
        values.pop()
    return values


def read_ods(archive, names, max_columns, max_rows):
    """Rows of the first sheet.

    ``archive`` and ``names`` are what ``archives.open_zip`` returns; ``max_columns`` and
    ``max_rows`` cap the repeat counts of cells and rows.
    """
    if "content.xml" not in names:
        if "xl/workbook.xml" in names:
            raise ImportFileError(
                _("This is an XLSX (Excel) workbook: name it .xlsx and upload it again.")
            )
        raise ImportFileError(_("The file is a ZIP archive but not an ODS spreadsheet."))
    number = 0
    tables = 0
    try:
        with archive.open("content.xml") as source:
            for event, element in iterparse(source, events=("start", "end")):
                if element.tag == f"{_TABLE}table":
                    if event == "end":
                        return  # the first sheet only
                    tables += 1
                if event != "end" or element.tag != f"{_TABLE}table-row" or tables != 1:
                    continue
                values = _ods_cells(element, max_columns)
                repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                if values:
                    for _copy in range(min(repeat, max_rows + 2)):
                        number += 1
                        yield number, values
                else:
                    number += repeat
                element.clear()
    except defusedxml.DefusedXmlException as exc:
        raise bomb() from exc
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, TypeError) as exc:
        raise damaged("ods") from exc
