"""A ledger extract of many rows through the API as a job (the request keeps the file, the worker checks and
imports it with the history rows), beside the bulk floor: the same rows and history rows written with
``bulk_create_with_history`` alone. In a transaction rolled back at the end."""

import time

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from budgets.models import ActualCost, CostCategory, LedgerAccount, LedgerImport, LedgerUpload
from budgets.services import LEDGER_INLINE_BYTES, ledger_accounts_confirm, ledger_upload_run
from popsote.numbers import format_number
from portfolio.models import Node

PROGRAMME = "POPDIGI2"
HEADER = "Kausi;Kustannuspaikka;Tili;Kohde;Summa;Selite"


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Mittaa kirjanpidon otteen tuonnin API:n kautta taustatyönä ja sen rinnalla suoran joukkolisäyksen."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)

    @override_settings(ALLOWED_HOSTS=["testserver"])
    def handle(self, *args, rows, **options):
        try:
            with transaction.atomic():
                self.measure(rows)
                raise Rollback
        except Rollback:
            pass

    def measure(self, rows):
        programme = Node.objects.get(code=PROGRAMME, parent=None)
        measures = list(Node.objects.filter(programme=programme, kind=Node.Kind.MEASURE).active())
        category = CostCategory.objects.filter(kind=CostCategory.Kind.COST, children__isnull=True).first()
        LedgerAccount.objects.update_or_create(account="4999", defaults={"category": category, "example": False})
        lines = [
            f"{1 + n % 12}/2024;7100;4999;{measures[n % len(measures)].code};{n % 997 + 1},{n % 100:02d};Rivi {n}"
            for n in range(rows)
        ]
        content = ("\n".join([HEADER, *lines]) + "\n").encode()
        if len(content) <= LEDGER_INLINE_BYTES:
            # An extract this small is imported in the request itself, not as a job.
            raise CommandError(
                f"{format_number(rows, 0)} riviä on {format_number(len(content) / 2**10, 0)} kt; taustatyönä tuodaan "
                f"yli {format_number(LEDGER_INLINE_BYTES / 2**10, 0)} kt:n otteet. Anna enemmän rivejä (--rows)."
            )
        user = get_user_model().objects.create_superuser("bench-ledger", password=None)
        ledger_accounts_confirm(user=user)  # the installation's example chart taken as the county's own

        with transaction.atomic():
            started = time.perf_counter()
            batch = LedgerImport.objects.create(
                programme=programme, file_name="ote.csv", sha256="0" * 64, imported_by=user, row_count=rows, total=0
            )
            costs = [
                ActualCost(
                    node=measures[n % len(measures)],
                    category=category,
                    month=f"2024-{1 + n % 12:02d}-01",
                    amount=f"{n % 997 + 1}.{n % 100:02d}",
                    account="4999",
                    description=f"Rivi {n}",
                    ledger_import=batch,
                )
                for n in range(rows)
            ]
            bulk_create_with_history(costs, ActualCost, batch_size=2000, default_user=user)
            floor = time.perf_counter() - started
            floor_history = ActualCost.history.filter(ledger_import=batch).count()
            transaction.set_rollback(True)

        client = Client()
        client.force_login(user)
        started = time.perf_counter()
        response = client.post(
            reverse("api:ledgerimport-list"),
            {"programme": programme.pk, "file": SimpleUploadedFile("ote.csv", content, "text/csv")},
            secure=True,
        )
        received = time.perf_counter() - started
        assert response.status_code == 202, (response.status_code, response.content[:500])
        upload = LedgerUpload.objects.get(pk=response.json()["id"])
        ledger_upload_run(upload.pk, claim="bench")  # what the worker does once the request has committed
        job = time.perf_counter() - started
        upload.refresh_from_db()
        assert upload.status == LedgerUpload.Status.DONE, (upload.status, upload.errors[:3])
        imported = ActualCost.objects.filter(ledger_import=upload.result).count()
        history = ActualCost.history.filter(ledger_import=upload.result).count()
        self.stdout.write(f"{format_number(rows, 0)} riviä, {format_number(len(content) / 1e6, 1)} MB csv")
        self.stdout.write(
            f"joukkolisäys historiariveineen (lattia): {format_number(floor, 1)} s, {format_number(floor_history, 0)} historiariviä"
        )
        self.stdout.write(
            f"API:n kautta taustatyönä: {format_number(job, 1)} s (pyyntö {format_number(received, 1)} s), {format_number(imported, 0)} riviä, {format_number(history, 0)} historiariviä"
        )
        self.stdout.write(f"taustatyö ÷ lattia = {format_number(job / floor, 2)}")
