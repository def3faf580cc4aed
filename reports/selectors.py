"""Reads that build exporter rows, with all eager loading done here."""

from django.db.models import Prefetch

from budgets.models import NodeBudget
from portfolio.models import Node, Responsibility, Task
from portfolio.tree import ancestors, preorder


def measure_rows(programme):
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
    return rows
