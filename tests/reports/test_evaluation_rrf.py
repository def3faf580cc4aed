"""The half-year evaluation of benefit goals, the RRF milestones and targets with evidence, declarations and retention."""

import hashlib
from datetime import date
from io import BytesIO

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Indicator
from portfolio.models import Node, Person, Responsibility
from reports.evaluations import evaluated_goals
from reports.models import (
    EvaluationRound,
    Export,
    GoalEvaluation,
    ReportingPeriod,
    RetentionRefused,
    RrfDeclaration,
    RrfEvidence,
)
from reports.rrf import rrf_declaration_make, rrf_evidence_add, rrf_progress_record
from tests.factories import ExportFactory
from tests.portfolio.test_editing import make_user

pytestmark = pytest.mark.django_db


def programme(code):
    return Node.objects.get(code=code, parent=None)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def start_round(office, code):
    response = office.post(
        reverse("reports:evaluations", args=[programme(code).pk]),
        {"start": "2025-01-01", "end": "2025-06-30", "scale": "Ei alkanut\nEtenee\nSaavutettu"},
    )
    evaluation = EvaluationRound.objects.get(programme=programme(code))
    assert response.status_code == 302 and response["Location"] == evaluation.get_absolute_url()
    return evaluation


def row_data(evaluation, **values):
    """The round page's form as sent, every row with ``values`` (or its own values)."""
    data = {"version": evaluation.version}
    for row in evaluation.rows.all():
        for name in ("rating", "assessment", "evidence", "thl_rating", "thl_assessment"):
            data[f"g{row.pk}-{name}"] = values.get(name, getattr(row, name))
    return data


@pytest.mark.parametrize(("code", "goals"), [("POPDIGI2", 11), ("TSK", 110)])
def test_the_half_year_round_through_the_pages(code, goals):
    office = client_for(make_user("office"))
    evaluation = start_round(office, code)
    assert evaluation.rows.count() == goals == evaluated_goals(programme(code)).count()
    page = office.get(evaluation.get_absolute_url()).content.decode()
    first = evaluation.rows.select_related("goal").first()
    assert first.goal.text[:40] in page and "Tallenna arviointi" in page

    # Approval waits for every goal's self-evaluation.
    office.post(reverse("reports:evaluation_action", args=[evaluation.pk, "hyvaksy"]), {"version": evaluation.version})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationRound.Status.DRAFT

    response = office.post(
        evaluation.get_absolute_url(),
        row_data(evaluation, rating="Etenee", assessment="Edennyt suunnitellusti.", thl_rating="Etenee"),
    )
    assert response.status_code == 302
    assert set(evaluation.rows.values_list("rating", "thl_rating")) == {("Etenee", "Etenee")}
    # A value outside the office's scale changes nothing.
    evaluation.refresh_from_db()
    office.post(evaluation.get_absolute_url(), row_data(evaluation, rating="Erinomainen"))
    assert set(evaluation.rows.values_list("rating", flat=True)) == {"Etenee"}

    evaluation.refresh_from_db()
    office.post(reverse("reports:evaluation_action", args=[evaluation.pk, "hyvaksy"]), {"version": evaluation.version})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationRound.Status.APPROVED
    # Locked: the page sends nothing more, and the model refuses.
    assert office.post(evaluation.get_absolute_url(), row_data(evaluation, rating="Saavutettu")).status_code == 403
    with pytest.raises(EvaluationRound.Locked):
        row = evaluation.rows.first()
        row.rating = "Saavutettu"
        row.save()

    response = office.post(reverse("reports:evaluation_action", args=[evaluation.pk, "korjaa"]))
    revision = EvaluationRound.objects.get(revision_of=evaluation)
    assert response["Location"] == revision.get_absolute_url()
    assert (revision.revision, revision.status, revision.rows.count()) == (2, "draft", goals)
    assert set(revision.rows.values_list("rating", flat=True)) == {"Etenee"}
    assert EvaluationRound.objects.get(pk=evaluation.pk).status == EvaluationRound.Status.APPROVED


