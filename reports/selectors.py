"""Reads that build exporter rows, with all eager loading done here."""

from decimal import Decimal
from typing import NamedTuple

from django.db.models import F, Prefetch, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from budgets.models import ActualCost, BudgetLine, CostCategory, NodeBudget
from indicators.models import Indicator, Measurement, indicator_progress
from milestones.models import Milestone
from popsote.money import format_euros
from portfolio.models import Node, Responsibility, Risk, Task
from portfolio.tree import ancestors, preorder

from .models import Light, MeasureReport, StatusUpdate
from .report_data import latest_approved_updates


def measure_rows(programme, period=None):
    """The measures list; with a ``period``, each measure's status from its sub-project's latest approved update."""
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


class Proposal(NamedTuple):
    """A light the data suggests, and why."""

    light: str
    reason: str


def unit_node_ids(node):
    """The sub-project and its measures: what its monthly update speaks for."""
    measures = node.children.filter(kind=Node.Kind.MEASURE, archived_at__isnull=True).values_list("pk", flat=True)
    return [node.pk, *measures]


def schedule_proposal(ids, period):
    """Green when no milestone is overdue at the end of the period; red when one is over 90 days late."""
    overdue = list(
        Milestone.objects.filter(node__in=ids, archived_at__isnull=True, planned_date__lt=period.last_day)
        .exclude(status__in=[Milestone.Status.ACHIEVED, Milestone.Status.CANCELLED])
        .values_list("planned_date", flat=True)
    )
    if not overdue:
        return Proposal(Light.GREEN, _("Ei myöhässä olevia välitavoitteita."))
    days = (period.last_day - min(overdue)).days
    light = Light.RED if days > 90 else Light.YELLOW
    return Proposal(
        light,
        ngettext(
            "{count} välitavoite myöhässä, vanhin {days} päivää.",
            "{count} välitavoitetta myöhässä, vanhin {days} päivää.",
            len(overdue),
        ).format(count=len(overdue), days=days),
    )


def _months(start, end):
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _planned_to_date(node, ids, period):
    """Planned costs up to the end of the period.

    From the cost lines when the sub-project has them (each year spread evenly over its months),
    otherwise from its written total spread evenly over its months (those of the programme if it
    has no dates of its own).
    """
    lines = (
        BudgetLine.objects.filter(
            plan__programme=node.programme_id,
            plan__is_current=True,
            node__in=ids,
            category__kind=CostCategory.Kind.COST,
        )
        .values("year")
        .annotate(total=Sum("amount"))
    )
    planned = Decimal(0)
    if lines:
        for row in lines:
            if row["year"] <= period.month.year:
                months = 12 if row["year"] < period.month.year else period.month.month
                planned += row["total"] * months / 12
        return planned.quantize(Decimal("0.01"))
    budgets = dict(
        NodeBudget.objects.filter(node__in=ids, plan__is_current=True, plan__programme=node.programme_id).values_list(
            "node", "total"
        )
    )
    total = budgets.get(node.pk) or sum((value for pk, value in budgets.items() if pk != node.pk), Decimal(0))
    start = node.start or node.programme.start
    end = node.end or node.programme.end
    if not total or start is None or end is None or period.month < start.replace(day=1):
        return Decimal(0)
    elapsed = min(_months(start, period.month), _months(start, end))
    return (total * elapsed / _months(start, end)).quantize(Decimal("0.01"))


def budget_proposal(node, ids, period):
    """Spend against plan up to the period: within 15 % green, within 30 % yellow, otherwise red.

    None when the ledger is not in use for the programme (no actual costs at all) or nothing is planned.
    """
    if not ActualCost.objects.filter(node__programme=node.programme_id).exists():
        return None
    planned = _planned_to_date(node, ids, period)
    if not planned:
        return None
    actual = ActualCost.objects.filter(node__in=ids, month__lte=period.month).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal(0)
    ratio = actual / planned
    light = (
        Light.GREEN
        if abs(ratio - 1) <= Decimal("0.15")
        else Light.YELLOW
        if abs(ratio - 1) <= Decimal("0.3")
        else Light.RED
    )
    return Proposal(
        light,
        _("Toteuma {actual} / suunniteltu {planned} ({percent} %).").format(
            actual=format_euros(actual), planned=format_euros(planned), percent=round(ratio * 100)
        ),
    )


def proposals(node, period):
    """The schedule and budget lights the data proposes for a sub-project's update."""
    ids = unit_node_ids(node)
    return {"schedule": schedule_proposal(ids, period), "budget": budget_proposal(node, ids, period)}


class UnitRow(NamedTuple):
    """A reporting sub-project in a period: its newest update and its latest approved one."""

    node: Node
    path: str
    newest: object
    approved: object


def period_units(period):
    """The period's reporting sub-projects in tree order, with their updates (a fixed number of queries)."""
    nodes = list(
        Node.objects.active()
        .filter(programme=period.programme_id)
        .only("pk", "parent_id", "programme_id", "code", "name", "short_name", "kind", "position")
    )
    by_id = {node.pk: node for node in nodes}
    units = set(Node.objects.reporting_units().filter(programme=period.programme_id).values_list("pk", flat=True))
    newest, approved = {}, {}
    for update in StatusUpdate.objects.filter(period=period).order_by("revision"):
        newest[update.node_id] = update
        if update.status == StatusUpdate.Status.APPROVED:
            approved[update.node_id] = update
    rows = []
    for node, _depth in preorder(nodes):
        if node.pk in units:
            path = " › ".join(parent.code for parent in ancestors(node, by_id)[1:-1])
            rows.append(UnitRow(node, path, newest.get(node.pk), approved.get(node.pk)))
    return rows


def late_milestones(programme, as_of):
    return list(
        Milestone.objects.filter(node__programme=programme, archived_at__isnull=True, planned_date__lt=as_of)
        .exclude(status__in=[Milestone.Status.ACHIEVED, Milestone.Status.CANCELLED])
        .select_related("node")
        .order_by("planned_date", "pk")
    )


def indicator_rows(programme, month=None):
    """Every indicator of the programme with its progress as of ``month`` (latest counted value)."""
    values = Measurement.objects.counted().order_by("-month", "-pk")
    if month is not None:
        values = values.filter(month__lte=month)
    indicators = (
        Indicator.objects.filter(node__programme=programme, archived_at__isnull=True)
        .select_related("node")
        .prefetch_related("targets", Prefetch("measurements", values, to_attr="counted"))
    )
    return [
        (indicator, indicator_progress(indicator, list(indicator.targets.all()), next(iter(indicator.counted), None)))
        for indicator in indicators
    ]


def top_risks(programme, limit=10):
    return list(
        Risk.objects.filter(node__programme=programme, status=Risk.Status.OPEN)
        .annotate(score=F("likelihood") * F("impact"))
        .select_related("node", "owner")
        .order_by(F("score").desc(nulls_last=True), "pk")[:limit]
    )
