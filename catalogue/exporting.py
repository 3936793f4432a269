"""Spreadsheet writers for exports: streamed XLSX, CSV and ODS, and the lookbook XLSX.

The streamed writers are generators of ``bytes``: the first chunk leaves before the
database query runs, rows are written in batches and the zip container is produced
incrementally (``zipfile`` on a non-seekable sink with data descriptors), so memory stays
flat however many rows there are. The sheet XML is written by hand because every
off-the-shelf writer was too slow for 100,000 rows (``benchmarks/spreadsheets.py``).

Formula injection: CSV text starting with = + - @ tab or CR is prefixed with an
apostrophe (``columns.neutralise_formula``). XLSX cells are written as inline strings
(``t="inlineStr"``) and ODS cells as ``office:value-type="string"``: typed text, which
neither Excel nor LibreOffice ever evaluates, so these two formats keep the exact value
and an edited file imports back without apostrophes. Someone who opens the XLSX and saves
it as CSV gets what Excel writes; our own CSV export is the safe one to send on.

Header row: the contract keys (``columns.KEYS``) and nothing above them, so any exported
file can be imported back.
"""

import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone

from catalogue.columns import neutralise_formula

ROW_BATCH = 500  # rows per chunk handed to the web server
# Level 1 deflates the sheet XML ~2.7× faster than the default 6, for files ~25% larger.
COMPRESS_LEVEL = 1
# Characters XML 1.0 forbids (and lone surrogates, which cannot be encoded): dropped.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EXCEL_EPOCH = datetime(1899, 12, 30)


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    content_type: str


FORMATS = {
    f.key: f
    for f in (
        Format("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        Format("csv", "csv", "text/csv; charset=utf-8"),
        Format("ods", "ods", "application/vnd.oasis.opendocument.spreadsheet"),
    )
}
LOOKBOOK = Format("lookbook", "xlsx", FORMATS["xlsx"].content_type)
LOOKBOOK_MAX_ROWS = 500


@dataclass
class Export:
    """One export in progress: what to write, and what was written (for the history).

    ``rows`` is an iterator of value lists in ``columns`` order; reading ``counted_rows()``
    counts them and fingerprints each row (code → short hash) while they stream past.
    ``about`` holds (label, value) pairs for the "About" sheet; the row count is added
    once all rows are written.
    """

    columns: list
    rows: object
    sheet_title: str = "Products"
    about: list = field(default_factory=list)
    rows_label: str = "Rows"
    created_at: datetime = field(default_factory=timezone.now)
    row_count: int = 0
    # The fingerprints as JSON text in pieces: a dict of 100,000 codes would cost the
    # process ~15 MB more (and as much again to encode it) than this ~3 MB of text.
    _fingerprint_parts: list = field(default_factory=list, repr=False)

    def counted_rows(self):
        # The last-update time is left out of the fingerprint: a save that changes nothing
        # the spreadsheet shows is not a change worth reporting to a partner.
        keep = [i for i, c in enumerate(self.columns) if c.key != "updated_at"]
        if keep == list(range(len(keep))):
            keep = slice(0, len(keep))  # the usual case: updated_at is the last column
        pending = []
        for row in self.rows:
            self.row_count += 1
            values = row[keep] if isinstance(keep, slice) else [row[i] for i in keep]
            code = row[0]
            key = f'"{code}"' if code.isascii() and code.isprintable() and '"' not in code else None
            pending.append(f'{key or json.dumps(code)}:"{fingerprint(values)}"')
            if len(pending) >= 1000:
                self._fingerprint_parts.append(",".join(pending))
                pending.clear()
            yield row
        if pending:
            self._fingerprint_parts.append(",".join(pending))

    def fingerprints_json(self):
        """``{"JBR-0001": "3f2a9c01de", …}`` for ``ExportRecord.fingerprints``."""
        return "{" + ",".join(self._fingerprint_parts) + "}"

    @property
    def fingerprints(self):
        return json.loads(self.fingerprints_json())

    def about_rows(self):
        return [*self.about, (self.rows_label, self.row_count)]


def fingerprint(values):
    """A short, stable hash of a row's values (10 hex digits)."""
    text = "\x1f".join(map(str, values))
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=5).hexdigest()


