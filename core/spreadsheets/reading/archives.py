"""Opening XLSX and ODS files (ZIP archives of XML) safely; shared by ``xlsx`` and ``ods``.

A small file may inflate enormously when unpacked (a "zip bomb"), so ``open_zip`` checks
the members' declared uncompressed sizes against a limit before anything is decompressed.
XML may declare entities that expand exponentially ("billion laughs") or fetch external
resources, so ``xml_parser`` refuses DTDs and entity declarations. ``damaged`` and ``bomb``
are the errors the readers raise, with the messages the user sees.

A small file can also cost much time and memory without any of that: 255 KB of ODS with
millions of empty elements took 45 s and 420 MB to read, an XLSX with 5 million shared
strings 60 s and 400 MB. So every reader counts what it parses against ``Limits`` (XML
elements, cells, shared strings) and refuses a file beyond them with ``too_complex`` and
the like, before the cost grows.
"""

import io
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from django.utils.translation import gettext as _

from core.spreadsheets.reading.errors import ImportFileError


@dataclass
class Limits:
    """What one spreadsheet may make us read (set in ``files``)."""

    columns: int  # cells kept per row: twice this; the header may have this many
    rows: int  # data rows
    elements: int  # XML elements of all members together
    cells: int  # cells kept, repeats (ODS) counted
    shared_strings: int  # XLSX shared strings
    shared_characters: int  # their total length


class Counter:
    """Counts XML elements and kept cells against ``Limits``."""

    def __init__(self, limits):
        self.limits = limits
        self.elements = 0
        self.cells = 0

    def chunk(self, data):
        """Count the elements that start in ``data``, a chunk of XML about to be parsed.

        Every start tag and every end tag begins with ``<``: counting bytes runs at memory
        speed, where a count in the parser's handlers costs ~10 % of the parse. Comments,
        declarations and a ``</`` split between chunks make it a slight overcount.
        """
        self.elements += data.count(b"<") - data.count(b"</")
        if self.elements > self.limits.elements:
            raise too_complex(self.limits.elements)

    def add_cells(self, count):
        self.cells += count
        if self.cells > self.limits.cells:
            raise ImportFileError(
                _("The file has more than %(limit)s filled cells; split it into smaller files.")
                % {"limit": f"{self.limits.cells:,}"}
            )


def too_complex(limit):
    return ImportFileError(
        _(
            "The file has more than %(limit)s XML elements (cells, paragraphs, formatting), "
            "far more than a product list needs. Delete the empty rows and columns, or split "
            "the file, and upload it again."
        )
        % {"limit": f"{limit:,}"}
    )


def damaged(fmt):
    return ImportFileError(
        _(
            "The %(format)s file is damaged or incomplete (perhaps the upload or download was "
            "cut short). Open it in a spreadsheet program, save it again and upload it."
        )
        % {"format": fmt.upper()}
    )


def bomb():
    return ImportFileError(
        _(
            "The file contains XML entity declarations, which are refused for safety (they are "
            'used in "XML bomb" attacks). Save the spreadsheet again from a spreadsheet '
            "program and upload it."
        )
    )


def open_zip(data, fmt, limit):
    """The archive in ``data`` and its member names; ``limit``: most bytes it may unpack to."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise damaged(fmt) from exc
    if sum(info.file_size for info in infos) > limit:
        raise ImportFileError(
            _("The file unpacks to more than %(limit)s MB, far more than a product list needs.")
            % {"limit": limit // 1024 // 1024}
        )
    return archive, {info.filename for info in infos}


def xml_parser(namespaces=False):
    """An expat parser that refuses DTDs and entities, as defusedxml's parsers do.

    XML bombs ("billion laughs") and external entities both need a DTD with entity
    declarations; no spreadsheet needs one. With ``namespaces``, tag and attribute names
    are ``"{namespace URI} {local name}"`` joined by a space, whatever prefixes the file uses.
    """

    def refuse_dtd(name, *args):
        raise DTDForbidden(name, None, None)

    def refuse_entity(name, *args):
        raise EntitiesForbidden(name, None, None, None, None, None)

    def refuse_external(context, base, system_id, public_id):
        raise ExternalReferenceForbidden(context, base, system_id, public_id)

    parser = expat.ParserCreate(namespace_separator=" " if namespaces else None)
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    return parser
