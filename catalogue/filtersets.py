"""One FilterSet per listed model: the list page, the export and bulk actions all use it,
so a spreadsheet always holds exactly the rows the screen shows."""

from datetime import date

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections
from django.db.models import BigIntegerField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Lower, NullIf
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from catalogue import search
from catalogue.choices import CertificationKind, PackagingStatus, ProducerKind, PromotionStatus
from catalogue.models import (
    Category,
    Certification,
    ImportBatch,
    Producer,
    Product,
    ProductPhoto,
    Tag,
)
from catalogue.readiness import RULES
from catalogue.search import EqualsAnyOfArray
from core.localization import language_suffix, pick
from core.query_bounds import BoundedFilterSet
from core.widgets import speed_up_widgets
from regions.models import District, Regency

EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(9999, 12, 30)
YES_NO = [("", _("Any")), ("1", _("Yes")), ("0", _("No"))]


def localized(indonesian, english, chinese):
    """The text field of the UI language, falling back to Indonesian when it is empty
    (as ``core.localization.pick``), lower-cased: what the user reads, in reading order."""
    chosen = {"id": indonesian, "en": english, "zh": chinese}[language_suffix()]
    if chosen == indonesian:
        return Lower(F(indonesian))
    return Lower(Coalesce(NullIf(F(chosen), Value("")), F(indonesian)))


def category_tree_choices(empty_label):
    """Each top-level category followed by its own, indented, in the language shown (as
    ``Category.localized_name``; read as values: every list page builds this)."""
    children = {}
    for pk, parent, slug, *names in Category.objects.values_list(
        "pk", "parent_id", "slug", "name", "name_en", "name_zh"
    ):
        children.setdefault(parent, []).append((pk, slug, pick(*names)))
    choices = [("", empty_label)]
    for pk, slug, name in children.get(None, []):
        choices.append((slug, name))
        choices += [(child, f"— {label}") for _pk, child, label in children.get(pk, [])]
    return choices


