"""The monthly reporting workflow: periods, sub-projects' status updates and their review, reminders."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.models import Indicator, Measurement
from milestones.models import Milestone
from popsote.months import add_months, first_day, last_day
from portfolio.models import Node, Responsibility, Risk
from portfolio.services import StaleEdit, tracked_update
from portfolio.tree import lineage

from .archive import monthly_report_issue
from .models import (
    Light,
    MeasureReport,
    MilestoneReport,
    Reminder,
    ReportingPeriod,
    RiskReport,
    StatusUpdate,
    UpdateLocked,
)
from .selectors import period_units, proposals, unit_node_ids


class ReportingError(ValidationError):
    """A workflow step that is not allowed now; the message says why, in the user's language."""


def default_deadline(month):
    """Updates for a month are due on the configured day of the next month."""
    return add_months(month, 1).replace(day=settings.SALKKU_REPORTING["deadline_day"])


@transaction.atomic
def period_open(*, programme, month, deadline=None):
    """Open the programme's period for a month; opening it again returns the same period."""
    month = first_day(month)
    period, _created = ReportingPeriod.objects.get_or_create(
        programme=programme, month=month, defaults={"deadline": deadline or default_deadline(month)}
    )
    return period


@transaction.atomic
def period_close(*, period, closed=True):
    """Close a period (no more writes to its updates) or reopen it."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    period.status = ReportingPeriod.Status.CLOSED if closed else ReportingPeriod.Status.OPEN
    period.closed_at = timezone.now() if closed else None
    period.save(update_fields=["status", "closed_at"])
    if closed:
        # The steering group's monthly report is made once the period's updates can no longer change.
        monthly_report_issue(period=period)
    return period


def _require_open(period):
    if period.status != ReportingPeriod.Status.OPEN:
        raise ReportingError(_("Raportointikausi {period} on suljettu.").format(period=period), code="closed")


def _locked_update(update, version=None):
    """The update's row, locked for this transaction; a stale ``version`` is refused."""
    current = StatusUpdate.objects.select_for_update().select_related("period").get(pk=update.pk)
    if version is not None and current.version != version:
        raise StaleEdit(current, version)
    return current


def _previous(node, period):
    return (
        StatusUpdate.objects.approved()
        .filter(node=node, period__month__lt=period.month)
        .order_by("-period__month", "-revision")
        .first()
    )


COPIED_FIELDS = StatusUpdate.LEAD_FIELDS


def _create_parts(update, source):
    """The update's rows for the sub-project's measures, milestones, risks and indicators.

    Each row starts from ``source`` (the previous approved update) where it has one, otherwise from
    the register, so a lead only changes what changed.
    """
    ids = unit_node_ids(update.node)
    measures = Node.objects.filter(pk__in=ids[1:]).order_by("position", "pk")
    milestones = Milestone.objects.filter(node__in=ids, archived_at__isnull=True)
    risks = Risk.objects.filter(node__in=ids)
    indicators = Indicator.objects.filter(node__in=ids, archived_at__isnull=True)
    before = {
        "measures": {row.measure_id: row for row in source.measures.all()} if source else {},
        "milestones": {row.milestone_id: row for row in source.milestones.all()} if source else {},
        "risks": {row.risk_id: row for row in source.risks.all()} if source else {},
        "indicators": {row.indicator_id: row for row in source.indicator_values.all()} if source else {},
    }
    user = update.created_by
    rows = []
    for measure in measures:
        old = before["measures"].get(measure.pk)
        values = {"status": old.status, "percent": old.percent, "note": old.note} if old else {}
        rows.append(MeasureReport(update=update, measure=measure, **values))
    bulk_create_with_history(rows, MeasureReport, default_user=user)
    rows = []
    for milestone in milestones:
        old = before["milestones"].get(milestone.pk) or milestone
        rows.append(MilestoneReport(update=update, milestone=milestone, status=old.status, actual_date=old.actual_date))
    bulk_create_with_history(rows, MilestoneReport, default_user=user)
    rows = []
    for risk in risks:
        old = before["risks"].get(risk.pk)
        if old is None and risk.status == Risk.Status.CLOSED:
            continue
        old = old or risk
        rows.append(
            RiskReport(
                update=update,
                risk=risk,
                likelihood=old.likelihood,
                impact=old.impact,
                status=old.status,
                mitigation=old.mitigation,
            )
        )
    bulk_create_with_history(rows, RiskReport, default_user=user)
    rows = []
    for indicator in indicators:
        old = before["indicators"].get(indicator.pk)
        same_month = source is not None and source.period_id == update.period_id
        rows.append(
            Measurement(
                update=update,
                indicator=indicator,
                month=update.period.month,
                value=old.value if old and same_month else None,
                source=old.source if old else "",
            )
        )
    bulk_create_with_history(rows, Measurement, default_user=user)


