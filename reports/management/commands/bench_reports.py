"""Pages, file size, time and peak memory of the monthly PDF and of each export, beside headless Chromium
printing the same HTML.

Everything is made inside a transaction that is rolled back: a month of approved updates for every
sub-project of POP-Digi-Hoitotakuu 2, then the same programme grown to ten times its sub-projects.
The report's HTML is made here (its time is printed) and both renderers print that same file, each
in a fresh process: ``python -c`` calling ``render_pdf`` (the archive's PDF/A-3b, tagged) and
``chromium --print-to-pdf``. Their memory and processor time are sampled every 50 ms over the whole process
tree. Processor time is each process's own user and system time as last seen, added up (Chromium does not wait
for all of its processes, so the kernel's account of waited-for children misses most of its work; a process
that ends between two samples loses at most their 50 ms). Memory is the peak
proportional set size (PSS, each shared page divided among the processes that share it), which the
aim is measured on, and beside it the peak of the processes' resident sets added up (RSS, which counts
a page shared by Chromium's processes once per process). Exports run in this process and their memory
is the peak of Python allocations (tracemalloc). It measures, it asserts nothing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from pypdf import PdfReader

from budgets.models import NodeBudget
from popsote.months import add_months
from portfolio.models import Node, Responsibility, Task
from reports import archive, report_data
from reports.exporters.pdf import archive_metadata, report_html
from reports.exporters.xlsx import hankesalkku_workbook, indicators_workbook, measures_workbook
from reports.sample import sample_month
from reports.selectors import measure_rows

MONTH = date(2026, 10, 1)


class Rollback(Exception):
    pass


# The child that renders: only WeasyPrint and the render function, as Chromium has only itself.
RENDER = (
    "import json, sys, time\n"
    "from pathlib import Path\n"
    "from reports.exporters.pdf_render import render_pdf\n"
    "html, metadata, out = sys.argv[1:]\n"
    "start = time.perf_counter()\n"
    "pdf = render_pdf(Path(html).read_text(encoding='utf-8'), archive=json.loads(Path(metadata).read_text()))\n"
    "print(time.perf_counter() - start)\n"
    "Path(out).write_bytes(pdf)\n"
)


TICK = os.sysconf("SC_CLK_TCK")


def tree_sample(root, cpu):
    """(PSS, RSS) in bytes of a process and all its descendants, each added up over the processes; each one's
    processor seconds so far are written into ``cpu`` by process id."""
    pss = rss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                fields = dict(line.split()[:2] for line in rollup if line[:4] in ("Pss:", "Rss:"))
            with open(f"/proc/{pid}/stat") as stat:
                utime, stime = stat.read().rsplit(")", 1)[1].split()[11:13]
        except OSError:
            continue
        cpu[pid] = (int(utime) + int(stime)) / TICK
        pss += int(fields.get("Pss:", 0)) * 1024
        rss += int(fields.get("Rss:", 0)) * 1024
    return pss, rss


def run_measured(command):
    """Run ``command``; return (wall seconds, processor seconds, peak PSS and peak RSS of its process tree in
    bytes, stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=settings.BASE_DIR
    )
    peak = [0, 0]
    cpu = {}
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[:] = map(max, peak, tree_sample(process.pid, cpu))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _err = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode:
        raise CommandError(f"{command[0]} failed ({process.returncode})")
    return seconds, sum(cpu.values()), *peak, out


def grow(programme, times):
    """Copy every sub-project of ``programme`` with its measures, tasks, persons and budgets, ``times`` in all."""
    plan = programme.plan_versions.get(is_current=True)
    units = list(Node.objects.filter(programme=programme).reporting_units())
    budgets = {b.node_id: b.total for b in NodeBudget.objects.filter(plan=plan)}
    for copy in range(2, times + 1):
        for unit in units:
            measures = list(Node.objects.filter(parent=unit, kind=Node.Kind.MEASURE))
            clone = Node.objects.create(
                programme=programme,
                parent_id=unit.parent_id,
                kind=unit.kind,
                code=f"{unit.code}-k{copy}",
                name=f"{unit.name} ({copy})",
                short_name=unit.short_name,
                position=unit.position,
                reports_monthly=unit.reports_monthly,
            )
            new_measures = Node.objects.bulk_create(
                Node(
                    programme=programme,
                    parent=clone,
                    path=clone.descendants_prefix,  # a bulk insert skips Node.save, which writes it
                    kind=Node.Kind.MEASURE,
                    code=f"{m.code}-k{copy}",
                    name=m.name,
                    position=m.position,
                )
                for m in measures
            )
            NodeBudget.objects.bulk_create(
                NodeBudget(plan=plan, node=new, total=budgets[old.pk])
                for old, new in zip([unit, *measures], [clone, *new_measures], strict=True)
                if old.pk in budgets
            )
            for old, new in zip(measures, new_measures, strict=True):
                Task.objects.bulk_create(Task(node=new, text=t.text, position=t.position) for t in old.tasks.all())
                Responsibility.objects.bulk_create(
                    Responsibility(node=new, person_id=r.person_id, role=r.role, position=r.position)
                    for r in old.responsibilities.all()
                )


