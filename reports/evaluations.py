"""Benefit goals evaluated twice a year (seed 003, 7.3): rounds, the self-evaluation and THL's, approval and revision.

A round follows the monthly update's workflow (``reports.workflow``): the row is locked for each write, a
stale version is refused, an approved round is locked with its rows, and a correction is a new revision
that starts from the approved one.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.models import Indicator, IndicatorTarget, Measurement
from popsote.numbers import format_quantity
from portfolio.models import Goal, Node, Partner, Responsibility
from portfolio.services import StaleEdit, tracked_update

from .models import EvaluationRound, GoalEvaluation


class EvaluationError(ValidationError):
    """An evaluation step that is not allowed now; the message says why."""


SELF_FIELDS = ("rating", "assessment", "evidence")
THL_FIELDS = ("thl_rating", "thl_assessment")


def evaluated_goals(programme):
    """The goals a round evaluates: the programme's benefit and process goals (hyötytavoitteet,
    prosessitavoitteet); a plan that names neither (POP-Digi-Hoitotakuu 2 writes "Tavoitteet") has its goals."""
    goals = Goal.objects.filter(node__programme=programme, node__archived_at__isnull=True)
    named = goals.filter(kind__in=[Goal.Kind.BENEFIT, Goal.Kind.PROCESS])
    return named if named.exists() else goals


@transaction.atomic
def evaluation_round_create(*, programme, start, end, scale, user):
    """A new round for the programme's period with a row for every evaluated goal."""
    if EvaluationRound.objects.filter(programme=programme, start=start, end=end).exists():
        raise EvaluationError({"start": _("Tälle jaksolle on jo arviointikierros.")}, code="exists")
    evaluation = EvaluationRound(programme=programme, start=start, end=end, scale=scale, created_by=user)
    evaluation._history_user = user
    evaluation.save()
    rows = [GoalEvaluation(round=evaluation, goal=goal) for goal in evaluated_goals(programme)]
    bulk_create_with_history(rows, GoalEvaluation, default_user=user)
    return evaluation


def _locked_round(evaluation, version=None):
    current = EvaluationRound.objects.select_for_update().get(pk=evaluation.pk)
    if version is not None and current.version != version:
        raise StaleEdit(current, version)
    return current


@transaction.atomic
def evaluation_save(*, evaluation, rows, version, user):
    """Write the rows' changed values (``{row id: {field: value}}``), unless the round changed meanwhile."""
    current = _locked_round(evaluation, version)
    if current.is_locked:
        raise current.locked_error()
    saved = current.rows.in_bulk(list(rows))
    unknown = sorted(set(rows) - set(saved))
    if unknown:
        raise EvaluationError(_("Arvioinnissa ei ole riviä {ids}.").format(ids=", ".join(map(str, unknown))))
    for pk, values in rows.items():
        row = saved[pk]
        changed = {name: value for name, value in values.items() if getattr(row, name) != value}
        if changed:
            tracked_update(row, _user=user, **changed)
    tracked_update(current, _user=user)
    return current


@transaction.atomic
def evaluation_approve(*, evaluation, user, version=None):
    """draft → approved (the project office): every goal needs its self-evaluation first; then it is locked."""
    current = _locked_round(evaluation, version)
    if current.is_locked:
        raise EvaluationError(_("Arviointikierros on jo hyväksytty."), code="not_draft")
    missing = current.rows.filter(rating="").count()
    if missing:
        raise EvaluationError(_("Oma-arvio puuttuu {count} tavoitteelta.").format(count=missing), code="required")
    tracked_update(
        current, status=EvaluationRound.Status.APPROVED, decided_at=timezone.now(), decided_by=user, _user=user
    )
    return current


@transaction.atomic
def evaluation_revise(*, evaluation, user):
    """A correction of an approved round: a new draft revision with its rows; the approved one stays."""
    current = _locked_round(evaluation)
    if not current.is_locked:
        raise EvaluationError(_("Vain hyväksytyn arvioinnin voi korjata uutena versiona."), code="not_approved")
    same = EvaluationRound.objects.filter(programme=current.programme_id, start=current.start, end=current.end)
    newest = same.order_by("-revision").first()
    if newest.pk != current.pk:
        return newest
    revision = EvaluationRound(
        programme=current.programme,
        start=current.start,
        end=current.end,
        scale=current.scale,
        revision=current.revision + 1,
        revision_of=current,
        created_by=user,
    )
    revision._history_user = user
    revision.save()
    copied = [
        GoalEvaluation(
            round=revision, goal_id=row.goal_id, **{name: getattr(row, name) for name in (*SELF_FIELDS, *THL_FIELDS)}
        )
        for row in current.rows.all()
    ]
    bulk_create_with_history(copied, GoalEvaluation, default_user=user)
    return revision


