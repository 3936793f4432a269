"""The product spreadsheet columns (README, "Contract"): one definition for export and import.

Every export writes these keys as its header row and every import reads them, so a file
exported from a list can be edited and imported back. The contract columns come first;
the texts in three languages (``TEXT_KEYS``) follow them. Values keep their native types
(numbers stay numbers, dates stay dates) so that XLSX/ODS cells are real numbers and dates.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from catalogue.models import Certification, Producer, Product, ProductPhoto


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    width: int = 14  # characters, for XLSX column widths
    kind: str = "text"  # text | int | datetime | bool
    header: str = ""  # the header cell when not the key (the readable layout, ``readable``)


CONTRACT_COLUMNS = [
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
# The columns above are the contract (README, "Contract") and stay first, in this order.
CONTRACT_KEYS = [column.key for column in CONTRACT_COLUMNS]

# The other texts a buyer reads, in three languages (issue 13, section 5), after the
# contract so that tools reading the first 21 columns by position keep working. Translators
# export, translate and import them (the loop Akeneo PIM gives its translators). Their
# headers are the model's field names (``verbose_name``), so the readable layout shows
# them in the user's language.
TEXT_STEMS = ("description", "materials", "packaging_description", "storage_conditions")
LANGUAGES = ("id", "en", "zh")
TEXT_KEYS = [f"{stem}_{language}" for stem in TEXT_STEMS for language in LANGUAGES]
_TEXT_WIDTHS = {"description": 40, "materials": 28, "packaging_description": 32}


def _text_column(model, key, width):
    return Column(key, capfirst(model._meta.get_field(key).verbose_name), width)


TEXT_COLUMNS = [
    _text_column(Product, key, _TEXT_WIDTHS.get(key.rsplit("_", 1)[0], 28)) for key in TEXT_KEYS
]
COLUMNS = [*CONTRACT_COLUMNS, *TEXT_COLUMNS]
KEYS = [column.key for column in COLUMNS]
# Headers of files from before the texts had three languages: read as the Indonesian text.
LEGACY_KEYS = {stem: f"{stem}_id" for stem in TEXT_STEMS}
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
    *TEXT_KEYS,
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
            queryset=Certification.objects.order_by("kind", "expires_on", "pk"),
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
        *(getattr(product, key) for key in TEXT_KEYS),
    ]


# --- A faster row path for big exports -------------------------------------------------
# ``row_values`` needs a model instance per product (plus its producer, regency, district,
# category): about a third of an export's time at 100,000 rows. ``iter_row_values`` reads
# plain tuples instead and gives identical values (tests compare both paths).

_VALUE_FIELDS = (
    "pk",
    "code",
    "name_id",
    "name_en",
    "name_zh",
    "producer__code",
    "producer__name",
    "producer__regency__name",
    "producer__district__name",
    "category__slug",
    "status",
    "readiness_score",
    "hs_code_id",
    "price_idr",
    "moq",
    "capacity_per_month",
    "lead_time_days",
    "shelf_life_days",
    "packaging_status",
    "updated_at",
    *TEXT_KEYS,
)


def _export_time(value):
    """Local wall-clock time without microseconds: what a spreadsheet cell can hold."""
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _select_for_products(model, fields, product_ids, using, flag=None, order=()):
    """Rows of ``model`` (photos, certifications) of the given products, as tuples;
    only those whose boolean field ``flag`` is true if given.

    Plain SQL because the ORM spends ~8 µs preparing each id of an ``IN`` list: 1.5 s
    for 100,000 products, a third of a CSV export. The ids are integers read from the
    database and go in as query parameters.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = model._meta

    def column(name):
        return quote(meta.get_field(name).column)

    placeholders = ", ".join(["%s"] * len(product_ids))
    sql = (
        f"SELECT {', '.join(column(f) for f in fields)} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {column('product')} IN ({placeholders})"
    )
    if flag:
        sql += f" AND {column(flag)}"
    if order:
        sql += " ORDER BY " + ", ".join(column(f) for f in order)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(product_ids))
        return cursor.fetchall()


def _photo_urls(product_ids, using):
    field = ProductPhoto._meta.get_field("image")
    urls = {}
    for product_id, name in _select_for_products(
        ProductPhoto, ("product", "image"), product_ids, using, flag="is_primary"
    ):
        url = field.storage.url(name)
        absolute = url.startswith(("http://", "https://"))
        urls[product_id] = url if absolute else f"{settings.SITE_URL}{url}"
    return urls


