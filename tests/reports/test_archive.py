"""Issuing reports into the archive: versions, idempotence, a worker that died, the beat job, who may read."""

import hashlib
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portfolio.models import Node
from reports import archive as archive_module
from reports.archive import export_generate, export_request, monthly_reports_issue, report_deliver
from reports.models import Delivery, Export, ReportingPeriod
from tests.factories import ExportFactory, UserFactory

from .month import popdigi_october

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def office():
    user = UserFactory(username="hanketoimisto")
    user.groups.add(Group.objects.get_or_create(name="hanketoimisto")[0])
    return user


@pytest.fixture
def october(popsote, office):
    return popdigi_october(office)


def request_report(period, user, kind=Export.Kind.MONTHLY_PDF, node=None):
    return export_request(programme=period.programme, kind=kind, period=period, node=node, user=user)


def test_generating_the_same_job_twice_issues_one_report(october, office, media):
    export = request_report(october, office)
    assert export_generate(export.pk) is True
    assert export_generate(export.pk) is False
    export.refresh_from_db()
    assert (export.status, export.version, export.progress) == (Export.Status.DONE, 1, 100)
    assert export.file.name.endswith("kuukausiraportti-POPDIGI2-2026-10-v1.pdf")
    assert len(list(media.rglob("*.pdf"))) == 1
    content = export.file.read()
    assert export.sha256 == hashlib.sha256(content).hexdigest()
    assert len(export.data_state["updates"]) == 2
    assert PdfReader(BytesIO(content)).pages[0].extract_text().startswith("Kuukausiraportti ohjausryhmälle")


def test_regenerating_makes_a_new_version_and_keeps_the_old(october, office, media):
    first = request_report(october, office)
    export_generate(first.pk)
    second = request_report(october, office)
    export_generate(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.file.name != second.file.name
    assert sorted(p.name for p in media.rglob("*.pdf")) == [
        "kuukausiraportti-POPDIGI2-2026-10-v1.pdf",
        "kuukausiraportti-POPDIGI2-2026-10-v2.pdf",
    ]
    assert first.sha256 == hashlib.sha256(first.file.read()).hexdigest()


def test_a_killed_worker_s_job_is_taken_over_and_issued_exactly_once(october, office, media):
    export = request_report(october, office, kind=Export.Kind.HANKESALKKU_XLSX)
    # A worker claimed the row and died: it stays "running" with the dead task's id.
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.RUNNING, started_at=timezone.now(), claimed_by="task-1", attempts=1
    )
    assert export_generate(export.pk, claim="task-2") is False  # another message may not steal a live row
    # Celery redelivers the unacknowledged message (acks_late) with the same task id.
    assert export_generate(export.pk, claim="task-1") is True
    assert export_generate(export.pk, claim="task-1") is False
    export.refresh_from_db()
    assert (export.status, export.version, export.attempts) == (Export.Status.DONE, 1, 2)
    assert len(list(media.rglob("*.xlsx"))) == 1


def test_a_job_left_running_past_the_time_limit_is_taken_over(october, office, media, settings):
    export = request_report(october, office, kind=Export.Kind.HANKESALKKU_XLSX)
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, started_at=stale, claimed_by="dead")
    assert export_generate(export.pk, claim="sweeper") is True
    assert Export.objects.issued().filter(period=october, kind=Export.Kind.HANKESALKKU_XLSX).count() == 1


