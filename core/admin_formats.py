"""django-import-export's admin exports through the safe cell path (``core.spreadsheets.cells``).

Out of the box the admin's XLSX export is written by tablib with openpyxl, which turns text
starting with "=" into a formula and refuses control characters (the export then fails);
its CSV export writes formula-looking text as it is. import-export's own setting
``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` is no cure: it strips only a leading "=" (the
value changes, "+", "-" and "@" pass) and turns every cell into text, numbers and dates
included (django-import-export docs, "Installation and configuration"; source
``import_export/formats/base_formats.py``). So admins export only through these formats:
XLSX written cell by cell with ``append_row``, ODS from cleaned text (tablib writes text as
``office:value-type="string"``), CSV with formula-looking text neutralised like our own
CSV export. The admin has no import: products are imported on the staff import page.
"""

import io

import tablib
from import_export.formats import base_formats

from core.spreadsheets.cells import append_row, cell_value, csv_value


def _mapped(dataset, function):
    """A copy of ``dataset`` with ``function`` applied to its headers and every value."""
    copy = tablib.Dataset(title=dataset.title)
    if dataset.headers:
        copy.headers = [function(header) for header in dataset.headers]
    for row in dataset:
        copy.append([function(value) for value in row])
    return copy


class SafeCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_mapped(dataset, csv_value), **kwargs)


class SafeODS(base_formats.ODS):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_mapped(dataset, cell_value), **kwargs)


class SafeXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = cell_value(dataset.title or "Export")[:31]
        if dataset.headers:
            for cell in append_row(sheet, dataset.headers):
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
        for row in dataset:
            append_row(sheet, row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


SAFE_EXPORT_FORMATS = [SafeXLSX, SafeCSV, SafeODS]

# The admin asks for native values (numbers stay numbers, dates stay dates) only for the
# formats in this list, compared by exact type (``ExportMixin.get_export_data``), so the
# subclasses are registered next to the XLSX and ODS classes they extend.
base_formats.BINARY_FORMATS.extend(
    fmt for fmt in (SafeXLSX, SafeODS) if fmt not in base_formats.BINARY_FORMATS
)


class SafeExportMixin:
    """Put first in the bases of any ModelAdmin using import-export's ExportMixin: its
    exports use only ``SAFE_EXPORT_FORMATS``."""

    @property
    def export_formats(self):
        return SAFE_EXPORT_FORMATS
