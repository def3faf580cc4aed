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
from popsote.county import county
from popsote.months import add_months, first_day, last_day
from portfolio.models import Node, Responsibility, Risk
from portfolio.services import StaleEdit, tracked_create, tracked_update
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
from .selectors import period_units, previous_approved, proposals, unit_node_ids


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


COPIED_FIELDS = StatusUpdate.LEAD_FIELDS


def _sync_parts(update, user, source=None):
    """Give the update a row for everything its sub-project reports on, and none for what was archived.

    A new row starts from ``source`` (the previous approved update) where it has one, otherwise from the
    register, so a lead only changes what changed. Milestones, risks, indicators and measures added to the
    node while a draft is open join it here; rows of archived ones leave it, both in the history as the
    doing of ``user``, who caused it. Returns ``(added, removed)``, the names of both, for a note to the lead.
    """
    ids = unit_node_ids(update.node)
    subjects = {
        "measures": ("measure", Node.objects.filter(pk__in=ids).exclude(pk=update.node_id).order_by("position", "pk")),
        "milestones": ("milestone", Milestone.objects.filter(node__in=ids, archived_at__isnull=True)),
        "risks": ("risk", Risk.objects.filter(node__in=ids)),
        "indicator_values": ("indicator", Indicator.objects.filter(node__in=ids, archived_at__isnull=True)),
    }
    added, removed = [], []
    for part, (subject, candidates) in subjects.items():
        rows = getattr(update, part)
        present = {}
        for row in rows.select_related(subject):
            present[getattr(row, f"{subject}_id")] = row
        for row in present.values():
            # Risks are closed, never archived: a closed risk's row stays and says so.
            if getattr(getattr(row, subject), "archived_at", None) is not None:
                removed.append(str(getattr(row, subject)))
                row._history_user = user
                row.delete()
        before = {getattr(row, f"{subject}_id"): row for row in getattr(source, part).all()} if source else {}
        new = [_new_row(part, update, item, before.get(item.pk)) for item in candidates.exclude(pk__in=list(present))]
        new = [row for row in new if row is not None]
        bulk_create_with_history(new, getattr(update, part).model, default_user=user)
        added.extend(str(getattr(row, subject)) for row in new)
    return added, removed


def _new_row(part, update, item, old):
    """The update's new row for a measure, milestone, risk or indicator; None for a risk closed before it."""
    if part == "measures":
        values = {"status": old.status, "percent": old.percent, "note": old.note} if old else {}
        return MeasureReport(update=update, measure=item, **values)
    if part == "milestones":
        old = old or item
        return MilestoneReport(update=update, milestone=item, status=old.status, actual_date=old.actual_date)
    if part == "risks":
        if old is None and item.status == Risk.Status.CLOSED:
            return None
        old = old or item
        values = {name: getattr(old, name) for name in ("likelihood", "impact", "status", "mitigation")}
        return RiskReport(update=update, risk=item, **values)
    same_month = old is not None and old.month == update.period.month
    return Measurement(
        update=update,
        indicator=item,
        month=update.period.month,
        value=old.value if same_month else None,
        source=old.source if old else "",
    )


def _editable_update(update, version=None):
    """The update locked for a write by its lead: a draft or returned update of an open period."""
    current = _locked_update(update, version)
    _require_open(current.period)
    if not current.is_editable:
        if current.status == StatusUpdate.Status.APPROVED:
            raise UpdateLocked
        raise ReportingError(
            _("Lähetettyä tilannekatsausta ei voi muokata ennen kuin se palautetaan."), code="submitted"
        )
    return current


@transaction.atomic
def status_update_sync(*, update, user):
    """Bring an open draft up to date with its node (see ``_sync_parts``); ``(added, removed)`` names."""
    current = _locked_update(update)
    if not (current.is_editable and current.period.is_open):
        return [], []
    return _sync_parts(current, user)


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
    previous = previous_approved(node, period)
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
    _sync_parts(update, user, previous)
    return update


def status_update_save(*, update, values, version, rows=None, user=None, submit=False):
    """Save the lead's edits as a draft, in whatever state they are, unless someone saved meanwhile; with
    ``submit`` then hand the update in.

    The draft is kept even when handing it in is refused: the rules are checked at submission, and the
    refusal (a ``ReportingError``) says what is missing. ``values`` are the update's own fields
    (``StatusUpdateForm``'s cleaned data); ``rows`` the changed rows as ``{part: {row id: values}}``, part
    one of measures, milestones, risks, indicator_values; ``version`` the one the user started from.
    """
    current = _save_draft(update, values, version, rows or {}, user)
    if submit:
        current = status_update_submit(update=current, user=user)
    return current


