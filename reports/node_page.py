"""The node page's monthly status updates and, on a programme, its reports (``ReportsConfig.ready`` registers them)."""

from portfolio.extensions import listed

from .models import ReportingPeriod


def updates(page):
    node = page.node
    open_periods = []
    if page.user.has_perm("reports.report", node) and node.reports_monthly and node.archived_at is None:
        open_periods = list(
            ReportingPeriod.objects.filter(programme=node.programme_id, status=ReportingPeriod.Status.OPEN)
            .exclude(updates__node=node)
            .order_by("-month")
        )
    return {
        "updates": listed(
            page.related("status_updates").select_related("period", "area").order_by("-period__month", "-revision")[:12]
        ),
        "open_periods": open_periods,
    }
