"""The lead's month on one screen: drafts that always save, rows added in the form, conflicts that keep the
typing, and the office's review beside last month's update."""

import re
from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Indicator
from milestones.models import Milestone
from popsote.people import person_name
from portfolio.models import Person, Risk
from portfolio.services import object_archive, tracked_create
from reports.models import StatusUpdate
from reports.workflow import period_open, status_update_save, status_update_start, status_update_submit
from tests.factories import UserFactory
from tests.portfolio.test_editing import make_user, own_subproject
from tests.reports.test_reporting import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(popsote):
    return make_user("lead")


@pytest.fixture
def office(popsote):
    return make_user("office")


@pytest.fixture
def draft(lead):
    period = period_open(programme=own_subproject().programme, month=date(2025, 11, 1))
    return status_update_start(period=period, node=own_subproject(), user=lead)


def edit_url(update):
    return reverse("reports:update_edit", args=[update.pk])


def text(response):
    return " ".join(response.content.decode().split())


def plain(response):
    """The page's words without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(" :", ":")


def test_a_milestone_added_to_the_node_while_a_draft_is_open_appears_in_the_draft(client, lead, draft):
    client.force_login(lead)
    assert "Pilotti käynnissä" not in text(client.get(edit_url(draft)))
    milestone = tracked_create(
        model=Milestone, values={"node": own_subproject(), "name": "Pilotti käynnissä"}, user=lead
    )
    page = text(client.get(edit_url(draft)))
    assert "Katsaukseen lisättiin osahankkeelle sen jälkeen lisätyt: Pilotti käynnissä." in page
    row = draft.milestones.get(milestone=milestone)
    assert f'name="milestones-{row.pk}-status"' in page

    object_archive(obj=milestone, archived=True, user=lead)
    page = text(client.get(edit_url(draft)))
    assert "Katsauksesta poistettiin arkistoidut: Pilotti käynnissä." in page
    assert not draft.milestones.filter(milestone=milestone).exists()


def test_an_incomplete_draft_saves_and_is_refused_only_at_submission_with_every_error_in_the_summary(
    client, lead, draft
):
    milestone = tracked_create(model=Milestone, values={"node": own_subproject(), "name": "Malli kuvattu"}, user=lead)
    client.force_login(lead)
    client.get(edit_url(draft))
    row = draft.milestones.get(milestone=milestone)
    data = edit_data(
        draft,
        overall="",
        schedule="red",
        done="Puolivalmis teksti",
        **{f"milestones-{row.pk}-status": "achieved"},
    )
    response = client.post(edit_url(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    row.refresh_from_db()
    assert (draft.status, draft.overall, draft.schedule, draft.done) == ("draft", "", "red", "Puolivalmis teksti")
    assert (row.status, row.actual_date) == ("achieved", None)

    response = client.post(edit_url(draft), edit_data(draft, submit="1"))
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == "draft"
    summary = response.content.decode().split('id="error-summary"')[1].split("</div>")[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [(anchor, " ".join(label.split())) for anchor, label in links] == [
        ("id_overall_0", "Kokonaistilanne: Valitse valo."),
        ("id_schedule_reason", "Perustelu (aikataulu): Kerro syy, kun valo on keltainen tai punainen."),
        (
            f"id_milestones-{row.pk}-actual_date",
            "Malli kuvattu: Toteutunut päivä: Anna päivä, jolloin välitavoite saavutettiin.",
        ),
    ]
    page = response.content.decode()
    field = re.search(rf'<input[^>]*id="id_milestones-{row.pk}-actual_date"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and "is-invalid" in field
    reason = re.search(r'<textarea[^>]*id="id_schedule_reason"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in reason


def test_a_draft_keeps_a_value_that_does_not_validate_out_and_saves_the_rest(client, lead, draft):
    client.force_login(lead)
    measure = draft.measures.first()
    data = edit_data(draft, done="Tallentuu", **{f"measures-{measure.pk}-percent": "paljon"})
    response = client.post(edit_url(draft), data)
    assert response.status_code == 400
    assert 'value="paljon"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.done == "Tallentuu"


def test_a_stale_save_keeps_the_leads_typing_and_names_who_changed_what(client, lead, office, draft):
    Person.objects.create(name="Hanna Hanketoimisto", user=office)
    stale = edit_data(draft, done="Vetäjän oma teksti")
    status_update_save(update=draft, values={"next_steps": "Toimiston lisäys"}, version=draft.version, user=office)

    client.force_login(lead)
    response = client.post(edit_url(draft), stale)
    assert response.status_code == 409
    page = text(response)
    assert "Joku muu tallensi tämän katsauksen sen jälkeen, kun avasit sen" in page
    assert "Vetäjän oma teksti</textarea>" in page  # the lead's typing is kept
    conflict = page.split('id="conflict-title"')[1].split("</section>")[0]
    assert "Hanna Hanketoimisto" in conflict and "Toimiston lisäys" in conflict
    draft.refresh_from_db()
    assert (draft.done, draft.next_steps, draft.version) == ("", "Toimiston lisäys", 2)

    # Having seen the changes, the lead saves again and keeps their own text.
    again = {**stale, "version": re.search(r'name="version" value="(\d+)"', page).group(1)}
    assert client.post(edit_url(draft), again).status_code == 302
    draft.refresh_from_db()
    assert (draft.done, draft.version) == ("Vetäjän oma teksti", 3)


def test_an_autosave_says_when_it_saved_and_never_overwrites_a_newer_save(client, lead, office, draft):
    client.force_login(lead)
    data = edit_data(draft, done="Ensimmäinen")
    response = client.post(edit_url(draft), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert re.search(r"Luonnos tallennettu klo \d{1,2}\.\d{2}", text(response))
    assert 'id="id_version" value="2" hx-swap-oob="true"' in response.content.decode()
    assert client.post(edit_url(draft), {**data, "version": "2"}, headers={"HX-Request": "true"}).status_code == 204

    status_update_save(update=draft, values={"done": "Toimisto"}, version=2, user=office)
    response = client.post(edit_url(draft), {**data, "done": "Toinen", "version": "2"}, headers={"HX-Request": "true"})
    assert "eikä muutoksiasi tallennettu automaattisesti" in text(response)
    assert "id_version" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.done == "Toimisto"


def test_the_lead_adds_a_milestone_a_measurement_and_a_risk_inside_the_form(client, lead, draft):
    indicator = Indicator.objects.filter(node__programme=draft.node.programme_id).exclude(
        pk__in=draft.indicator_values.values("indicator")
    )[0]
    client.force_login(lead)
    data = edit_data(draft, done="Kirjoitettu ennen lisäystä")
    htmx = {"HX-Request": "true", "HX-Trigger-Name": "add"}  # as htmx sends a click on the add button
    response = client.post(
        edit_url(draft),
        {
            **data,
            "add": "milestones",
            "uusi-milestones-name": "Työpaja pidetty",
            "uusi-milestones-planned_date": "2025-11-20",
        },
        headers=htmx,
    )
    assert response.status_code == 200
    milestone = Milestone.objects.get(node=draft.node, name="Työpaja pidetty")
    row = draft.milestones.get(milestone=milestone)
    assert f'name="milestones-{row.pk}-status"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.done == "Kirjoitettu ennen lisäystä"  # adding saved what was typed too

    draft.refresh_from_db()
    data = {**edit_data(draft), "add": "indicator_values"}
    data.update({"uusi-indicator_values-indicator": indicator.pk, "uusi-indicator_values-value": "31,5"})
    assert client.post(edit_url(draft), data, headers=htmx).status_code == 200
    assert str(draft.indicator_values.get(indicator=indicator).value) == "31.50"

    # Without JavaScript the same button posts the whole form and comes back to the section.
    draft.refresh_from_db()
    data = {**edit_data(draft), "add": "risks", "uusi-risks-title": "Sijaisia ei saada", "uusi-risks-category": "other"}
    response = client.post(edit_url(draft), data)
    assert response["Location"] == edit_url(draft) + "#section-risks"
    assert draft.risks.filter(risk__title="Sijaisia ei saada").exists()

    # A new indicator is the office's to define.
    draft.refresh_from_db()
    data = {**edit_data(draft), "add": "indicators", "uusi-indicators-name": "Oma mittari"}
    client.post(edit_url(draft), data)
    assert not Indicator.objects.filter(name="Oma mittari").exists()


def test_the_office_adds_a_new_indicator_from_the_form(client, office, draft):
    client.force_login(office)
    data = {
        **edit_data(draft),
        "add": "indicators",
        "uusi-indicators-name": "Etäkontaktit",
        "uusi-indicators-unit": "%",
    }
    data["uusi-indicators-direction"] = "increase"
    client.post(edit_url(draft), data)
    indicator = Indicator.objects.get(name="Etäkontaktit", node=draft.node)
    assert draft.indicator_values.filter(indicator=indicator).exists()


def test_the_reminder_link_the_dashboard_and_the_node_page_open_the_form(client, lead, draft):
    client.force_login(lead)
    link = reverse("reports:unit_update", args=[draft.period_id, draft.node_id])
    assert client.get(link)["Location"] == edit_url(draft)
    dashboard = client.get(reverse("reports:dashboard"), {"programme": draft.period.programme_id}).content.decode()
    assert f'href="{link}"' in dashboard
    assert f'href="{link}"' in client.get(draft.node.get_absolute_url()).content.decode()


def _submitted(lead, office):
    """October approved, November submitted with a changed light, measure and a new risk."""
    unit = own_subproject()
    october = period_open(programme=unit.programme, month=date(2025, 10, 1))
    first = status_update_start(period=october, node=unit, user=lead)
    status_update_save(update=first, values=dict.fromkeys(StatusUpdate.LIGHTS, "green"), version=1, user=lead)
    status_update_submit(update=first, user=lead)
    from reports.workflow import status_update_approve

    status_update_approve(update=first, user=office)
    november = period_open(programme=unit.programme, month=date(2025, 11, 1))
    update = status_update_start(period=november, node=unit, user=lead)
    measure = update.measures.first()
    tracked_create(model=Risk, values={"node": unit, "title": "Uusi riski"}, user=lead)
    status_update_save(
        update=update,
        values={"resources": "yellow", "resources_reason": "Sijainen puuttuu.", "done": "Marraskuun työ"},
        rows={"measures": {measure.pk: {"status": "in_progress", "percent": 30}}},
        version=update.version,
        user=lead,
    )
    return status_update_submit(update=update, user=lead)


def test_the_review_shows_every_change_since_last_month_and_approval_needs_confirming(client, lead, office):
    update = _submitted(lead, office)
    client.force_login(office)
    page = client.get(update.get_absolute_url()).content.decode()
    assert "Edellinen (10/2025)" in page
    changed = re.findall(r'<tr class="changed">\s*<th scope="row" class="fw-normal">([^<]+)', page)
    measure = update.measures.first().measure
    assert {name.strip() for name in changed} >= {"Resurssit", "Tehty tässä kuussa", str(measure), "Uusi riski"}
    assert "Vahvista hyväksyntä" not in page
    dashboard = client.get(reverse("reports:dashboard"), {"programme": update.period.programme_id}).content.decode()
    assert f'href="{update.get_absolute_url()}">Tarkasta:' in dashboard

    confirm = client.get(update.get_absolute_url(), {"vahvista": "hyvaksy"}).content.decode()
    assert "Vahvista hyväksyntä" in confirm
    response = client.post(reverse("reports:update_action", args=[update.pk, "hyvaksy"]))
    assert response["Location"] == update.period.get_absolute_url()
    update.refresh_from_db()
    assert update.status == "approved"


def test_the_office_returns_with_comments_per_section_and_the_lead_sees_them_in_the_form(client, lead, office):
    update = _submitted(lead, office)
    client.force_login(office)
    client.post(
        reverse("reports:update_action", args=[update.pk, "palauta"]),
        {"section_risks": "Arvioi uuden riskin vaikutus.", "section_lights": ""},
    )
    update.refresh_from_db()
    assert (update.status, update.section_comments) == ("returned", {"risks": "Arvioi uuden riskin vaikutus."})
    client.force_login(lead)
    page = plain(client.get(edit_url(update)))
    risks = page.split("Riskit")[1]
    assert "Hanketoimiston kommentti: Arvioi uuden riskin vaikutus." in risks


def test_people_are_named_by_their_person_then_their_full_name_then_their_login(popsote):
    user = UserFactory(username="tunnus", first_name="", last_name="")
    assert person_name(user) == "tunnus"
    user.first_name, user.last_name = "Tiina", "Tunnus"
    assert person_name(user) == "Tiina Tunnus"
    Person.objects.create(name="Tiina Tunnus-Virta", user=user)
    user.refresh_from_db()
    assert person_name(user) == "Tiina Tunnus-Virta"
    assert person_name(None) == ""


def _rows_for(unit, user, count):
    for number in range(count):
        tracked_create(model=Milestone, values={"node": unit, "name": f"Välitavoite {number}"}, user=user)
        tracked_create(model=Risk, values={"node": unit, "title": f"Riski {number}"}, user=user)
        Indicator.objects.create(node=unit, name=f"Mittari {number}")


def _queries(client, url, data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url) if data is None else client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return len(queries)


def test_the_save_and_the_review_take_the_same_queries_for_ten_times_the_rows(client, lead, office):
    from reports.workflow import status_update_approve

    unit = own_subproject()
    counts = []
    # September has no approved month before it; October and November each compare with the one before.
    for month, added in ((9, 3), (10, 0), (11, 27)):
        _rows_for(unit, lead, added)
        period = period_open(programme=unit.programme, month=date(2025, month, 1))
        update = status_update_start(period=period, node=unit, user=lead)
        client.force_login(lead)
        client.get(edit_url(update))
        save = _queries(client, edit_url(update), edit_data(update, done=f"Muutettu {month}"))
        update.refresh_from_db()
        status_update_save(
            update=update, values=dict.fromkeys(StatusUpdate.LIGHTS, "green"), version=update.version, user=lead
        )
        status_update_submit(update=update, user=lead)
        client.force_login(office)
        review = _queries(client, update.get_absolute_url())
        counts.append((update.milestones.count(), save, review))
        status_update_approve(update=update, user=office)
    (few, save, review), (many, save_many, review_many) = counts[1:]
    assert (few, many) == (3, 30)
    assert (save_many, review_many) == (save, review)


def test_an_autosave_sent_while_an_add_button_has_the_focus_adds_nothing(client, lead, draft):
    """htmx puts the last clicked submit button of a form into the form's own requests: an autosave that
    fires (a field's change, the minute's timer) while "Lisää välitavoite" is still on its way must not add
    the milestone a second time."""
    client.force_login(lead)
    data = {
        **edit_data(draft, done="Kirjoitettu"),
        "add": "milestones",
        "uusi-milestones-name": "Työpaja pidetty",
        "uusi-milestones-planned_date": "2025-11-20",
    }
    autosave = {"HX-Request": "true", "HX-Trigger": "update-form"}
    assert client.post(edit_url(draft), data, headers=autosave).status_code == 200
    assert not Milestone.objects.filter(node=draft.node, name="Työpaja pidetty").exists()
    draft.refresh_from_db()
    assert draft.done == "Kirjoitettu"  # the autosave itself saved


def test_an_add_sent_before_the_autosave_answered_is_made_on_top_of_the_leads_own_save(client, lead, draft):
    """The lead changes a field and clicks "Lisää välitavoite" before the autosave's answer (the new
    version) is back: the add carries the version the page had, and the only save since is the lead's own."""
    client.force_login(lead)
    typed = edit_data(draft, done="Kirjoitettu juuri ennen lisäystä")
    autosave = client.post(edit_url(draft), typed, headers={"HX-Request": "true", "HX-Trigger": "update-form"})
    assert 'id="id_version" value="2"' in autosave.content.decode()
    add = {**typed, "add": "milestones", "uusi-milestones-name": "Työpaja pidetty"}
    add["uusi-milestones-planned_date"] = "2025-11-20"
    response = client.post(edit_url(draft), add, headers={"HX-Request": "true", "HX-Trigger-Name": "add"})
    assert "Joku muu tallensi" not in text(response)
    assert draft.milestones.filter(milestone__name="Työpaja pidetty").count() == 1
    # The add is a save of its own: a version of its own, so that nobody holding version 2 overwrites it.
    draft.refresh_from_db()
    assert draft.version == 3
    assert re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1) == "3"


