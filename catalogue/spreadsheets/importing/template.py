"""The downloadable import template: the column keys, one example row, and a sheet that
explains every column and the values it accepts (categories, statuses, HS codes, numbers)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from catalogue.choices import PackagingStatus, PromotionStatus
from catalogue.models import Category, Producer
from catalogue.spreadsheets.columns import COLUMNS, KEYS, LANGUAGES, LEGACY_KEYS, WRITABLE
from catalogue.spreadsheets.importing.values import TEXT_LIMITS
from core.spreadsheets.cells import append_row
from core.spreadsheets.reading.files import MAX_DATA_ROWS, MAX_FILE_BYTES

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _example_row():
    """A plausible new product: an upcycled oil-drum chair from Pakusari, Jember."""
    producer = Producer.objects.select_related("regency", "district").order_by("code").first()
    example = {
        "code": "",
        "name_id": "Kursi drum bekas",
        "name_en": "Upcycled oil-drum chair",
        "name_zh": "油桶改造椅",
        "producer_code": producer.code if producer else "P-JBR-001",
        "producer_name": producer.name if producer else "",
        "regency": producer.regency.code if producer else "35.09",
        "district": producer.district.code if producer else "35.09.24",
        "category": "furnitur-logam",
        "status": PromotionStatus.CANDIDATE.value,
        "hs_code": "9403.20",
        "price_idr": 1250000,
        "moq": 10,
        "capacity_per_month": 40,
        "lead_time_days": 30,
        "shelf_life_days": None,
        "packaging_status": PackagingStatus.NEEDS_IMPROVEMENT.value,
        "description_id": "Kursi santai dari drum oli bekas yang dipotong, diampelas dan dicat.",
        "description_en": "Lounge chair cut from a used oil drum, sanded and painted.",
        "description_zh": "用旧油桶切割、打磨、喷漆制成的休闲椅。",
        "materials_id": "Drum baja bekas, cat epoksi",
        "materials_en": "Recycled steel drum, epoxy paint",
        "materials_zh": "回收钢桶，环氧漆",
        "packaging_description_id": "Dibungkus bubble wrap, dalam kardus lima lapis",
        "packaging_description_en": "Bubble-wrapped, in a five-ply carton",
        "packaging_description_zh": "气泡膜包裹，五层瓦楞纸箱装",
    }
    return [example.get(key) for key in KEYS]


def _explanations():
    statuses = "; ".join(f"{value} ({label})" for value, label in PromotionStatus.choices)
    packaging = "; ".join(f"{value} ({label})" for value, label in PackagingStatus.choices)
    number = _(
        "A whole number of 0 or more. Written as a number or as text the Indonesian or the "
        "English way: 1250000, 1.250.000, Rp 1.250.000,00, 1,250,000. A dot or comma followed "
        "by three digits separates thousands (1.250 is 1250)."
    )
    not_written = _("Not imported (computed or kept elsewhere); may stay as exported.")
    return {
        "code": _(
            "The product code, e.g. JBR-0042. Rows are matched on it: a known code updates that "
            "product, an unknown code creates a product with that code, an empty cell creates "
            "a product with the next free code of the producer's regency."
        ),
        "name_id": _("Name in Indonesian. Required; at most 200 characters."),
        "name_en": _("Name in English; at most 200 characters. An empty cell clears it."),
        "name_zh": _("Name in Chinese; at most 200 characters. An empty cell clears it."),
        "producer_code": _(
            "The producer's code, e.g. P-JBR-001 (see the Producers page). Required for new "
            "products."
        ),
        "producer_name": _(
            "Used only when producer_code is empty: the producer's exact name (any case). "
            "Otherwise not imported."
        ),
        "regency": _(
            "Not imported: it belongs to the producer. If filled in, it must match the "
            "producer's regency (code such as 35.09, or name such as Jember)."
        ),
        "district": _(
            "Not imported: it belongs to the producer. If filled in, it must match the "
            "producer's district (code such as 35.09.24, or name such as Pakusari)."
        ),
        "category": _(
            "The category's slug (below) or its name in Indonesian, English or Chinese. "
            "Required for new products."
        ),
        "status": _("Promotion status: %(choices)s. Empty keeps the current status (new: draft).")
        % {"choices": statuses},
        "readiness": not_written,
        "hs_code": _(
            "6-digit HS 2022 subheading: 2402.10, 2402 10 or 240210. Empty clears it. Format "
            "the column as text to keep leading zeros (030617)."
        ),
        "price_idr": _("Price per unit in rupiah, no decimals.") + " " + number,
        "moq": _("Minimum order quantity, at least 1.") + " " + number,
        "capacity_per_month": _("Units per month.") + " " + number,
        "lead_time_days": _("Days from order to dispatch.") + " " + number,
        "shelf_life_days": _("Days; required for food and beverage categories.") + " " + number,
        "packaging_status": _("Packaging: %(choices)s. Empty keeps the current value.")
        % {"choices": packaging},
        "certifications": not_written,
        "photo_url": not_written,
        "updated_at": not_written,
        **_text_explanations(),
    }


def _text_explanations():
    """The texts in three languages: what each holds, its limit, and the rule for empty
    cells and absent columns (``rows.TEXT_COLUMNS``)."""
    meanings = {
        "description": _("The product description that buyers read."),
        "materials": _("What the product is made of, e.g. recycled steel drum, teak."),
        "packaging_description": _("How the product is packed for shipping."),
        "storage_conditions": _(
            "How to store it (food and beverage), e.g. dry place, below 25 °C."
        ),
    }
    limits = _(
        "At most %(limit)s characters. An empty cell clears the text; a file without this "
        "column leaves it unchanged."
    )
    explained = {}
    for stem, meaning in meanings.items():
        for language in LANGUAGES:
            key = f"{stem}_{language}"
            limit = f"{TEXT_LIMITS[key]:,}"
            explained[key] = f"{meaning} {limits % {'limit': limit}}"
    for old, key in LEGACY_KEYS.items():
        explained[key] += " " + _("A column headed %(old)s (older files) is read as this one.") % {
            "old": old
        }
    return explained


def template_workbook():
    """The template as XLSX bytes: sheet "Products" (keys + example) and sheet "Columns"."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Products")
    append_row(sheet, KEYS)
    # The example's producer name is stored text: through the safe cell path like the rest.
    append_row(sheet, _example_row())
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = BOLD, HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = max(column.width, 12)
    # Text, so that HS codes keep their leading zeros and dots.
    sheet.cell(row=2, column=KEYS.index("hs_code") + 1).number_format = "@"
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet(_("Columns"))
    append_row(help_sheet, [_("Column key"), _("Meaning"), _("Imported"), _("Allowed values")])
    explanations = _explanations()
    for column in COLUMNS:
        imported = _("yes") if column.key in WRITABLE else _("no")
        if column.key == "code":
            imported = _("match")
        append_row(help_sheet, [column.key, str(column.label), imported, explanations[column.key]])
    append_row(help_sheet, [])
    append_row(help_sheet, [_("Rules")])
    for rule in (
        _(
            "Row 1 holds the column keys (a title row above them is allowed). Columns may be in "
            "any order; unknown columns are reported and ignored; missing columns are left "
            "unchanged."
        ),
        _("Nothing is written until you confirm the preview, and then all rows or none."),
        _(
            "Files: .xlsx, .csv (UTF-8 or Windows-1252, comma or semicolon) or .ods; at most "
            "%(mb)s MB and %(rows)s rows."
        )
        % {"mb": MAX_FILE_BYTES // 1024 // 1024, "rows": f"{MAX_DATA_ROWS:,}"},
    ):
        append_row(help_sheet, ["", rule])
    append_row(help_sheet, [])
    append_row(
        help_sheet,
        [_("Category slug"), _("Name (Indonesian)"), _("Name (English)"), _("Name (Chinese)")],
    )
    for category in Category.objects.select_related("parent").order_by("slug"):
        append_row(help_sheet, [category.slug, category.name, category.name_en, category.name_zh])
    for row in help_sheet.iter_rows():
        for cell in row:
            cell.alignment = WRAP
    for cell in help_sheet[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for letter, width in zip("ABCD", (20, 36, 10, 90), strict=True):
        help_sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
