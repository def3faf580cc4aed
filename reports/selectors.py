"""Reads that build exporter rows, with all eager loading done here."""

from decimal import Decimal
from typing import NamedTuple

from django.db.models import Exists, F, OuterRef, Prefetch, Q, prefetch_related_objects
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from budgets.models import NodeBudget
from budgets.selectors import Budgets
from indicators.models import Indicator, Measurement, indicator_progress
from milestones.models import Milestone
from popsote.money import format_euros
from portfolio.models import Node, Responsibility, Risk, Task
from portfolio.tree import ancestors, preorder

from .models import Light, MeasureReport, MilestoneReport, ReportingPeriod, RiskReport, StatusUpdate


def latest_approved_updates(period, node_ids=None):
    """The highest approved revision of each sub-project's update in ``period``."""
    newer = StatusUpdate.objects.approved().filter(
        period=OuterRef("period"), node=OuterRef("node"), revision__gt=OuterRef("revision")
    )
    updates = StatusUpdate.objects.approved().filter(period=period).exclude(Exists(newer))
    if node_ids is not None:
        updates = updates.filter(node__in=node_ids)
    return updates.prefetch_related(*PARTS)


def previous_period(period):
    """The programme's reporting period before ``period`` (None for the first)."""
    return (
        ReportingPeriod.objects.filter(programme=period.programme_id, month__lt=period.month).order_by("-month").first()
    )


PARTS = (
    Prefetch("measures", MeasureReport.objects.select_related("measure")),
    Prefetch("milestones", MilestoneReport.objects.select_related("milestone")),
    Prefetch("risks", RiskReport.objects.select_related("risk")),
)


def with_parts(updates):
    """``{node id: update}`` with each update's measure, milestone and risk rows loaded (three queries)."""
    prefetch_related_objects(list(updates.values()), *PARTS)
    return updates


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
    """The sub-project and its measures, what its monthly update speaks for: ids as a subquery."""
    measures = Q(parent=node, kind=Node.Kind.MEASURE, archived_at__isnull=True)
    return Node.objects.filter(Q(pk=node.pk) | measures).values("pk")


def schedule_proposal(node, period):
    """Green when no milestone of the sub-project is late at the end of the period; red when one is over 90 days late."""
    overdue = list(
        Milestone.objects.late(period.last_day)
        .filter(node__in=unit_node_ids(node))
        .values_list("planned_date", flat=True)
    )
    if not overdue:
        return Proposal(Light.GREEN, _("Ei myöhässä olevia välitavoitteita."))
    dated = [day for day in overdue if day is not None]
    days = (period.last_day - min(dated)).days if dated else 0
    light = Light.RED if days > 90 else Light.YELLOW
    return Proposal(
        light,
        ngettext(
            "{count} välitavoite myöhässä, vanhin {days} päivää.",
            "{count} välitavoitetta myöhässä, vanhin {days} päivää.",
            len(overdue),
        ).format(count=len(overdue), days=days),
    )


GREEN_WITHIN = Decimal("0.15")
YELLOW_WITHIN = Decimal("0.30")


def budget_light(actual, planned):
    """Spend against plan to date: within 15 % green, within 30 % yellow (both inclusive), otherwise red."""
    gap = abs(actual / planned - 1)
    return Light.GREEN if gap <= GREEN_WITHIN else Light.YELLOW if gap <= YELLOW_WITHIN else Light.RED


def budget_proposal(node, period):
    """The budget light the figures suggest; None before the programme has any actual costs, or with no plan."""
    budgets = Budgets([node.programme_id])
    if not budgets.uses_ledger(node.programme_id):
        return None
    figures = budgets.figures(node)
    planned = figures.plan_to_date(period.month)
    if not planned:
        return None
    actual = figures.actual(until=period.month)
    return Proposal(
        budget_light(actual, planned),
        _("Toteuma {actual} / suunniteltu {planned} ({percent} %).").format(
            actual=format_euros(actual), planned=format_euros(planned), percent=round(actual / planned * 100)
        ),
    )


def proposals(node, period):
    """The schedule and budget lights the data proposes for a sub-project's update."""
    return {"schedule": schedule_proposal(node, period), "budget": budget_proposal(node, period)}


class UnitRow(NamedTuple):
    """A reporting sub-project in a period: its newest update and its latest approved one (the highest
    approved revision: what the dashboard's lights, the reports and the workbooks show)."""

    node: Node
    path: str
    newest: object
    approved: object

    @property
    def handed_in(self):
        """Is the update with the project office (submitted or approved)?"""
        return self.approved is not None or (
            self.newest is not None and self.newest.status == StatusUpdate.Status.SUBMITTED
        )