def file_name(kind, fmt, when=None):
    """``etalase-products-20261128-1530.xlsx`` (local time)."""
    when = timezone.localtime(when or timezone.now())
    suffix = "-lookbook" if fmt.key == "lookbook" else ""
    return f"etalase-{kind}{suffix}-{when:%Y%m%d-%H%M}.{fmt.extension}"


def stream(fmt, export):
    return {"xlsx": xlsx_stream, "csv": csv_stream, "ods": ods_stream}[fmt.key](export)


class _Sink:
    """A write-only, non-seekable file for ``zipfile``: collects bytes until drained."""

    def __init__(self):
        self._chunks = []
        self._position = 0

    def write(self, data):
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self):
        return self._position

    def flush(self):
        pass

    def drain(self):
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _clean(text):
    return _ILLEGAL_XML.sub("", text).replace("\r", "&#13;")


def _text(value):
    value = str(value)
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    return value


def _column_letter(index):
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _batched_xml(rows, render):
    """Yield the XML of ``rows`` as encoded chunks of ``ROW_BATCH`` rows."""
    parts = []
    for number, row in enumerate(rows, start=2):
        parts.append(render(number, row))
        if len(parts) >= ROW_BATCH:
            yield _clean("".join(parts)).encode("utf-8")
            parts.clear()
    if parts:
        yield _clean("".join(parts)).encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _override(part, content_type):
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def _relationship(number, kind, target):
    return f'<Relationship Id="rId{number}" Type="{kind}" Target="{target}"/>'


_XLSX_CONTENT_TYPES = (
    f'{_XML_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + _override("/xl/workbook.xml", f"{_SPREADSHEETML}.sheet.main+xml")
    + _override("/xl/worksheets/sheet1.xml", f"{_SPREADSHEETML}.worksheet+xml")
    + _override("/xl/worksheets/sheet2.xml", f"{_SPREADSHEETML}.worksheet+xml")
    + _override("/xl/styles.xml", f"{_SPREADSHEETML}.styles+xml")
    + _override("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")
    + "</Types>"
)
_XLSX_ROOT_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
    + _relationship(1, f"{_RELATIONSHIP}/officeDocument", "xl/workbook.xml")
    + _relationship(2, f"{_PACKAGE}/relationships/metadata/core-properties", "docProps/core.xml")
    + "</Relationships>"
)
_XLSX_WORKBOOK_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
    + _relationship(1, f"{_RELATIONSHIP}/worksheet", "worksheets/sheet1.xml")
    + _relationship(2, f"{_RELATIONSHIP}/worksheet", "worksheets/sheet2.xml")
    + _relationship(3, f"{_RELATIONSHIP}/styles", "styles.xml")
    + "</Relationships>"
)
# Cell formats: 0 plain, 1 date and time, 2 bold (header), 3 wrapped text (About values).
_XLSX_STYLES = (
    f"{_XML_HEAD}"
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_XLSX_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_XLSX_R_NS = f'xmlns:r="{_RELATIONSHIP}"'


def _excel_serial(value):
    delta = value - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def _xlsx_cell_renderers(columns):
    """One function per column: (cell reference, value) → the ``<c>`` element."""

    def text(ref, value):
        if value is None or value == "":
            return ""
        value = _text(value)
        if value[:1].isspace() or value[-1:].isspace():
            return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'

    def number(ref, value):
        return "" if value is None else f'<c r="{ref}"><v>{value}</v></c>'

    def moment(ref, value):
        return "" if value is None else f'<c r="{ref}" s="1"><v>{_excel_serial(value)}</v></c>'

    def boolean(ref, value):
        return "" if value is None else f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'

    kinds = {"text": text, "int": number, "datetime": moment, "bool": boolean}
    return [kinds[c.kind] for c in columns]


def _xlsx_sheet_start(columns, frozen=True, widths=None):
    widths = widths or [c.width for c in columns]
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w + 0.7:.1f}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    pane = (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if frozen
        else ""
    )
    tab = ' tabSelected="1"' if frozen else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_XLSX_NS} '
        f'{_XLSX_R_NS}><sheetViews><sheetView workbookViewId="0"{tab}>{pane}</sheetView>'
        f'</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )


def _xlsx_header(columns):
    cells = "".join(
        f'<c r="{_column_letter(i)}1" t="inlineStr" s="2"><is><t>{_text(c.key)}</t></is></c>'
        for i, c in enumerate(columns)
    )
    return f'<row r="1">{cells}</row>'


