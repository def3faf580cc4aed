"""Monthly status updates over HTTP: the whole update in one request, the workflow, locked periods."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, Measurement
from milestones.models import Milestone
from portfolio.models import Node
from reports.models import StatusUpdate
from reports.workflow import period_close, period_open
from tests.portfolio.test_editing import own_subproject

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(popsote):
    return period_open(programme=own_subproject().programme, month=date(2025, 11, 1))


@pytest.fixture
def started(api_client, period):
    """The lead's draft update for the period, started through the API."""
    Milestone.objects.create(node=own_subproject(), name="Pilotti käynnissä", planned_date=date(2025, 10, 1))
    Indicator.objects.create(node=own_subproject(), name="Etäkontaktien osuus", unit="%")
    response = api_client("lead").post(
        reverse("api:statusupdate-list"), {"period": period.pk, "node": own_subproject().pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response


def whole_update(body):
    return {
        "overall": "yellow",
        "overall_reason": "Pilotti alkoi kuukauden myöhässä.",
        "schedule": "yellow",
        "schedule_reason": "Pilotti myöhässä.",
        "done": "Pilotti käynnistettiin.",
        "next_steps": "Laajennus toiseen yksikköön.",
        "measures": [{"id": body["measures"][0]["id"], "status": "in_progress", "percent": 40, "note": "Käynnissä"}],
        "milestones": [{"id": body["milestones"][0]["id"], "status": "achieved", "actual_date": "2025-11-12"}],
        "indicator_values": [{"id": body["indicator_values"][0]["id"], "value": "31.50", "source": "Kanta"}],
        "submit": True,
    }


def test_lead_submits_a_whole_monthly_update_in_one_request(api_client, started):
    body = started.json()
    assert (body["status"], len(body["measures"])) == ("draft", 7)
    url = reverse("api:statusupdate-detail", args=[body["id"]])
    response = api_client("lead").put(url, whole_update(body), format="json", HTTP_IF_MATCH=started["ETag"])
    assert response.status_code == 200, response.json()
    update = StatusUpdate.objects.get(pk=body["id"])
    assert (update.status, update.overall, update.done) == ("submitted", "yellow", "Pilotti käynnistettiin.")
    measure = update.measures.get(pk=body["measures"][0]["id"])
    assert (measure.status, measure.percent, measure.note) == ("in_progress", 40, "Käynnissä")
    milestone = update.milestones.get()
    assert (milestone.status, milestone.actual_date) == ("achieved", date(2025, 11, 12))
    assert Measurement.objects.get(update=update).value == Decimal("31.50")
    assert response.json()["indicator_values"][0]["value"] == "31.50"
    assert response["ETag"] == f'"{update.version}"'


def test_an_update_is_saved_all_or_nothing_and_submitted_only_when_complete(api_client, started):
    body = started.json()
    url = reverse("api:statusupdate-detail", args=[body["id"]])
    row = body["measures"][0]["id"]
    data = whole_update(body)
    data["measures"][0]["percent"] = 150
    response = api_client("lead").put(url, data, format="json", HTTP_IF_MATCH=started["ETag"])
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "measures.0.percent": ["Tämän arvon on oltava pienempi tai yhtä suuri kuin 100."]
    }
    data = whole_update(body)
    data["milestones"][0]["actual_date"] = None  # achieved, but when?
    data["schedule_reason"] = ""
    response = api_client("lead").put(url, data, format="json", HTTP_IF_MATCH=started["ETag"])
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "schedule_reason": ["Kerro syy, kun valo on keltainen tai punainen."],
        "milestones.0.actual_date": ["Anna päivä, jolloin välitavoite saavutettiin."],
    }
    # A value out of range refuses the whole request; a rule of submission keeps the draft and refuses only
    # handing it in.
    update = StatusUpdate.objects.get(pk=body["id"])
    assert (update.status, update.done, update.version) == ("draft", "Pilotti käynnistettiin.", 2)
    assert update.measures.get(pk=row).percent == 40
    assert (update.milestones.get().status, update.milestones.get().actual_date) == ("achieved", None)


def test_unknown_rows_are_refused(api_client, started):
    body = started.json()
    url = reverse("api:statusupdate-detail", args=[body["id"]])
    response = api_client("lead").patch(
        url, {"measures": [{"id": 999999, "percent": 10}]}, format="json", HTTP_IF_MATCH=started["ETag"]
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"measures": ["Katsauksessa ei ole riviä 999999."]}