class SortFilter(django_filters.OrderingFilter):
    """A sort by the texts the user reads, with a unique last key so pages never overlap.

    ``by`` maps a sort key ("name") to a function giving the expression to order by in
    the active language; other keys order by their field, as OrderingFilter does.
    """

    def __init__(self, *args, by=None, tiebreak="code", **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by or {}
        self.tiebreak = tiebreak

    def build_choices(self, fields, labels):
        # django-filter formats "<label> (descending)" once, when the FilterSet class is
        # defined, in the default language, and its own catalogue lacks Indonesian: the
        # labels came out as "Harga (descending)" for everyone. Lazy, they follow the
        # language of each request.
        choices = super().build_choices(fields, labels)
        return [
            (value, format_lazy(_("{label} (descending)"), label=choices[i - 1][1]))
            if value.startswith("-") and value not in labels
            else (value, label)
            for i, (value, label) in enumerate(choices)
        ]

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            key = param.lstrip("-")
            if key in self.by:
                expression = self.by[key]()
                ordering.append(expression.desc() if param.startswith("-") else expression.asc())
            else:
                ordering.append(self.get_ordering_value(param))
        return qs.order_by(*ordering, self.tiebreak)


class RegencyDistrictMixin:
    """``district`` offers only the districts of the chosen ``regency``."""

    # For ``core.listing.ChipsOfQueries``: a district counts only in its own regency.
    limited_by = {"district": ("regency", "regency.code")}

    def _limit_districts(self):
        regency_code = self.data.get("regency")
        districts = District.objects.select_related("regency")
        if regency_code:
            districts = districts.filter(regency__code=regency_code)
        self.filters["district"].queryset = districts
        self.form.fields["district"].queryset = districts
        speed_up_widgets(self.form)


class ProductFilterSet(RegencyDistrictMixin, BoundedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Code, name, producer, HS")}
        ),
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Regency"),
        to_field_name="code",
        queryset=Regency.objects.all(),
        method="of_producers_in",
        empty_label=_("All regencies"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        to_field_name="code",
        queryset=District.objects.all(),
        method="of_producers_in",
        empty_label=_("All districts"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        to_field_name="slug",
        queryset=Category.objects.select_related("parent"),
        method="in_category",
        empty_label=_("All categories"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Producer kind"),
        field_name="producer__kind",
        choices=ProducerKind.choices,
        empty_label=_("All kinds"),
    )
    # distinct=False: a product has one status, so no duplicate rows (and no costly DISTINCT).
    status = django_filters.MultipleChoiceFilter(
        distinct=False,
        label=_("Promotion status"),
        choices=PromotionStatus.choices,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    min_readiness = django_filters.NumberFilter(
        max_digits=5,
        decimal_places=2,
        label=_("Readiness at least (%)"),
        field_name="readiness_score",
        lookup_expr="gte",
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    )
    max_readiness = django_filters.NumberFilter(
        max_digits=5,
        decimal_places=2,
        label=_("Readiness below (%)"),
        field_name="readiness_score",
        lookup_expr="lt",
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    )
    missing = django_filters.ChoiceFilter(
        label=_("Missing"),
        choices=[(r.key, r.label) for r in RULES],
        method="missing_gap",
        empty_label=_("Anything"),
    )
    packaging_status = django_filters.ChoiceFilter(
        label=_("Packaging"),
        choices=PackagingStatus.choices,
        empty_label=_("Any"),
    )
    certification = django_filters.ChoiceFilter(
        label=_("Valid certification"),
        choices=CertificationKind.choices,
        method="with_certification",
        empty_label=_("Any"),
    )
    has_photo = django_filters.ChoiceFilter(
        label=_("Has photo"),
        choices=YES_NO[1:],
        method="with_photo",
        empty_label=_("Any"),
    )
    # Digits bounded: "1e999999999" is a valid Decimal, and turning it into the integer
    # the price column compares with took minutes. 15 digits hold any price in rupiah.
    price_min = django_filters.NumberFilter(
        label=_("Price from (Rp)"),
        field_name="price_idr",
        lookup_expr="gte",
        max_digits=15,
        decimal_places=2,
    )
    price_max = django_filters.NumberFilter(
        label=_("Price up to (Rp)"),
        field_name="price_idr",
        lookup_expr="lte",
        max_digits=15,
        decimal_places=2,
    )
    updated_since = django_filters.DateFilter(
        label=_("Updated since"),
        method="updated_since_filter",
        # Midnight of 0001-01-01 in Jakarta is in year 0 in UTC: Python's datetime cannot
        # hold it (OverflowError), so dates outside these are "not understood".
        validators=[MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # Completeness of the buyer-read texts (catalogue.completeness): below 100 % or full.
    en_incomplete = django_filters.ChoiceFilter(
        label=_("English texts incomplete"),
        choices=YES_NO[1:],
        method="texts_incomplete",
        empty_label=_("Any"),
    )
    zh_incomplete = django_filters.ChoiceFilter(
        label=_("Chinese texts incomplete"),
        choices=YES_NO[1:],
        method="texts_incomplete",
        empty_label=_("Any"),
    )
    tag = django_filters.ModelChoiceFilter(
        distinct=False,
        label=_("Tag"),
        field_name="tags",
        to_field_name="slug",
        queryset=Tag.objects.all(),
        empty_label=_("Any tag"),
    )
    producer = django_filters.ModelChoiceFilter(
        label=_("Producer"),
        to_field_name="code",
        queryset=Producer.objects.all(),
        widget=forms.HiddenInput,
    )
    imported = django_filters.ModelChoiceFilter(
        label=_("Changed by import"),
        # Only what the label and the filter read: a batch's summary and changed codes
        # grow with its rows (180 kB for 10,000), and every list page read them all.
        queryset=ImportBatch.objects.filter(status=ImportBatch.Status.APPLIED).only(
            "original_name", "status", "applied_at", "created_at"
        ),
        method="changed_by_import",
        empty_label=_("Any"),
    )
    sort = SortFilter(
        label=_("Sort"),
        by={
            "name": lambda: localized("name_id", "name_en", "name_zh"),
            "category": lambda: localized(
                "category__name", "category__name_en", "category__name_zh"
            ),
            "producer": lambda: Lower("producer__name"),
        },
        fields=[
            ("code", "code"),
            ("name_id", "name"),
            ("producer__name", "producer"),
            ("producer__regency__code", "regency"),
            ("category__name", "category"),
            ("status", "status"),
            ("readiness_score", "readiness"),
            ("completeness_en", "completeness_en"),
            ("completeness_zh", "completeness_zh"),
            ("price_idr", "price"),
            ("updated_at", "updated"),
        ],
        field_labels={
            "completeness_en": _("English texts"),
            "completeness_zh": _("Chinese texts"),
        },
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_districts()
        self.form.fields["category"].widget.choices = category_tree_choices(
            self.form.fields["category"].empty_label
        )

    def search(self, queryset, name, value):
        # On PostgreSQL fuzzy matches follow exact ones, unless the user chose a sort.
        return search.products(queryset, value, rank=not self.data.get("sort"))

    def of_producers_in(self, queryset, name, value):
        # "producer_id IN (producers of the district)" lets the database walk the
        # (producer, status) index instead of joining every product to its producer.
        if not value:
            return queryset
        if name == "regency":
            # The product keeps its producer's regency: with the status and ``q`` one
            # index scan answers all three on PostgreSQL (migration 0015). The key goes in as
            # a bigint: btree_gin compares only values of the column's own type.
            return queryset.filter(regency_id=Cast(Value(value.pk), BigIntegerField()))
        producers = Producer.objects.filter(**{name: value}).order_by().values("pk")
        if connections[queryset.db].vendor == "postgresql":
            # "= ANY(ARRAY(…))" is computed once, and PostgreSQL then estimates the rows
            # from the index of producer_id. With "IN (subquery)" it walked the code index
            # hoping to meet the district's products early, though their codes all start
            # with the regency's abbreviation.
            return queryset.filter(EqualsAnyOfArray(F("producer_id"), Subquery(producers)))
        return queryset.filter(producer_id__in=Subquery(producers))

    def in_category(self, queryset, name, value):
        return queryset.filter(category_id__in=value.descendant_ids()) if value else queryset

    def missing_gap(self, queryset, name, value):
        # Gaps are stored as a JSON list of rule keys; a quoted text match works on SQLite
        # and PostgreSQL alike (rule keys never contain one another in quotes).
        return queryset.filter(readiness_gaps__icontains=f'"{value}"') if value else queryset

    def with_certification(self, queryset, name, value):
        if not value:
            return queryset
        valid = Certification.objects.filter(product=OuterRef("pk"), kind=value).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
        )
        return queryset.filter(Exists(valid))

    def texts_incomplete(self, queryset, name, value):
        field = f"completeness_{name.split('_')[0]}"
        if value == "1":
            return queryset.filter(**{f"{field}__lt": 100})
        return queryset.filter(**{field: 100}) if value == "0" else queryset

    def with_photo(self, queryset, name, value):
        if value in ("", None):
            return queryset
        photos = Exists(ProductPhoto.objects.filter(product=OuterRef("pk")))
        return queryset.filter(photos if value == "1" else ~photos)

    def updated_since_filter(self, queryset, name, value):
        if not value:
            return queryset
        start = timezone.make_aware(timezone.datetime.combine(value, timezone.datetime.min.time()))
        return queryset.filter(updated_at__gte=start)

    def changed_by_import(self, queryset, name, value):
        from catalogue.spreadsheets.importing import products_changed_by

        return queryset.filter(pk__in=products_changed_by(value)) if value else queryset


def register_product_filters(**filters):
    """Add filters of a higher app to the product list (the showroom's "viewed on a share
    link", "with inquiries", …), which the catalogue may not import. Call it from that
    app's ``AppConfig.ready()``: the list, its export, saved filters and the dashboard's
    links then all read them, as any other filter of ``ProductFilterSet``."""
    for name, filter_ in filters.items():
        if filter_.field_name is None:
            filter_.field_name = name
        ProductFilterSet.base_filters[name] = filter_


class ProducerFilterSet(RegencyDistrictMixin, BoundedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code, name, contact")}),
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Regency"),
        to_field_name="code",
        queryset=Regency.objects.all(),
        empty_label=_("All regencies"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        to_field_name="code",
        queryset=District.objects.all(),
        empty_label=_("All districts"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ProducerKind.choices, empty_label=_("All kinds")
    )
    has_exported = django_filters.ChoiceFilter(
        label=_("Has exported"), choices=YES_NO[1:], method="exported", empty_label=_("Any")
    )
    sort = SortFilter(
        label=_("Sort"),
        by={"name": lambda: Lower("name")},
        fields=[
            ("code", "code"),
            ("name", "name"),
            ("regency__code", "regency"),
            ("kind", "kind"),
            ("updated_at", "updated"),
        ],
    )

    class Meta:
        model = Producer
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_districts()

    def search(self, queryset, name, value):
        return search.producers(queryset, value)

    def exported(self, queryset, name, value):
        return queryset.filter(has_exported=value == "1") if value in ("0", "1") else queryset
