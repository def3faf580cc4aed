"""The monthly status report as a PDF (WeasyPrint): report rows in, bytes out. Never touches the database.

One render of one HTML document: page numbers come from CSS counters and every font is subset and
embedded once. (Parts rendered in parallel and merged with pypdf were faster on a long report, but
each part carries its own font subsets and its own structure tree, which pypdf cannot merge into one
tagged document; ``bench_reports`` measures the single render against Chromium.)
"""

import base64
import json
import math

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

RRF_STATEMENT = "Euroopan unionin rahoittama – NextGenerationEU"

# The EU emblem's official construction (Council of Europe, "Technical characteristics of the European
# flag"): a blue rectangle one and a half times as wide as it is high; twelve gold five-pointed stars,
# upright, at the hours of a clock on an invisible circle centred where the diagonals cross, whose
# radius is a third of the height; each star's points on a circle of radius one eighteenth of the height.
EU_BLUE = "#003399"  # Pantone Reflex Blue
EU_GOLD = "#FFCC00"  # Pantone Yellow
EMBLEM_HEIGHT = 18  # user units; every length below is a fraction of it
PENTAGRAM_RATIO = math.sin(math.radians(18)) / math.sin(math.radians(126))  # inner / outer radius of a regular star


def _star(cx, cy, outer):
    inner = outer * PENTAGRAM_RATIO
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + 36 * i)  # the first point straight up (y grows downwards)
        # SVG coordinates for a machine: always a dot, never the locale's decimal comma.
        points.append(f"{cx + radius * math.cos(angle):.3f},{cy + radius * math.sin(angle):.3f}")
    return " ".join(points)


def eu_emblem_svg():
    """The EU emblem drawn from its official geometry, as a standalone SVG document."""
    height = EMBLEM_HEIGHT
    width = height * 3 / 2
    cx, cy, ring, star = width / 2, height / 2, height / 3, height / 18
    stars = "".join(
        f'<polygon fill="{EU_GOLD}" points="'
        + _star(cx + ring * math.sin(math.radians(30 * hour)), cy - ring * math.cos(math.radians(30 * hour)), star)
        + '"/>'
        for hour in range(12)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="9mm" height="6mm" viewBox="0 0 {width:g} {height:g}">'
        f"<title>Euroopan unionin tunnus</title>"
        f'<rect width="{width:g}" height="{height:g}" fill="{EU_BLUE}"/>{stars}</svg>'
    )


def _emblem_uri():
    return "data:image/svg+xml;base64," + base64.b64encode(eu_emblem_svg().encode()).decode("ascii")


def css_string(text):
    """``text`` as the inside of a CSS string, safe inside a <style> element."""
    escaped = []
    for char in str(text):
        if char in '\\"<>' or ord(char) < 32:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return mark_safe("".join(escaped))


def _title(report):
    scope = report["node"]["name"] if report["node"] else report["programme"]["short"]
    return f"{scope} – kuukausiraportti {date_format(report['period']['month'], 'n/Y')}"


def _context(report):
    month = report["period"]["month"]
    return {
        "report": report,
        "title": _title(report),
        "header": css_string(_title(report)),
        "period_label": css_string(f"Raportointikausi {date_format(month, 'n/Y')}"),
        "rrf_statement": css_string(RRF_STATEMENT),
        "emblem": _emblem_uri(),
        "approved_count": len(report["reported"]),
    }


def report_html(report):
    """The whole report as one HTML document; also what Chromium prints in the benchmark."""
    with translation.override("fi"):
        return render_to_string("reports/pdf/report.html", _context(report))


def archive_metadata(report):
    """What the archive variant carries about the report's data: a JSON document and XMP properties."""
    state = report["data_state"]
    return {
        "title": _title(report),
        "programme": report["programme"]["code"],
        "period": f"{report['period']['month']:%Y-%m}",
        "data_state": json.dumps(state, sort_keys=True, separators=(",", ":")),
        "sources": ", ".join(f"{s['code']} v{s['revision']} (#{s['id']})" for s in report["sources"]),
    }


def monthly_report_pdf(report, *, archive=False):
    """The monthly report as PDF bytes: tagged PDF/UA-1, or with ``archive`` PDF/A-3b (tagged, declaring
    PDF/UA-1 too) carrying the report's data state as XMP metadata and as an attached JSON file."""
    # Imported here: WeasyPrint takes a second to import, and only the processes that render need it.
    from .pdf_render import render_pdf

    return render_pdf(report_html(report), archive=archive_metadata(report) if archive else None)