def test_a_lead_evaluates_the_goals_of_their_own_programme_only_and_not_for_thl():
    office = client_for(make_user("office"))
    lead_user = make_user("lead")
    tsk = programme("TSK")
    Responsibility.objects.create(
        node=Node.objects.get(programme=tsk, code="LNP"),
        person=Person.objects.get(user=lead_user),
        role=Responsibility.Role.LEAD,
    )
    evaluation = start_round(office, "TSK")
    lead = client_for(lead_user)
    evaluation.refresh_from_db()
    response = lead.post(evaluation.get_absolute_url(), row_data(evaluation, rating="Etenee", thl_rating="Etenee"))
    assert response.status_code == 302
    rated = GoalEvaluation.objects.filter(round=evaluation).exclude(rating="")
    assert set(rated.values_list("goal__node__code", flat=True)) == {"LNP"}
    assert rated.count() == 12 and not evaluation.rows.exclude(thl_rating="").exists()
    action = reverse("reports:evaluation_action", args=[evaluation.pk, "hyvaksy"])
    assert lead.post(action, {"version": 2}).status_code == 403
    steering = client_for(make_user("steering"))
    assert steering.post(evaluation.get_absolute_url(), row_data(evaluation)).status_code == 403


@pytest.fixture(scope="module")
def june(django_db_setup, django_db_blocker):
    """An approved evaluation of POP-Digi-Hoitotakuu 2 for 1–6/2025, its workbook and the June steering report."""
    from django.db import transaction

    from reports.evaluations import evaluation_approve, evaluation_round_create, evaluation_save
    from reports.exporters.pdf import monthly_report_pdf
    from reports.report_data import monthly_report_rows
    from reports.workflow import period_open

    with django_db_blocker.unblock(), transaction.atomic():
        user = make_user("office")
        popdigi = programme("POPDIGI2")
        evaluation = evaluation_round_create(
            programme=popdigi, start=date(2025, 1, 1), end=date(2025, 6, 30), scale="1\n2\n3\n4\n5", user=user
        )
        rows = {
            row.pk: {"rating": str(1 + index % 5), "assessment": f"Arvio {index}", "thl_rating": "3"}
            for index, row in enumerate(evaluation.rows.order_by("pk"))
        }
        evaluation_save(evaluation=evaluation, rows=rows, version=evaluation.version, user=user)
        evaluation_approve(evaluation=evaluation, user=user)
        client = client_for(user)
        workbook = client.get(reverse("reports:evaluation_xlsx", args=[evaluation.pk])).content
        expected = [(row.goal.text, row.rating, row.thl_rating) for row in evaluation.rows.select_related("goal")]
        pdf = monthly_report_pdf(monthly_report_rows(period_open(programme=popdigi, month=date(2025, 6, 1))))
        may = monthly_report_rows(period_open(programme=popdigi, month=date(2025, 5, 1)))["evaluation"]
        transaction.set_rollback(True)
    return {"workbook": workbook, "expected": expected, "pdf": pdf, "may": may}


def test_the_workbook_reads_back_with_every_goal_and_rating(june):
    sheet = load_workbook(BytesIO(june["workbook"]), read_only=True)["Arviointi"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Tunnus", "Kohde", "Tyyppi", "Tavoite", "Oma-arvio")
    assert sorted((row[3], row[4], row[8]) for row in rows[1:]) == sorted(june["expected"])
    assert len(rows) == 12


def test_the_steering_report_of_june_carries_the_evaluation_and_may_does_not(june):
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(june["pdf"])).pages)
    assert "Hyötytavoitteiden arviointi 1.1.2025–30.6.2025" in " ".join(text.split())
    assert "Arvio 10" in text
    assert june["may"] is None


def test_the_innokyla_text_of_each_operating_model_has_its_goals_and_results():
    office = client_for(make_user("office"))
    evaluation = start_round(office, "POPDIGI2")
    row = evaluation.rows.get(goal__node__code="P3")
    row.rating, row.assessment = "Etenee", "Viisi uutta aluetta mukana."
    row.save()
    text = office.get(reverse("reports:evaluation_innokyla", args=[evaluation.pk]), {"muoto": "txt"}).content.decode()
    p3 = next(part for part in text.split("\n\n") if part.startswith("Nimi: Pilari 3"))
    assert f"- {row.goal.text}: Etenee. Viisi uutta aluetta mukana." in p3
    assert "Ajankohta: 1.1.2023–31.12.2024" in p3 and "Tavoitteet:" in p3 and "Toimijat:" in p3
    assert len(text.split("\n\nNimi: ")) == 6  # the programme and its five pillars


