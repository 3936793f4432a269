"""Streamed ODS (OpenDocument spreadsheet) with typed cells."""

import zipfile
from xml.sax.saxutils import quoteattr

from django.utils import timezone

from core.spreadsheets.writing.common import (
    COMPRESS_LEVEL,
    _batched_xml,
    _clean,
    _column_letter,
    _sheet_ref,
    _Sink,
    _text,
    header_of,
)

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
        f"<text:p>{_text(header_of(c))}</text:p></table:table-cell>"
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
