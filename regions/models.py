"""Regencies/cities of Bakorwil V Jember and their districts (kecamatan).

Codes are Kemendagri's dotted codes (Kepmendagri No. 300.2.2-2138/2025), loaded from
``regions/data/regions.csv`` (see ``regions_SOURCE.txt``) by a data migration.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Regency (kabupaten)")
    KOTA = "kota", _("City (kota)")


class Regency(models.Model):
    code = models.CharField(
        _("code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{2}\.\d{2}$", _("Use the Kemendagri form 35.09."))],
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=RegencyKind.choices)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=3,
        unique=True,
        help_text=_("Three letters that start the codes of this regency's products."),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regency staff"),
        blank=True,
        related_name="regencies",
        help_text=_("Regency staff who keep this regency's producers and products."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency")
        verbose_name_plural = _("regencies")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("product_list") + f"?regency={self.code}"

    @property
    def short_name(self):
        """The name without the "Kabupaten " prefix (cities keep "Kota")."""
        return short_regency_name(self.name)


def short_regency_name(name):
    """ "Kabupaten Jember" → "Jember"; "Kota Probolinggo" stays."""
    return name.removeprefix("Kabupaten ")


class District(models.Model):
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[
            RegexValidator(r"^\d{2}\.\d{2}\.\d{2}$", _("Use the Kemendagri form 35.09.24."))
        ],
    )
    name = models.CharField(_("name"), max_length=100)
    regency = models.ForeignKey(
        Regency, verbose_name=_("regency"), on_delete=models.PROTECT, related_name="districts"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("product_list") + f"?regency={self.regency.code}&district={self.code}"