def _xlsx_about_sheet(about_rows):
    rows = []
    for number, (label, value) in enumerate(about_rows, start=1):
        if isinstance(value, int):
            cell = f'<c r="B{number}"><v>{value}</v></c>'
        else:
            cell = f'<c r="B{number}" t="inlineStr" s="3"><is><t>{_text(value)}</t></is></c>'
        rows.append(
            f'<row r="{number}"><c r="A{number}" t="inlineStr" s="2"><is><t>{_text(label)}'
            f"</t></is></c>{cell}</row>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_XLSX_NS} '
        f'{_XLSX_R_NS}><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<cols><col min="1" max="1" width="22" customWidth="1"/>'
        '<col min="2" max="2" width="80" customWidth="1"/></cols>'
        f"<sheetData>{_clean(''.join(rows))}</sheetData></worksheet>"
    )


def _xlsx_workbook(sheet_title, filter_range):
    # Excel keeps an autofilter's range as this hidden name too; LibreOffice needs it to
    # show the filter buttons.
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_XLSX_NS} '
        f'{_XLSX_R_NS}><bookViews><workbookView activeTab="0"/></bookViews><sheets>'
        f'<sheet name={quoteattr(sheet_title)} sheetId="1" r:id="rId1"/>'
        '<sheet name="About" sheetId="2" r:id="rId2"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{escape(_sheet_ref(sheet_title))}!{filter_range}</definedName></definedNames>"
        "</workbook>"
    )


def _sheet_ref(title):
    return "'" + title.replace("'", "''") + "'"


def _xlsx_core(created):
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f'{_XML_HEAD}<cp:coreProperties xmlns:cp="{_PACKAGE}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>Etalase</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        "</cp:coreProperties>"
    )


def _absolute_refs(columns, last_row):
    return f"$A$1:${_column_letter(len(columns) - 1)}${last_row}"


def xlsx_stream(export):
    """The export as an XLSX file, streamed: sheet 1 the rows, sheet 2 "About"."""
    columns = export.columns
    sink = _Sink()
    book = zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
    book.writestr("[Content_Types].xml", _XLSX_CONTENT_TYPES)
    book.writestr("_rels/.rels", _XLSX_ROOT_RELS)
    letters = [_column_letter(i) for i in range(len(columns))]
    renderers = list(zip(letters, _xlsx_cell_renderers(columns), strict=True))

    def render(number, row):
        n = str(number)
        cells = "".join(
            [cell(letter + n, value) for (letter, cell), value in zip(renderers, row, strict=True)]
        )
        return f'<row r="{n}">{cells}</row>'

    # No zip64: a sheet would need ~40 million rows to pass 4 GiB, and plain data
    # descriptors are what every spreadsheet program reads.
    with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
        sheet.write((_xlsx_sheet_start(columns) + _xlsx_header(columns)).encode())
        yield sink.drain()  # the first bytes leave before the query runs
        for chunk in _batched_xml(export.counted_rows(), render):
            sheet.write(chunk)
            data = sink.drain()
            if data:
                yield data
        last_row = export.row_count + 1
        sheet.write(
            f'</sheetData><autoFilter ref="A1:{letters[-1]}{last_row}"/>'
            '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'.encode()
        )
    book.writestr("xl/worksheets/sheet2.xml", _xlsx_about_sheet(export.about_rows()))
    book.writestr(
        "xl/workbook.xml", _xlsx_workbook(export.sheet_title, _absolute_refs(columns, last_row))
    )
    book.writestr("xl/_rels/workbook.xml.rels", _XLSX_WORKBOOK_RELS)
    book.writestr("xl/styles.xml", _XLSX_STYLES)
    book.writestr("docProps/core.xml", _xlsx_core(export.created_at))
    book.close()
    yield sink.drain()


# --- CSV --------------------------------------------------------------------------------


class _TextSink:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def drain(self):
        data = "".join(self.parts).encode("utf-8")
        self.parts.clear()
        return data


_CSV_TRIGGERS = frozenset("=+-@\t\r'")