def test_the_draft_service_counts_versions_itself_and_refuses_a_version_among_the_values(lead, draft):
    with pytest.raises(ValueError, match="version"):
        status_update_save(update=draft, values={"done": "Teksti", "version": 1}, version=1, user=lead)
    draft.refresh_from_db()
    assert (draft.done, draft.version) == ("", 1)


def test_an_autosave_sent_as_the_lead_clicks_submit_saves_the_draft_and_the_submit_hands_it_in(client, lead, draft):
    """htmx puts the last clicked submit button into the form's own requests, "Lähetä hanketoimistolle" too:
    the autosave of the field the lead just left, sent as the lead clicks it, only saves the draft. The
    click's own request (the page's version, the only save since is the lead's own) is what hands it in."""
    client.force_login(lead)
    lights = dict.fromkeys(StatusUpdate.LIGHTS, "yellow")
    reasons = {f"{name}_reason": "Yksi toimenpide siirtyy kevääseen." for name in StatusUpdate.LIGHTS}
    typed = edit_data(draft, done="Työpajat pidetty.", **lights, **reasons, submit="")
    autosave = client.post(edit_url(draft), typed, headers={"HX-Request": "true", "HX-Trigger": "update-form"})
    assert autosave.status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.done, draft.version) == ("draft", "Työpajat pidetty.", 2)
    response = client.post(edit_url(draft), typed)  # the click itself, without htmx, with version 1
    assert response.status_code == 302, text(response)
    draft.refresh_from_db()
    assert (draft.status, draft.done, draft.submitted_by) == ("submitted", "Työpajat pidetty.", lead)


