"""django-import-export resource for the Django admin's export of products.

Export only, and nothing typed again: the columns are those of
``catalogue.spreadsheets.columns`` and every value is ``columns.row_values``, as in the staff
pages' spreadsheets. Products are imported on the staff import page
(``catalogue.spreadsheets.importing``), which checks every row first, lists conflicts with
newer edits and writes through ``catalogue.product_writes``.
"""

from import_export import fields, resources

from catalogue.models import Product
from catalogue.spreadsheets.columns import KEYS, export_queryset, row_values


class ProductResource(resources.ModelResource):
    class Meta:
        model = Product
        fields = ()  # the columns are declared below, from the column contract
        export_order = KEYS

    def get_export_queryset(self, request=None, **kwargs):
        return export_queryset(super().get_export_queryset(request, **kwargs))

    def export_resource(self, instance, selected_fields=None, **kwargs):
        values = dict(zip(KEYS, row_values(instance), strict=True))
        return [values[field.column_name] for field in self.get_export_fields(selected_fields)]


# One field per column (the admin's export form offers them to choose from); the values
# come from ``export_resource``.
ProductResource.fields = {key: fields.Field(column_name=key, readonly=True) for key in KEYS}