def csv_stream(export):
    """UTF-8 with a byte-order mark (so Excel reads Chinese names right), one header row.

    The csv module already writes None as an empty cell and a datetime as
    ``2026-11-28 15:30:00``; only text that could start a formula and booleans are
    rewritten.
    """
    sink = _TextSink()
    writer = csv.writer(sink, lineterminator="\r\n")
    writer.writerow([c.key for c in export.columns])
    yield b"\xef\xbb\xbf" + sink.drain()
    texts = [i for i, c in enumerate(export.columns) if c.kind == "text"]
    booleans = [i for i, c in enumerate(export.columns) if c.kind == "bool"]
    pending = 0
    for row in export.counted_rows():
        for i in texts:
            value = row[i]
            if value and value[0] in _CSV_TRIGGERS:
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


# --- ODS --------------------------------------------------------------------------------

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'office:version="1.2"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODS_NS}>'
    "<office:styles/></office:document-styles>"
)
# ce1 bold (header), ce2 date and time, ce3 wrapped text; coN column widths.
_ODS_CELL_STYLES = (
    '<number:date-style style:name="N1"><number:year number:style="long"/>'
    '<number:text>-</number:text><number:month number:style="long"/>'
    '<number:text>-</number:text><number:day number:style="long"/><number:text> </number:text>'
    '<number:hours number:style="long"/><number:text>:</number:text>'
    '<number:minutes number:style="long"/></number:date-style>'
    '<style:style style:name="ce1" style:family="table-cell">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N1"/>'
    '<style:style style:name="ce3" style:family="table-cell">'
    '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/>'
    "</style:style>"
)


def _ods_cell_renderers(columns):
    def text(value):
        if value is None or value == "":
            return "<table:table-cell/>"
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{_text(value)}</text:p></table:table-cell>"
        )

    def number(value):
        if value is None:
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'

    def moment(value):
        if value is None:
            return "<table:table-cell/>"
        return (
            '<table:table-cell table:style-name="ce2" office:value-type="date" '
            f'office:date-value="{value.isoformat()}"/>'
        )

    def boolean(value):
        if value is None:
            return "<table:table-cell/>"
        return (
            '<table:table-cell office:value-type="boolean" '
            f'office:boolean-value="{"true" if value else "false"}"/>'
        )

    kinds = {"text": text, "int": number, "datetime": moment, "bool": boolean}
    return [kinds[c.kind] for c in columns]


def _ods_mimetype_entry(sink):
    """The ``mimetype`` entry, first and stored, with its sizes in the local header.

    ODF requires it so that tools can recognise the file by its first bytes; zipfile on a
    non-seekable stream would give it a data descriptor, so it is written by hand.
    """
    info = zipfile.ZipInfo("mimetype", date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = info.compress_size = len(_ODS_MIMETYPE)
    info.CRC = zipfile.crc32(_ODS_MIMETYPE)
    info.header_offset = 0
    info.external_attr = 0o644 << 16
    sink.write(info.FileHeader(False))
    sink.write(_ODS_MIMETYPE)
    return info


def _ods_content_start(export):
    columns = export.columns
    widths = sorted({c.width for c in columns})
    column_styles = "".join(
        f'<style:style style:name="co{w}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{w * 0.21 + 0.15:.2f}cm"/>'
        "</style:style>"
        for w in widths
    )
    table_columns = "".join(
        f'<table:table-column table:style-name="co{c.width}"/>' for c in columns
    )
    header = "".join(
        f'<table:table-cell table:style-name="ce1" office:value-type="string">'
        f"<text:p>{_text(c.key)}</text:p></table:table-cell>"
        for c in columns
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NS}>'
        f"<office:automatic-styles>{column_styles}{_ODS_CELL_STYLES}</office:automatic-styles>"
        "<office:body><office:spreadsheet>"
        f"<table:table table:name={quoteattr(export.sheet_title)}>{table_columns}"
        f"<table:table-row>{header}</table:table-row>"
    )


def _ods_meta(export):
    description = "\n".join(f"{label}: {value}" for label, value in export.about_rows())
    created = timezone.localtime(export.created_at).replace(microsecond=0, tzinfo=None)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_ODS_NS}>'
        "<office:meta><meta:generator>Etalase</meta:generator>"
        f"<dc:title>{_text(export.sheet_title)}</dc:title>"
        f"<dc:description>{_clean(_text(description))}</dc:description>"
        f"<meta:creation-date>{created.isoformat()}</meta:creation-date>"
        "</office:meta></office:document-meta>"
    )


