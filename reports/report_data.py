"""Rows for the monthly status report and the STM workbooks, read with all eager loading done here.

The exporters get plain dicts and lists from these selectors and never touch the database.
"""

from collections import defaultdict
from dataclasses import asdict

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.charts import plan_actual_bars, value_line
from budgets.selectors import Budgets, governing_decision, node_figures
from budgets.tables import budget_table
from indicators.models import Indicator, Measurement, indicator_progress, quarter_end
from milestones.models import Milestone, is_late
from popsote.months import add_months
from portfolio.models import FundingDecision, Node, Risk
from portfolio.tree import ancestors, children_by_parent, preorder, subtree_ids

from .evaluations import evaluation_for_period, evaluation_rows, evaluation_sheet_rows
from .models import Light, StatusUpdate, light_text
from .selectors import period_units, previous_period, with_parts

TOP_RISKS = 5
ATTENTION = {Light.RED: 0, Light.YELLOW: 1}  # overall lights a steering group reads first, most urgent first


def data_state(updates):
    """What a report was made from: the approved updates (id, sub-project, revision) it used."""
    return {
        "updates": sorted(
            ({"id": u.pk, "node": u.node_id, "revision": u.revision} for u in updates), key=lambda item: item["node"]
        )
    }


def _name(node):
    return node.short_name or node.name


def _milestone_row(milestone, report, period):
    status = report.status if report else milestone.status
    actual = report.actual_date if report else milestone.actual_date
    late = is_late(status, milestone.planned_date, period.last_day)
    return {
        "id": milestone.pk,
        "name": milestone.name,
        "planned": milestone.planned_date,
        "actual": actual,
        "status": status,
        "status_text": str(Milestone.Status(status).label),
        "late": late,
    }


def _risk_row(risk, report=None):
    source = report or risk
    return {
        "id": risk.pk,
        "title": risk.title,
        "category": risk.get_category_display(),
        "likelihood": source.likelihood,
        "impact": source.impact,
        "score": (source.likelihood or 0) * (source.impact or 0),
        "status": source.status,
        "status_text": str(Risk.Status(source.status).label),
        "mitigation": source.mitigation,
    }


def _changes(update, previous, figures, period, milestones, risks):
    """What moved since the previous period's approved update: lights, milestones, risks and spend."""
    changes = {
        "has_previous": previous is not None,
        "lights": [],
        "achieved": [],
        "slipped": [],
        "new_risks": [],
        "closed_risks": [],
        "spend_month": figures.actual_in(period.month),
        "spend_previous": figures.actual_in(add_months(period.month, -1)),
    }
    if update is None:
        return changes
    before = {}
    if previous is not None:
        before = {light.name: light for light in previous.lights()}
        for light in update.lights():
            old = before[light.name]
            if old.value != light.value:
                changes["lights"].append({"label": light.label, "old": old.text, "new": light.text})
    previous_milestones = {r.milestone_id: r.status for r in previous.milestones.all()} if previous else {}
    for row in milestones:
        was = previous_milestones.get(row["id"])
        if (
            row["status"] == Milestone.Status.ACHIEVED
            and was != Milestone.Status.ACHIEVED
            and (was is not None or (row["actual"] and row["actual"] >= period.month))
        ):
            changes["achieved"].append(row)
        elif (
            row["late"]
            and was not in (Milestone.Status.LATE,)
            and (was is not None or (row["planned"] and row["planned"] >= period.month))
        ):
            changes["slipped"].append(row)
    previous_risks = {r.risk_id: r.status for r in previous.risks.all()} if previous else {}
    for row in risks:
        was = previous_risks.get(row["id"])
        if previous is not None and was is None and row["status"] == Risk.Status.OPEN:
            changes["new_risks"].append(row)
        elif row["status"] == Risk.Status.CLOSED and was == Risk.Status.OPEN:
            changes["closed_risks"].append(row)
    changes["moved"] = any(changes[key] for key in ("lights", "achieved", "slipped", "new_risks", "closed_risks"))
    return changes