@transaction.atomic
def status_update_start(*, period, node, user):
    """The sub-project's update for the period: the newest revision, or a new draft from last month's."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    existing = StatusUpdate.objects.filter(period=period, node=node).order_by("-revision").first()
    if existing is not None:
        return existing
    _require_open(period)
    if not Node.objects.reporting_units().filter(pk=node.pk, programme=period.programme_id).exists():
        raise ReportingError(_("Tämä kohde ei raportoi tällä raportointikaudella."), code="not_a_unit")
    previous = _previous(node, period)
    proposed = proposals(node, period)
    values = {name: getattr(previous, name) for name in COPIED_FIELDS} if previous else {}
    for name, proposal in proposed.items():
        if proposal is not None:
            values[f"proposed_{name}"] = proposal.light
            if previous is None:
                values[name] = proposal.light
                values[f"{name}_reason"] = "" if proposal.light == Light.GREEN else proposal.reason
    update = StatusUpdate(period=period, node=node, created_by=user, **values)
    update._history_user = user
    update.save()
    _create_parts(update, previous)
    return update


@transaction.atomic
def status_update_save(*, update, values, version, rows=None, user=None, submit=False):
    """Save the lead's edits unless someone saved meanwhile; with ``submit`` hand the update in too, all or nothing.

    ``values`` are the update's own fields (``StatusUpdateForm``'s cleaned data); ``rows`` the changed rows as
    ``{part: {row id: values}}``, part one of measures, milestones, risks, indicator_values; ``version`` the one
    the user started from.
    """
    current = _locked_update(update, version)
    _require_open(current.period)
    if not current.is_editable:
        if current.status == StatusUpdate.Status.APPROVED:
            raise UpdateLocked
        raise ReportingError(
            _("Lähetettyä tilannekatsausta ei voi muokata ennen kuin se palautetaan."), code="submitted"
        )
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current._history_user = user
    current.save()
    for part, changes in (rows or {}).items():
        saved = getattr(current, part).in_bulk(list(changes))
        unknown = sorted(set(changes) - set(saved))
        if unknown:
            raise ReportingError(
                {part: _("Katsauksessa ei ole riviä {ids}.").format(ids=", ".join(map(str, unknown)))}, code="invalid"
            )
        for pk, row_values in changes.items():
            row = saved[pk]
            for name, value in row_values.items():
                setattr(row, name, value)
            row.version += 1
            row._history_user = user
            row.save()
    if submit:
        status_update_submit(update=current, user=user)
    return current


@transaction.atomic
def status_update_submit(*, update, user, version=None):
    """draft/returned → submitted: the lead hands the update to the project office."""
    update = _locked_update(update, version)
    _require_open(update.period)
    if not update.is_editable:
        raise ReportingError(_("Vain luonnoksen tai palautetun katsauksen voi lähettää."), code="not_draft")
    unlit = [name for name in StatusUpdate.LIGHTS if not getattr(update, name)]
    if unlit:
        raise ReportingError(dict.fromkeys(unlit, _("Valitse valo.")), code="required")
    update.full_clean(exclude=["period", "node", "created_by", "revision_of"])
    for row in update.milestones.all():
        row.full_clean(exclude=["update", "milestone"])
    tracked_update(
        update, status=StatusUpdate.Status.SUBMITTED, submitted_at=timezone.now(), submitted_by=user, _user=user
    )
    return update


@transaction.atomic
def status_update_return(*, update, user, comment, version=None):
    """submitted → returned, with the project office's comment to the lead."""
    update = _locked_update(update, version)
    _require_open(update.period)
    if update.status != StatusUpdate.Status.SUBMITTED:
        raise ReportingError(_("Vain lähetetyn katsauksen voi palauttaa."), code="not_submitted")
    if not comment.strip():
        raise ReportingError({"return_comment": _("Kerro vetäjälle, mitä pitää korjata.")}, code="required")
    tracked_update(
        update,
        status=StatusUpdate.Status.RETURNED,
        return_comment=comment.strip(),
        decided_at=timezone.now(),
        decided_by=user,
        _user=user,
    )
    return update