def _ods_settings(sheet_title):
    """A frozen header row, as LibreOffice stores it (view settings of the table)."""

    def item(name, kind, value):
        return (
            f'<config:config-item config:name="{name}" config:type="{kind}">{value}'
            "</config:config-item>"
        )

    table = "".join(
        [
            item("HorizontalSplitMode", "short", 0),
            item("VerticalSplitMode", "short", 2),
            item("HorizontalSplitPosition", "int", 0),
            item("VerticalSplitPosition", "int", 1),
            item("ActiveSplitRange", "short", 2),
            item("PositionLeft", "int", 0),
            item("PositionRight", "int", 0),
            item("PositionTop", "int", 0),
            item("PositionBottom", "int", 1),
        ]
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings {_ODS_NS}>'
        '<office:settings><config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        f"{item('ViewId', 'string', 'view1')}"
        '<config:config-item-map-named config:name="Tables">'
        f"<config:config-item-map-entry config:name={quoteattr(sheet_title)}>{table}"
        "</config:config-item-map-entry></config:config-item-map-named>"
        f"{item('ActiveTable', 'string', _text(sheet_title))}"
        "</config:config-item-map-entry></config:config-item-map-indexed>"
        "</config:config-item-set></office:settings></office:document-settings>"
    )


def ods_stream(export):
    """The export as an ODS file, streamed like the XLSX.

    One sheet only: tablib (and so django-import-export) reads every sheet of an ODS file
    into one table, so an "About" sheet would break imports. The export time, user,
    filters and row count go into the document properties (File ▸ Properties) instead.
    """
    columns = export.columns
    sink = _Sink()
    mimetype = _ods_mimetype_entry(sink)
    book = zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
    book.filelist.append(mimetype)
    book.NameToInfo[mimetype.filename] = mimetype
    renderers = _ods_cell_renderers(columns)

    def render(number, row):
        cells = "".join([cell(value) for cell, value in zip(renderers, row, strict=True)])
        return f"<table:table-row>{cells}</table:table-row>"

    with book.open("content.xml", "w") as content:
        content.write(_ods_content_start(export).encode())
        yield sink.drain()
        for chunk in _batched_xml(export.counted_rows(), render):
            content.write(chunk)
            data = sink.drain()
            if data:
                yield data
        last = _column_letter(len(columns) - 1)
        target = f"{_sheet_ref(export.sheet_title)}.A1:{_sheet_ref(export.sheet_title)}."
        target += f"{last}{export.row_count + 1}"
        content.write(
            "</table:table><table:database-ranges>"
            f'<table:database-range table:name="__Anonymous_Sheet_DB__0" '
            f"table:target-range-address={quoteattr(target)} "
            'table:display-filter-buttons="true"/></table:database-ranges>'
            "</office:spreadsheet></office:body></office:document-content>".encode()
        )
    book.writestr("meta.xml", _ods_meta(export))
    book.writestr("styles.xml", _ODS_STYLES)
    book.writestr("settings.xml", _ods_settings(export.sheet_title))
    book.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
    book.close()
    yield sink.drain()


# --- Lookbook ---------------------------------------------------------------------------

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


def lookbook_bytes(export, photos):
    """A small XLSX built in memory: a photo column, then the export columns.

    ``photos`` maps product code → its primary ``ProductPhoto``. Rows are sized to the
    thumbnails. Text never becomes a formula (cells are forced to string type).
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = export.sheet_title
    sheet.append(["photo", *(c.key for c in export.columns)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = LOOKBOOK_THUMB_PX / 7 + 2
    for index, column in enumerate(export.columns, start=1):
        sheet.column_dimensions[_column_letter(index)].width = column.width + 0.7
    top = Alignment(vertical="top", wrap_text=True)
    for number, row in enumerate(export.counted_rows(), start=2):
        for index, (column, value) in enumerate(zip(export.columns, row, strict=True), start=2):
            cell = sheet.cell(row=number, column=index)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # never a formula, even when it starts with "="
            else:
                cell.value = value
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
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{_column_letter(len(export.columns))}{export.row_count + 1}"
    about = book.create_sheet("About")
    for label, value in export.about_rows():
        about.append(
            [label, ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value]
        )
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
        if isinstance(value, str):
            about.cell(row=about.max_row, column=2).data_type = "s"
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
