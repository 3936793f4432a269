"""Import file readers on worst-case files: time and peak memory, accepted and refused.

Each file is written to a temporary folder, then read by ``core.spreadsheets.reading.files.
read_spreadsheet`` (what the import page and ``manage.py import_products`` run first) in a
child process of its own, so that each figure of peak memory (RSS: VmHWM) belongs to that
file alone; its CPU time is printed too, as wall time depends on what else the machine
runs. The limits are those of ``core/spreadsheets/reading/files.py``; every file is
within the upload size limit (``MAX_FILE_BYTES``, 100 MB). The target: any file costs at
most ~30 s and ~400 MB to read, whether it is accepted or refused.

    .venv/bin/python benchmarks/import_files.py [--only ods-empty-cells,xlsx-strings]
    .venv/bin/python benchmarks/import_files.py --before DIR

With ``--before DIR`` (a copy of an older commit, e.g. ``git archive 6ad77f1 | tar -x -C
DIR``) every file is also read by that code, line "before".
"""

import argparse
import hashlib
import inspect
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from common import ROOT, setup_django

FOLDER = Path(tempfile.gettempdir()) / "etalase-bench-import-files"
KEYS = ["code", "name_id", "name_en", "producer_code", "category", "price_idr"]
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
)
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_cell(value, repeat=1):
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeated}>'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def _ods_row(values, repeat=1):
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{''.join(_ods_cell(v) for v in values)}</table:table-row>"


def _write_zip(path, members):
    """``members``: (name, iterable of str pieces); deflated, streamed to the file."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, pieces in members:
            with archive.open(name, "w", force_zip64=True) as member:
                buffer = []
                for piece in pieces:
                    buffer.append(piece)
                    if len(buffer) >= 10_000:
                        member.write("".join(buffer).encode())
                        buffer.clear()
                member.write("".join(buffer).encode())


def _ods(path, body):
    _write_zip(
        path,
        [
            ("mimetype", ["application/vnd.oasis.opendocument.spreadsheet"]),
            ("content.xml", [ODS_HEAD, *body, ODS_TAIL]),
        ],
    )


def _header_and_rows(rows):
    yield _ods_row(KEYS)
    for number in range(rows):
        yield _ods_row([f"JBR-{number:05d}", "Kursi drum", "Drum chair", "P-1", "furniture", 1])


def ods_empty_cells(path, cells=15_000_000):
    """A 255 KB ODS: a header, then one row of millions of empty cells."""

    def body():
        yield _ods_row(KEYS)
        yield "<table:table-row>"
        yield from ("<table:table-cell/>" for _ in range(cells))
        yield "</table:table-row>"

    _ods(path, body())


def ods_empty_cells_accepted(path, rows=100, cells=79_000):
    """Just under the element limit: rows of a product each followed by 79,000 empty cells."""

    def body():
        yield _ods_row(KEYS)
        for number in range(rows):
            yield f"<table:table-row>{_ods_cell(f'JBR-{number:05d}')}"
            yield from ("<table:table-cell/>" for _ in range(cells))
            yield "</table:table-row>"

    _ods(path, body())


def ods_repeated_columns(path):
    """A value repeated across 1,000,000 columns (kept up to twice the column limit)."""
    _ods(path, [_ods_row(KEYS), f"<table:table-row>{_ods_cell('x', 1_000_000)}</table:table-row>"])


def ods_repeated_rows(path):
    """A product row repeated 1,000,000 times, then LibreOffice's padding of empty rows."""
    row = _ods_row(["JBR-00001", "Kursi drum", "Drum chair", "P-1", "furniture", 1], 1_000_000)
    padding = '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/>'
    _ods(path, [_ods_row(KEYS), row, padding + "</table:table-row>"])


def ods_full_sheet(path):
    """A real-looking sheet at the row limit: 100,000 products."""
    _ods(path, _header_and_rows(100_000))


def _xlsx(path, sheet_rows, strings):
    workbook = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    _write_zip(
        path,
        [
            ("xl/workbook.xml", [workbook]),
            ("xl/_rels/workbook.xml.rels", [rels]),
            ("xl/sharedStrings.xml", [f"<sst {main}>", *strings, "</sst>"]),
            (
                "xl/worksheets/sheet1.xml",
                [f"<worksheet {main}><sheetData>", *sheet_rows, "</sheetData></worksheet>"],
            ),
        ],
    )


