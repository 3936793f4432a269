from django.urls import path

from visits import views

urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("follow-ups/", views.followup_list, name="followup_list"),
]