def test_a_task_that_fails_mid_way_is_retried_into_exactly_one_report(october, office, media, monkeypatch):
    from reports import archive

    real = archive.monthly_report_pdf
    calls = []

    def dies_first(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise MemoryError("worker ran out of memory")
        return real(*args, **kwargs)

    monkeypatch.setattr(archive, "monthly_report_pdf", dies_first)
    export = request_report(october, office)
    with pytest.raises(MemoryError):
        export_generate(export.pk, claim="task-1")
    export.refresh_from_db()
    assert (export.status, export.error) == (Export.Status.QUEUED, "worker ran out of memory")
    assert export_generate(export.pk, claim="task-1") is True
    export.refresh_from_db()
    assert (export.status, export.version, export.attempts, export.error) == (Export.Status.DONE, 1, 2, "")
    assert len(list(media.rglob("*.pdf"))) == 1


def test_beat_requests_one_report_per_closed_period(october, office):
    september = october.programme.reporting_periods.get(month__month=9)
    made = monthly_reports_issue()
    closed = ReportingPeriod.objects.filter(status=ReportingPeriod.Status.CLOSED)
    assert {september.pk, october.pk} <= {export.period_id for export in made}
    assert sorted(export.period_id for export in made) == sorted(closed.values_list("pk", flat=True))
    assert all(export.requested_by is None and export.node is None for export in made)
    assert monthly_reports_issue() == []
    export = Export.objects.get(period=october)
    export_generate(export.pk)
    assert monthly_reports_issue() == []
    assert Export.objects.filter(kind=Export.Kind.MONTHLY_PDF).count() == closed.count()


def test_closing_a_period_requests_its_monthly_report_once(october, office):
    from reports.workflow import period_close

    from .month import period

    november = period(october.programme, october.month.replace(month=11), closed=False)
    period_close(period=november)
    export = Export.objects.get(period=november)
    assert (export.kind, export.node, export.requested_by, export.status) == (
        Export.Kind.MONTHLY_PDF,
        None,
        None,
        Export.Status.QUEUED,
    )
    period_close(period=november, closed=False)
    period_close(period=november)
    assert Export.objects.filter(period=november).count() == 1


def test_a_report_of_one_sub_project_is_numbered_apart_from_the_programme_s(october, office):
    from portfolio.models import Node

    dental = Node.objects.get(programme=october.programme, code="P4I1-3")
    whole = request_report(october, office)
    single = request_report(october, office, node=dental)
    export_generate(whole.pk)
    export_generate(single.pk)
    single.refresh_from_db()
    assert single.version == 1
    assert single.file.name.endswith("kuukausiraportti-POPDIGI2-P4I1-3-2026-10-v1.pdf")
    assert [u["node"] for u in single.data_state["updates"]] == [dental.pk]


@pytest.mark.parametrize("role", ["hanketoimisto", "osahankkeen_vetaja", "talous", "ohjausryhma"])
def test_every_role_reads_the_archive_and_downloads_issued_files(client, october, office, role):
    export = request_report(october, office, kind=Export.Kind.HANKESALKKU_XLSX)
    export_generate(export.pk)
    export.refresh_from_db()
    reader = UserFactory()
    reader.groups.add(Group.objects.get_or_create(name=role)[0])
    client.force_login(reader)
    archive = client.get(reverse("reports:archive"), {"programme": october.programme_id, "kind": "hankesalkku_xlsx"})
    assert list(archive.context["exports"]) == [export]
    assert "hankesalkku" in archive.content.decode().lower()
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == export.sha256


def test_archive_filters_by_month(client, october, office):
    export_request(programme=october.programme, kind=Export.Kind.COSTS_XLSX, user=office)
    report = request_report(october, office)
    client.force_login(office)
    response = client.get(reverse("reports:archive"), {"month": "10/2026"})
    assert list(response.context["exports"]) == [report]


def test_anonymous_visitor_sees_no_archive(client, october, office):
    export = request_report(october, office)
    for url in (
        reverse("reports:archive"),
        reverse("reports:programme", args=[october.programme_id]),
        reverse("reports:export_download", args=[export.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_monthly_report_needs_a_period(client, october, office):
    client.force_login(office)
    response = client.post(reverse("reports:programme", args=[october.programme_id]), {"kind": "monthly_pdf"})
    assert response.status_code == 400
    assert "Valitse raportointikausi." in response.content.decode()
    assert not Export.objects.exists()


def test_requesting_from_the_programme_page_queues_the_report(client, october, office):
    client.force_login(office)
    page = client.get(reverse("reports:programme", args=[october.programme_id]))
    assert "Tee raportti" in page.content.decode()
    response = client.post(
        reverse("reports:programme", args=[october.programme_id]), {"kind": "monthly_pdf", "period": october.pk}
    )
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    assert (export.kind, export.period, export.requested_by, export.status) == (
        Export.Kind.MONTHLY_PDF,
        october,
        office,
        Export.Status.QUEUED,
    )


def test_the_admin_cannot_change_or_delete_an_issued_file(client, october, office):
    export = request_report(october, office, kind=Export.Kind.HANKESALKKU_XLSX)
    export_generate(export.pk)
    office.is_staff = True
    office.save()
    client.force_login(office)
    assert client.get(reverse("admin:reports_export_change", args=[export.pk])).status_code == 200
    response = client.post(reverse("admin:reports_export_change", args=[export.pk]), {"status": "queued"})
    assert response.status_code == 403
    assert client.post(reverse("admin:reports_export_delete", args=[export.pk]), {"post": "yes"}).status_code == 403
    export.refresh_from_db()
    assert export.status == Export.Status.DONE


def test_archive_without_filters_lists_everything(client, october, office):
    first = request_report(october, office)
    second = export_request(programme=october.programme, kind=Export.Kind.INDICATORS_XLSX, user=office)
    client.force_login(office)
    assert list(client.get(reverse("reports:archive")).context["exports"]) == [second, first]


def test_report_rows_take_the_same_number_of_queries_for_ten_times_the_sub_projects(
    october, office, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.management.commands.bench_reports import grow
    from reports.report_data import monthly_report_rows

    with CaptureQueriesContext(connection) as small:
        assert len(monthly_report_rows(october)["units"]) == 19
    grow(october.programme, 10)
    with django_assert_max_num_queries(len(small)):
        assert len(monthly_report_rows(october)["units"]) == 190


# Delivery to the steering group ----------------------------------------------------------------


@pytest.fixture
def steering_group():
    group = Group.objects.get_or_create(name="ohjausryhma")[0]
    members = [
        UserFactory(username="jasen1", email="aino.jasen@example.fi", first_name="Aino", last_name="Jäsen"),
        UserFactory(username="jasen2", email="eero.jasen@example.fi", first_name="Eero", last_name="Jäsen"),
        UserFactory(username="jasen3", email=""),  # no address: nothing to send
    ]
    for member in members:
        member.groups.add(group)
    return members


@pytest.fixture
def stub_pdf(monkeypatch):
    """The delivery does not read the file: a stub saves a render per test."""
    monkeypatch.setattr(archive_module, "monthly_report_pdf", lambda report, archive=False: b"%PDF-1.7 stub")


def issue(period, user):
    export = request_report(period, user)
    export_generate(export.pk)
    export.refresh_from_db()
    return export


def test_an_issued_monthly_report_is_mailed_to_the_steering_group_as_a_link_once(
    october, office, steering_group, stub_pdf, mailoutbox, django_capture_on_commit_callbacks
):
    export = request_report(october, office)
    with django_capture_on_commit_callbacks() as callbacks:
        export_generate(export.pk)
    assert len(callbacks) == 1  # the delivery, sent once the file is issued
    export.refresh_from_db()
    assert report_deliver(export.pk) == ["aino.jasen@example.fi", "eero.jasen@example.fi"]
    assert report_deliver(export.pk) == []  # run twice, sent once
    assert [mail.to for mail in mailoutbox] == [["aino.jasen@example.fi"], ["eero.jasen@example.fi"]]
    mail = mailoutbox[0]
    assert mail.subject == "Kuukausiraportti POP-Digi-Hoitotakuu 2 10/2026, versio 1"
    assert f"http://127.0.0.1:8000{export.get_absolute_url()}" in mail.body
    assert mail.attachments == []
    assert [(d.email, d.user) for d in Delivery.objects.order_by("email")] == [
        ("aino.jasen@example.fi", steering_group[0]),
        ("eero.jasen@example.fi", steering_group[1]),
    ]


def test_a_sub_project_s_report_is_not_mailed(
    october, office, steering_group, stub_pdf, django_capture_on_commit_callbacks
):
    dental = Node.objects.get(programme=october.programme, code="P4I1-3")
    export = request_report(october, office, node=dental)
    with django_capture_on_commit_callbacks() as callbacks:
        export_generate(export.pk)
    assert callbacks == []


def test_the_setting_names_the_steering_group_instead_of_the_account_group(
    october, office, steering_group, stub_pdf, settings, mailoutbox
):
    settings.STEERING_GROUP_EMAILS = ["puheenjohtaja@example.fi", "aino.jasen@example.fi"]
    export = issue(october, office)
    assert report_deliver(export.pk) == ["puheenjohtaja@example.fi", "aino.jasen@example.fi"]
    assert Delivery.objects.get(email="aino.jasen@example.fi").user == steering_group[0]
    assert Delivery.objects.get(email="puheenjohtaja@example.fi").user is None


def test_the_archive_entry_shows_which_version_each_member_was_sent(
    client, october, office, steering_group, stub_pdf, settings, mailoutbox
):
    first = issue(october, office)
    report_deliver(first.pk)
    settings.STEERING_GROUP_EMAILS = ["aino.jasen@example.fi"]
    second = issue(october, office)
    report_deliver(second.pk)
    client.force_login(steering_group[1])
    page = client.get(second.get_absolute_url())
    rows = [(d.email, d.export.version) for d in page.context["deliveries"]]
    assert rows == [("aino.jasen@example.fi", 2), ("eero.jasen@example.fi", 1)]
    html = page.content.decode()
    assert "Lähetetty ohjausryhmälle" in html
    assert "Aino Jäsen · aino.jasen@example.fi" in html


def test_the_dashboard_asks_for_the_report_of_the_period_shown(client, october, office):
    client.force_login(office)
    page = client.get(reverse("reports:dashboard"), {"programme": october.programme_id, "period": october.pk})
    html = page.content.decode()
    assert f'action="{reverse("reports:programme", args=[october.programme_id])}"' in html
    assert f'<input type="hidden" name="period" value="{october.pk}">' in html
    assert "Tee kuukausiraportti 10/2026" in html
    response = client.post(
        reverse("reports:programme", args=[october.programme_id]),
        {"kind": "monthly_pdf", "period": october.pk, "attention_first": "on"},
    )
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    assert (export.period, export.attention_first) == (october, True)


def test_the_archive_asks_for_the_report_of_the_programme_and_month_shown(client, october, office):
    client.force_login(office)
    page = client.get(reverse("reports:archive"), {"programme": october.programme_id, "month": "10/2026"})
    assert page.context["report_period"] == october
    assert f'<input type="hidden" name="period" value="{october.pk}">' in page.content.decode()
    assert client.get(reverse("reports:archive"), {"month": "10/2026"}).context["report_period"] is None


def test_the_programme_page_preselects_the_period_from_the_link(client, october, office):
    client.force_login(office)
    page = client.get(
        reverse("reports:programme", args=[october.programme_id]), {"kind": "monthly_pdf", "period": october.pk}
    )
    form = page.context["form"]
    assert (form["kind"].value(), str(form["period"].value())) == ("monthly_pdf", str(october.pk))


@pytest.mark.django_db
def test_the_archive_check_names_a_file_that_was_changed(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    export = ExportFactory(kind=Export.Kind.INDICATORS_XLSX)
    export_generate(export.pk)
    export.refresh_from_db()
    Path(export.file.path).write_bytes(b"changed")
    with pytest.raises(CommandError, match="1 / 1 arkiston tiedostoa ei täsmää"):
        call_command("archive_verify")