def evaluation_rows(evaluation):
    """The round's rows, each with its goal, node and the node's indicators: their values measured in the
    round's period (counted ones) and their targets. A fixed number of queries whatever the size."""
    rows = list(evaluation.rows.select_related("goal__node", "goal__source_document"))
    node_ids = evaluation.rows.values("goal__node_id")
    in_period = Measurement.objects.counted().filter(month__gte=evaluation.start, month__lte=evaluation.end)
    indicators = defaultdict(list)
    for indicator in Indicator.objects.filter(node__in=node_ids, archived_at__isnull=True).prefetch_related(
        Prefetch("measurements", queryset=in_period.order_by("month", "pk"), to_attr="in_period"),
        Prefetch("targets", queryset=IndicatorTarget.objects.all()),
    ):
        indicators[indicator.node_id].append(indicator)
    for row in rows:
        row.indicators = indicators[row.goal.node_id]
    return rows


def evaluation_for_period(period):
    """The approved round of the programme that ends within the period's month (the last month of a half
    year): its newest approved revision, or None."""
    return (
        EvaluationRound.objects.approved()
        .filter(programme=period.programme_id, end__gte=period.month, end__lte=period.last_day)
        .order_by("-revision")
        .first()
    )


def latest_rounds(programme):
    """The programme's rounds, newest period first, every revision."""
    return EvaluationRound.objects.filter(programme=programme).select_related("created_by", "decided_by")


def _indicator_text(indicator):
    values = ", ".join(
        f"{m.month.month}/{m.month.year}: {format_quantity(m.value, indicator.unit)}" for m in indicator.in_period
    )
    targets = ", ".join(
        f"{format_quantity(t.value, indicator.unit) if t.value is not None else t.text} {t.deadline_label}"
        for t in indicator.targets.all()
    )
    return f"{indicator.name}: {values or _('ei mittauksia')}" + (f" (tavoite {targets})" if targets else "")


def evaluation_sheet_rows(evaluation, rows):
    """The round as the workbook's rows: one per goal, with its ratings and the indicators' values in the period."""
    return [
        {
            "code": row.goal.node.code,
            "node": row.goal.node.name,
            "kind": row.goal.get_kind_display(),
            "goal": row.goal.text,
            "rating": row.rating,
            "assessment": row.assessment,
            "evidence": row.evidence,
            "indicators": "\n".join(_indicator_text(indicator) for indicator in row.indicators),
            "thl_rating": row.thl_rating,
            "thl_assessment": row.thl_assessment,
        }
        for row in rows
    ]


def _period_text(node, evaluation):
    if node.start and node.end:
        return f"{node.start.day}.{node.start.month}.{node.start.year}–{node.end.day}.{node.end.month}.{node.end.year}"
    return node.schedule_text or node.programme.schedule_text or ""


def innokyla_texts(evaluation, rows):
    """Innokylä's description of each operating model the round evaluates (a node with goals): name, short
    description, goals, period, actors and results, as text the office copies into Innokylä (it has no write API)."""
    by_node = {}
    for row in rows:
        by_node.setdefault(row.goal.node, []).append(row)
    nodes = Node.objects.filter(pk__in=[node.pk for node in by_node]).prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.select_related("person", "organisation")),
        Prefetch("partners", queryset=Partner.objects.select_related("organisation")),
    )
    actors = {node.pk: node for node in nodes.select_related("owner", "programme")}
    texts = []
    for node, node_rows in by_node.items():
        full = actors[node.pk]
        people = [
            f"{r.person.name}" + (f" ({r.organisation})" if r.organisation_id else "")
            for r in full.responsibilities.all()
        ]
        organisations = [str(p.organisation) for p in full.partners.all()]
        if full.owner_id:
            organisations.insert(0, str(full.owner))
        lines = [
            _("Nimi: {name}").format(name=node.name),
            _("Lyhyt kuvaus: {text}").format(text=" ".join(full.description.split())),
            _("Tavoitteet:"),
            *(f"- {row.goal.text}" for row in node_rows),
            _("Ajankohta: {period}").format(period=_period_text(full, evaluation)),
            _("Toimijat: {actors}").format(actors="; ".join([*organisations, *people]) or "–"),
            _("Tulokset ({start}–{end}):").format(
                start=f"{evaluation.start.day}.{evaluation.start.month}.{evaluation.start.year}",
                end=f"{evaluation.end.day}.{evaluation.end.month}.{evaluation.end.year}",
            ),
            *(
                f"- {row.goal.text}: {row.rating or '–'}" + (f". {row.assessment}" if row.assessment else "")
                for row in node_rows
            ),
        ]
        texts.append((node, "\n".join(lines)))
    return texts
