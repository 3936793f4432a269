"""What buyers are shown and what comes back from them: collections of products shared
through unguessable links, buyers' inquiries and the samples sent to them."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.localization import pick
from core.models import TrackedModel, VersionedModel
from showroom.choices import InquiryLanguage, InquiryStatus, SampleRecipient


def new_token():
    """32 URL-safe characters from 24 random bytes: 192 bits, beyond guessing or counting
    (OWASP Session Management Cheat Sheet asks for at least 64 bits of entropy)."""
    return secrets.token_urlsafe(24)


class Collection(VersionedModel, TrackedModel):
    """A named, ordered selection of products with an introduction in three languages.

    ``regency`` set: a regency's own collection, which its regency staff curate and which
    holds only that regency's products; empty: a region-wide collection (regional staff).
    """

    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    intro_id = models.TextField(_("introduction (Indonesian)"), blank=True, max_length=2000)
    intro_en = models.TextField(_("introduction (English)"), blank=True, max_length=2000)
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True, max_length=2000)
    regency = models.ForeignKey(
        "regions.Regency",
        verbose_name=_("regency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collections",
        help_text=_("Empty for a collection of the whole region."),
    )
    products = models.ManyToManyField(
        "catalogue.Product",
        verbose_name=_("products"),
        through="CollectionItem",
        related_name="collections",
        blank=True,
    )

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self):
        return self.name_id

    def get_absolute_url(self):
        return reverse("collection_detail", args=[self.pk])

    def localized_name(self, language=None):
        return pick(self.name_id, self.name_en, self.name_zh, language)

    def localized_intro(self, language=None):
        return pick(self.intro_id, self.intro_en, self.intro_zh, language)


class CollectionItem(models.Model):
    """One product in a collection, at its place in the order buyers see."""

    collection = models.ForeignKey(
        Collection, verbose_name=_("collection"), on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="collection_items",
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["collection", "position", "pk"]
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "product"], name="collection_product_once"
            ),
        ]

    def __str__(self):
        return f"{self.collection} #{self.position}: {self.product_id}"


class ShareLink(TrackedModel):
    """A way into one collection for buyers without an account: whoever holds the token.

    Several per collection, each for one recipient, so that one can be revoked alone.
    """

    collection = models.ForeignKey(
        Collection,
        verbose_name=_("collection"),
        on_delete=models.CASCADE,
        related_name="share_links",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_token, editable=False
    )
    label = models.CharField(
        _("sent to"),
        max_length=200,
        help_text=_("Who this link was given to, e.g. “Ningbo importers' association”."),
    )
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    show_prices = models.BooleanField(_("show prices"), default=False)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    last_viewed_at = models.DateTimeField(_("last viewed"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        """The public page of the collection (what a buyer opens)."""
        return reverse("share_collection", args=[self.token])

    def product_url(self, code):
        return reverse("share_product", args=[self.token, code])

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_live(self):
        return not self.is_revoked and not self.is_expired


class ProductView(models.Model):
    """How often a product's public page was opened through one share link (the funnel's
    "viewed on a share link")."""

    share_link = models.ForeignKey(
        ShareLink, verbose_name=_("share link"), on_delete=models.CASCADE, related_name="views"
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="share_views",
    )
    count = models.PositiveIntegerField(_("views"), default=0)
    first_viewed_at = models.DateTimeField(_("first viewed"), auto_now_add=True)
    last_viewed_at = models.DateTimeField(_("last viewed"), auto_now=True)

    class Meta:
        ordering = ["share_link", "product"]
        verbose_name = _("product view")
        verbose_name_plural = _("product views")
        constraints = [
            models.UniqueConstraint(
                fields=["share_link", "product"], name="product_view_once_per_link"
            ),
        ]

    def __str__(self):
        return f"{self.share_link}: {self.product_id} × {self.count}"


class ExchangeRate(TrackedModel):
    """How many Rupiah one yuan buys, as staff set it on a date: public pages show an
    approximate CNY price from the newest rate, with its date."""

    idr_per_cny = models.DecimalField(
        _("IDR per CNY"), max_digits=10, decimal_places=2, validators=[MinValueValidator(1)]
    )
    valid_on = models.DateField(_("rate of"), default=timezone.localdate)

    class Meta:
        ordering = ["-valid_on", "-pk"]
        get_latest_by = ["valid_on", "pk"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self):
        return f"1 CNY = {self.idr_per_cny} IDR ({self.valid_on})"


class Inquiry(VersionedModel, TrackedModel):
    """What a buyer sent from a share link; staff work it from new to an order or its end.

    ``history`` records who changed status, owner and notes, and when (the buyer's own
    fields never change after the form is sent)."""

    share_link = models.ForeignKey(
        ShareLink,
        verbose_name=_("share link"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    products = models.ManyToManyField(
        "catalogue.Product", verbose_name=_("products"), related_name="inquiries"
    )
    name = models.CharField(_("name"), max_length=100)
    company = models.CharField(_("company"), max_length=200, blank=True)
    city = models.CharField(_("city / country"), max_length=100, blank=True)
    wechat = models.CharField(_("WeChat ID"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), max_length=200, blank=True)
    quantity = models.CharField(_("quantity"), max_length=100, blank=True)
    target_price = models.CharField(_("target price"), max_length=100, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=InquiryLanguage.choices, default=InquiryLanguage.ZH
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InquiryStatus.choices,
        default=InquiryStatus.NEW,
        db_index=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    notes = models.TextField(_("staff notes"), blank=True, max_length=5000)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [models.Index(fields=["status", "-created_at"], name="inquiry_status_created")]

    def __str__(self):
        return f"{self.reference} {self.company or self.name}"

    @property
    def reference(self):
        """How staff name an inquiry in notes and follow-ups: ``INQ-00042``."""
        return f"INQ-{self.pk:05d}" if self.pk else "INQ-new"

    def get_absolute_url(self):
        return reverse("inquiry_detail", args=[self.pk])


class Sample(VersionedModel, TrackedModel):
    """A sample sent to a buyer or to TEC, and what came of it.

    ``occasion`` names the visit or event it was for in words: visits live on the same floor
    (DESIGN.md, "Layout"), so a sample cannot point at a ``visits.Visit`` row.
    """

    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="samples",
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    recipient_kind = models.CharField(
        _("sent to"), max_length=10, choices=SampleRecipient.choices, default=SampleRecipient.BUYER
    )
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    inquiry = models.ForeignKey(
        Inquiry,
        verbose_name=_("inquiry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="samples",
    )
    occasion = models.CharField(
        _("visit or event"), max_length=200, blank=True, help_text=_("e.g. “TEC visit May 2026”.")
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True, db_index=True)
    courier = models.CharField(_("courier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    feedback = models.TextField(_("buyer's feedback"), blank=True)
    cost_idr = models.PositiveBigIntegerField(_("cost (IDR)"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received_on__isnull=True)
                | models.Q(sent_on__isnull=True)
                | models.Q(received_on__gte=models.F("sent_on")),
                name="sample_received_after_sent",
            ),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"

    def get_absolute_url(self):
        return reverse("sample_detail", args=[self.pk])