def _certification_texts(product_ids, using):
    texts = {}
    certifications = _select_for_products(
        Certification,
        ("product", "kind", "number", "expires_on"),
        product_ids,
        using,
        order=("kind", "expires_on", "id"),
    )
    for product_id, kind, number, expires_on in certifications:
        text = " ".join(part for part in (kind, number) if part)
        if expires_on:
            if isinstance(expires_on, str):  # SQLite without declared-type parsing
                expires_on = datetime.date.fromisoformat(expires_on)
            text += f" (until {expires_on.isoformat()})"
        texts.setdefault(product_id, []).append(text)
    return {product_id: "; ".join(parts) for product_id, parts in texts.items()}


def _rows_of_batch(batch, using):
    ids = [record[0] for record in batch]
    photos = _photo_urls(ids, using)
    certifications = _certification_texts(ids, using)
    zone = timezone.get_current_timezone()
    for record in batch:
        pk = record[0]
        row = list(record[1:19])
        row[11] = row[11] or ""  # hs_code
        row.append(certifications.get(pk, ""))
        row.append(photos.get(pk, ""))
        # = _export_time(), with the time zone looked up once per batch
        row.append(record[19].astimezone(zone).replace(tzinfo=None, microsecond=0))
        row.extend(record[20:])  # the texts (TEXT_KEYS)
        yield row


@contextmanager
def sequential_reads(using="default"):
    """Read a whole table without growing the process: SQLite settings for one big scan.

    ``config/settings.py`` gives SQLite connections a 256 MB memory map and a 32 MB page
    cache, which speed up lists that jump around the file; a scan of every product
    through them would leave the whole database file resident in the process (about
    250 MB at 100,000 products). For the scan the map is switched off and the cache kept
    small; both are restored afterwards. Other databases are left alone.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    saved = {}
    with connection.cursor() as cursor:
        for pragma, lean in (("mmap_size", 0), ("cache_size", -2000)):
            cursor.execute(f"PRAGMA {pragma}")
            current = cursor.fetchone()  # no row for in-memory databases
            if current is not None:
                saved[pragma] = int(current[0])
                cursor.execute(f"PRAGMA {pragma}={lean}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for pragma, value in saved.items():
                cursor.execute(f"PRAGMA {pragma}={value}")


def iter_row_values(queryset, chunk_size=2000):
    """The same rows as ``row_values`` of ``export_queryset`` (same order, same values), from
    plain tuples.

    One query streams the rows (chunked), and per chunk two more fetch primary photos and
    certifications, so memory stays flat and no query runs per row.
    """
    records = queryset.prefetch_related(None).values_list(*_VALUE_FIELDS)
    with sequential_reads(queryset.db):
        batch = []
        for record in records.iterator(chunk_size=chunk_size):
            batch.append(record)
            if len(batch) >= chunk_size:
                yield from _rows_of_batch(batch, queryset.db)
                batch = []
        if batch:
            yield from _rows_of_batch(batch, queryset.db)


# --- Producer spreadsheet (export only) -------------------------------------------------

PRODUCER_COLUMNS = [
    Column("code", _("Code"), 12),
    Column("name", _("Name"), 30),
    Column("kind", _("Kind"), 14),
    Column("regency", _("Regency"), 20),
    Column("district", _("District"), 16),
    Column("village", _("Village"), 16),
    Column("contact_person", _("Contact person"), 20),
    Column("phone", _("Phone"), 16),
    Column("whatsapp", _("WhatsApp"), 16),
    Column("email", _("E-mail"), 24),
    Column("nib", _("NIB"), 15),
    Column("year_founded", _("Year founded"), 8, "int"),
    Column("workers", _("Workers"), 8, "int"),
    Column("has_exported", _("Has exported"), 8, "bool"),
    Column("product_count", _("Products"), 8, "int"),
    Column("updated_at", _("Updated"), 17, "datetime"),
    *(_text_column(Producer, f"description_{language}", 40) for language in LANGUAGES),
]
PRODUCER_KEYS = [column.key for column in PRODUCER_COLUMNS]
_PRODUCER_FIELDS = {
    "regency": "regency__name",
    "district": "district__name",
}


def producer_columns(with_nib=True):
    """Visitors never see a producer's NIB (README, "Roles and demo logins"): their file has
    no column."""
    return [c for c in PRODUCER_COLUMNS if with_nib or c.key != "nib"]


def iter_producer_rows(queryset, columns, chunk_size=2000):
    """Rows of a producer queryset annotated with ``product_count``, in ``columns`` order."""
    fields = [_PRODUCER_FIELDS.get(c.key, c.key) for c in columns]
    times = [i for i, c in enumerate(columns) if c.kind == "datetime"]
    with sequential_reads(queryset.db):
        for record in queryset.values_list(*fields).iterator(chunk_size=chunk_size):
            row = list(record)
            for i in times:
                row[i] = _export_time(row[i]) if row[i] else None
            yield row