@transaction.atomic
def _save_draft(update, values, version, rows, user):
    if not set(values) <= set(StatusUpdate.LEAD_FIELDS):
        # The version is the save's own to count; a caller that passes it (or anything else) is wrong.
        raise ValueError(f"Not a lead's field of an update: {sorted(set(values) - set(StatusUpdate.LEAD_FIELDS))}")
    current = _editable_update(update, version)
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current._history_user = user
    current.save()
    for part, changes in rows.items():
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
    return current


def row_error_key(part, row, field):
    """How a submission error names a row's field: ``milestones-12-actual_date`` (the row form's field name)."""
    return f"{part}-{row.pk}-{field}"


def submission_errors(update):
    """Why the update cannot be handed in yet, all at once (a ``ReportingError``), or None.

    A light for each of the five, a reason for a yellow or red light or one that departs from the proposal,
    a date for an achieved milestone; a row's field is keyed as ``row_error_key`` names it. These rules wait
    for submission, so a draft saves in whatever state it is.
    """
    # The proposals the form shows beside the lights are today's; the reasons are asked against those.
    for name, proposal in proposals(update.node, update.period).items():
        setattr(update, f"proposed_{name}", proposal.light if proposal else "")
    errors = {name: [_("Valitse valo.")] for name in StatusUpdate.LIGHTS if not getattr(update, name)}
    try:
        update.full_clean(exclude=["period", "node", "created_by", "revision_of"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    for row in update.milestones.select_related("milestone"):
        try:
            row.full_clean(exclude=["update", "milestone"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[row_error_key("milestones", row, name)] = messages
    return ReportingError(errors, code="required") if errors else None


@transaction.atomic
def status_update_submit(*, update, user, version=None):
    """draft/returned → submitted: the lead hands the update to the project office (``submission_errors`` first)."""
    update = _locked_update(update, version)
    _require_open(update.period)
    if not update.is_editable:
        raise ReportingError(_("Vain luonnoksen tai palautetun katsauksen voi lähettää."), code="not_draft")
    _sync_parts(update, user)
    refusal = submission_errors(update)
    if refusal is not None:
        raise refusal
    tracked_update(
        update,
        status=StatusUpdate.Status.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=user,
        proposed_schedule=update.proposed_schedule,
        proposed_budget=update.proposed_budget,
        _user=user,
    )
    return update


@transaction.atomic
def status_update_add(*, update, part, values, user):
    """Something new reported from inside the update's form; returns the update's new row.

    ``part`` milestones or risks: a milestone or a risk of the sub-project (``values`` its fields), added to
    the register; indicators: a new indicator of the sub-project (the project office defines them);
    indicator_values: a measurement of one of the programme's indicators this month (``values``:
    indicator, value, source). The draft gets the row at once, as it would for one added on the node page.
    """
    current = _editable_update(update)
    node = current.node
    if part == "indicator_values":
        indicator = values["indicator"]
        row = current.indicator_values.filter(indicator=indicator).first()
        if row is None:
            row = Measurement(update=current, indicator=indicator, month=current.period.month)
        row.value, row.source = values.get("value"), values.get("source", "")
        row._history_user = user
        row.save()
        return row
    model, subject, related = {
        "milestones": (Milestone, "milestone", "milestones"),
        "risks": (Risk, "risk", "risks"),
        "indicators": (Indicator, "indicator", "indicator_values"),
    }[part]
    item = tracked_create(
        model=model, values={**values, "node": node}, user=user, last_among=model.objects.filter(node=node)
    )
    _sync_parts(current, user)
    return getattr(current, related).get(**{subject: item})


@transaction.atomic
def status_update_return(*, update, user, comment, sections=None, version=None):
    """submitted → returned, with the project office's comment to the lead, on the whole and per section
    (``sections``: ``{section: text}``, sections as in ``StatusUpdate.SECTIONS``); at least one is needed."""
    update = _locked_update(update, version)
    _require_open(update.period)
    if update.status != StatusUpdate.Status.SUBMITTED:
        raise ReportingError(_("Vain lähetetyn katsauksen voi palauttaa."), code="not_submitted")
    sections = {name: text.strip() for name, text in (sections or {}).items() if text.strip()}
    unknown = sorted(set(sections) - set(StatusUpdate.SECTIONS))
    if unknown:
        raise ReportingError({"sections": _("Tuntematon osio: {names}.").format(names=", ".join(unknown))})
    if not comment.strip() and not sections:
        raise ReportingError({"return_comment": _("Kerro vetäjälle, mitä pitää korjata.")}, code="required")
    tracked_update(
        update,
        status=StatusUpdate.Status.RETURNED,
        return_comment=comment.strip(),
        section_comments=sections,
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
    _sync_parts(revision, user, update)
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
                {"period": period, "units": units, "site_url": settings.SITE_URL, **county(None)},
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
