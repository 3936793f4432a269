"""The one safe path for every spreadsheet cell Etalase writes (XLSX, ODS and CSV).

Every writer — the streamed product and producer exports, the lookbook, the import
template, the visit workbook, the admin's import-export formats (``core.admin_formats``)
and whatever comes later — hands its values to this module:

1. Text becomes a typed text cell, never a formula: XLSX ``t="inlineStr"``/``t="s"``, ODS
   ``office:value-type="string"``. Neither Excel nor LibreOffice evaluates a typed text
   cell, so these formats keep the exact text. Numbers, dates and booleans stay native.
2. Characters that XML 1.0 forbids are dropped: a file holding one is not well-formed and
   no spreadsheet program opens it, and openpyxl refuses to write it at all. W3C, XML 1.0
   (Fifth Edition) §2.2 "Characters", https://www.w3.org/TR/xml/#charsets: Char ::= #x9 |
   #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. Tab, LF and CR stay.
   Office pastes U+000B (vertical tab) for a soft line break, so stored text does hold them.
3. CSV has no types: text a spreadsheet would read as a formula gets an apostrophe in
   front (OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection).
"""

import re

# Everything outside the XML 1.0 Char production (lone surrogates cannot even be encoded).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text):
    """``text`` without the characters XML 1.0 forbids."""
    return XML_FORBIDDEN.sub("", text)


def cell_value(value):
    """The value for a typed cell: text made XML-safe, anything else as it is."""
    return xml_text(value) if isinstance(value, str) else value


# --- CSV: formula neutralisation ----------------------------------------------------------
# OWASP "CSV Injection": a cell starting with = + - @ (or tab/CR) may be run as a formula
# by Excel or LibreOffice when a CSV file is opened. The CSV export prefixes such text
# with an apostrophe and an import strips exactly one again (``restore_formula_text``);
# text that already starts with apostrophes before a trigger gets one more, so the round
# trip is exact. Text made only of digits, spaces and + - ( ) . / (phone numbers such as
# "+62 812-3456") cannot call a function or refer to a cell, so it is left as it is.
# The full-width equals sign U+FF1D (typed by Chinese and Japanese input methods) is
# treated as "=": LibreOffice starts a formula with it in some CJK locales.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d")
# First characters worth a closer look (the triggers, and the apostrophe a prefix adds):
# a set lookup on the first character keeps the CSV writer fast on ordinary text.
CSV_SUSPECT_FIRST = frozenset([*FORMULA_TRIGGERS, "'"])
_HARMLESS = re.compile(r"[0-9 +\-()./]*\Z")


def neutralise_formula(text):
    """CSV text that no spreadsheet runs as a formula (an apostrophe in front if needed)."""
    if not text:
        return text
    bare = text.lstrip("'")
    if bare.startswith(FORMULA_TRIGGERS) and (bare != text or not _HARMLESS.match(text)):
        return "'" + text
    return text


def restore_formula_text(text):
    """Undo ``neutralise_formula`` on a cell read back from one of our CSV files."""
    if text and text.startswith("'") and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def csv_value(value):
    """A CSV field: formula-looking text neutralised, anything else as it is."""
    if isinstance(value, str) and value and value[0] in CSV_SUSPECT_FIRST:
        return neutralise_formula(value)
    return value


# --- openpyxl ---------------------------------------------------------------------------
# openpyxl turns any str starting with "=" into a formula cell (data_type "f") and raises
# IllegalCharacterError on the characters above; forcing data_type "s" after the value is
# set keeps the text a string cell (openpyxl docs, "Simple usage" and openpyxl.cell.cell).


def set_cell(cell, value):
    """Give an openpyxl ``cell`` the safe form of ``value``; returns the cell."""
    cell.value = cell_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def append_row(sheet, values):
    """``sheet.append(values)`` through ``set_cell``; returns the row's cells."""
    from openpyxl.cell.cell import Cell

    cells = [set_cell(Cell(sheet), value) for value in values]
    sheet.append(cells)
    return cells
