"""Reads that build exporter rows, with all eager loading done here."""

from django.db.models import Prefetch

from budgets.models import NodeBudget
from portfolio.models import Node, Responsibility, Task
from portfolio.tree import ancestors, preorder


def measure_rows(programme, period=None):
    """The measures list; with a ``period``, each measure's status from its sub-project's latest approved update."""
    from .models import MeasureReport
    from .report_data import latest_approved_updates

    reported = {}
    if period is not None:
        for report in MeasureReport.objects.filter(update__in=latest_approved_updates(period).values("pk")):
            reported[report.measure_id] = report
    nodes = list(
        Node.objects.active()
        .filter(programme=programme)
        .prefetch_related(
            Prefetch("tasks", Task.objects.filter(archived_at__isnull=True)),
            Prefetch("responsibilities", Responsibility.objects.select_related("person")),
            Prefetch("budgets", NodeBudget.objects.filter(plan__is_current=True), to_attr="current_budgets"),
        )
    )
    by_id = {node.pk: node for node in nodes}
    rows = []
    for node, _depth in preorder(nodes):
        if not node.is_measure:
            continue
        path = " › ".join(parent.short_name or parent.name for parent in ancestors(node, by_id)[1:])
        rows.append(
            {
                "programme": programme.short_name or programme.name,
                "path": path,
                "code": node.code,
                "name": node.name,
                "tasks": [task.text for task in node.tasks.all()],
                "persons": [r.person.name for r in node.responsibilities.all()],
                "start": node.start,
                "end": node.end,
                "budget": node.current_budgets[0].total if node.current_budgets else None,
            }
        )
        if period is not None:
            report = reported.get(node.pk)
            rows[-1]["status"] = report.get_status_display() if report else ""
            rows[-1]["percent"] = report.percent if report else None
    return rows