def test_the_rrf_targets_of_popdigi_are_its_national_indicators():
    popdigi = programme("POPDIGI2")
    national = Indicator.objects.filter(node__programme=popdigi, national=True)
    targets = {target.indicator_id: target for target in popdigi.rrf_targets.all()}
    assert set(targets) == set(national.values_list("pk", flat=True)) and len(targets) == 6
    seven_days = targets[national.get(name__startswith="7 vrk").pk]
    assert (seven_days.number, seven_days.target_value, seven_days.target_date) == ("", "80\xa0%", date(2025, 12, 31))
    assert not programme("TSK").rrf_targets.exists()
    office = client_for(make_user("office"))
    assert office.get(reverse("reports:rrf", args=[programme("TSK").pk])).status_code == 404


def test_evidence_is_uploaded_reviewed_and_read_back_from_the_pack(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    office_user = make_user("office")
    office = client_for(office_user)
    popdigi = programme("POPDIGI2")
    target = popdigi.rrf_targets.order_by("pk").first()
    content = b"%PDF-1.4 raportti hoitoon paasysta"
    response = office.post(
        reverse("reports:rrf_evidence_create", args=[target.pk]),
        {"description": "THL:n raportti 6/2025", "file": SimpleUploadedFile("raportti.pdf", content)},
    )
    assert response.status_code == 302
    office.post(
        reverse("reports:rrf_evidence_create", args=[target.pk]),
        {"description": "Julkaisu", "link": "https://thl.fi/hoitoonpaasy"},
    )
    evidence = RrfEvidence.objects.get(target=target, link="")
    assert (evidence.sha256, evidence.size, evidence.retain_until) == (
        hashlib.sha256(content).hexdigest(),
        len(content),
        date(2032, 12, 31),
    )
    assert b"".join(office.get(reverse("reports:rrf_evidence_file", args=[evidence.pk])).streaming_content) == content
    office.post(reverse("reports:rrf_evidence_decide", args=[evidence.pk]), {"status": "approved"})
    lead = client_for(make_user("lead"))
    assert lead.post(reverse("reports:rrf_evidence_create", args=[target.pk]), {"description": "x"}).status_code == 403

    workbook = load_workbook(BytesIO(office.get(reverse("reports:rrf_pack", args=[popdigi.pk])).content))
    targets = list(workbook["Tavoitteet"].iter_rows(values_only=True))
    assert len(targets) == 7 and {row[9] for row in targets[1:]} == {"Ei alkanut"}
    listed = {row[2]: row for row in targets[1:]}
    assert listed[target.description][12] == 2
    shown = list(workbook["Näytöt"].iter_rows(values_only=True))[1:]
    assert sorted((row[1], row[2], row[4], row[5], row[8]) for row in shown) == [
        ("Julkaisu", None, None, "https://thl.fi/hoitoonpaasy", "Tarkastamatta"),
        ("THL:n raportti 6/2025", "raportti.pdf", hashlib.sha256(content).hexdigest(), None, "Hyväksytty"),
    ]


def test_the_office_fills_in_a_targets_national_plan_number_and_a_stale_save_is_refused():
    office = client_for(make_user("office"))
    target = programme("POPDIGI2").rrf_targets.order_by("pk").first()
    url = reverse("reports:rrf_target", args=[target.pk])
    data = {
        "kind": "target",
        "number": "P4C1I1-T12",
        "description": target.description,
        "baseline": "",
        "target_value": target.target_value,
        "target_date": "2025-12-31",
        "status": "in_progress",
        "progress": "Kaksi aluetta mukana.",
        "version": target.version,
    }
    assert office.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.number, target.status, target.version) == ("P4C1I1-T12", "in_progress", 2)
    assert target.history.first().history_user.username == "user-office"
    stale = office.post(url, {**data, "number": "X"}, follow=True).content.decode()
    assert "Joku muu tallensi tavoitteen" in stale
    target.refresh_from_db()
    assert target.number == "P4C1I1-T12"
    assert client_for(make_user("finance")).get(url).status_code == 403


def test_evidence_over_the_limit_is_refused_and_nothing_is_kept(monkeypatch):
    monkeypatch.setattr("reports.forms.EVIDENCE_MAX_BYTES", 10)
    office = client_for(make_user("office"))
    target = programme("POPDIGI2").rrf_targets.first()
    response = office.post(
        reverse("reports:rrf_evidence_create", args=[target.pk]),
        {"description": "Liian iso", "file": SimpleUploadedFile("iso.pdf", b"x" * 11)},
        follow=True,
    )
    assert "Tiedosto on yli 20 Mt." in response.content.decode()
    assert not RrfEvidence.objects.exists()