@transaction.atomic
def status_update_approve(*, update, user, version=None):
    """submitted → approved: the update is locked, and the milestone and risk registers follow it."""
    update = _locked_update(update, version)
    _require_open(update.period)
    if update.status != StatusUpdate.Status.SUBMITTED:
        raise ReportingError(_("Vain lähetetyn katsauksen voi hyväksyä."), code="not_submitted")
    rows = list(update.milestones.all())
    milestones = Milestone.objects.select_for_update().in_bulk([row.milestone_id for row in rows])
    for row in rows:
        milestone = milestones[row.milestone_id]
        if (milestone.status, milestone.actual_date) != (row.status, row.actual_date):
            tracked_update(milestone, status=row.status, actual_date=row.actual_date, _user=user)
    rows = list(update.risks.all())
    risks = Risk.objects.select_for_update().in_bulk([row.risk_id for row in rows])
    for row in rows:
        risk = risks[row.risk_id]
        values = {name: getattr(row, name) for name in ("likelihood", "impact", "status", "mitigation")}
        if any(getattr(risk, name) != value for name, value in values.items()):
            tracked_update(risk, **values, _user=user)
    tracked_update(update, status=StatusUpdate.Status.APPROVED, decided_at=timezone.now(), decided_by=user, _user=user)
    return update


@transaction.atomic
def status_update_revise(*, update, user):
    """A correction of an approved update: a new draft revision linked to it; the approved one stays."""
    update = _locked_update(update)
    _require_open(update.period)
    if update.status != StatusUpdate.Status.APPROVED:
        raise ReportingError(_("Vain hyväksytyn katsauksen voi korjata uutena versiona."), code="not_approved")
    newest = StatusUpdate.objects.filter(period=update.period_id, node=update.node_id).order_by("-revision").first()
    if newest.pk != update.pk:
        return newest
    values = {name: getattr(update, name) for name in [*COPIED_FIELDS, "proposed_schedule", "proposed_budget"]}
    revision = StatusUpdate(
        period=update.period,
        node=update.node,
        revision=update.revision + 1,
        revision_of=update,
        created_by=user,
        **values,
    )
    revision._history_user = user
    revision.save()
    _create_parts(revision, update)
    return revision


def _running(programme, month):
    return (programme.start is None or programme.start <= last_day(month)) and (
        programme.end is None or programme.end >= month
    )


def missing_units(period):
    """Sub-projects of the period's programme whose update is not yet with the project office."""
    return [row.node for row in period_units(period) if not row.handed_in]


def _lead_addresses(period, units):
    """E-mail addresses of the leads of each unit (the unit's own leads, or the nearest ancestor's)."""
    nodes = {node.pk: node for node in Node.objects.filter(programme=period.programme_id).only("pk", "parent_id")}
    leads = {}
    for responsibility in (
        Responsibility.objects.filter(
            node__programme=period.programme_id,
            role=Responsibility.Role.LEAD,
            person__archived_at__isnull=True,
        )
        .exclude(person__email="")
        .select_related("person")
    ):
        leads.setdefault(responsibility.node_id, []).append(responsibility.person.email)
    addresses = {}
    for unit in units:
        for pk in lineage(unit, nodes):
            if pk in leads:
                addresses[unit] = sorted(set(leads[pk]))
                break
    return addresses


@transaction.atomic
def reminders_send(*, period):
    """E-mail each lead whose update is missing, once per period, sub-project and address."""
    period = ReportingPeriod.objects.select_for_update().select_related("programme").get(pk=period.pk)
    sent = set(period.reminders.values_list("node_id", "email"))
    by_email = {}
    for unit, emails in _lead_addresses(period, missing_units(period)).items():
        for email in emails:
            if (unit.pk, email) not in sent:
                by_email.setdefault(email, []).append(unit)
    for email, units in by_email.items():
        Reminder.objects.bulk_create([Reminder(period=period, node=unit, email=email) for unit in units])
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "reports/reminder_email.txt",
                {"period": period, "units": units, "site_url": settings.SITE_URL},
            )
            subject = _("Muistutus: tilannekatsaus {period} puuttuu").format(period=period)
        send_mail(subject, body, None, [email])
    return sum(len(units) for units in by_email.values())


def reporting_cycle(*, today=None):
    """The daily job: open this month's periods on the configured day, remind before the deadline,
    close periods some days after it. Running it twice in a day changes and sends nothing new."""
    config = settings.SALKKU_REPORTING
    today = today or timezone.localdate()
    month = first_day(today)
    opened = closed = reminded = 0
    if today.day >= config["open_day"]:
        for programme in Node.objects.programmes().active():
            if (
                _running(programme, month)
                and not ReportingPeriod.objects.filter(programme=programme, month=month).exists()
            ):
                period_open(programme=programme, month=month)
                opened += 1
    for period in ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN):
        if today > period.deadline + timedelta(days=config["close_after_days"]):
            period_close(period=period)
            closed += 1
        elif period.deadline - timedelta(days=config["remind_days"]) <= today <= period.deadline:
            reminded += reminders_send(period=period)
    return {"opened": opened, "closed": closed, "reminded": reminded}
