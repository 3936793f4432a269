from django.urls import path

from visits import file_views, followup_views, note_views, views

urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_edit, name="visit_create"),
    path("visits/today/", views.visit_today, name="visit_today"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/report/", views.visit_report_page, name="visit_report"),
    path("visits/<int:pk>/export.xlsx", views.visit_export, name="visit_export"),
    path("visits/<int:pk>/stops/add/", views.stop_add, name="stop_add"),
    path("visits/<int:pk>/stops/<int:stop_pk>/edit/", views.stop_edit, name="stop_edit"),
    path("visits/<int:pk>/stops/<int:stop_pk>/move/", views.stop_move, name="stop_move"),
    path("visits/<int:pk>/stops/<int:stop_pk>/status/", views.stop_status, name="stop_status"),
    path("visits/<int:pk>/stops/<int:stop_pk>/delete/", views.stop_delete, name="stop_delete"),
    path("visits/<int:pk>/notes/new/", note_views.note_create, name="visit_note_create"),
    path("notes/new/", note_views.note_create, name="note_create"),
    path("notes/products/", note_views.note_products, name="note_products"),
    path("notes/<int:pk>/edit/", note_views.note_edit, name="note_edit"),
    path(
        "notes/<int:pk>/follow-ups/",
        followup_views.followups_from_note,
        name="note_follow_ups",
    ),
    path("files/notes/<int:pk>/", file_views.note_photo, name="note_photo"),
    path(
        "files/notes/<int:pk>/thumbnail/",
        file_views.note_photo,
        {"thumbnail": True},
        name="note_photo_thumbnail",
    ),
    path("follow-ups/", followup_views.followup_list, name="followup_list"),
    path("follow-ups/mine/", followup_views.followup_list, {"mine": True}, name="followup_mine"),
    path("follow-ups/<int:pk>/edit/", followup_views.followup_edit, name="followup_edit"),
    path("follow-ups/<int:pk>/close/", followup_views.followup_close, name="followup_close"),
]
