"""Time and peak memory of the refusals and searches an attacker or a careless user can send (README "Running in
production"). Each case runs in a fresh process, and its memory is that process's peak resident size. Changes nothing."""

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from openpyxl import Workbook

from popsote.numbers import format_number, machine_number

HEADER = ["Kausi", "Kustannuspaikka", "Tili", "Kohde", "Summa", "Selite"]


def _workbook_with(parts):
    """An xlsx whose first sheet is replaced by ``parts`` (chunks of its XML), written as it is deflated."""
    book = Workbook()
    book.active.append(HEADER)
    base = io.BytesIO()
    book.save(base)
    source = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        for part in source.infolist():
            if part.filename == "xl/worksheets/sheet1.xml":
                with target.open(part.filename, "w", force_zip64=True) as stream:
                    for chunk in parts:
                        stream.write(chunk)
            else:
                target.writestr(part, source.read(part.filename))
    return out.getvalue()


HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = b"</sheetData></worksheet>"


def whitespace_bomb():
    """About 2 MB that unpacks to 2 GB of spaces inside a cell."""
    return _workbook_with([HEAD, b'<row><c t="inlineStr"><is><t>', *[b" " * 2**24] * 128, b"</t></is></c></row>", TAIL])


def whitespace_under_the_limit():
    """The worst that is parsed: 60 MB of spaces in one cell, just under the unpacked limit."""
    return _workbook_with([HEAD, b'<row><c t="inlineStr"><is><t>', *[b" " * 2**20] * 60, b"</t></is></c></row>", TAIL])


def million_rows():
    row = (
        b'<row><c t="inlineStr"><is><t>5/2023</t></is></c><c t="inlineStr"><is><t>7100</t></is></c>'
        b'<c t="inlineStr"><is><t>4000</t></is></c><c t="inlineStr"><is><t>P3-1-M1</t></is></c>'
        b'<c><v>1.5</v></c><c t="inlineStr"><is><t>Palkka</t></is></c></row>'
    )
    return _workbook_with([HEAD, *[row * 10_000] * 100, TAIL])


def million_short_rows():
    return _workbook_with([HEAD, *[b"<row><c><v>1</v></c></row>" * 100_000] * 10, TAIL])


def error_rows():
    """300 KB of rows that are each wrong in three ways (it answered 300 MB)."""
    lines = [";".join(HEADER)] + ["5/2023;7100;9999;EI-OLE;x;" + "y" * 300] * 900
    return ("\n".join(lines)).encode()


FILES = {
    "xlsx 2 Mt → 2 Gt välilyöntejä": ("bomb.xlsx", whitespace_bomb),
    "xlsx 60 Mt välilyöntejä (alle rajan)": ("under.xlsx", whitespace_under_the_limit),
    "xlsx 1 000 000 riviä": ("million.xlsx", million_rows),
    "xlsx 1 000 000 lyhyttä riviä": ("short.xlsx", million_short_rows),
    "csv 50 Mt": ("big.csv", lambda: b"5/2023;7100;4000;P3-1-M1;1;Palkka\n" * (50 * 2**20 // 35)),
    "csv 300 kt, joka rivi väärin": ("errors.csv", error_rows),
}
SEARCHES = {
    "sivu ilman hakua": "",
    "haku 1 sana": "hoitotakuu",
    "haku 6 sanaa (suurin sallittu)": "kehittäminen palvelut lasten nuorten perheiden hoitotakuu",
    "haku 100 sanaa": " ".join(f"sana{number}" for number in range(100)),
}


class Command(BaseCommand):
    help = "Mittaa suurten ja virheellisten tiedostojen ja hakujen hylkäämisen ajan ja muistin (ei muuta mitään)."

    def add_arguments(self, parser):
        parser.add_argument("--case", help=argparse_suppress())
        parser.add_argument("--file")

    def handle(self, *args, case=None, file=None, **options):
        if case:
            return self.run_case(case, file)
        with tempfile.TemporaryDirectory() as directory:
            self.stdout.write(
                "Aika: tapauksen oma (ei prosessin käynnistystä). Muisti: prosessin huippu (RSS), Djangon oma noin 150 Mt."
            )
            self.stdout.write(f"{'tapaus':<36} {'koko':>9} {'aika s':>8} {'muisti Mt':>10}  vastaus")
            for name, (file_name, build) in FILES.items():
                path = Path(directory) / file_name
                path.write_bytes(build())
                self.measure(name, f"{format_number(path.stat().st_size / 2**20, 1)} Mt", "file", str(path))
            for name, words in SEARCHES.items():
                self.measure(name, f"{len(words.split())} s.", "search", words)

    def measure(self, name, size, case, argument):
        child = subprocess.Popen(
            [sys.executable, "-W", "ignore", "manage.py", "bench_uploads", "--case", case, "--file", argument],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        seconds, _tab, answer = child.stdout.read().strip().partition("\t")
        _pid, _status, usage = os.wait4(child.pid, 0)
        self.stdout.write(
            f"{name:<36} {size:>9} {format_number(Decimal(seconds), 2):>8} {format_number(usage.ru_maxrss // 1024):>10}  {answer}"
        )

    @override_settings(
        ALLOWED_HOSTS=["testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    def run_case(self, case, argument):
        from budgets.services import LedgerRejected, ledger_import
        from portfolio.models import Node

        programme = Node.objects.programmes().order_by("pk").first()
        with transaction.atomic():
            user = get_user_model().objects.create_superuser("bench-uploads", password=None)
            client = Client()
            client.force_login(user)
            started = time.perf_counter()
            if case == "file":
                path = Path(argument)
                try:
                    batch = ledger_import(programme=programme, name=path.name, content=path.read_bytes(), user=user)
                    answer = f"tuotiin {batch.row_count} riviä"
                except LedgerRejected as rejected:
                    first = str(rejected.errors[0][2])
                    answer = f"hylätty, {len(rejected.errors)} riviä vastauksessa: {first[:70]}"
            else:
                response = client.get(reverse("portfolio:overview"), {"q": argument} if argument else {})
                answer = f"HTTP {response.status_code}, {len(response.content) // 1024} kt"
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        self.stdout.write(f"{machine_number(seconds, 3)}\t{answer}")  # read by the parent process: not localised


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