def test_a_row_the_lead_adds_to_a_draft_the_office_started_is_the_leads_and_no_conflict_of_the_leads_own(
    client, lead, office
):
    """The office started the draft; the lead adds a milestone in the form, then saves on top of their own
    autosave. The milestone's row is in the history as the lead's, so the save meets no "Joku muu tallensi"."""
    period = period_open(programme=own_subproject().programme, month=date(2025, 11, 1))
    draft = status_update_start(period=period, node=own_subproject(), user=office)
    client.force_login(lead)
    add = {**edit_data(draft), "add": "milestones", "uusi-milestones-name": "Työpaja pidetty"}
    add["uusi-milestones-planned_date"] = "2025-11-20"
    assert (
        client.post(edit_url(draft), add, headers={"HX-Request": "true", "HX-Trigger-Name": "add"}).status_code == 200
    )
    row = draft.milestones.get(milestone__name="Työpaja pidetty")
    assert row.history.get().history_user == lead
    draft.refresh_from_db()
    typed = edit_data(draft, done="Kirjoitettu")  # the page's version after the add
    client.post(edit_url(draft), typed, headers={"HX-Request": "true", "HX-Trigger": "update-form"})
    risk = {**typed, "add": "risks", "uusi-risks-title": "Aikataulu venyy", "uusi-risks-category": "schedule"}
    response = client.post(edit_url(draft), risk, headers={"HX-Request": "true", "HX-Trigger-Name": "add"})
    assert "Joku muu tallensi" not in text(response)
    assert draft.risks.filter(risk__title="Aikataulu venyy").exists()
