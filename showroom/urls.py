from django.urls import path

from showroom import collection_views, inquiry_views, printing, public_views, sample_views

urlpatterns = [
    # Staff
    path("collections/", collection_views.collection_list, name="collection_list"),
    path("collections/new/", collection_views.collection_edit, name="collection_create"),
    path("collections/<int:pk>/", collection_views.collection_detail, name="collection_detail"),
    path("collections/<int:pk>/edit/", collection_views.collection_edit, name="collection_edit"),
    path("collections/for-print/", printing.print_share_link, name="print_share_link"),
    path("inquiries/", inquiry_views.inquiry_list, name="inquiry_list"),
    path("inquiries/<int:pk>/", inquiry_views.inquiry_detail, name="inquiry_detail"),
    path("samples/", sample_views.sample_list, name="sample_list"),
    path("samples/new/", sample_views.sample_edit, name="sample_create"),
    path("samples/<int:pk>/", sample_views.sample_detail, name="sample_detail"),
    path("samples/<int:pk>/edit/", sample_views.sample_edit, name="sample_edit"),
    # Buyers (no login): the token is the only key.
    path("s/<str:token>/", public_views.share_collection, name="share_collection"),
    path("s/<str:token>/<str:code>/", public_views.share_product, name="share_product"),
]
