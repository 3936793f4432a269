"""Producers: whoever makes the products (home industries, SMEs, cooperatives, SMKs, state
companies), and the helpers that product and producer records share."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.choices import ProducerKind
from catalogue.validators import validate_nib, validate_phone
from core.localization import pick
from core.models import TrackedModel, VersionedModel


def next_code(model, prefix, width):
    """The next free code ``<prefix><number>`` for ``model`` (e.g. ``JBR-0042``)."""
    last = (
        model.objects.filter(code__startswith=prefix)
        .annotate(code_length=Length("code"))
        .order_by("-code_length", "-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:0{width}d}"


def indonesian_alias(base):
    """``<base>`` read and written as ``<base>_id``: code, tests and data written before
    the text had English and Chinese versions keep working (``Product(materials=…)``
    too: Django's model constructor sets properties given as keywords)."""

    def get(self):
        return getattr(self, f"{base}_id")

    def set(self, value):
        setattr(self, f"{base}_id", value)

    return property(get, set, doc=f"The Indonesian {base.replace('_', ' ')} ({base}_id).")


class Producer(VersionedModel, TrackedModel):
    code = models.CharField(_("code"), max_length=20, unique=True, blank=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProducerKind.choices, db_index=True)
    regency = models.ForeignKey(
        "regions.Regency",
        verbose_name=_("regency"),
        on_delete=models.PROTECT,
        related_name="producers",
    )
    district = models.ForeignKey(
        "regions.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="producers",
    )
    village = models.CharField(_("village"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    whatsapp = models.CharField(
        _("WhatsApp"), max_length=30, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        blank=True,
        validators=[validate_nib],
        help_text=_("Business identification number from OSS: 13 digits."),
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    has_exported = models.BooleanField(_("has exported before"), default=False)
    export_experience = models.TextField(_("export experience"), blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        constraints = [
            models.UniqueConstraint(
                fields=["nib"],
                condition=~models.Q(nib=""),
                name="producer_nib_unique",
                violation_error_message=_("Another producer already has this NIB."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("producer_detail", args=[self.code])

    # The Indonesian text under its name from before the texts had three languages.
    description = indonesian_alias("description")

    def localized_description(self, language=None):
        return pick(self.description_id, self.description_en, self.description_zh, language)

    def clean(self):
        super().clean()
        if self.district_id and self.regency_id and self.district.regency_id != self.regency_id:
            raise ValidationError({"district": _("This district is not in the chosen regency.")})

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = next_code(Producer, f"P-{self.regency.abbreviation}-", 3)
        super().save(*args, **kwargs)