def test_rrf_records_cannot_be_changed_or_deleted_before_their_retention_date(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    admin_user = make_user("office")
    admin_user.is_superuser = True
    admin_user.save()
    popdigi = programme("POPDIGI2")
    evidence = rrf_evidence_add(
        target=popdigi.rrf_targets.first(), description="Linkki", user=admin_user, link="https://example.fi/a"
    )
    declaration = rrf_declaration_make(
        programme=popdigi, kind="dnsh", user=admin_user, date=date(2026, 11, 1), text="Ei merkittävää haittaa."
    )
    export = ExportFactory(programme=popdigi, status=Export.Status.DONE, version=1, retain_until=date(2032, 12, 31))
    june = ReportingPeriod.objects.create(programme=popdigi, month=date(2025, 6, 1), deadline=date(2025, 7, 5))
    progress = rrf_progress_record(
        target=popdigi.rrf_targets.first(), period=june, status="in_progress", value="62 %", user=admin_user
    )
    for record in (evidence, declaration, export, progress):
        with pytest.raises(RetentionRefused):
            record.delete()
        with pytest.raises(RetentionRefused):
            type(record).objects.filter(pk=record.pk).delete()
        with pytest.raises(RetentionRefused):
            type(record).objects.filter(pk=record.pk).update(retain_until=None)
        record.refresh_from_db()
        with pytest.raises(RetentionRefused):
            record.save()
        request = RequestFactory().get("/admin/")
        request.user = admin_user
        model_admin = site._registry[type(record)]
        assert not model_admin.has_delete_permission(request, record)
        assert not model_admin.has_change_permission(request, record)
    assert RrfDeclaration.objects.filter(pk=declaration.pk).exists() and RrfEvidence.objects.count() == 1
    # A review is written once, and then no more.
    evidence.status = RrfEvidence.Status.APPROVED
    evidence.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    with pytest.raises(RetentionRefused):
        evidence.save(update_fields=["status"])


def test_declarations_are_versioned_and_the_dashboard_warns_of_missing_ones(freezer_today):
    office_user = make_user("office")
    office = client_for(office_user)
    popdigi = programme("POPDIGI2")
    dashboard = reverse("reports:dashboard") + f"?programme={popdigi.pk}"
    page = office.get(dashboard).content.decode()
    assert page.count("ilmoitus puuttuu; tarvitaan ennen raportointipäivää 31.12.2026") == 3
    for kind in ("dnsh", "double_funding", "recipients"):
        response = office.post(
            reverse("reports:rrf_declaration_create", args=[popdigi.pk]),
            {
                "kind": kind,
                "date": "2026-11-15",
                "text": "Ilmoitus tehty.",
                "recipients": "Yritys Oy; 1234567-8; 12 000,50" if kind == "recipients" else "",
            },
        )
        assert response.status_code == 302
    office.post(
        reverse("reports:rrf_declaration_create", args=[popdigi.pk]),
        {"kind": "dnsh", "date": "2026-11-20", "text": "Päivitetty."},
    )
    assert list(RrfDeclaration.objects.filter(kind="dnsh").values_list("version", "text")) == [
        (2, "Päivitetty."),
        (1, "Ilmoitus tehty."),
    ]
    recipients = RrfDeclaration.objects.get(kind="recipients").recipients
    assert recipients == [{"name": "Yritys Oy", "business_id": "1234567-8", "amount": "12000.50"}]
    assert "ilmoitus puuttuu" not in office.get(dashboard).content.decode()
    bad = office.post(
        reverse("reports:rrf_declaration_create", args=[popdigi.pk]),
        {"kind": "recipients", "date": "9999-12-01", "text": "x", "recipients": "ei puolipisteitä"},
        follow=True,
    )
    assert "Päivämäärän pitää olla vuosina 2000–2100." in bad.content.decode()
    assert RrfDeclaration.objects.filter(kind="recipients").count() == 1


@pytest.fixture
def freezer_today(monkeypatch):
    """Today is 1.12.2026, whatever the clock says: the half year whose reporting date is 31.12.2026."""
    monkeypatch.setattr("reports.rrf.timezone.localdate", lambda: date(2026, 12, 1))


def test_the_api_schema_has_the_new_resources():
    schema = client_for(make_user("steering")).get(reverse("api:schema"), {"format": "json"}).json()
    for name in (
        "evaluation-rounds",
        "goal-evaluations",
        "rrf-targets",
        "rrf-progress",
        "rrf-evidence",
        "rrf-declarations",
    ):
        assert f"/api/v1/{name}/" in schema["paths"] and f"/api/v1/{name}/{{id}}/" in schema["paths"]
