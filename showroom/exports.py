"""Spreadsheets of the inquiry inbox and the sample list: exactly the rows the list shows
for the same query string, streamed as the product export is
(``catalogue.spreadsheets.export_views``, ``core.spreadsheets.writing``)."""

from django.db.models import Prefetch
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Product
from catalogue.spreadsheets.columns import Column
from core.spreadsheets.writing import FORMATS, Export, file_name, stream

CHUNK = 500

INQUIRY_COLUMNS = [
    Column("reference", gettext_lazy("Reference"), 11),
    Column("received_at", gettext_lazy("Received"), 17, "datetime"),
    Column("status", gettext_lazy("Status"), 12),
    Column("owner", gettext_lazy("Owner"), 14),
    Column("name", gettext_lazy("Name"), 20),
    Column("company", gettext_lazy("Company"), 24),
    Column("city", gettext_lazy("City / country"), 16),
    Column("wechat", gettext_lazy("WeChat ID"), 14),
    Column("phone", gettext_lazy("Phone"), 14),
    Column("email", gettext_lazy("E-mail"), 22),
    Column("products", gettext_lazy("Products"), 24),
    Column("quantity", gettext_lazy("Quantity"), 12),
    Column("target_price", gettext_lazy("Target price"), 12),
    Column("language", gettext_lazy("Language"), 8),
    Column("message", gettext_lazy("Message"), 40),
    Column("collection", gettext_lazy("Collection"), 24),
    Column("share_link", gettext_lazy("Share link"), 20),
    Column("notes", gettext_lazy("Staff notes"), 30),
]

SAMPLE_COLUMNS = [
    Column("id", gettext_lazy("Number"), 8),
    Column("product_code", gettext_lazy("Product code"), 11),
    Column("product_name", gettext_lazy("Product"), 28),
    Column("regency", gettext_lazy("Regency"), 18),
    Column("quantity", gettext_lazy("Quantity"), 8, "int"),
    Column("recipient_kind", gettext_lazy("Sent to"), 8),
    Column("recipient", gettext_lazy("Recipient"), 22),
    Column("inquiry", gettext_lazy("Inquiry"), 11),
    Column("occasion", gettext_lazy("Visit or event"), 20),
    Column("sent_on", gettext_lazy("Sent on"), 11),
    Column("courier", gettext_lazy("Courier"), 12),
    Column("tracking_number", gettext_lazy("Tracking number"), 18),
    Column("received_on", gettext_lazy("Received on"), 11),
    Column("feedback", gettext_lazy("Buyer's feedback"), 40),
    Column("cost_idr", gettext_lazy("Cost (IDR)"), 11, "int"),
]


def _local(moment):
    """A naive local time, as the XLSX writer stores date-times."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _day(value):
    return value.isoformat() if value else ""


def inquiry_rows(queryset):
    products = Prefetch("products", queryset=Product.objects.only("code").order_by("code"))
    rows = queryset.select_related("owner", "collection", "share_link").prefetch_related(products)
    for inquiry in rows.iterator(chunk_size=CHUNK):
        yield [
            inquiry.reference,
            _local(inquiry.created_at),
            inquiry.status,
            inquiry.owner.get_username() if inquiry.owner else "",
            inquiry.name,
            inquiry.company,
            inquiry.city,
            inquiry.wechat,
            inquiry.phone,
            inquiry.email,
            ", ".join(p.code for p in inquiry.products.all()),
            inquiry.quantity,
            inquiry.target_price,
            inquiry.language,
            inquiry.message,
            inquiry.collection.name_id if inquiry.collection else "",
            inquiry.share_link.label if inquiry.share_link else "",
            inquiry.notes,
        ]


def sample_rows(queryset):
    rows = queryset.select_related("product__producer__regency", "inquiry")
    for sample in rows.iterator(chunk_size=CHUNK):
        yield [
            str(sample.pk),
            sample.product.code,
            sample.product.name_id,
            sample.product.producer.regency.name,
            sample.quantity,
            sample.recipient_kind,
            sample.recipient,
            sample.inquiry.reference if sample.inquiry else "",
            sample.occasion,
            _day(sample.sent_on),
            sample.courier,
            sample.tracking_number,
            _day(sample.received_on),
            sample.feedback,
            sample.cost_idr,
        ]


def export_response(request, kind, listing, columns, rows):
    """The streamed file of ``listing``'s rows in the ``format`` the request asks for."""
    key = request.GET.get("format", "xlsx")
    fmt = FORMATS.get(key)
    if fmt is None:
        return HttpResponseBadRequest(
            _("Unknown export format “%(format)s”. Use one of: %(allowed)s.")
            % {"format": key, "allowed": ", ".join(FORMATS)},
            content_type="text/plain; charset=utf-8",
        )
    now = timezone.now()
    user = request.user
    export = Export(
        columns=columns,
        rows=rows(listing.queryset),
        sheet_title=kind.capitalize(),
        created_at=now,
        rows_label=_("Rows"),
        about=[
            ("Etalase", _("Inquiries") if kind == "inquiries" else _("Samples")),
            (_("Exported at"), date_format(timezone.localtime(now), "Y-m-d H:i")),
            (_("Exported by"), user.get_full_name() or user.get_username()),
            (_("Filters"), listing.words() or _("none (all rows)")),
            (_("Query"), listing.query_string or "—"),
        ],
    )
    response = StreamingHttpResponse(stream(fmt, export), content_type=fmt.content_type)
    response["X-Accel-Buffering"] = "no"
    response["Content-Disposition"] = f'attachment; filename="{file_name(kind, fmt, now)}"'
    response["Cache-Control"] = "private, no-store"
    return response
