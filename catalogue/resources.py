"""django-import-export resource for the Django admin's export of products.

The same column keys as the staff pages' spreadsheets (``catalogue.spreadsheets.columns``). Export
only: products are imported on the staff import page (``catalogue.spreadsheets.importing``), which
checks every row first, lists conflicts with newer edits and writes in one transaction.
"""

from import_export import fields, resources, widgets

from catalogue.models import Category, HSCode, Producer, Product
from catalogue.spreadsheets.columns import KEYS, format_certifications, photo_url


class ProductResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="code")
    producer_code = fields.Field(
        attribute="producer",
        column_name="producer_code",
        widget=widgets.ForeignKeyWidget(Producer, "code"),
    )
    producer_name = fields.Field(attribute="producer__name", column_name="producer_name")
    regency = fields.Field(attribute="producer__regency__name", column_name="regency")
    district = fields.Field(attribute="producer__district__name", column_name="district")
    category = fields.Field(
        attribute="category",
        column_name="category",
        widget=widgets.ForeignKeyWidget(Category, "slug"),
    )
    status = fields.Field(attribute="status", column_name="status")
    readiness = fields.Field(attribute="readiness_score", column_name="readiness")
    hs_code = fields.Field(
        attribute="hs_code", column_name="hs_code", widget=widgets.ForeignKeyWidget(HSCode, "code")
    )
    packaging_status = fields.Field(attribute="packaging_status", column_name="packaging_status")
    certifications = fields.Field(column_name="certifications")
    photo_url = fields.Field(column_name="photo_url")
    updated_at = fields.Field(attribute="updated_at", column_name="updated_at")

    class Meta:
        model = Product
        fields = KEYS
        export_order = KEYS

    def get_export_queryset(self, request=None, **kwargs):
        from catalogue.spreadsheets.columns import export_queryset

        return export_queryset(super().get_export_queryset(request, **kwargs))

    def dehydrate_certifications(self, product):
        certifications = getattr(product, "certification_list", None)
        return format_certifications(
            certifications if certifications is not None else product.certifications.all()
        )

    def dehydrate_photo_url(self, product):
        return photo_url(product)
