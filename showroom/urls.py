from django.urls import path

from showroom import (
    collection_views,
    inquiry_views,
    link_views,
    printing,
    public_views,
    sample_views,
)

urlpatterns = [
    # Staff
    path("collections/", collection_views.collection_list, name="collection_list"),
    path("collections/new/", collection_views.collection_edit, name="collection_create"),
    path("collections/<int:pk>/", collection_views.collection_detail, name="collection_detail"),
    path("collections/<int:pk>/edit/", collection_views.collection_edit, name="collection_edit"),
    path(
        "collections/<int:pk>/delete/", collection_views.collection_delete, name="collection_delete"
    ),
    path(
        "collections/<int:pk>/products/", collection_views.collection_items, name="collection_items"
    ),
    path(
        "collections/add/",
        collection_views.collection_add_products,
        name="collection_add_products",
    ),
    path("collections/<int:pk>/links/", link_views.link_create, name="sharelink_create"),
    path("collections/links/<int:pk>/revoke/", link_views.link_revoke, name="sharelink_revoke"),
    path("collections/rate/", link_views.exchange_rate_create, name="exchange_rate_create"),
    path("collections/for-print/", printing.print_share_link, name="print_share_link"),
    path("inquiries/", inquiry_views.inquiry_list, name="inquiry_list"),
    path("inquiries/export/", inquiry_views.inquiry_export, name="inquiry_export"),
    path("inquiries/<int:pk>/", inquiry_views.inquiry_detail, name="inquiry_detail"),
    path("samples/", sample_views.sample_list, name="sample_list"),
    path("samples/export/", sample_views.sample_export, name="sample_export"),
    path("samples/new/", sample_views.sample_edit, name="sample_create"),
    path("samples/<int:pk>/", sample_views.sample_detail, name="sample_detail"),
    path("samples/<int:pk>/edit/", sample_views.sample_edit, name="sample_edit"),
    # Buyers (no login): the token is the only key.
    path("s/<str:token>/", public_views.share_collection, name="share_collection"),
    path("s/<str:token>/<str:code>/", public_views.share_product, name="share_product"),
]
