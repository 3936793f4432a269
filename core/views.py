from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalogue.models import Product
from core import dashboard as stats
from core.roles import role_required
from core.storage import storage_is_healthy
from visits.access import filter_visible_notes
from visits.models import VisitNote


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


@role_required
def dashboard(request):
    try:
        below = max(1, min(100, int(request.GET.get("below", 60))))
    except ValueError:
        below = 60
    roots, matrix, category_totals = stats.regency_category_matrix(below)
    return render(
        request,
        "core/dashboard.html",
        {
            "below": below,
            "product_count": sum(row["n"] for row in matrix),
            "ready_count": Product.objects.filter(readiness_score__gte=75).count(),
            "ready_query": stats.product_query(min_readiness=75),
            "follow_ups": stats.follow_up_figures(),
            "exports_this_month": stats.exports_this_month(),
            "roots": roots,
            "matrix": matrix,
            "regencies": stats.bars(
                {
                    "label": row["regency"].short_name,
                    "query": row["query"],
                    "n": row["n"],
                }
                for row in matrix
            ),
            "categories": stats.bars(
                {
                    "label": str(t["category"]),
                    "query": stats.product_query(category=t["category"].slug),
                    "n": t["n"],
                }
                for t in category_totals
            ),
            "statuses": stats.status_bars(),
            "readiness": stats.readiness_distribution(),
            "recent_notes": filter_visible_notes(
                request.user,
                VisitNote.objects.select_related("author", "producer", "product", "visit"),
            ).order_by("-created_at")[:5],
        },
    )
