"""A visit's notes and follow-ups as an XLSX workbook (two sheets).

Values stay native (dates are dates, interest is a number) so that the sheet sorts and
filters properly; times are local (Asia/Jakarta) because Excel has no time zones. A
visit has at most a few hundred notes, so the workbook is built in memory. Every cell goes
through ``core.spreadsheets.cells``: a note that starts with "=" stays text, and a control
character pasted from Office is dropped instead of failing the whole export.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.spreadsheets.cells import append_row, xml_text
from visits.choices import FollowUpKind

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="E3EFF1")


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _person(user):
    return (user.get_full_name() or user.username) if user else ""


def _note_rows(notes):
    kinds = dict(FollowUpKind.choices)
    for note in notes:
        product = note.product
        yield [
            _local(note.created_at),
            note.stop.position if note.stop else None,
            note.producer.code,
            note.producer.name,
            note.producer.regency.short_name,
            note.producer.district.name,
            product.code if product else "",
            product.localized_name() if product else "",
            _person(note.author),
            note.interest,
            ", ".join(str(kinds.get(k, k)) for k in note.requested or []),
            note.get_visibility_display(),
            len(note.photos.all()),
            note.text,
        ]


def _follow_up_rows(follow_ups):
    """``follow_ups`` carry ``quote``, their note as the reader may quote it
    (``presenters.visit_follow_ups``)."""
    for item in follow_ups:
        yield [
            item.get_kind_display(),
            item.description,
            item.producer.code,
            item.producer.name,
            item.product.code if item.product else "",
            _person(item.owner),
            item.due_date,
            item.get_status_display(),
            item.is_overdue,
            _person(item.closed_by),
            _local(item.closed_at),
            _local(item.note.created_at) if item.note else None,
            str(item.quote or ""),
        ]


def _sheet(workbook, title, columns, rows):
    """``columns``: [(header, width, number format or None)]."""
    sheet = workbook.create_sheet(title[:31])
    for cell in append_row(sheet, [str(header) for header, _width, _format in columns]):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        append_row(sheet, row)
    for index, (_header, width, number_format) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return sheet


def visit_workbook(visit, notes, follow_ups):
    """The XLSX bytes: a "Notes" sheet and a "Follow-ups" sheet, header row frozen."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    notes_sheet = _sheet(
        workbook,
        _("Notes"),
        [
            (_("Written"), 17, DATETIME_FORMAT),
            (_("Stop"), 6, None),
            (_("Producer code"), 12, None),
            (_("Producer"), 28, None),
            (_("Regency"), 14, None),
            (_("District"), 16, None),
            (_("Product code"), 12, None),
            (_("Product"), 28, None),
            (_("Author"), 18, None),
            (_("Interest (1–5)"), 9, "0"),
            (_("Requested follow-ups"), 26, None),
            (_("Visibility"), 14, None),
            (_("Photos"), 8, "0"),
            (_("Note"), 70, None),
        ],
        _note_rows(notes),
    )
    for (cell,) in notes_sheet.iter_rows(min_row=2, min_col=14, max_col=14):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _sheet(
        workbook,
        _("Follow-ups"),
        [
            (_("What"), 22, None),
            (_("Description"), 50, None),
            (_("Producer code"), 12, None),
            (_("Producer"), 28, None),
            (_("Product code"), 12, None),
            (_("Owner"), 18, None),
            (_("Due"), 12, DATE_FORMAT),
            (_("Status"), 12, None),
            (_("Overdue"), 9, None),
            (_("Closed by"), 18, None),
            (_("Closed at"), 17, DATETIME_FORMAT),
            (_("Note written"), 17, DATETIME_FORMAT),
            (_("From the note"), 50, None),
        ],
        _follow_up_rows(follow_ups),
    )
    workbook.properties.title = xml_text(str(visit))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
