"""The lookbook XLSX: the export columns plus each product's photo (small selections)."""

import io

from core.spreadsheets.cells import append_row, set_cell
from core.spreadsheets.writing.common import _column_letter, header_of

LOOKBOOK_THUMB_PX = 120


def _lookbook_picture(photo):
    """The photo's thumbnail scaled to fit ``LOOKBOOK_THUMB_PX``, as an openpyxl image."""
    from openpyxl.drawing.image import Image as SheetImage
    from PIL import Image

    source = photo.thumbnail if photo.thumbnail else photo.image
    try:
        with source.open("rb") as file, Image.open(file) as picture:
            picture = picture.convert("RGB")
            picture.thumbnail((LOOKBOOK_THUMB_PX, LOOKBOOK_THUMB_PX))
            buffer = io.BytesIO()
            picture.save(buffer, "JPEG", quality=85)
    except (OSError, ValueError):
        return None  # a missing or broken file leaves the cell empty
    buffer.seek(0)
    image = SheetImage(buffer)
    image.format = "jpeg"
    return image


def lookbook_bytes(export, photos, progress=None):
    """A small XLSX built in memory: a photo column, then the export columns.

    ``photos`` maps product code → its primary ``ProductPhoto``. Rows are sized to the
    thumbnails. Every cell goes through ``core.spreadsheets.cells``: text is a string cell,
    never a formula, without the characters XML forbids. ``progress(rows done)`` is
    called after each row (a job's progress callback, which may stop it).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = export.sheet_title
    append_row(sheet, ["photo", *(header_of(c) for c in export.columns)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = LOOKBOOK_THUMB_PX / 7 + 2
    for index, column in enumerate(export.columns, start=1):
        sheet.column_dimensions[_column_letter(index)].width = column.width + 0.7
    top = Alignment(vertical="top", wrap_text=True)
    for number, row in enumerate(export.counted_rows(), start=2):
        for index, (column, value) in enumerate(zip(export.columns, row, strict=True), start=2):
            cell = set_cell(sheet.cell(row=number, column=index), value)
            if column.kind == "datetime":
                cell.number_format = "yyyy-mm-dd hh:mm"
            cell.alignment = top
        photo = photos.get(row[0])
        picture = _lookbook_picture(photo) if photo else None
        if picture is not None:
            sheet.add_image(picture, f"A{number}")
            height = max(picture.height, 20)
        else:
            height = 20
        sheet.row_dimensions[number].height = height * 0.75 + 6  # pixels → points
        if progress is not None:
            progress(number - 1)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{_column_letter(len(export.columns))}{export.row_count + 1}"
    about = book.create_sheet("About")
    for label, value in export.about_rows():
        append_row(about, [str(label), value])[0].font = Font(bold=True)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
