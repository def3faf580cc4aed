"""Exports made by a real Celery worker through Redis. These tests commit (a worker reads what they write), so they
run after the rolled-back ones, in a file of their own."""

import hashlib
import time
from decimal import Decimal
from io import BytesIO

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from popsote.celery import app as celery_app
from reports.models import Export
from tests.factories import UserFactory

from .month import small_programme


@pytest.mark.django_db(transaction=True)
def test_export_is_made_by_a_celery_worker_through_redis(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert not celery_app.conf.task_always_eager, "tests run against the real Redis broker"
    programme = small_programme()
    reader = UserFactory()
    reader.groups.add(Group.objects.get_or_create(name="ohjausryhma")[0])
    client.force_login(reader)
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.post(reverse("reports:export_create", args=[programme.pk]))
        export = Export.objects.get()
        assert response.status_code == 302
        assert response["Location"] == export.get_absolute_url()
        for _ in range(200):  # at most 20 s
            export.refresh_from_db()
            if export.is_finished:
                break
            time.sleep(0.1)
    assert export.status == Export.Status.DONE, export.error
    assert export.progress == 100

    status = client.get(export.get_absolute_url(), headers={"HX-Request": "true"})
    assert "Valmis" in status.content.decode()
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == export.sha256
    sheet = load_workbook(BytesIO(content)).active
    row = [cell.value for cell in sheet[2]]
    assert row[:4] == ["Koe", "Osa-alue 1", "KOE-1-M1", "Hoidon jatkuvuusmallin implementointi"]
    assert row[4] == '1) Jalkautetaan malli\n2) =HYPERLINK("http://x")'
    assert row[5] == "Päivi Peltokorpi, Hannele Koski"
    assert Decimal(str(row[8])) == Decimal("2692332")


def rrf_programme_with_a_month():
    from datetime import date

    from portfolio.models import FundingDecision
    from tests.factories import FundingDecisionFactory

    from .month import approved, period

    programme = small_programme()
    FundingDecisionFactory(
        programme=programme,
        number="VN/1/2026",
        amount="500000.00",
        grant_rate="100.00",
        source=FundingDecision.Source.EU_RRF,
    )
    month = period(programme, date(2026, 10, 1))
    area = programme.children.get()
    approved(month, area, UserFactory(username="vetaja"), done="Malli jalkautettiin kolmelle alueelle.")
    return month


def wait_until_finished(export):
    for _ in range(600):  # at most 60 s
        export.refresh_from_db()
        if export.is_finished:
            return export
        time.sleep(0.1)
    return export


@pytest.mark.django_db(transaction=True)
def test_monthly_pdf_is_made_by_a_celery_worker_and_read_by_the_steering_group(client, settings, tmp_path):
    from django.contrib.auth.models import Group
    from pypdf import PdfReader

    settings.MEDIA_ROOT = tmp_path
    month = rrf_programme_with_a_month()
    office = UserFactory(username="toimisto")
    office.groups.add(Group.objects.get_or_create(name="hanketoimisto")[0])
    client.force_login(office)
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.post(
            reverse("reports:programme", args=[month.programme_id]), {"kind": "monthly_pdf", "period": month.pk}
        )
        export = wait_until_finished(Export.objects.get())
    assert response["Location"] == export.get_absolute_url()
    assert export.status == Export.Status.DONE, export.error
    assert (export.version, export.progress) == (1, 100)

    reader = UserFactory(username="ohjausryhma")
    reader.groups.add(Group.objects.get_or_create(name="ohjausryhma")[0])
    client.force_login(reader)
    assert "Lataa tiedosto" in client.get(export.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == export.sha256
    text = [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(content)).pages]
    assert "Koehanke" in text[0]
    assert "Malli jalkautettiin kolmelle alueelle." in " ".join(text)
    assert all("Euroopan unionin rahoittama – NextGenerationEU" in page for page in text)


@pytest.mark.django_db(transaction=True)
def test_a_task_that_dies_mid_way_is_retried_by_celery_into_exactly_one_report(settings, tmp_path, monkeypatch):
    from reports import archive

    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_RETRY_DELAY = 0
    month = rrf_programme_with_a_month()
    real, calls = archive.hankesalkku_workbook, []

    def dies_first(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionResetError("worker lost its database connection")
        return real(*args, **kwargs)

    monkeypatch.setattr(archive, "hankesalkku_workbook", dies_first)
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        export = archive.export_request(
            programme=month.programme, kind=Export.Kind.HANKESALKKU_XLSX, period=month, user=None
        )
        export = wait_until_finished(export)
    assert export.status == Export.Status.DONE, export.error
    assert (export.version, export.attempts, len(calls)) == (1, 2, 2)
    assert Export.objects.issued().count() == 1
    assert len(list(tmp_path.rglob("*.xlsx"))) == 1
