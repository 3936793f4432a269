"""The FilterSets of the inquiry inbox and the sample list: the list page and its export
read them through ``core.listing.ListQuery``, so a spreadsheet holds exactly the rows the
screen shows (as ``catalogue.filtersets`` for products and producers)."""

from datetime import datetime, time

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.filtersets import EARLIEST_DATE, LATEST_DATE, SortFilter
from core.query_bounds import BoundedFilterSet
from regions.models import Regency
from showroom.choices import InquiryStatus, SampleRecipient
from showroom.models import Collection, Inquiry, Sample, ShareLink

DATE_BOUNDS = [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)]
MINE, NOBODY = "mine", "none"


def _date_filter(label, method):
    return django_filters.DateFilter(
        label=label,
        method=method,
        validators=DATE_BOUNDS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _about_products(**lookups):
    """Inquiries with at least one product matching ``lookups``: EXISTS, not a join, so a
    list never repeats an inquiry about several matching products."""
    through = Inquiry.products.through.objects.filter(inquiry_id=OuterRef("pk"))
    return Exists(through.filter(**{f"product__{k}": v for k, v in lookups.items()}))


class InquiryFilterSet(BoundedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, company, message")}
        ),
    )
    status = django_filters.MultipleChoiceFilter(
        distinct=False,
        label=_("Status"),
        choices=InquiryStatus.choices,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    owner = django_filters.ChoiceFilter(
        label=_("Owner"), method="owned_by", choices=[], empty_label=_("Anyone")
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Regency"),
        to_field_name="code",
        queryset=Regency.objects.all(),
        method="about_regency",
        empty_label=_("All regencies"),
    )
    collection = django_filters.ModelChoiceFilter(
        label=_("Collection"), queryset=Collection.objects.all(), empty_label=_("Any collection")
    )
    share_link = django_filters.ModelChoiceFilter(
        label=_("Share link"), queryset=ShareLink.objects.all(), widget=forms.HiddenInput
    )
    product = django_filters.CharFilter(
        label=_("Product code"), method="about_product", max_length=30
    )
    received_from = _date_filter(_("Received from"), "received_after")
    received_to = _date_filter(_("Received up to"), "received_before")
    sort = SortFilter(
        label=_("Sort"),
        tiebreak="-pk",
        fields=[
            ("created_at", "received"),
            ("status", "status"),
            ("company", "company"),
            ("name", "name"),
        ],
    )

    class Meta:
        model = Inquiry
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owners = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(groups__permissions__codename="change_inquiry") | Q(is_superuser=True))
            .distinct()
            .order_by("username")
            .values_list("username", "first_name", "last_name")
        )
        self.form.fields["owner"].choices = [
            ("", _("Anyone")),
            (MINE, _("Mine")),
            (NOBODY, _("Nobody")),
            *[(name, f"{first} {last}".strip() or name) for name, first, last in owners],
        ]

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(company__icontains=word) | Q(message__icontains=word)
            )
        return queryset

    def owned_by(self, queryset, name, value):
        if value == MINE:
            user = getattr(self.request, "user", None)
            return queryset.filter(owner_id=getattr(user, "pk", None))
        if value == NOBODY:
            return queryset.filter(owner__isnull=True)
        return queryset.filter(owner__username=value) if value else queryset

    def about_regency(self, queryset, name, value):
        return queryset.filter(_about_products(producer__regency=value)) if value else queryset

    def about_product(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(_about_products(code=value)) if value else queryset

    def received_after(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value)) if value else queryset

    def received_before(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(created_at__lt=_start_of(value) + timezone.timedelta(days=1))


class SampleFilterSet(BoundedFilterSet):
    SENT, NOT_SENT, IN_TRANSIT, RECEIVED = "sent", "not_sent", "in_transit", "received"

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Product, recipient, tracking number")}
        ),
    )
    product = django_filters.CharFilter(
        label=_("Product code"), field_name="product__code", max_length=30
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Regency"),
        to_field_name="code",
        queryset=Regency.objects.all(),
        field_name="product__producer__regency",
        empty_label=_("All regencies"),
    )
    state = django_filters.ChoiceFilter(
        label=_("Sent / received"),
        method="in_state",
        choices=[
            (SENT, _("Sent")),
            (NOT_SENT, _("Not sent yet")),
            (IN_TRANSIT, _("Sent, not received")),
            (RECEIVED, _("Received")),
        ],
        empty_label=_("Any"),
    )
    recipient_kind = django_filters.ChoiceFilter(
        label=_("Sent to"), choices=SampleRecipient.choices, empty_label=_("Anyone")
    )
    courier = django_filters.CharFilter(
        label=_("Courier"), field_name="courier", lookup_expr="icontains", max_length=100
    )
    inquiry = django_filters.ModelChoiceFilter(
        label=_("Inquiry"), queryset=Inquiry.objects.all(), widget=forms.HiddenInput
    )
    sent_from = _date_filter(_("Sent from"), "sent_after")
    sent_to = _date_filter(_("Sent up to"), "sent_before")
    sort = SortFilter(
        label=_("Sort"),
        tiebreak="-pk",
        fields=[
            ("sent_on", "sent"),
            ("received_on", "received"),
            ("product__code", "product"),
            ("cost_idr", "cost"),
        ],
    )

    class Meta:
        model = Sample
        fields: list[str] = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(product__code__icontains=word)
                | Q(product__name_id__icontains=word)
                | Q(recipient__icontains=word)
                | Q(tracking_number__icontains=word)
                | Q(occasion__icontains=word)
            )
        return queryset

    def in_state(self, queryset, name, value):
        return {
            self.SENT: queryset.filter(sent_on__isnull=False),
            self.NOT_SENT: queryset.filter(sent_on__isnull=True),
            self.IN_TRANSIT: queryset.filter(sent_on__isnull=False, received_on__isnull=True),
            self.RECEIVED: queryset.filter(received_on__isnull=False),
        }.get(value, queryset)

    def sent_after(self, queryset, name, value):
        return queryset.filter(sent_on__gte=value) if value else queryset

    def sent_before(self, queryset, name, value):
        return queryset.filter(sent_on__lte=value) if value else queryset
