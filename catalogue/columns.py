"""The product spreadsheet columns (DESIGN.md, "Contract"): one definition for export and import.

Every export writes these keys as its header row and every import reads them, so a file
exported from a list can be edited and imported back. Values keep their native types
(numbers stay numbers, dates stay dates) so that XLSX/ODS cells are real numbers and dates.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Certification, ProductPhoto


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 14  # characters, for XLSX column widths
    kind: str = "text"  # text | int | datetime


COLUMNS = [
    Column("code", _("Code"), 11),
    Column("name_id", _("Name (Indonesian)"), 32),
    Column("name_en", _("Name (English)"), 32),
    Column("name_zh", _("Name (Chinese)"), 20),
    Column("producer_code", _("Producer code"), 12),
    Column("producer_name", _("Producer"), 28),
    Column("regency", _("Regency"), 20),
    Column("district", _("District"), 16),
    Column("category", _("Category"), 16),
    Column("status", _("Promotion status"), 14),
    Column("readiness", _("Readiness (%)"), 10, "int"),
    Column("hs_code", _("HS code"), 9),
    Column("price_idr", _("Price (IDR)"), 13, "int"),
    Column("moq", _("Minimum order (MOQ)"), 9, "int"),
    Column("capacity_per_month", _("Capacity per month"), 11, "int"),
    Column("lead_time_days", _("Lead time (days)"), 9, "int"),
    Column("shelf_life_days", _("Shelf life (days)"), 9, "int"),
    Column("packaging_status", _("Packaging status"), 16),
    Column("certifications", _("Certifications"), 36),
    Column("photo_url", _("Photo URL"), 40),
    Column("updated_at", _("Updated"), 17, "datetime"),
]
KEYS = [column.key for column in COLUMNS]
# Columns an import may change; the others are computed or belong to the producer.
WRITABLE = [
    "name_id",
    "name_en",
    "name_zh",
    "producer_code",
    "category",
    "status",
    "hs_code",
    "price_idr",
    "moq",
    "capacity_per_month",
    "lead_time_days",
    "shelf_life_days",
    "packaging_status",
]


def export_queryset(queryset):
    """What a row needs, fetched in a constant number of queries per batch of rows."""
    return queryset.select_related(
        "producer__regency", "producer__district", "category"
    ).prefetch_related(
        Prefetch(
            "photos",
            queryset=ProductPhoto.objects.filter(is_primary=True).only(
                "pk", "product_id", "image", "is_primary"
            ),
            to_attr="primary_photos",
        ),
        Prefetch(
            "certifications",
            queryset=Certification.objects.order_by("kind", "expires_on"),
            to_attr="certification_list",
        ),
    )


def format_certifications(certifications):
    """``halal 123 (until 2027-01-31); svlk …`` — kind, number and expiry, one per item."""
    parts = []
    for cert in certifications:
        text = " ".join(part for part in (cert.kind, cert.number) if part)
        if cert.expires_on:
            text += f" (until {cert.expires_on.isoformat()})"
        parts.append(text)
    return "; ".join(parts)


def photo_url(product):
    photos = getattr(product, "primary_photos", None)
    if photos is None:
        photos = list(product.photos.filter(is_primary=True))
    if not photos:
        return ""
    url = photos[0].image.url
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def row_values(product):
    """The product as a list of native values in ``KEYS`` order."""
    certifications = getattr(product, "certification_list", None)
    if certifications is None:
        certifications = list(product.certifications.all())
    producer = product.producer
    return [
        product.code,
        product.name_id,
        product.name_en,
        product.name_zh,
        producer.code,
        producer.name,
        producer.regency.name,
        producer.district.name,
        product.category.slug,
        product.status,
        product.readiness_score,
        product.hs_code_id or "",
        product.price_idr,
        product.moq,
        product.capacity_per_month,
        product.lead_time_days,
        product.shelf_life_days,
        product.packaging_status,
        format_certifications(certifications),
        photo_url(product),
        timezone.localtime(product.updated_at).replace(tzinfo=None, microsecond=0),
    ]


def iter_rows(queryset, chunk_size=2000):
    """Rows of a (filtered) product queryset, fetched in chunks so memory stays flat."""
    queryset = export_queryset(queryset)
    for product in queryset.iterator(chunk_size=chunk_size):
        yield row_values(product)
