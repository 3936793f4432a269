from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalogue.choices import PromotionStatus
from catalogue.models import Category, Product
from core.roles import role_required
from regions.models import Regency
from visits.choices import FollowUpStatus
from visits.models import FollowUp, VisitNote


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers; no login, no secrets."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database}, status=status
    )


def _bars(rows, total_key="n"):
    """Rows with a ``share`` (0–100) of the largest count, for CSS bar charts."""
    rows = list(rows)
    top = max((row[total_key] for row in rows), default=0) or 1
    for row in rows:
        row["share"] = round(100 * row[total_key] / top)
    return rows


@role_required
def dashboard(request):
    by_regency = {
        r["producer__regency"]: r["n"]
        for r in Product.objects.values("producer__regency").annotate(n=Count("pk"))
    }
    regencies = _bars(
        {"label": r.short_name, "query": f"regency={r.code}", "n": by_regency.get(r.pk, 0)}
        for r in Regency.objects.all()
    )
    top_categories = {c.pk: c for c in Category.objects.filter(parent=None)}
    all_categories = {c.pk: c for c in Category.objects.all()}
    category_counts = {}
    for row in Product.objects.values("category").annotate(n=Count("pk")):
        category = all_categories[row["category"]]
        root = top_categories.get(category.parent_id, category)
        category_counts[root.pk] = category_counts.get(root.pk, 0) + row["n"]
    categories = _bars(
        {"label": str(c), "query": f"category={c.slug}", "n": category_counts.get(c.pk, 0)}
        for c in top_categories.values()
    )
    status_counts = dict(Product.objects.values_list("status").annotate(n=Count("pk")))
    statuses = _bars(
        {"label": label, "query": f"status={value}", "n": status_counts.get(value, 0)}
        for value, label in PromotionStatus.choices
    )
    open_follow_ups = FollowUp.objects.filter(
        status__in=[FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS]
    )
    return render(
        request,
        "core/dashboard.html",
        {
            "product_count": sum(by_regency.values()),
            "ready_count": Product.objects.filter(readiness_score__gte=75).count(),
            "open_follow_ups": open_follow_ups.count(),
            "overdue_follow_ups": open_follow_ups.filter(due_date__lt=timezone.localdate()).count(),
            "regencies": regencies,
            "categories": categories,
            "statuses": statuses,
            "recent_notes": VisitNote.objects.filter(visibility="shared")
            .select_related("author", "producer", "product", "visit")
            .order_by("-created_at")[:5],
        },
    )