def _attention_first(nodes, updates):
    """``nodes`` reordered so that, among siblings, those with a red and then a yellow overall light
    in their subtree come first; otherwise the tree's own order (the sort is stable)."""
    rank = {}
    children = children_by_parent(nodes)
    for node, _depth in reversed(list(preorder(nodes))):
        update = updates.get(node.pk)
        own = ATTENTION.get(update.overall, len(ATTENTION)) if update else len(ATTENTION)
        rank[node.pk] = min([own, *(rank[kid.pk] for kid in children.get(node.pk, []))])
    return sorted(nodes, key=lambda node: rank[node.pk])


def monthly_report_rows(period, node=None, *, attention_first=False):
    """Everything the monthly report shows for ``period``: the programme's sub-projects, or ``node`` alone.

    ``attention_first`` puts yellow and red sub-projects first within each level of the tree.
    """
    programme = period.programme
    nodes = list(Node.objects.active().filter(programme=programme))
    by_id = {n.pk: n for n in nodes}
    children = children_by_parent(nodes)
    period_rows = period_units(period, nodes)
    unit_ids = {row.node.pk for row in period_rows}
    if node is not None and not node.is_programme:
        # A sub-project's report covers the reporting units under it, or the node itself when none are.
        unit_ids = (unit_ids & set(subtree_ids(children, node.pk))) or {node.pk}
    updates = with_parts({row.node.pk: row.approved for row in period_rows if row.approved and row.node.pk in unit_ids})
    ordered = _attention_first(nodes, updates) if attention_first else nodes
    units = [n for n, _depth in preorder(ordered) if n.pk in unit_ids]
    before = previous_period(period)
    previous = {}
    if before:
        previous = with_parts({row.node.pk: row.approved for row in period_units(before, nodes) if row.approved})
    budgets = Budgets([programme.pk], nodes=nodes)

    subtrees = {unit.pk: subtree_ids(children, unit.pk) for unit in units}
    # What the rows read is under the report's node (the path's index), and on the ancestors of that node
    # (as many as the tree is deep): the SQL stays the same size however many sub-projects there are.
    top = by_id.get(node.pk, programme) if node is not None else programme
    under = Node.objects.subtree(top).values("pk")
    milestones_by_node = defaultdict(list)
    for milestone in Milestone.objects.filter(node__in=under, archived_at__isnull=True).order_by(
        "planned_date", "position", "pk"
    ):
        milestones_by_node[milestone.node_id].append(milestone)
    risks_by_node = defaultdict(list)
    for risk in Risk.objects.filter(node__in=under):
        risks_by_node[risk.node_id].append(risk)
    above = [a.pk for a in ancestors(top, by_id)]
    indicators_by_node = defaultdict(list)
    measured = Measurement.objects.counted().filter(month__lte=period.month).order_by("month", "pk")
    for indicator in Indicator.objects.filter(
        Q(node__in=under) | Q(node__in=above), archived_at__isnull=True
    ).prefetch_related("targets", Prefetch("measurements", measured, to_attr="counted")):
        indicators_by_node[indicator.node_id].append(indicator)

    rows = []
    for unit in units:
        ids = subtrees[unit.pk]
        update = updates.get(unit.pk)
        milestone_reports = {r.milestone_id: r for r in update.milestones.all()} if update else {}
        milestones = [
            _milestone_row(m, milestone_reports.get(m.pk), period) for pk in ids for m in milestones_by_node[pk]
        ]
        if update and update.risks.all():
            risks = [_risk_row(r.risk, r) for r in update.risks.all()]
        else:
            risks = [_risk_row(r) for pk in ids for r in risks_by_node[pk]]
        risks.sort(key=lambda r: (r["status"] != Risk.Status.OPEN, -r["score"]))
        indicators = []
        for pk in [a.pk for a in ancestors(unit, by_id)[1:]] + ids:
            for indicator in indicators_by_node[pk]:
                targets = list(indicator.targets.all())
                latest = indicator.counted[-1] if indicator.counted else None
                progress = indicator_progress(indicator, targets, latest)
                final = targets[-1] if targets else None
                indicators.append(
                    {
                        "name": indicator.name,
                        "unit": indicator.unit,
                        "baseline": indicator.baseline,
                        "value": progress.value,
                        "month": progress.month,
                        "target": progress.target.value if progress.target else None,
                        "target_due": quarter_end(progress.target.year, progress.target.quarter)
                        if progress.target
                        else None,
                        "percent": progress.percent,
                        # "On target" is only said of a value measured against a target.
                        "on_track": progress.on_track if progress.target else None,
                        "chart": value_line(
                            [(m.month, m.value) for m in indicator.counted],
                            final.value if final else None,
                        ),
                    }
                )
        figures = budgets.figures(unit)
        usage, usage_total = figures.usage(until=period.last_day)
        rows.append(
            {
                "pk": unit.pk,
                "code": unit.code,
                "name": unit.name,
                "short": _name(unit),
                "path": " › ".join(_name(a) for a in ancestors(unit, by_id)[1:]),
                "budget": figures.written,
                "update": (
                    {
                        "id": update.pk,
                        "revision": update.revision,
                        "decided_at": update.decided_at,
                        "lights": update.lights(),
                        "overall": update.overall,
                        "done": update.done,
                        "next_steps": update.next_steps,
                        "decisions": update.decisions,
                    }
                    if update
                    else None
                ),
                "measures": [
                    {
                        "code": r.measure.code,
                        "name": r.measure.name,
                        "status": r.status,
                        "status_text": r.get_status_display(),
                        "percent": r.percent,
                        "note": r.note,
                    }
                    for r in (update.measures.all() if update else [])
                ],
                "milestones": milestones,
                "indicators": indicators,
                "usage": usage,
                "usage_total": usage_total,
                "plan_source": figures.plan_source,
                "chart": plan_actual_bars([asdict(row) for row in usage]),
                "risks": risks[:TOP_RISKS],
                "open_risks": [r for r in risks if r["status"] == Risk.Status.OPEN],
                "changes": _changes(update, previous.get(unit.pk), figures, period, milestones, risks),
                "had_previous": unit.pk in previous,
                "previous_overall": light_text(previous[unit.pk].overall) if unit.pk in previous else "",
            }
        )
    decision = governing_decision(programme)
    root = node if node is not None else programme
    root_figures = budgets.figures(root)
    usage, total = root_figures.usage(until=period.last_day)
    used = [updates[pk] for pk in unit_ids if pk in updates]
    open_risks = sorted(
        ({**risk, "unit": row["short"], "unit_code": row["code"]} for row in rows for risk in row.pop("open_risks")),
        key=lambda r: -r["score"],
    )
    top_risks = open_risks[:TOP_RISKS]
    return {
        "programme": {"name": programme.name, "short": _name(programme), "code": programme.code},
        "node": {"name": node.name, "code": node.code} if node is not None and not node.is_programme else None,
        "decision": (
            {
                "number": decision.number,
                "title": decision.title,
                "date": decision.date,
                "amount": decision.amount,
                "grant_rate": decision.grant_rate,
                "eligible_start": decision.eligible_start,
                "eligible_end": decision.eligible_end,
                "period_text": decision.period_text,
                "source": decision.get_source_display(),
                "funder": decision.funder.name,
            }
            if decision
            else None
        ),
        "is_rrf": FundingDecision.objects.active().rrf().filter(programme=programme).exists(),
        "period": {
            "month": period.month,
            "last_day": period.last_day,
            "deadline": period.deadline,
            "closed": not period.is_open,
        },
        "previous_month": before.month if before else None,
        "generated": timezone.localtime(),
        "attention_first": attention_first,
        "summary": total,
        "usage": usage,
        "written": root_figures.written,
        "plan_source": root_figures.plan_source,
        "units": rows,
        "reported": [row for row in rows if row["update"] is not None],
        "missing": [row for row in rows if row["update"] is None],
        "top_risks": top_risks,
        "more_risks": len(open_risks) - len(top_risks),
        "sources": [
            {"code": row["code"], "short": row["short"], **row["update"]} for row in rows if row["update"] is not None
        ],
        "decisions": [row for row in rows if row["update"] and row["update"]["decisions"].strip()],
        # The summary lists what changed; the sub-projects where nothing did are named in one line.
        "unchanged": [
            row for row in rows if row["update"] and row["changes"]["has_previous"] and not row["changes"]["moved"]
        ],
        "data_state": data_state(used),
        "evaluation": _evaluation(period) if node is None or node.is_programme else None,
    }