class Command(BaseCommand):
    help = "Times the monthly PDF and the exports on the POPsote data and on ten times it, beside Chromium."

    def add_arguments(self, parser):
        parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"))
        parser.add_argument(
            "--keep-html",
            metavar="DIR",
            help="also write each size's report HTML and metadata there (to profile the render on its own)",
        )

    def handle(self, *args, **options):
        chromium = shutil.which(options["chromium"])
        if chromium is None:
            raise CommandError("Chromium not found: apt-get install chromium, or set CHROMIUM.")
        results = []
        try:
            with transaction.atomic():
                user = get_user_model().objects.create(username="bench-reports")
                programme = Node.objects.get(code="POPDIGI2", parent=None)
                latest = programme.reporting_periods.order_by("-month").first()
                month = max(MONTH, add_months(latest.month, 1)) if latest else MONTH
                for label, times in (("POPsote", 1), ("10 ×", 10)):
                    grow(programme, times)
                    period = sample_month(programme, month, user)
                    month = add_months(month, 1)
                    results.append(self.measure(label, programme, period, chromium, options["keep_html"]))
                raise Rollback
        except Rollback:
            pass
        self.report(results)

    def measure(self, label, programme, period, chromium, keep=None):
        row = {"label": label}
        start = time.perf_counter()
        report = report_data.monthly_report_rows(period)
        row["rows_s"] = time.perf_counter() - start
        row["units"] = len(report["units"])
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            start = time.perf_counter()
            html = report_html(report)
            row["html_s"] = time.perf_counter() - start
            source, metadata = work / "report.html", work / "metadata.json"
            source.write_text(html, encoding="utf-8")
            metadata.write_text(json.dumps(archive_metadata(report)))
            if keep:
                name = "x10" if row["units"] > 50 else "x1"
                shutil.copy(source, Path(keep) / f"report-{name}.html")
                shutil.copy(metadata, Path(keep) / f"metadata-{name}.json")
            out = work / "weasyprint.pdf"
            seconds, cpu, pss, rss, printed = run_measured(
                [sys.executable, "-c", RENDER, str(source), str(metadata), str(out)]
            )
            row["weasyprint"] = {
                "wall_s": seconds,
                "cpu_s": cpu,
                "render_s": float(printed),
                "pss": pss,
                "rss": rss,
                "pages": len(PdfReader(out).pages),
                "bytes": out.stat().st_size,
            }
            out = work / "chromium.pdf"
            seconds, cpu, pss, rss, _out = run_measured(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={out}",
                    source.as_uri(),
                ]
            )
            row["chromium"] = {
                "wall_s": seconds,
                "cpu_s": cpu,
                "pss": pss,
                "rss": rss,
                "pages": len(PdfReader(out).pages),
                "bytes": out.stat().st_size,
            }
        row["exports"] = {}
        for name, make in (
            ("hankesalkku", lambda: hankesalkku_workbook("b", report_data.hankesalkku_rows(period)[0])),
            ("kustannusarvio", lambda: archive.costs_xlsx(programme, period.last_day)),
            ("toimenpiteet", lambda: measures_workbook("b", measure_rows(programme, period))),
            (
                "indikaattorit",
                lambda: indicators_workbook("b", *report_data.indicator_rows(programme, period.last_day)),
            ),
        ):
            start = time.perf_counter()
            content = make()
            seconds = time.perf_counter() - start
            # A second run for the memory: tracing allocations slows Python down several times.
            tracemalloc.start()
            make()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            row["exports"][name] = {"s": seconds, "peak": peak, "bytes": len(content)}
        return row

    def report(self, results):
        mb = 1024 * 1024
        self.stdout.write(
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end (other work on the machine slows every figure)"
        )
        for row in results:
            wp, ch = row["weasyprint"], row["chromium"]
            self.stdout.write(
                f"\n{row['label']}: {row['units']} sub-projects, report rows {row['rows_s']:.2f} s, HTML {row['html_s']:.2f} s"
            )
            self.stdout.write(
                f"  {'PDF':<30}{'pages':>6}{'kB':>8}{'kB/page':>9}{'wall s':>9}{'cpu s':>8}{'render s':>10}{'PSS MB':>8}{'RSS MB':>8}"
            )
            for name, data in (("WeasyPrint (PDF/A-3b, tagged)", wp), ("Chromium --print-to-pdf", ch)):
                render = f"{data['render_s']:>10.2f}" if "render_s" in data else f"{'':>10}"
                self.stdout.write(
                    f"  {name:<30}{data['pages']:>6}{data['bytes'] / 1024:>8.0f}"
                    f"{data['bytes'] / 1024 / data['pages']:>9.1f}{data['wall_s']:>9.2f}{data['cpu_s']:>8.2f}{render}"
                    f"{data['pss'] / mb:>8.0f}{data['rss'] / mb:>8.0f}"
                )
            per_page = (wp["bytes"] / wp["pages"]) / (ch["bytes"] / ch["pages"])
            self.stdout.write(
                f"  WeasyPrint / Chromium: size per page {per_page:.2f}× (aim ≤ 1.5), time {wp['wall_s'] / ch['wall_s']:.2f}×"
                f" (aim ≤ 2; processor time {wp['cpu_s'] / ch['cpu_s']:.2f}×), memory {wp['pss'] / ch['pss']:.2f}× (aim ≤ 0.5; RSS {wp['rss'] / ch['rss']:.2f}×)"
            )
            for name, data in row["exports"].items():
                self.stdout.write(
                    f"  export {name:<24}{data['s']:>9.2f} s{data['peak'] / mb:>9.1f} MB (Python peak){data['bytes'] / 1024:>8.0f} kB"
                )