def test_office_returns_and_approves_with_if_match(api_client, started):
    body = started.json()
    lead, office = api_client("lead"), api_client("office")
    url = reverse("api:statusupdate-detail", args=[body["id"]])
    submitted = lead.put(url, whole_update(body), format="json", HTTP_IF_MATCH=started["ETag"])
    returned = office.post(
        reverse("api:statusupdate-return", args=[body["id"]]),
        {"return_comment": "Lisää resurssien perustelu."},
        format="json",
        HTTP_IF_MATCH=submitted["ETag"],
    )
    assert returned.status_code == 200, returned.json()
    assert (returned.json()["status"], returned.json()["return_comment"]) == ("returned", "Lisää resurssien perustelu.")
    resubmitted = lead.post(reverse("api:statusupdate-submit", args=[body["id"]]), HTTP_IF_MATCH=returned["ETag"])
    assert resubmitted.status_code == 200, resubmitted.json()
    assert (
        lead.post(reverse("api:statusupdate-approve", args=[body["id"]]), HTTP_IF_MATCH=resubmitted["ETag"]).status_code
        == 403
    )
    stale = office.post(reverse("api:statusupdate-approve", args=[body["id"]]), HTTP_IF_MATCH=submitted["ETag"])
    assert stale.status_code == 412
    assert StatusUpdate.objects.get(pk=body["id"]).status == "submitted"
    approved = office.post(reverse("api:statusupdate-approve", args=[body["id"]]), HTTP_IF_MATCH=resubmitted["ETag"])
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert Milestone.objects.get(name="Pilotti käynnissä").status == "achieved"
    locked = lead.patch(url, {"done": "Muutettu"}, format="json", HTTP_IF_MATCH=approved["ETag"])
    assert (locked.status_code, locked.json()["code"]) == (409, "locked")
    revision = lead.post(reverse("api:statusupdate-revise", args=[body["id"]]), HTTP_IF_MATCH=approved["ETag"])
    assert revision.status_code == 201
    assert (revision.json()["revision"], revision.json()["status"]) == (2, "draft")


def test_a_closed_period_refuses_writes_through_every_endpoint(api_client, started, period):
    body = started.json()
    pk, etag = body["id"], started["ETag"]
    period_close(period=period)
    before = StatusUpdate.objects.filter(pk=pk).values().get()
    writes = [
        ("lead", "put", reverse("api:statusupdate-detail", args=[pk]), whole_update(body)),
        ("lead", "patch", reverse("api:statusupdate-detail", args=[pk]), {"done": "Myöhässä"}),
        ("lead", "post", reverse("api:statusupdate-submit", args=[pk]), {}),
        ("office", "post", reverse("api:statusupdate-return", args=[pk]), {"return_comment": "x"}),
        ("office", "post", reverse("api:statusupdate-approve", args=[pk]), {}),
        ("lead", "post", reverse("api:statusupdate-revise", args=[pk]), {}),
    ]
    for role, method, url, data in writes:
        response = getattr(api_client(role), method)(url, data, format="json", HTTP_IF_MATCH=etag)
        assert (response.status_code, response.json()["code"]) == (409, "closed"), (method, url, response.json())
    other = Node.objects.reporting_units().filter(programme=period.programme).exclude(pk=own_subproject().pk).first()
    start = api_client("office").post(
        reverse("api:statusupdate-list"), {"period": period.pk, "node": other.pk}, format="json"
    )
    assert (start.status_code, start.json()["code"]) == (409, "closed")
    assert not StatusUpdate.objects.filter(period=period, node=other).exists()
    assert StatusUpdate.objects.filter(pk=pk).values().get() == before


def test_project_office_opens_and_closes_periods(api_client, popsote):
    programme = own_subproject().programme
    response = api_client("office").post(
        reverse("api:period-list"), {"programme": programme.pk, "month": "2026-01-01"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["deadline"]) == ("open", response.json()["deadline"])
    again = api_client("office").post(
        reverse("api:period-list"), {"programme": programme.pk, "month": "2026-01-01"}, format="json"
    )
    assert again.status_code == 400
    assert again.json()["errors"] == {"month": ["Kausi 01/2026 on jo avattu."]}
    assert api_client("lead").post(reverse("api:period-close", args=[response.json()["id"]])).status_code == 403
    closed = api_client("office").post(reverse("api:period-close", args=[response.json()["id"]]))
    assert closed.json()["status"] == "closed"
