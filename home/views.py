from django.shortcuts import render
from django.utils.translation import gettext as _

from core.roles import role_required
from home import dashboard as stats
from visits.access import filter_visible_notes
from visits.models import VisitNote


@role_required
def dashboard(request):
    try:
        below = max(1, min(100, int(request.GET.get("below", 60))))
    except ValueError:
        below = 60
    figures = stats.product_figures(below)
    roots, matrix, category_totals = stats.regency_category_matrix(below, figures["cells"])
    funnel_regencies, funnel_categories, funnel_total = stats.funnel_tables(figures["funnel"])
    return render(
        request,
        "home/dashboard.html",
        {
            "below": below,
            "product_count": sum(row["n"] for row in matrix),
            "ready_count": figures["ready"],
            "figures_as_of": figures["as_of"],
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
            "statuses": stats.status_bars(figures["statuses"]),
            "funnel_tables": [
                (_("Regency"), funnel_regencies),
                (_("Category"), funnel_categories),
            ],
            "funnel_total": funnel_total,
            "readiness": stats.readiness_distribution(figures["readiness"]),
            "recent_notes": filter_visible_notes(
                request.user,
                VisitNote.objects.select_related("author", "producer", "product", "visit"),
            ).order_by("-created_at")[:5],
        },
    )