def _evaluation(period):
    """The benefit-goal evaluation approved for the half year that ends in the period's month, for the steering report."""
    evaluation = evaluation_for_period(period)
    if evaluation is None:
        return None
    return {
        "start": evaluation.start,
        "end": evaluation.end,
        "revision": evaluation.revision,
        "decided_at": evaluation.decided_at,
        "rows": evaluation_sheet_rows(evaluation, evaluation_rows(evaluation)),
    }


def hankesalkku_rows(period):
    """One row per sub-project (its latest approved update, or none) and one per measure it reported."""
    programme = period.programme
    units = period_units(period)
    updates = with_parts({row.node.pk: row.approved for row in units if row.approved})
    rows = []
    for unit_row in units:
        unit = unit_row.node
        update = updates.get(unit.pk)
        base = {
            "month": period.month,
            "programme": _name(programme),
            "code": unit.code,
            "subproject": unit.name,
            "measure": "",
            "status": "",
            "percent": None,
            "overall": "",
            "schedule": "",
            "budget": "",
            "scope": "",
            "resources": "",
            "reasons": "",
            "done": "",
            "next_steps": "",
            "decisions": "",
            "approved": None,
            "revision": None,
        }
        if update is None:
            rows.append({**base, "status": _("Ei hyväksyttyä tilannekatsausta")})
            continue
        base.update(
            {light.name: light.text for light in update.lights()},
            reasons="\n".join(f"{light.label}: {light.reason}" for light in update.lights() if light.reason.strip()),
            done=update.done,
            next_steps=update.next_steps,
            decisions=update.decisions,
            approved=timezone.localdate(update.decided_at) if update.decided_at else None,
            revision=update.revision,
        )
        rows.append({**base, "status": str(StatusUpdate.Status.APPROVED.label)})
        for report in update.measures.all():
            rows.append(
                {
                    **base,
                    "code": report.measure.code,
                    "measure": report.measure.name,
                    "status": report.get_status_display(),
                    "percent": report.percent,
                    "done": report.note,
                    "next_steps": "",
                    "decisions": "",
                }
            )
    return rows, data_state(updates.values())


