from collections.abc import Sequence

from django import forms
from django.forms import inlineformset_factory, modelformset_factory
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalogue.choices import PromotionStatus
from catalogue.documents import validate_certificate_document
from catalogue.models import Certification, Producer, Product, ProductPhoto, Tag
from catalogue.validators import normalise_hs_code, validate_hs_code
from core.locking import OptimisticLockForm
from core.uploads import MultipleImageField
from core.widgets import speed_up_selects
from regions.models import District


class DistrictOfRegencyMixin:
    """The district list shows the districts of the chosen regency, grouped by regency."""

    def _group_districts(self):
        field = self.fields["district"]
        field.queryset = District.objects.select_related("regency")
        groups = {}
        for district in field.queryset:
            groups.setdefault(district.regency.short_name, []).append(
                (district.pk, f"{district.name} ({district.code})")
            )
        field.choices = [("", "---------")] + list(groups.items())


class FieldsetsMixin:
    """``FIELDSETS`` = [(legend, [field names])]; templates loop over ``form.fieldsets``."""

    FIELDSETS: Sequence[tuple[str | Promise, list[str]]] = ()

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]


PRODUCER_FIELDSETS = [
    (_("Producer"), ["name", "kind", "nib", "year_founded", "workers"]),
    (_("Location"), ["regency", "district", "village", "address", "latitude", "longitude"]),
    (_("Contact"), ["contact_person", "phone", "whatsapp", "email"]),
    (_("Export"), ["has_exported", "export_experience"]),
    (_("Description"), ["description_id", "description_en", "description_zh"]),
]


