"""Opening XLSX and ODS files (ZIP archives of XML) safely; shared by ``xlsx`` and ``ods``.

A small file may inflate enormously when unpacked (a "zip bomb"), so ``open_zip`` checks
the members' declared uncompressed sizes against a limit before anything is decompressed.
XML may declare entities that expand exponentially ("billion laughs") or fetch external
resources, so ``xml_parser`` refuses DTDs and entity declarations. ``damaged`` and ``bomb``
are the errors the readers raise, with the messages the user sees.
"""

import io
import zipfile
import zlib
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from django.utils.translation import gettext as _

from catalogue.importing.errors import ImportFileError


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


def xml_parser():
    """An expat parser that refuses DTDs and entities, as defusedxml's parsers do.

    XML bombs ("billion laughs") and external entities both need a DTD with entity
    declarations; no spreadsheet needs one.
    """

    def refuse_dtd(name, *args):
        raise DTDForbidden(name, None, None)

    def refuse_entity(name, *args):
        raise EntitiesForbidden(name, None, None, None, None, None)

    def refuse_external(context, base, system_id, public_id):
        raise ExternalReferenceForbidden(context, base, system_id, public_id)

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    return parser