def column_letters(index):
    """0 → A, 25 → Z, 26 → AA: a cell reference's column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_rows(rows, columns=6, strings=None):
    """Rows of cells that refer to shared strings 0, 1, 2, … (modulo ``strings``)."""
    letters = [column_letters(c) for c in range(columns)]
    modulo = strings or 1 << 62
    for row in range(1, rows + 1):
        cells = "".join(
            f'<c r="{letters[c]}{row}" t="s"><v>{((row - 1) * columns + c) % modulo}</v></c>'
            for c in range(columns)
        )
        yield f'<row r="{row}">{cells}</row>'


def _strings(count):
    """Shared strings: the column keys first (so that row 1 is the header), then numbers."""
    yield from (f"<si><t>{key}</t></si>" for key in KEYS)
    yield from (f"<si><t>{number}</t></si>" for number in range(len(KEYS), count))


def xlsx_shared_strings(path, count=5_000_000):
    """A 13 MB XLSX: 5 million shared strings (a sheet of two rows)."""
    _xlsx(path, _xlsx_rows(2), _strings(count))


def xlsx_shared_strings_accepted(path):
    """Just under the shared-strings limit: 996,000 strings, 99,000 rows of 6 columns."""
    _xlsx(path, _xlsx_rows(99_000), _strings(996_000))


# The product sheet's width: the 21 contract columns and the 12 texts in three languages.
PRODUCT_COLUMNS = 33


def xlsx_full_sheet(path):
    """A real-looking sheet at the row limit: 100,000 rows × the product sheet's 33 columns,
    every cell filled, 300,000 texts."""
    _xlsx(path, _xlsx_rows(100_000, columns=PRODUCT_COLUMNS, strings=300_000), _strings(300_000))


def xlsx_empty_cells(path, cells=12_000_000):
    """A header, then one row of millions of empty cells."""

    def rows():
        yield from _xlsx_rows(1)
        yield '<row r="2">'
        yield from ("<c/>" for _ in range(cells))
        yield "</row>"

    _xlsx(path, rows(), _strings(len(KEYS)))


def csv_full(path):
    """A UTF-16 ("Unicode Text") file at the row limit: 100,000 rows, TAB-separated."""
    lines = ["\t".join(KEYS)]
    lines += [f"JBR-{n:05d}\tKursi drum\tDrum chair\tP-1\tfurniture\t{n}" for n in range(100_000)]
    path.write_bytes("\r\n".join(lines).encode("utf-16"))


def csv_at_size_limit(path):
    """Just under the size limit: 100,000 rows × 33 columns of UTF-8, long texts (90 MB)."""
    keys = [*KEYS, *(f"text_{n}" for n in range(PRODUCT_COLUMNS - len(KEYS)))]
    text = "Kursi dari drum bekas, dicat tangan; 手工彩绘的油桶椅。" * 3
    # ~990 bytes a row: the six short cells, then 27 quoted texts of ~33 bytes each.
    filler = text[:1]
    while len((text[: len(filler) + 1]).encode()) <= 30:
        filler = text[: len(filler) + 1]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(keys) + "\r\n")
        for n in range(100_000):
            cells = [f"JBR-{n:05d}", "Kursi drum", "Drum chair", "P-1", "furniture", str(n)]
            cells += [f'"{filler}"'] * (len(keys) - len(cells))
            fh.write(",".join(cells[: len(keys)]) + "\r\n")


CASES = {
    "ods-empty-cells": ("products.ods", ods_empty_cells),
    "ods-empty-cells-accepted": ("products.ods", ods_empty_cells_accepted),
    "ods-repeated-columns": ("products.ods", ods_repeated_columns),
    "ods-repeated-rows": ("products.ods", ods_repeated_rows),
    "ods-100k-rows": ("products.ods", ods_full_sheet),
    "xlsx-strings": ("products.xlsx", xlsx_shared_strings),
    "xlsx-strings-accepted": ("products.xlsx", xlsx_shared_strings_accepted),
    "xlsx-empty-cells": ("products.xlsx", xlsx_empty_cells),
    "xlsx-100k-rows": ("products.xlsx", xlsx_full_sheet),
    "csv-utf16-100k-rows": ("products.csv", csv_full),
    "csv-100mb": ("products.csv", csv_at_size_limit),
}


def case_file(case):
    """The file of a case, made once and kept; its name carries the hash of the function that
    makes it, so that a changed generator makes a new file instead of measuring the old."""
    name, make = CASES[case]
    version = hashlib.sha256(inspect.getsource(make).encode()).hexdigest()[:8]
    return FOLDER / f"{case}-{version}-{name}"


def peak_rss_mb():
    """This process's peak resident memory: VmHWM of /proc/self/status (Linux).

    Not ``getrusage``'s ru_maxrss, which a child keeps from its parent across fork and exec
    (Linux keeps ``signal->maxrss``), so it would show this script's own peak while it
    made the test files.
    """
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def child(case, root):
    sys.path.insert(0, str(root))
    setup_django(f"sqlite:///{FOLDER / 'unused.db'}", FOLDER / "media", LANGUAGE_CODE="en")
    from django.utils import translation

    from core.spreadsheets.reading.files import ImportFileError, read_spreadsheet

    name, _make = CASES[case]
    data = case_file(case).read_bytes()
    started, cpu = time.perf_counter(), time.process_time()
    with translation.override("en"):
        try:
            sheet = read_spreadsheet(data, name, KEYS)
            outcome = f"accepted, {len(sheet.rows):,} rows"
        except ImportFileError as exc:
            outcome = f"refused: {exc.message}"
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "cpu": time.process_time() - cpu,
                "peak": peak_rss_mb(),
                "outcome": outcome,
            }
        )
    )


def measure(case, root):
    command = [sys.executable, __file__, "--child", case, "--root", str(root)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=root)
    if done.returncode:
        sys.stderr.write(done.stderr)
        return {
            "seconds": float("nan"),
            "cpu": float("nan"),
            "peak": float("nan"),
            "outcome": "crashed",
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="")
    parser.add_argument("--before", default="", help="a checkout of the code before the limits")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.root))
        return
    FOLDER.mkdir(exist_ok=True)
    cases = [c for c in CASES if not args.only or c in args.only.split(",")]
    print(f"{'file':26} {'size':>8} {'code':7} {'seconds':>8} {'CPU':>7} {'peak RSS':>9}  outcome")
    for case in cases:
        name, make = CASES[case]
        path = case_file(case)
        if not path.exists():
            make(path)
        size = f"{path.stat().st_size / 1024:.0f} KB"
        roots = [("now", ROOT)] + ([("before", Path(args.before))] if args.before else [])
        for label, root in roots:
            result = measure(case, root)
            print(
                f"{case:26} {size:>8} {label:7} {result['seconds']:7.1f}s {result['cpu']:6.1f}s "
                f"{result['peak']:6.0f} MB  {result['outcome'][:110]}",
                flush=True,
            )


if __name__ == "__main__":
    main()
