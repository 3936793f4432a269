from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.storage import storage_is_healthy


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Database and upload-storage check for load balancers; no login, no secrets."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        database = "error"
    storage = "ok" if storage_is_healthy() else "error"
    healthy = database == storage == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "storage": storage},
        status=200 if healthy else 503,
    )


def csrf_failure(request, reason=""):
    """The page of a form refused by the CSRF check (settings.CSRF_FAILURE_VIEW), in the
    user's language and the site's layout instead of Django's English page.

    The usual causes for a person: the page was open so long that the login expired, or
    the browser blocks cookies. ``reason`` is Django's technical reason, shown with DEBUG.
    """
    context = {
        "reason": reason if settings.DEBUG else "",
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
    }
    return render(request, "403_csrf.html", context, status=403)
