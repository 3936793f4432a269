"""django-import-export resource for the Django admin's import and export of products.

The same column keys as the staff pages' spreadsheets (``catalogue.columns``), and the
same readings of cells (``catalogue.importing``: Indonesian prices, HS codes in any usual
form, statuses by key or label). The staff import page does not use this resource: it
checks every row in bulk and shows a diff first (``catalogue.importing``); the admin
import is for administrators and works row by row, saving through ``Product.save`` so that
signals keep readiness current.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from catalogue.choices import PackagingStatus, PromotionStatus
from catalogue.columns import KEYS, format_certifications, photo_url
from catalogue.importing import (
    NUMBER_LIMITS,
    CellError,
    cell_text,
    choice_lookup,
    hs_code_text,
    parse_whole_number,
)
from catalogue.models import Category, HSCode, Producer, Product
from catalogue.services import log_status_change


class WholeNumberWidget(widgets.IntegerWidget):
    """``1.250.000``, ``Rp 1.250.000,00`` and ``1,250,000`` as 1250000 (see importing)."""

    def __init__(self, key, **kwargs):
        super().__init__(**kwargs)
        self.key = key

    def clean(self, value, row=None, **kwargs):
        try:
            return parse_whole_number(value, self.key)
        except CellError as exc:
            raise ValueError(str(exc)) from exc


class ChoiceWidget(widgets.Widget):
    """A choice by its key or by its label in any UI language."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(_("Must not be empty."))
        choice = choice_lookup(self.choices).get(text.lower())
        if choice is None:
            raise ValueError(
                _("%(value)s is not one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(self.choices.values)}
            )
        return choice


class HSCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(HSCode, "code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        code = hs_code_text(value)
        if not code:
            return None
        hs = HSCode.objects.filter(code=code, level=6).first()
        if hs is None:
            raise ValueError(
                _("%(value)s is not an HS code in the HS 2022 list.") % {"value": cell_text(value)}
            )
        return hs

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class ProductResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="code")
    producer_code = fields.Field(
        attribute="producer",
        column_name="producer_code",
        widget=widgets.ForeignKeyWidget(Producer, "code"),
    )
    producer_name = fields.Field(
        attribute="producer__name", column_name="producer_name", readonly=True
    )
    regency = fields.Field(
        attribute="producer__regency__name", column_name="regency", readonly=True
    )
    district = fields.Field(
        attribute="producer__district__name", column_name="district", readonly=True
    )
    category = fields.Field(
        attribute="category",
        column_name="category",
        widget=widgets.ForeignKeyWidget(Category, "slug"),
    )
    status = fields.Field(
        attribute="status", column_name="status", widget=ChoiceWidget(PromotionStatus)
    )
    readiness = fields.Field(attribute="readiness_score", column_name="readiness", readonly=True)
    hs_code = fields.Field(attribute="hs_code", column_name="hs_code", widget=HSCodeWidget())
    packaging_status = fields.Field(
        attribute="packaging_status",
        column_name="packaging_status",
        widget=ChoiceWidget(PackagingStatus),
    )
    certifications = fields.Field(column_name="certifications", readonly=True)
    photo_url = fields.Field(column_name="photo_url", readonly=True)
    updated_at = fields.Field(attribute="updated_at", column_name="updated_at", readonly=True)

    class Meta:
        model = Product
        fields = KEYS
        export_order = KEYS
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True  # Product.clean: shelf life for food, 6-digit HS

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for key in NUMBER_LIMITS:
            self.fields[key].widget = WholeNumberWidget(key)

    def get_export_queryset(self, request=None, **kwargs):
        from catalogue.columns import export_queryset

        return export_queryset(super().get_export_queryset(request, **kwargs))

    def dehydrate_certifications(self, product):
        certifications = getattr(product, "certification_list", None)
        return format_certifications(
            certifications if certifications is not None else product.certifications.all()
        )

    def dehydrate_photo_url(self, product):
        return photo_url(product)

    def before_save_instance(self, instance, row, **kwargs):
        """Stamp the user, bump the version and remember the status before the save."""
        user = kwargs.get("user")
        instance.stamp(user)
        if instance.pk:
            instance.version += 1
            instance._status_before_import = (
                Product.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
            )
        else:
            instance._status_before_import = ""
        if instance.status == PromotionStatus.NOT_SUITABLE and not instance.not_suitable_reason:
            raise ValidationError(
                {"status": _("not_suitable needs a reason: set this status on the product's page.")}
            )

    def after_save_instance(self, instance, row, **kwargs):
        # On a dry run this is rolled back with the rest (use_transactions).
        before = getattr(instance, "_status_before_import", instance.status)
        if before != instance.status:
            log_status_change(instance, before, kwargs.get("user"))