class ProducerForm(FieldsetsMixin, DistrictOfRegencyMixin, OptimisticLockForm, forms.ModelForm):
    FIELDSETS = PRODUCER_FIELDSETS
    # Wider than the model's 13 so that "9120 0012 34567" reaches clean_nib and is accepted.
    nib = forms.CharField(
        label=Producer._meta.get_field("nib").verbose_name,
        help_text=Producer._meta.get_field("nib").help_text,
        max_length=30,
        required=False,
    )

    class Meta:
        model = Producer
        fields = [name for _legend, names in PRODUCER_FIELDSETS for name in names]
        widgets = {
            "export_experience": forms.Textarea(attrs={"rows": 3}),
            "description_id": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, regencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regencies is not None:
            self.fields["regency"].queryset = regencies
        self._group_districts()

    def clean_nib(self):
        return "".join(self.cleaned_data["nib"].split())


PRODUCT_FIELDSETS = [
    (_("Product"), ["producer", "category", "name_id", "name_en", "name_zh"]),
    (_("Description"), ["description_id", "description_en", "description_zh"]),
    (_("Materials"), ["materials_id", "materials_en", "materials_zh"]),
    (
        _("Size and trade terms"),
        [
            "length_cm",
            "width_cm",
            "height_cm",
            "weight_kg",
            "unit",
            "price_idr",
            "moq",
            "capacity_per_month",
            "lead_time_days",
        ],
    ),
    (
        _("Export to China"),
        [
            "hs_code",
            "origin_criterion",
            "shelf_life_days",
            "storage_conditions_id",
            "storage_conditions_en",
            "storage_conditions_zh",
            "label_status",
            "gacc_route",
            "importer_known",
            "batch_coding",
        ],
    ),
    (
        _("Packaging"),
        [
            "packaging_description_id",
            "packaging_description_en",
            "packaging_description_zh",
            "packaging_status",
            "wood_packaging",
        ],
    ),
    (
        _("Promotion"),
        ["status", "status_reason", "confirm_gaps", "not_suitable_reason", "tags"],
    ),
]
# Form-only fields that are not model fields.
_PRODUCT_FORM_ONLY = {"status_reason", "confirm_gaps"}


class ProductForm(FieldsetsMixin, OptimisticLockForm, forms.ModelForm):
    """Food needs a shelf life and *not suitable* a reason: ``Product.clean`` checks both,
    for this form, the admin's and the import's rows alike."""

    FIELDSETS = PRODUCT_FIELDSETS
    hs_code = forms.CharField(
        label=_("HS code"),
        required=False,
        max_length=10,
        help_text=_("6 digits, e.g. 2402.10 (HS 2022)."),
    )
    status_reason = forms.CharField(
        label=_("Reason for the status change"),
        required=False,
        widget=forms.TextInput,
    )
    confirm_gaps = forms.BooleanField(
        label=_("Move on despite open readiness gaps"),
        required=False,
        help_text=_("Needed to shortlist or promote a product that still lacks something."),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Product
        fields = [
            name
            for _legend, names in PRODUCT_FIELDSETS
            for name in names
            if name not in _PRODUCT_FORM_ONLY
        ]
        widgets = {
            "description_id": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "packaging_description_id": forms.Textarea(attrs={"rows": 2}),
            "packaging_description_en": forms.Textarea(attrs={"rows": 2}),
            "packaging_description_zh": forms.Textarea(attrs={"rows": 2}),
            "not_suitable_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, producers=None, **kwargs):
        super().__init__(*args, **kwargs)
        producer_field = self.fields["producer"]
        producer_field.queryset = producers if producers is not None else Producer.objects.all()
        # The options from plain values: 5,000 producer instances (with their regencies)
        # cost ~100 ms per form. The field still validates against its queryset.
        options = producer_field.queryset.order_by("code").values_list(
            "pk", "code", "name", "regency__name"
        )
        producer_field.widget.choices = [("", producer_field.empty_label)] + [
            (pk, f"{code} · {name} ({regency})") for pk, code, name, regency in options
        ]
        self.fields["category"].queryset = self.fields["category"].queryset.select_related("parent")
        self.fields["category"].label_from_instance = lambda c: (
            f"{c.parent.localized_name()} › {c.localized_name()}" if c.parent else str(c)
        )
        if self.instance.pk:
            self.fields["hs_code"].initial = self.instance.hs_code_id or ""
        speed_up_selects(self)  # 5,000 producers: 500 ms → ~100 ms per form

    def clean_hs_code(self):
        value = self.cleaned_data["hs_code"].strip()
        if not value:
            return None
        validate_hs_code(value)
        from catalogue.models import HSCode

        return HSCode.objects.get(code=normalise_hs_code(value))


class PhotoUploadForm(forms.Form):
    photos = MultipleImageField(
        label=_("Add photos"),
        help_text=_("JPEG, PNG or WebP, up to 10 MB and 40 megapixels each."),
    )


class PhotoForm(forms.ModelForm):
    class Meta:
        model = ProductPhoto
        fields = ["position", "caption"]
        widgets = {"position": forms.NumberInput(attrs={"min": 0, "max": 99})}


PhotoFormSet = modelformset_factory(ProductPhoto, form=PhotoForm, extra=0, can_delete=True)


class CertificationForm(forms.ModelForm):
    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_certificate_document(document)
        return document


CertificationFormSet = inlineformset_factory(
    Product,
    Certification,
    form=CertificationForm,
    fields=["kind", "number", "issuer", "issued_on", "expires_on", "document"],
    widgets={
        "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    },
    extra=1,
    can_delete=True,
)


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("status", _("Change status")),
        ("add_tag", _("Add tag")),
        ("remove_tag", _("Remove tag")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[("", "---------"), *PromotionStatus.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    confirm_gaps = forms.BooleanField(label=_("Move on despite open gaps"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    select_all = forms.BooleanField(required=False)
    selected = forms.MultipleChoiceField(required=False, choices=())
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Codes are checked against the filtered queryset by the view, not against choices.
        self.fields["selected"].choices = [(c, c) for c in self.data.getlist("selected")]

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "status":
            if not cleaned.get("status"):
                self.add_error("status", _("Choose the new status."))
            elif cleaned["status"] == PromotionStatus.NOT_SUITABLE and not cleaned.get("reason"):
                self.add_error("reason", _("Say why the products are not suitable."))
        if action in ("add_tag", "remove_tag") and not cleaned.get("tag", "").strip():
            self.add_error("tag", _("Name the tag."))
        if not cleaned.get("select_all") and not cleaned.get("selected"):
            raise forms.ValidationError(_("Select at least one product."))
        return cleaned