def period_units(period, nodes=None):
    """The period's reporting sub-projects in tree order, with their updates: the one list the dashboard,
    the reminders, the monthly report and the workbooks use (a fixed number of queries).

    ``nodes``: the programme's active nodes when the caller has them loaded already.
    """
    if nodes is None:
        nodes = list(
            Node.objects.active()
            .filter(programme=period.programme_id)
            .only("pk", "parent_id", "programme_id", "path", "code", "name", "short_name", "kind", "position")
        )
    by_id = {node.pk: node for node in nodes}
    units = set(Node.objects.reporting_units().filter(programme=period.programme_id).values_list("pk", flat=True))
    newest, approved = {}, {}
    for update in (
        StatusUpdate.objects.filter(period=period).select_related("submitted_by__person").order_by("revision")
    ):
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
    """The programme's milestones late at the end of the day ``as_of``."""
    return list(
        Milestone.objects.late(as_of)
        .filter(node__programme=programme)
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


def previous_approved(node, period):
    """The sub-project's latest approved update of an earlier month: where a new month starts, what a review compares."""
    return (
        StatusUpdate.objects.approved()
        .filter(node=node, period__month__lt=period.month)
        .select_related("period")
        .order_by("-period__month", "-revision")
        .first()
    )


class Change(NamedTuple):
    """One field of a row in the review: last month's value beside this month's (``light`` for a traffic light)."""

    label: str
    before: object
    after: object
    kind: str = "text"

    @property
    def changed(self):
        return self.before != self.after


class ReviewRow(NamedTuple):
    """A row of a section in the review: a light, a text, a measure, a milestone, an indicator or a risk."""

    name: str
    changes: list
    new: bool = False  # not in last month's update
    gone: bool = False  # in last month's update, not in this one

    @property
    def changed(self):
        return self.new or self.gone or any(change.changed for change in self.changes)


class ReviewSection(NamedTuple):
    """A section of the review (``StatusUpdate.SECTIONS``) and its rows."""

    key: str
    label: str
    rows: list

    @property
    def changed(self):
        return sum(row.changed for row in self.rows)


ROW_FIELDS = {
    "measures": ("measure", ["status", "percent", "note"]),
    "milestones": ("milestone", ["status", "actual_date"]),
    "indicator_values": ("indicator", ["value", "source"]),
    "risks": ("risk", ["likelihood", "impact", "status", "mitigation"]),
}


def _shown(row, name):
    if row is None:
        return ""
    value = getattr(row, name)
    field = row._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or ""))
    if value is None:
        return ""
    if name == "percent":
        return f"{value} %"
    if isinstance(value, Decimal):
        return number_format(value.normalize() if value == value.to_integral() else value)
    if hasattr(value, "isoformat"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _text_label(update, name):
    """A text's label; a review imported from a document holds the document's words, not "what was done"."""
    if name == "done" and update.status == StatusUpdate.Status.IMPORTED:
        return _("Katsauksen teksti asiakirjan sanoin")
    return str(StatusUpdate._meta.get_field(name).verbose_name)


def review_sections(update, previous):
    """``[ReviewSection]``: the update beside ``previous`` (last month's approved one, or None), every
    light, text and row with what changed marked; a fixed number of queries whatever the number of rows."""
    sections = {
        "lights": [
            ReviewRow(
                state.label,
                [
                    Change(_("Valo"), getattr(previous, state.name, "") if previous else "", state.value, "light"),
                    Change(
                        _("Perustelu"), getattr(previous, f"{state.name}_reason", "") if previous else "", state.reason
                    ),
                ],
            )
            for state in update.lights()
        ],
        "texts": [
            ReviewRow(
                _text_label(update, name),
                [Change("", getattr(previous, name, "") if previous else "", getattr(update, name))],
            )
            for name in ("done", "next_steps", "decisions")
        ],
    }
    for part, (subject, fields) in ROW_FIELDS.items():
        rows = list(getattr(update, part).select_related(subject))
        before = {}
        if previous is not None:
            before = {getattr(row, f"{subject}_id"): row for row in getattr(previous, part).select_related(subject)}
        labels = [str(rows[0]._meta.get_field(name).verbose_name) if rows else name for name in fields]
        section = []
        for row in rows:
            old = before.pop(getattr(row, f"{subject}_id"), None)
            changes = [
                Change(label, _shown(old, name), _shown(row, name)) for label, name in zip(labels, fields, strict=True)
            ]
            section.append(ReviewRow(str(getattr(row, subject)), changes, new=previous is not None and old is None))
        for old in before.values():
            changes = [Change(label, _shown(old, name), "") for label, name in zip(labels, fields, strict=True)]
            section.append(ReviewRow(str(getattr(old, subject)), changes, gone=True))
        sections[part] = section
    return [ReviewSection(key, label, sections[key]) for key, label in StatusUpdate.SECTIONS.items()]
