"""The Hankesalkku workbook of many rows as the archive writes it beside bare XlsxWriter constant_memory
writing the same columns and formats, nothing else: time and memory (how much the process's resident size
grew at most while the workbook was written, sampled every 5 ms; the rows are made before)."""

import json
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from popsote.numbers import format_number

# Each writer runs in a process of its own: one writer's memory must not be counted in another's peak.
RUN = r"""
import json, os, sys, threading, time
from datetime import date
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "popsote.settings")
django.setup()
from reports.exporters.xlsx import HANKESALKKU_COLUMNS, hankesalkku_workbook
writer, count = sys.argv[1], int(sys.argv[2])
text = "Tehty: kartoitus, työpajat ja raportti. " * 3
rows = [
    {"month": date(2025, 11, 1), "programme": "POP-Digi-Hoitotakuu 2", "code": f"P4I1-{n % 90}",
     "subproject": "Lasten ja nuorten palveluiden kehittäminen", "measure": f"Toimenpide {n}",
     "status": "Käynnissä", "percent": n % 100, "overall": "vihreä", "schedule": "keltainen",
     "budget": "vihreä", "scope": "vihreä", "resources": "punainen", "reasons": text, "done": text,
     "next_steps": text, "decisions": "", "approved": date(2025, 12, 3), "revision": 1}
    for n in range(count)
]
def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
before, high, writing = rss(), [0], [True]
def sample():
    while writing[0]:
        high[0] = max(high[0], rss())
        time.sleep(0.005)
sampler = threading.Thread(target=sample)
sampler.start()
started = time.perf_counter()
if writer == "xlsxwriter":
    import io, xlsxwriter
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet("Kuukausiraportti")
    bold, month, day, whole = (book.add_format(f) for f in ({"bold": True}, {"num_format": "m/yyyy"},
                                                            {"num_format": "d.m.yyyy"}, {"num_format": "0"}))
    for index, (header, width) in enumerate(HANKESALKKU_COLUMNS):
        sheet.set_column(index, index, width)
        sheet.write_string(0, index, header, bold)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, count, len(HANKESALKKU_COLUMNS) - 1)
    names = ("programme", "code", "subproject", "measure", "status")
    lights = ("overall", "schedule", "budget", "scope", "resources", "reasons", "done", "next_steps", "decisions")
    for number, row in enumerate(rows, start=1):
        sheet.write_datetime(number, 0, row["month"], month)
        for offset, name in enumerate(names, start=1):
            sheet.write_string(number, offset, row[name])
        sheet.write_number(number, 6, row["percent"], whole)
        for offset, name in enumerate(lights, start=7):
            sheet.write_string(number, offset, row[name])
        sheet.write_datetime(number, 16, row["approved"], day)
        sheet.write_number(number, 17, row["revision"], whole)
    book.close()
    size = len(out.getvalue())
else:
    size = len(hankesalkku_workbook("Kuukausiraportti", rows))
seconds = time.perf_counter() - started
writing[0] = False
sampler.join()
peak = max(high[0], rss()) - before
print(json.dumps({"seconds": seconds, "peak": peak, "size": size}))
"""


class Command(BaseCommand):
    help = "Mittaa Hankesalkku-työkirjan kirjoittamisen pelkän XlsxWriterin (constant_memory) rinnalla."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)

    def run(self, writer, rows):
        result = subprocess.run(
            [sys.executable, "-c", RUN, writer, str(rows)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    def handle(self, *args, rows, **options):
        peer = self.run("xlsxwriter", rows)
        self.stdout.write(f"{format_number(rows, 0)} riviä; rinnalla pelkkä XlsxWriter constant_memory")
        self.stdout.write(
            f"{'kirjoittaja':<34} {'aika s':>8} {'muisti MB':>10} {'koko MB':>8} {'aika ×':>7} {'muisti ×':>9}"
        )
        for label, writer in (
            ("XlsxWriter constant_memory", "xlsxwriter"),
            ("Hankesalkku (arkiston työkirja)", "hankesalkku"),
        ):
            result = peer if writer == "xlsxwriter" else self.run(writer, rows)
            self.stdout.write(
                f"{label:<34} {format_number(result['seconds'], 2):>8} {format_number(result['peak'] / 1e6, 1):>10}"
                f" {format_number(result['size'] / 1e6, 1):>8} {format_number(result['seconds'] / peer['seconds'], 2):>7}"
                f" {format_number(result['peak'] / peer['peak'], 2):>9}"
            )
