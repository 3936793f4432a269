from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language

from core import views as core_views
from core.auth_views import LogoutPage
from core.security import serve_media

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/logout/", LogoutPage.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", core_views.dashboard, name="dashboard"),
    path("", include("catalogue.urls")),
    path("", include("visits.urls")),
]

if settings.SERVE_MEDIA:
    # Behind LoginRequiredMiddleware like every other view: photos of producers' homes
    # are not public. Served so that a browser never runs an uploaded file.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
