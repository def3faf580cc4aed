"""A worker that dies as a whole is noticed within minutes by its stopped heartbeat, and its job is taken over."""

import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from budgets.models import LedgerUpload
from budgets.services import ledger_upload_run
from popsote.broker import heartbeat
from reports.archive import export_generate, exports_requeue
from reports.models import Export
from tests.factories import ExportFactory, ProgrammeFactory, UserFactory


def test_a_heartbeat_beats_while_the_job_runs():
    beats = threading.Event()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.JOB_HEARTBEAT", 0.01)
        with heartbeat(beats.set):
            assert beats.wait(5)


@pytest.mark.django_db
def test_a_job_whose_worker_stopped_beating_is_sent_again_and_taken_over(settings, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sent = []
    monkeypatch.setattr("reports.archive.send", lambda task, pk: sent.append(pk))
    now = timezone.now()
    alive = ExportFactory(status=Export.Status.RUNNING, started_at=now - timedelta(minutes=30), claimed_by="a")
    Export.objects.filter(pk=alive.pk).update(heartbeat_at=now - timedelta(seconds=20))
    dead = ExportFactory(status=Export.Status.RUNNING, started_at=now - timedelta(minutes=5), claimed_by="b")
    Export.objects.filter(pk=dead.pk).update(heartbeat_at=now - timedelta(seconds=settings.JOB_LOST_AFTER + 1))
    assert exports_requeue() == [dead.pk]
    assert sent == [dead.pk]
    assert export_generate(alive.pk, claim="c") is False  # its worker is alive
    assert export_generate(dead.pk, claim="c") is True
    assert Export.objects.get(pk=dead.pk).status == Export.Status.DONE


def test_beat_looks_for_lost_jobs_every_minute_and_a_lost_worker_is_noticed_within_minutes(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["requeue-lost-jobs"]
    assert schedule["task"] == "reports.tasks.requeue_lost_jobs" and schedule["schedule"] <= 60
    assert settings.JOB_HEARTBEAT * 3 <= settings.JOB_LOST_AFTER <= 5 * 60
    # A message whose worker died is redelivered only after the visibility timeout: never while it may still run.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.django_db
def test_a_background_import_whose_worker_died_is_taken_over(settings, tmp_path):
    from budgets.models import LedgerAccount

    settings.MEDIA_ROOT = tmp_path
    LedgerAccount.objects.filter(example=True).delete()  # the office's own chart, not the example
    upload = LedgerUpload.objects.create(
        programme=ProgrammeFactory(),
        file=SimpleUploadedFile("ote.csv", b"Kausi;Tili;Kohde;Summa\n"),
        file_name="ote.csv",
        uploaded_by=UserFactory(),
        status=LedgerUpload.Status.RUNNING,
        claimed_by="dead",
        heartbeat_at=timezone.now() - timedelta(seconds=settings.JOB_LOST_AFTER + 1),
    )
    assert ledger_upload_run(upload.pk, claim="sweeper") is False  # taken over, then refused: no cost rows
    upload.refresh_from_db()
    assert (upload.status, upload.claimed_by) == (LedgerUpload.Status.REJECTED, "sweeper")
    assert upload.errors == [["", "", "Tiedostossa ei ole yhtään kulua."]]
