"""The monthly cycle through the pages: a lead fills and submits, the office returns and approves."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from budgets.models import ActualCost, CostCategory
from indicators.models import Measurement
from milestones.models import Milestone
from portfolio.models import Node, Person, Responsibility, Risk
from reports.models import MeasureReport, Reminder, ReportingPeriod, StatusUpdate, UpdateLocked
from reports.workflow import (
    period_open,
    reporting_cycle,
    status_update_approve,
    status_update_start,
    status_update_submit,
)
from tests.portfolio.test_editing import make_user, own_subproject

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(popsote):
    return make_user("lead")


@pytest.fixture
def office(popsote):
    return make_user("office")


@pytest.fixture
def period(popsote):
    return period_open(programme=own_subproject().programme, month=date(2025, 11, 1))


def edit_data(update, **changes):
    """What the edit form posts when the lead changes nothing but ``changes``."""
    from reports.forms import StatusUpdateForm, row_forms

    data = {}
    form = StatusUpdateForm(instance=update)
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for rows in row_forms(update).values():
        for row in rows:
            for name in row.fields:
                value = row[name].value()
                if hasattr(value, "isoformat"):
                    value = value.isoformat()
                data[row.add_prefix(name)] = "" if value is None else value
    data.update(changes)
    return data


def test_the_whole_cycle_through_the_pages(client, lead, office, period):
    unit = own_subproject()
    client.force_login(lead)
    start = reverse("reports:unit_update", args=[period.pk, unit.pk])
    response = client.get(start)
    update = StatusUpdate.objects.get(period=period, node=unit)
    assert response["Location"] == reverse("reports:update_edit", args=[update.pk])
    assert update.status == StatusUpdate.Status.DRAFT
    assert update.measures.count() == 7  # P4I1-4 has seven measures in the plan
    edit = reverse("reports:update_edit", args=[update.pk])
    assert client.get(start)["Location"] == edit  # the same draft, not a second one

    # A yellow light without a reason is saved as a draft; only submitting it is refused.
    response = client.post(edit, edit_data(update, scope="yellow", done="Työpajat pidetty."))
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.scope, update.done, update.version) == ("yellow", "Työpajat pidetty.", 2)
    response = client.post(edit, edit_data(update, submit="1"))
    assert response.status_code == 400
    assert "Kerro syy, kun valo on keltainen tai punainen." in response.content.decode()
    update.refresh_from_db()
    assert update.status == StatusUpdate.Status.DRAFT

    measure_row = update.measures.first()
    data = edit_data(
        update,
        scope="yellow",
        scope_reason="Yksi toimenpide siirtyy kevääseen.",
        done="Työpajat pidetty.",
        submit="1",
        **{
            f"measures-{measure_row.pk}-status": "in_progress",
            f"measures-{measure_row.pk}-percent": "40",
            f"measures-{measure_row.pk}-note": "Käynnissä",
        },
    )
    response = client.post(edit, data)
    assert response.status_code == 302
    update.refresh_from_db()
    measure_row.refresh_from_db()
    assert (update.status, update.scope, update.done) == ("submitted", "yellow", "Työpajat pidetty.")
    assert update.submitted_by == lead
    assert (measure_row.status, measure_row.percent, measure_row.note) == ("in_progress", 40, "Käynnissä")
    assert client.get(edit).status_code == 403  # submitted: the lead waits for the office

    # The project office returns it with a comment.
    client.force_login(office)
    action = lambda name: reverse("reports:update_action", args=[update.pk, name])  # noqa: E731
    response = client.post(action("palauta"), {"return_comment": "Lisää perustelu resursseista."})
    update.refresh_from_db()
    assert (update.status, update.return_comment, update.decided_by) == (
        "returned",
        "Lisää perustelu resursseista.",
        office,
    )

    # The lead sees the comment, fixes and resubmits.
    client.force_login(lead)
    assert "Lisää perustelu resursseista." in client.get(edit).content.decode()
    response = client.post(
        edit, edit_data(update, resources="red", resources_reason="Koordinaattori sairauslomalla.", submit="1")
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.resources) == ("submitted", "red")

    # The office approves; the update is locked.
    client.force_login(office)
    client.post(action("hyvaksy"))
    update.refresh_from_db()
    assert (update.status, update.decided_by) == ("approved", office)
    page = client.get(update.get_absolute_url()).content.decode()
    assert "Hyväksytty katsaus on lukittu." in page
    assert "Koordinaattori sairauslomalla." in page

    for user in (lead, office):
        client.force_login(user)
        assert client.get(edit).status_code == 403
        assert client.post(edit, edit_data(update, done="Muutettu")).status_code == 403
        assert client.post(action("laheta")).status_code == 403
    client.force_login(office)
    client.post(action("hyvaksy"))
    client.post(action("palauta"), {"return_comment": "x"})
    update.refresh_from_db()
    assert (update.status, update.done) == ("approved", "Työpajat pidetty.")

    # Nor the admin, nor the model, nor a bulk update.
    request = RequestFactory().get("/")
    request.user = office
    assert admin_site._registry[StatusUpdate].has_change_permission(request, update) is False
    assert admin_site._registry[MeasureReport].has_change_permission(request, measure_row) is False
    update.done = "Muutettu"
    with pytest.raises(UpdateLocked):
        update.save()
    with pytest.raises(UpdateLocked):
        StatusUpdate.objects.filter(pk=update.pk).update(done="Muutettu")
    with pytest.raises(UpdateLocked):
        measure_row.save()
    with pytest.raises(UpdateLocked):
        MeasureReport.objects.filter(update=update).update(percent=99)
    with pytest.raises(UpdateLocked):
        update.delete()
    update.refresh_from_db()
    assert update.done == "Työpajat pidetty."

    # A correction is a new revision; both are kept and both show in the history.
    client.force_login(lead)
    response = client.post(action("korjaa"))
    revision = StatusUpdate.objects.get(period=period, node=unit, revision=2)
    assert response["Location"] == reverse("reports:update_edit", args=[revision.pk])
    assert (revision.revision_of, revision.status, revision.done, revision.resources) == (
        update,
        "draft",
        "Työpajat pidetty.",
        "red",
    )
    assert revision.measures.get(measure=measure_row.measure).percent == 40
    client.post(
        reverse("reports:update_edit", args=[revision.pk]),
        edit_data(revision, done="Työpajat pidetty; raportti valmis.", submit="1"),
    )
    client.force_login(office)
    client.post(reverse("reports:update_action", args=[revision.pk, "hyvaksy"]))
    revision.refresh_from_db()
    update.refresh_from_db()
    assert (update.status, update.done) == ("approved", "Työpajat pidetty.")
    assert (revision.status, revision.done) == ("approved", "Työpajat pidetty; raportti valmis.")
    page = client.get(revision.get_absolute_url()).content.decode()
    assert "1 (hyväksytty)" in page and "<strong>2 (hyväksytty)</strong>" in page
    history = client.get(revision.get_absolute_url()).context["history"]
    assert [entry.action for entry in history].count("Muutettu") >= 2


def test_next_month_starts_from_the_last_approved_update(lead, office, period):
    unit = own_subproject()
    first = status_update_start(period=period, node=unit, user=lead)
    first.done, first.overall, first.overall_reason = "Lokakuun työ", "yellow", "Rekrytointi kesken."
    first.save()
    MeasureReport.objects.filter(update=first).update(percent=30, status="in_progress")
    status_update_submit(update=first, user=lead)
    status_update_approve(update=first, user=office)

    december = period_open(programme=unit.programme, month=date(2025, 12, 1))
    second = status_update_start(period=december, node=unit, user=lead)
    assert (second.done, second.overall, second.overall_reason) == ("Lokakuun työ", "yellow", "Rekrytointi kesken.")
    assert set(second.measures.values_list("percent", "status")) == {(30, "in_progress")}
    assert status_update_start(period=december, node=unit, user=lead) == second  # starting twice: the same one


def test_a_milestone_past_due_proposes_a_schedule_light_and_another_light_needs_a_reason(lead, period):
    unit = own_subproject()
    Milestone.objects.create(node=unit, name="Palvelukuvaus valmis", planned_date=date(2025, 10, 15))
    update = status_update_start(period=period, node=unit, user=lead)
    assert (update.proposed_schedule, update.schedule) == ("yellow", "yellow")
    assert "1 välitavoite myöhässä, vanhin 46 päivää." in update.schedule_reason
    update.schedule, update.schedule_reason = "green", ""
    with pytest.raises(Exception, match="Kerro syy, kun valitset eri valon kuin ehdotettu."):
        update.full_clean()


def test_spend_against_plan_proposes_the_budget_light(lead, period):
    unit = own_subproject()
    category = CostCategory.objects.get(key="henkilostokulut")
    ActualCost.objects.create(node=unit, category=category, month=date(2025, 6, 1), amount=Decimal("1000.00"))
    update = status_update_start(period=period, node=unit, user=lead)
    assert update.proposed_budget == "red"  # 1 000 € spent against hundreds of thousands planned
    # P4I1-4's 1 362 500 € spread over 1/2023–12/2025: 35 of 36 months by the end of 11/2025.
    assert update.budget == "red"
    assert update.budget_reason == "Toteuma 1\xa0000\xa0€ / suunniteltu 1\xa0324\xa0652,78\xa0€ (0 %)."


def test_approval_updates_the_milestone_and_risk_registers(lead, office, period):
    unit = own_subproject()
    milestone = Milestone.objects.create(node=unit, name="Pilotti käynnissä", planned_date=date(2025, 12, 1))
    risk = Risk.objects.create(node=unit, title="Henkilöstön vaihtuvuus", category="competence", likelihood=2, impact=3)
    update = status_update_start(period=period, node=unit, user=lead)
    update.milestones.filter(milestone=milestone).update(status="achieved", actual_date=date(2025, 11, 20))
    update.risks.filter(risk=risk).update(likelihood=4, mitigation="Varahenkilöt nimetty.")
    update.indicator_values.all().update(value=Decimal("12.5"), source="Pegasos 11/2025")
    status_update_submit(update=update, user=lead)
    milestone.refresh_from_db()
    assert milestone.status == "planned"  # the register follows only an approved update
    status_update_approve(update=update, user=office)
    milestone.refresh_from_db()
    risk.refresh_from_db()
    assert (milestone.status, milestone.actual_date) == ("achieved", date(2025, 11, 20))
    assert (risk.likelihood, risk.impact, risk.mitigation) == (4, 3, "Varahenkilöt nimetty.")
    assert milestone.history.first().history_user == office


def test_a_closed_period_refuses_every_write(client, lead, office, period):
    unit = own_subproject()
    update = status_update_start(period=period, node=unit, user=lead)
    client.force_login(office)
    client.post(reverse("reports:period_close", args=[period.pk]))
    period.refresh_from_db()
    assert period.status == "closed"
    client.force_login(lead)
    assert client.get(reverse("reports:update_edit", args=[update.pk])).status_code == 403
    response = client.post(reverse("reports:update_action", args=[update.pk, "laheta"]))
    assert response.status_code == 403
    other = Node.objects.get(programme__code="POPDIGI2", code="P4I1-3")
    Responsibility.objects.create(node=other, person=Person.objects.get(user=lead), role="lead")
    client.post(reverse("reports:unit_update", args=[period.pk, other.pk]))
    assert not StatusUpdate.objects.filter(node=other).exists()
    update.refresh_from_db()
    assert update.status == "draft"


def test_the_cycle_opens_reminds_and_closes_once(settings, popsote):
    settings.SALKKU_REPORTING = {"open_day": 20, "deadline_day": 5, "remind_days": 3, "close_after_days": 10}
    programme = Node.objects.get(code="POPDIGI2", parent__isnull=True)
    person = Person.objects.get(name="Leena Mämmi-Laukka")
    person.email = "leena@example.fi"
    person.save()
    Responsibility.objects.create(node=own_subproject(), person=person, role="lead")

    assert reporting_cycle(today=date(2025, 11, 19)) == {"opened": 0, "closed": 0, "reminded": 0}
    assert reporting_cycle(today=date(2025, 11, 20))["opened"] == 1  # only POP-Digi runs in 11/2025
    assert reporting_cycle(today=date(2025, 11, 21))["opened"] == 0
    period = ReportingPeriod.objects.get(programme=programme, month=date(2025, 11, 1))
    assert (period.deadline, period.status) == (date(2025, 12, 5), "open")

    assert reporting_cycle(today=date(2025, 12, 1))["reminded"] == 0  # not yet
    assert reporting_cycle(today=date(2025, 12, 2))["reminded"] == 1
    assert reporting_cycle(today=date(2025, 12, 3))["reminded"] == 0  # twice sends nothing twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leena@example.fi"]
    assert message.subject == "Muistutus: tilannekatsaus 11/2025 puuttuu"
    assert "P4I1-4 Lasten ja nuorten palveluiden kehittäminen" in message.body
    assert reverse("reports:unit_update", args=[period.pk, own_subproject().pk]) in message.body
    assert Reminder.objects.filter(period=period).count() == 1

    assert reporting_cycle(today=date(2025, 12, 15))["closed"] == 0
    assert reporting_cycle(today=date(2025, 12, 16))["closed"] == 1
    period.refresh_from_db()
    assert period.status == "closed"


def test_dashboard_shows_lights_missing_and_waiting(client, lead, office, period):
    unit = own_subproject()
    update = status_update_start(period=period, node=unit, user=lead)
    client.force_login(office)
    url = reverse("reports:dashboard")
    page = client.get(url, {"programme": period.programme_id, "period": period.pk})
    rows = {row.node.code: row for row in page.context["rows"]}
    assert len(rows) == 19  # POP-Digi's sub-projects
    assert rows["P4I1-4"].newest == update and rows["P4I1-4"].approved is None
    assert len(page.context["missing"]) == 19 and page.context["waiting"] == []
    status_update_submit(update=update, user=lead)
    page = client.get(url, {"programme": period.programme_id, "period": period.pk})
    assert [row.node.code for row in page.context["waiting"]] == ["P4I1-4"]
    status_update_approve(update=update, user=office)
    page = client.get(url, {"programme": period.programme_id, "period": period.pk})
    assert page.context["waiting"] == [] and len(page.context["missing"]) == 18
    html = page.content.decode()
    assert f'href="{update.get_absolute_url()}"><span class="light light-green">' in html
    indicators = {indicator.name: progress for indicator, progress in page.context["indicators"]}
    assert indicators["7 vrk hoitoon pääsy kiireettömissä hoidon käynneissä"].target.value == Decimal("80.00")


def test_indicator_progress_against_interim_and_final_targets(popsote):
    from indicators.models import Indicator, indicator_progress

    remote = Indicator.objects.get(name__startswith="Etänä sähköisin välinein")
    targets = list(remote.targets.all())

    def progress(value, month):
        return indicator_progress(remote, targets, Measurement(indicator=remote, value=Decimal(value), month=month))

    assert progress("25", date(2024, 1, 1)).on_track is False  # below the 30 % interim target of Q4/2023
    assert progress("31", date(2024, 1, 1)).on_track is True
    assert progress("31", date(2024, 1, 1)).percent == Decimal("89")  # of 35 %
    assert progress("34", date(2026, 1, 1)).on_track is False  # final 35 % by Q4/2025 missed
    assert indicator_progress(remote, targets, None).on_track is None


def test_an_update_starting_from_one_without_lights_asks_for_them(client, popsote):
    lead = make_user("lead")
    lnp = Node.objects.get(programme__code="TSK", code="LNP")
    Responsibility.objects.create(node=lnp, person=Person.objects.get(user=lead), role="lead")
    # An approved update with no lights (as a document loaded before the form asked for them).
    december = ReportingPeriod.objects.create(
        programme=lnp.programme, month=date(2020, 12, 1), deadline=date(2021, 1, 5), status="closed"
    )
    StatusUpdate.objects.create(
        period=december,
        node=lnp,
        status=StatusUpdate.Status.APPROVED,
        **dict.fromkeys(StatusUpdate.LIGHTS, ""),
        done="Alueelliset kehittämistarpeet on kartoitettu.",
    )
    february = period_open(programme=lnp.programme, month=date(2021, 2, 1))
    update = status_update_start(period=february, node=lnp, user=lead)
    assert update.done == "Alueelliset kehittämistarpeet on kartoitettu."  # from the approved December update
    assert (update.overall, update.schedule) == ("", "")
    with pytest.raises(Exception, match="Valitse valo."):
        status_update_submit(update=update, user=lead)
    client.force_login(lead)
    response = client.post(reverse("reports:update_edit", args=[update.pk]), edit_data(update, submit="1"))
    assert response.status_code == 400
    assert "Kokonaistilanne: Valitse valo." in " ".join(response.content.decode().split())
    update.refresh_from_db()  # the draft was saved all the same
    client.post(
        reverse("reports:update_edit", args=[update.pk]),
        edit_data(update, **dict.fromkeys(StatusUpdate.LIGHTS, "green"), submit="1"),
    )
    update.refresh_from_db()
    assert (update.status, update.overall) == ("submitted", "green")