def cost_tables(node, until):
    """The STM template of ``node`` and everything under it: plan (current version) and actual, by year."""
    figures = node_figures(node)
    years, actual_rows = figures.actual_table(until)
    plan_rows = budget_table(figures.budgets.categories, figures.amounts, years)
    return years, plan_rows, actual_rows, figures


def indicator_rows(programme, until):
    """Indicators of a programme with their targets and counted measurements up to ``until``."""
    indicators, targets, measurements = [], [], []
    measured = (
        Measurement.objects.counted().filter(month__lte=until).select_related("update__node").order_by("month", "pk")
    )
    for indicator in (
        Indicator.objects.filter(node__programme=programme, archived_at__isnull=True)
        .select_related("node")
        .prefetch_related("targets", Prefetch("measurements", measured, to_attr="counted"))
        .order_by("node__position", "node__pk", "position", "pk")
    ):
        own = list(indicator.targets.all())
        final = own[-1] if own else None
        latest = indicator.counted[-1] if indicator.counted else None
        indicators.append(
            {
                "programme": _name(programme),
                "node": f"{indicator.node.code} {indicator.node.name}",
                "name": indicator.name,
                "unit": indicator.unit,
                "national": indicator.national,
                "direction": indicator.get_direction_display(),
                "baseline": indicator.baseline,
                "target": final.value if final else None,
                "target_due": quarter_end(final.year, final.quarter) if final else None,
                "latest": latest.value if latest else None,
                "latest_month": latest.month if latest else None,
            }
        )
        targets += [
            {
                "indicator": indicator.name,
                "year": target.year,
                "quarter": target.quarter,
                "due": quarter_end(target.year, target.quarter),
                "value": target.value,
                "interim": target.is_interim,
            }
            for target in own
        ]
        measurements += [
            {
                "indicator": indicator.name,
                "node": m.update.node.name if m.update_id else "",
                "month": m.month,
                "value": m.value,
                "source": m.source,
                "approved": str(m.update) if m.update_id else "",
            }
            for m in indicator.counted
        ]
    return indicators, targets, measurements
