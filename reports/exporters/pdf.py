"""The monthly status report as a PDF (WeasyPrint): report rows in, bytes out. Never touches the database.

WeasyPrint lays a document out in one thread, so a long report is split into independent parts (cover
and summary, then groups of sub-project sections) that render in parallel processes and are merged
with pypdf. Page numbers cannot come from CSS counters then (they restart in every part): the parts
leave the corner empty and the numbers are stamped on the merged pages.
"""

import math
import queue
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

MM = 72 / 25.4
PART_UNITS = 16  # at most this many sub-project sections in one separately rendered part

RRF_STATEMENT = "Euroopan unionin rahoittama – NextGenerationEU"


def css_string(text):
    """``text`` as the inside of a CSS string, safe inside a <style> element."""
    escaped = []
    for char in str(text):
        if char in '\\"<>' or ord(char) < 32:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return mark_safe("".join(escaped))


def _context(report, *, front, units, numbered):
    scope = report["node"]["name"] if report["node"] else report["programme"]["short"]
    month = report["period"]["month"]
    return {
        "report": report,
        "front": front,
        "units": units,
        "numbered": numbered,
        "approved_count": len(report["units"]) - len(report["missing"]),
        "header": css_string(f"{scope} – kuukausiraportti"),
        "period_label": css_string(f"Raportointikausi {date_format(month, 'n/Y')}"),
    }


def report_html(report, *, front=True, units=None, numbered=True):
    """The report (or a part of it) as one HTML document; the whole one is also what Chromium prints."""
    with translation.override("fi"):
        return render_to_string(
            "reports/pdf/report.html",
            _context(report, front=front, units=report["units"] if units is None else units, numbered=numbered),
        )


def _stamp(page, writer, text, font):
    """Write ``text`` in the page's bottom right corner, in the standard Helvetica (nothing embedded).

    The page's own content is wrapped in q/Q so its transformations (WeasyPrint flips the y axis)
    do not apply to the stamp; appending to the content is much cheaper than pypdf's merge_page.
    """
    resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
    fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
    fonts[NameObject("/SalkkuNumbers")] = font
    # 8 pt text ending 16 mm from the right edge, on the line of the parts' bottom margin boxes.
    x = float(page.mediabox.right) - 16 * MM - 8 * 0.5 * len(text)
    stamp = f"BT /SalkkuNumbers 8 Tf {x:.1f} {8.8 * MM:.1f} Td ({text}) Tj ET".encode("latin-1")
    contents = ContentStream(None, writer)
    contents.set_data(b"q\n" + page.get_contents().get_data() + b"\nQ\n" + stamp)
    page.replace_contents(contents)


class _Renderers:
    """Renderer processes started with ``python -m`` rather than multiprocessing, which a Celery
    prefork worker (a daemonic process) may not use to start children. Each part goes to whichever
    renderer is free."""

    def __init__(self, processes):
        from .pdf_render import read_message, write_message

        self.read, self.write = read_message, write_message
        root = Path(__file__).resolve().parents[2]
        self.idle = queue.SimpleQueue()
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-m", "reports.exporters.pdf_render"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=root,
            )
            for _ in range(processes)
        ]
        for process in self.processes:
            self.idle.put(process)

    def render(self, html):
        process = self.idle.get()
        try:
            self.write(process.stdin, html.encode("utf-8"))
            pdf = self.read(process.stdout)
        except (OSError, EOFError) as error:
            raise RenderFailed(str(error)) from error
        finally:
            # Back even when it died, so that the parts still waiting fail at once instead of waiting forever.
            self.idle.put(process)
        if pdf is None:
            raise RenderFailed(f"PDF renderer stopped ({process.poll()})")
        return pdf

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.stdin.close()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class RenderFailed(RuntimeError):
    """A renderer process died or answered nothing; the task is retried."""


def monthly_report_pdf(report, *, processes=1, progress=None):
    """The monthly report as PDF bytes. ``processes`` > 1 renders its parts in parallel processes."""
    units = report["units"]
    if processes <= 1 or len(units) < 2:
        # Imported here: WeasyPrint takes a second to import, and only the processes that render need it.
        from .pdf_render import render_pdf

        return render_pdf(report_html(report))
    # Each part costs about 0,4 s of fixed work (stylesheets, font subsets), so there are as few as
    # the processes need; capped so that no process holds a very long document in memory.
    size = max(1, min(PART_UNITS, math.ceil(len(units) / processes)))
    rendered = []
    # The renderers start (and import WeasyPrint) while this process writes the parts' HTML.
    with _Renderers(processes) as renderers, ThreadPoolExecutor(processes) as threads:
        parts = [report_html(report, units=[], numbered=False)]
        parts += [
            report_html(report, front=False, units=units[i : i + size], numbered=False)
            for i in range(0, len(units), size)
        ]
        for index, pdf in enumerate(threads.map(renderers.render, parts)):
            rendered.append(pdf)
            if progress:
                progress(index + 1, len(parts))
    return merge_numbered(rendered)


def merge_numbered(pdfs):
    """Merge PDF parts in order and stamp continuous page numbers "Sivu n / N" on every page."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(BytesIO(pdf)))
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        _stamp(page, writer, f"Sivu {number} / {total}", font)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
