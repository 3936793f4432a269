"""Producers, products and everything a product record carries for promotion in China."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue import completeness
from catalogue.choices import (
    CertificationKind,
    GaccRoute,
    LabelStatus,
    OriginCriterion,
    PackagingStatus,
    PromotionStatus,
    ReadinessProfile,
    Unit,
    WoodPackaging,
)
from catalogue.completeness import COMPLETENESS_FIELDS
from catalogue.models.classification import Category, HSCode, Tag
from catalogue.models.fields import ProducerRegencyField
from catalogue.models.producers import Producer, indonesian_alias, next_code
from catalogue.validators import max_value
from core.localization import pick
from core.models import TrackedModel, VersionedModel
from core.photos import process_new_upload, validate_image_upload
from core.protected_files import ProtectedFileField
from core.uploads import RandomUploadPath

product_photo_path = RandomUploadPath("products")
product_thumbnail_path = RandomUploadPath("products/thumbs")
certificate_path = RandomUploadPath("certificates")


class Product(VersionedModel, TrackedModel):
    code = models.CharField(_("code"), max_length=20, unique=True, blank=True)
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    # The producer's regency, kept on the product so that one index answers status +
    # regency + ``q`` (migration 0015, README "A million products"): taken from the
    # producer whenever the product is inserted or saved (``ProducerRegencyField``), by
    # ``product_writes.write_many`` for its bulk updates, and written to all its products
    # when a producer moves (``producer_writes.save_producer``).
    regency = ProducerRegencyField(
        "regions.Regency",
        verbose_name=_("regency"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    materials_id = models.CharField(_("materials (Indonesian)"), max_length=255, blank=True)
    materials_en = models.CharField(_("materials (English)"), max_length=255, blank=True)
    materials_zh = models.CharField(_("materials (Chinese)"), max_length=255, blank=True)
    length_cm = models.DecimalField(
        _("length (cm)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    width_cm = models.DecimalField(
        _("width (cm)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    height_cm = models.DecimalField(
        _("height (cm)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    price_idr = models.PositiveBigIntegerField(
        _("price (IDR)"),
        null=True,
        blank=True,
        help_text=_("Ex-works price per unit in Rupiah."),
        validators=[max_value("price_idr")],
    )
    moq = models.PositiveIntegerField(
        _("minimum order (MOQ)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), max_value("moq")],
    )
    capacity_per_month = models.PositiveIntegerField(
        _("capacity per month"),
        null=True,
        blank=True,
        help_text=_("Units per month."),
        validators=[max_value("capacity_per_month")],
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), null=True, blank=True, validators=[max_value("lead_time_days")]
    )
    hs_code = models.ForeignKey(
        HSCode,
        verbose_name=_("HS code"),
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": 6},
        related_name="products",
    )
    shelf_life_days = models.PositiveIntegerField(
        _("shelf life (days)"), null=True, blank=True, validators=[max_value("shelf_life_days")]
    )
    storage_conditions_id = models.CharField(
        _("storage conditions (Indonesian)"), max_length=255, blank=True
    )
    storage_conditions_en = models.CharField(
        _("storage conditions (English)"), max_length=255, blank=True
    )
    storage_conditions_zh = models.CharField(
        _("storage conditions (Chinese)"), max_length=255, blank=True
    )
    packaging_description_id = models.TextField(_("packaging (Indonesian)"), blank=True)
    packaging_description_en = models.TextField(_("packaging (English)"), blank=True)
    packaging_description_zh = models.TextField(_("packaging (Chinese)"), blank=True)
    packaging_status = models.CharField(
        _("packaging status"),
        max_length=20,
        choices=PackagingStatus.choices,
        default=PackagingStatus.NOT_ASSESSED,
        db_index=True,
    )
    wood_packaging = models.CharField(
        _("wooden packing (ISPM-15)"),
        max_length=10,
        choices=WoodPackaging.choices,
        default=WoodPackaging.NONE,
    )
    label_status = models.CharField(
        _("Chinese label (GB 7718)"),
        max_length=10,
        choices=LabelStatus.choices,
        default=LabelStatus.NONE,
    )
    importer_known = models.BooleanField(_("Chinese importer known"), default=False)
    batch_coding = models.BooleanField(_("batch coding on packs"), default=False)
    gacc_route = models.CharField(
        _("GACC registration route"), max_length=20, choices=GaccRoute.choices, blank=True
    )
    origin_criterion = models.CharField(
        _("origin criterion (Form E)"), max_length=10, choices=OriginCriterion.choices, blank=True
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="products")
    status = models.CharField(
        _("promotion status"),
        max_length=20,
        choices=PromotionStatus.choices,
        default=PromotionStatus.DRAFT,
    )
    not_suitable_reason = models.TextField(_("reason not suitable"), blank=True)
    readiness_score = models.PositiveSmallIntegerField(_("readiness"), default=0)
    readiness_gaps = models.JSONField(_("readiness gaps"), default=list, blank=True)
    # Share of the buyer-read texts written in English / Chinese (catalogue.completeness).
    completeness_en = models.PositiveSmallIntegerField(
        _("English texts (%)"), default=0, db_index=True
    )
    completeness_zh = models.PositiveSmallIntegerField(
        _("Chinese texts (%)"), default=0, db_index=True
    )
    # Readiness and completeness are recomputed, not edited: the change log shows what
    # people changed.
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "readiness_score",
            "readiness_gaps",
            "completeness_en",
            "completeness_zh",
            "version",
            "regency",  # the producer's, whose change log has it
        ]
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        permissions = [
            ("export_product", _("Can export product lists")),
            ("import_product", _("Can import product spreadsheets")),
        ]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="product_status_updated"),
            # District filters go through the producer: producer_id IN (…) AND status = …;
            # the names ride along so that a search within them reads the index only.
            models.Index(
                fields=["producer", "status", "code", "name_id", "name_en", "name_zh"],
                name="product_producer_search",
            ),
            models.Index(fields=["-readiness_score"], name="product_readiness"),
            models.Index(fields=["-updated_at"], name="product_updated"),
            models.Index(fields=["price_idr"], name="product_price"),
            models.Index(fields=["name_id"], name="product_name_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(readiness_score__lte=100), name="product_readiness_0_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="not_suitable") | ~models.Q(not_suitable_reason=""),
                name="product_not_suitable_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name_id}"

    def get_absolute_url(self):
        return reverse("product_detail", args=[self.code])

    @property
    def profile(self):
        return self.category.profile

    def localized_name(self, language=None):
        """The name in the UI language, falling back to Indonesian."""
        return pick(self.name_id, self.name_en, self.name_zh, language)

    # The Indonesian texts under their names from before they had three languages.
    materials = indonesian_alias("materials")
    packaging_description = indonesian_alias("packaging_description")
    storage_conditions = indonesian_alias("storage_conditions")

    def clean(self):
        super().clean()
        errors = {}
        category = self.category if self.category_id else None
        if category and category.profile == ReadinessProfile.FOOD and not self.shelf_life_days:
            errors["shelf_life_days"] = _("Shelf life is required for food and beverage products.")
        if self.status == PromotionStatus.NOT_SUITABLE and not self.not_suitable_reason.strip():
            errors["not_suitable_reason"] = _("Say why the product is not suitable.")
        if self.hs_code_id and len(self.hs_code_id) != 6:
            errors["hs_code"] = _("Use a 6-digit HS subheading.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = next_code(Product, f"{self.producer.regency.abbreviation}-", 4)
        # Stored with the texts it is computed from, whoever saves (write_many and the
        # synthetic generator, which do not call save(), apply it themselves).
        completeness.apply(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *COMPLETENESS_FIELDS,
                "regency",
            }
        super().save(*args, **kwargs)


class ProductPhoto(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("photo"), upload_to=product_photo_path, validators=[validate_image_upload]
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=product_thumbnail_path, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_primary = models.BooleanField(_("primary photo"), default=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["product", "-is_primary", "position", "pk"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(is_primary=True),
                name="one_primary_photo_per_product",
            ),
        ]

    def __str__(self):
        return self.caption or PurePosixPath(self.image.name).name

    def save(self, *args, **kwargs):
        process_new_upload(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.image.url


class Certification(TrackedModel):
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CertificationKind.choices)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    # Served by catalogue.file_views to those who may see the product (core.protected_files).
    document = ProtectedFileField(
        _("document"), upload_to=certificate_path, blank=True, view_name="certificate_document"
    )

    class Meta:
        ordering = ["product", "kind", "-expires_on"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        indexes = [models.Index(fields=["kind", "expires_on"], name="certification_kind_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="certification_expires_after_issue",
            ),
        ]

    def __str__(self):
        label = self.get_kind_display()
        return f"{label} {self.number}".strip()

    def get_absolute_url(self):
        return self.product.get_absolute_url()

    def clean(self):
        super().clean()
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("The expiry date is before the issue date.")})


class StatusChange(models.Model):
    """One step of a product's promotion pipeline: who moved it, when, from, to, why."""

    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=PromotionStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=PromotionStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    overrode_gaps = models.JSONField(
        _("readiness gaps overridden"),
        default=list,
        blank=True,
        help_text=_("Gaps that were still open when the product was moved on anyway."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.product_id}: {self.from_status or '—'} → {self.to_status}"

    def get_absolute_url(self):
        return self.product.get_absolute_url()
