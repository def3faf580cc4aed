"""Broker faults: Redis down or silent costs a request a moment and a 503, never an orphan job (a worker that dies
as a whole: tests/test_lost_jobs.py). These tests commit, so they run after the rolled-back ones."""

import socket

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from budgets.models import LedgerUpload
from budgets.services import LEDGER_INLINE_BYTES
from popsote.celery import app as celery_app
from portfolio.permissions import Role
from portfolio.services import api_token_create
from reports.models import Export
from tests.factories import ProgrammeFactory, UserFactory


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_redis():
    """A port that accepts connections and never answers (a Redis that hangs)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)  # the kernel completes the handshakes; nobody reads
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def broker_at(monkeypatch):
    """``broker_at(port)``: Celery sends to Redis on that port of 127.0.0.1 (nothing else is touched)."""

    def point(port):
        url = f"redis://127.0.0.1:{port}/0"
        monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery reads it before its own settings
        monkeypatch.setitem(celery_app.conf, "broker_url", url)
        monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
        options = {**celery_app.conf.broker_transport_options, "socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        monkeypatch.setitem(celery_app.conf, "broker_transport_options", options)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    yield point
    if celery_app._pool is not None:
        celery_app.pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def member(role):
    user = UserFactory(username=f"jono-{role}")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fault", ["stopped", "silent"])
def test_a_report_request_with_redis_down_answers_503_and_leaves_no_job(client, broker_at, silent_redis, fault):
    broker_at(free_port() if fault == "stopped" else silent_redis)
    programme = ProgrammeFactory()
    client.force_login(member(Role.STEERING))
    page = client.post(reverse("reports:programme", args=[programme.pk]), {"kind": "measures_xlsx"})
    assert page.status_code == 503
    assert "Taustatehtävien jono ei vastannut" in page.content.decode()
    assert page["Retry-After"] == "60"

    api = APIClient()
    _row, token = api_token_create(user=member(Role.FINANCE), name="skripti", days=1)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.post(reverse("api:export-list"), {"programme": programme.pk, "kind": "measures_xlsx"}, format="json")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert Export.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_large_ledger_extract_with_redis_down_answers_503_and_keeps_nothing(client, broker_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    broker_at(free_port())
    programme = ProgrammeFactory()
    client.force_login(member(Role.FINANCE))
    big = b"Kausi;Tili;Kohde;Summa\n" + b"5/2023;4000;X;1\n" * (LEDGER_INLINE_BYTES // 16 + 1)
    response = client.post(
        reverse("budgets:ledger_upload", args=[programme.pk]), {"file": SimpleUploadedFile("ote.csv", big)}
    )
    assert response.status_code == 503
    assert LedgerUpload.objects.count() == 0
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
