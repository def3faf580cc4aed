"""The API writes of the RRF records and the benefit-goal evaluations, through the pages' forms and services."""

import hashlib
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.models import Node, Responsibility
from reports.models import EvaluationRound, GoalEvaluation, ReportingPeriod, RrfDeclaration, RrfEvidence, RrfProgress
from tests.reports.test_evaluation_rrf import programme

pytestmark = pytest.mark.django_db


def test_the_office_records_progress_by_the_api_and_a_closed_period_is_refused(api_client):
    office = api_client("office")
    target = programme("POPDIGI2").rrf_targets.order_by("pk").first()
    june = ReportingPeriod.objects.create(programme=target.programme, month=date(2025, 6, 1), deadline=date(2025, 7, 5))
    url = reverse("api:rrfprogress-list")
    body = {"target": target.pk, "period": june.pk, "value": "62 %", "status": "in_progress", "text": "Kaksi aluetta"}
    first = office.post(url, body, format="json")
    again = office.post(url, {**body, "value": "64 %"}, format="json")
    assert (first.status_code, again.status_code) == (201, 201)
    assert (first.json()["version"], again.json()["version"], again.json()["retain_until"]) == (1, 2, "2032-12-31")
    assert office.post(url, {**body, "status": "maybe"}, format="json").status_code == 400
    june.status = ReportingPeriod.Status.CLOSED
    june.save()
    closed = office.post(url, body, format="json")
    assert closed.status_code == 409 and "Kausi 06/2025 on suljettu" in closed.json()["message"]
    assert api_client("lead").post(url, body, format="json").status_code == 403
    assert list(RrfProgress.objects.values_list("version", "value")) == [(1, "62 %"), (2, "64 %")]


def test_evidence_is_uploaded_bounded_and_reviewed_once_by_the_api(api_client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    office = api_client("office")
    target = programme("POPDIGI2").rrf_targets.order_by("pk").first()
    url = reverse("api:rrfevidence-list")
    content = b"%PDF-1.4 raportti"
    response = office.post(
        url,
        {"target": target.pk, "description": "THL:n raportti", "file": SimpleUploadedFile("raportti.pdf", content)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["sha256"], response.json()["size"]) == (hashlib.sha256(content).hexdigest(), len(content))
    linked = office.post(url, {"target": target.pk, "description": "Julkaisu"}, format="multipart")
    assert linked.status_code == 400 and linked.json()["errors"] == {"non_field_errors": ["Lisää tiedosto tai linkki."]}
    monkeypatch.setattr("reports.api.views.EVIDENCE_MAX_BYTES", 10)
    big = office.post(
        url,
        {"target": target.pk, "description": "Iso", "file": SimpleUploadedFile("iso.pdf", b"x" * 70_000)},
        format="multipart",
    )
    assert big.status_code == 413 and RrfEvidence.objects.count() == 1
    review = reverse("api:rrfevidence-review", args=[response.json()["id"]])
    assert office.post(review, {"status": "approved"}, format="json").json()["status"] == "approved"
    twice = office.post(review, {"status": "rejected"}, format="json")
    assert twice.status_code == 409 and twice.json()["message"] == "Näyttö on jo tarkastettu."


def test_a_declaration_is_made_by_the_api_as_on_the_page(api_client):
    office = api_client("office")
    popdigi = programme("POPDIGI2")
    body = {"programme": popdigi.pk, "kind": "recipients", "date": "2025-06-15", "text": "Ilmoitus."}
    made = office.post(
        reverse("api:rrfdeclaration-list"), {**body, "recipients": "Yritys Oy; 1234567-8; 12 000,50"}, format="json"
    )
    assert made.status_code == 201 and made.json()["recipients"] == [
        {"name": "Yritys Oy", "business_id": "1234567-8", "amount": "12000.50"}
    ]
    bad = office.post(reverse("api:rrfdeclaration-list"), {**body, "date": "9999-12-01"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"]["date"] == ["Päivämäärän pitää olla vuosina 2000–2100."]
    tsk = office.post(reverse("api:rrfdeclaration-list"), {**body, "programme": programme("TSK").pk}, format="json")
    assert tsk.status_code == 404 and RrfDeclaration.objects.count() == 1


def test_the_half_year_round_through_the_api(api_client):
    office, lead = api_client("office"), api_client("lead")
    tsk = programme("TSK")
    lead_user = get_user_model().objects.get(username="user-lead")
    Responsibility.objects.create(
        node=Node.objects.get(programme=tsk, code="LNP"), person=lead_user.person, role=Responsibility.Role.LEAD
    )
    created = office.post(
        reverse("api:evaluationround-list"),
        {"programme": tsk.pk, "start": "2025-01-01", "end": "2025-06-30"},
        format="json",
    )
    assert created.status_code == 201
    evaluation = EvaluationRound.objects.get(pk=created.json()["id"])
    url = reverse("api:evaluationround-evaluate", args=[evaluation.pk])
    rows = GoalEvaluation.objects.filter(round=evaluation).select_related("goal__node")
    own = next(row for row in rows if lead_user.has_perm("reports.evaluate", row))
    other = next(row for row in rows if not lead_user.has_perm("reports.evaluate", row))
    etag = office.get(reverse("api:evaluationround-detail", args=[evaluation.pk]))["ETag"]
    assert lead.post(url, {"rows": [{"id": own.pk, "rating": "Etenee"}]}, format="json").status_code == 428
    written = lead.post(url, {"rows": [{"id": own.pk, "rating": "Etenee"}]}, format="json", HTTP_IF_MATCH=etag)
    assert written.status_code == 200
    for sent in ([{"id": own.pk, "thl_rating": "Etenee"}], [{"id": other.pk, "rating": "Etenee"}]):
        refused = lead.post(url, {"rows": sent}, format="json", HTTP_IF_MATCH=written["ETag"])
        assert refused.status_code == 403
    stale = office.post(url, {"rows": [{"id": other.pk, "thl_rating": "Etenee"}]}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    off_scale = office.post(
        url, {"rows": [{"id": other.pk, "rating": "Hyvä"}]}, format="json", HTTP_IF_MATCH=written["ETag"]
    )
    assert off_scale.status_code == 400 and "rows.0.rating" in off_scale.json()["errors"]
    approve = reverse("api:evaluationround-approve", args=[evaluation.pk])
    assert lead.post(approve, HTTP_IF_MATCH=written["ETag"]).status_code == 403
    missing = office.post(approve, HTTP_IF_MATCH=written["ETag"])
    assert missing.status_code == 409 and missing.json()["message"] == "Oma-arvio puuttuu 109 tavoitteelta."
    every = [{"id": row.pk, "rating": "Etenee"} for row in rows if row.pk != own.pk]
    rated = office.post(url, {"rows": every}, format="json", HTTP_IF_MATCH=written["ETag"])
    approved = office.post(approve, HTTP_IF_MATCH=rated["ETag"])
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    locked = office.post(
        url, {"rows": [{"id": own.pk, "thl_rating": "Etenee"}]}, format="json", HTTP_IF_MATCH=approved["ETag"]
    )
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    revision = office.post(reverse("api:evaluationround-revise", args=[evaluation.pk]))
    assert revision.status_code == 201 and revision.json()["revision"] == 2
    own.refresh_from_db()
    assert (own.rating, own.thl_rating) == ("Etenee", "")
