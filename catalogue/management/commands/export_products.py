"""``python manage.py export_products FILE [filters]``: the product list export, offline.

Same FilterSet, same rows and the same writers as ``/products/export/``; the export is
recorded in the export history (by "command line").
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils.translation import ngettext

from catalogue.spreadsheets.exports import build_export, record_export
from core.spreadsheets.writing import FORMATS, stream


class Command(BaseCommand):
    help = (
        "Export the products a list filter shows to FILE (XLSX, CSV or ODS; by default from "
        "FILE's extension). Filters as on /products/: --regency 35.09 --status draft "
        '--category kerajinan --q "kursi", or any query string with --query '
        '"regency=35.09&status=draft&sort=-price". Prints the number of rows.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the spreadsheet.")
        parser.add_argument("--format", choices=sorted(FORMATS), help="xlsx, csv or ods.")
        parser.add_argument("--regency", help="Regency code, e.g. 35.09.")
        parser.add_argument("--district", help="District code, e.g. 35.09.24.")
        parser.add_argument(
            "--status", action="append", help="Promotion status (repeat for several)."
        )
        parser.add_argument("--category", help="Category slug (includes sub-categories).")
        parser.add_argument("--q", help="Search text.")
        parser.add_argument(
            "--query", default="", help="A list query string, as in the /products/ URL."
        )

    def handle(self, *args, file, format, query, status, verbosity, **options):
        path = Path(file)
        key = format or path.suffix.lower().lstrip(".")
        fmt = FORMATS.get(key)
        if fmt is None:
            raise CommandError(
                f"Unknown format {key!r}: give a FILE ending in .xlsx, .csv or .ods, "
                "or --format xlsx, csv or ods."
            )
        params = QueryDict(query.lstrip("?"), mutable=True)
        for name in ("regency", "district", "category", "q"):
            if options[name]:
                params[name] = options[name]
        if status:
            params.setlist("status", status)
        export, listing, query_string, filters = build_export(params, "products", None)
        if listing.filterset.errors:
            for name, errors in listing.filterset.errors.items():
                self.stderr.write(f"Ignored filter {name}: {' '.join(errors)}")
        with path.open("wb") as target:
            for chunk in stream(fmt, export):
                target.write(chunk)
        record_export(
            export, user=None, fmt=fmt.key, kind="products", query=query_string, filters=filters
        )
        count = export.row_count
        self.stdout.write(
            ngettext(
                "Exported %(count)s product to %(file)s.",
                "Exported %(count)s products to %(file)s.",
                count,
            )
            % {"count": count, "file": path}
        )
