from django.urls import path

from catalogue import delete_views, file_views, producer_views, translate_views, views
from catalogue.printables import lookbook, sheets
from catalogue.spreadsheets import export_views, import_views

urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_edit, name="product_create"),
    path("products/bulk/", views.product_bulk, name="product_bulk"),
    path("products/export/", export_views.product_export, name="product_export"),
    path("producers/export/", export_views.producer_export, name="producer_export"),
    path("exports/", export_views.export_history, name="export_history"),
    path("exports/compare/", export_views.export_diff, name="export_diff"),
    path("products/import/", import_views.product_import, name="product_import"),
    path(
        "products/import/template.xlsx",
        import_views.product_import_template,
        name="product_import_template",
    ),
    path(
        "products/import/<int:pk>/",
        import_views.product_import_preview,
        name="product_import_preview",
    ),
    path("products/lookbook/", lookbook.product_lookbook, name="product_lookbook"),
    path("products/lookbook/built/<int:pk>/", lookbook.built_lookbook, name="built_lookbook"),
    path("products/translate/", translate_views.product_translate, name="product_translate"),
    path("products/<str:code>/sheet/", sheets.product_sheet, name="product_sheet"),
    path("products/<str:code>/", views.product_detail, name="product_detail"),
    path("products/<str:code>/edit/", views.product_edit, name="product_edit"),
    path("products/<str:code>/delete/", delete_views.product_delete, name="product_delete"),
    path(
        "files/certificates/<int:pk>/",
        file_views.certificate_document,
        name="certificate_document",
    ),
    path("files/imports/<int:pk>/", file_views.import_file, name="import_file"),
    path("producers/", producer_views.producer_list, name="producer_list"),
    path("producers/new/", producer_views.producer_edit, name="producer_create"),
    path("producers/<str:code>/", producer_views.producer_detail, name="producer_detail"),
    path("producers/<str:code>/edit/", producer_views.producer_edit, name="producer_edit"),
    path("producers/<str:code>/delete/", delete_views.producer_delete, name="producer_delete"),
]
