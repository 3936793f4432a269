from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language

from core import views as core_views
from core.auth_views import LogoutPage, password_reset_unavailable
from core.security import serve_media

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # django.contrib.auth.urls, one by one: password reset is off (no e-mail; an
    # administrator sets passwords), so its four URLs show a page saying so.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutPage.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password_reset/", password_reset_unavailable, name="password_reset"),
    path("accounts/password_reset/done/", password_reset_unavailable, name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        password_reset_unavailable,
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", password_reset_unavailable, name="password_reset_complete"),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("core.jobs.urls")),
    path("", include("home.urls")),
    path("", include("catalogue.urls")),
    path("", include("visits.urls")),
    path("", include("showroom.urls")),
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
