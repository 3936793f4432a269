"""Product spreadsheet import: validate every row, show what would change, then apply it all.

The flow:

- ``core.spreadsheets.reading``: ``read_spreadsheet`` reads XLSX, CSV or ODS safely into
  rows of raw cells;
- ``values``: cells to values (Indonesian prices, HS codes, statuses by key or label);
- ``rows`` and ``plan``: ``build_plan`` checks every row against the catalogue and works
  out whether it creates, changes or leaves a product alone, collecting *every* error as
  "Row 12, hs_code: …" (row numbers as the spreadsheet shows them, the header being row 1);
- ``conflicts``: rows exported before someone else changed the product (the file's
  ``updated_at`` against the change log), listed apart in the preview; confirming them
  needs a choice, ``SKIP`` or ``OVERWRITE``;
- ``apply``: ``apply_plan`` writes a plan without errors in one transaction;
- ``batches``: the web preview and confirmation (``analyse``/``confirm``), which
  ``manage.py import_products`` shares, and discarding previews (``discard``,
  ``discard_stale`` for ``manage.py discard_stale_imports``);
- ``template``: the downloadable template workbook.

Columns and keys are those of ``catalogue.spreadsheets.columns`` (README, "Contract");
rows match products on ``code``. Only ``columns.WRITABLE`` is written: readiness, certifications,
photos and timestamps are computed or kept elsewhere, and regency/district belong to the
producer (checked against it, never written). Everything is loaded in bulk (producers,
categories, HS codes), and the products named in the file a slice of rows at a time, so
the time does not grow with queries per row; the plan keeps no model instances, only each
row's keys, values and changes, and ``apply_plan`` loads the products again by key, a
slice at a time, to write them.
"""

from catalogue.spreadsheets.importing.apply import OVERWRITE, SKIP, apply_plan
from catalogue.spreadsheets.importing.batches import (
    analyse,
    applied_summary,
    apply_to_batch,
    change_reason,
    confirm,
    discard,
    discard_stale,
    handled_outcome,
    plan_for_file,
    products_changed_by,
    read_file,
)
from catalogue.spreadsheets.importing.plan import Plan, build_plan
from catalogue.spreadsheets.importing.values import (
    NUMBER_LIMITS,
    CellError,
    cell_text,
    choice_lookup,
    hs_code_text,
    parse_whole_number,
)
from core.spreadsheets.reading.files import ImportFileError, check_size, read_spreadsheet

__all__ = [
    "NUMBER_LIMITS",
    "OVERWRITE",
    "SKIP",
    "CellError",
    "ImportFileError",
    "Plan",
    "analyse",
    "applied_summary",
    "apply_plan",
    "apply_to_batch",
    "build_plan",
    "cell_text",
    "change_reason",
    "check_size",
    "choice_lookup",
    "confirm",
    "discard",
    "discard_stale",
    "handled_outcome",
    "hs_code_text",
    "parse_whole_number",
    "plan_for_file",
    "products_changed_by",
    "read_file",
    "read_spreadsheet",
]
