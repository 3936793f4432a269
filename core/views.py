from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
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
