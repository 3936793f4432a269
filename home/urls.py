from django.urls import path

from home import inquiry_follow_ups, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "inquiries/<int:pk>/follow-ups/",
        inquiry_follow_ups.follow_ups_from_inquiry,
        name="inquiry_follow_ups",
    ),
]
