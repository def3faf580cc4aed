"""The drawings as Chromium lays them out: timeline bars where their dates are, charts inside their axes.

Coordinates go to the browser as machine numbers in every language; a Finnish decimal comma in an
SVG or CSS value makes Chromium drop it, which these tests see as a bar in the wrong place or a
point that is not a number.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from reports.exporters.pdf import report_html
from reports.report_data import monthly_report_rows

pytestmark = pytest.mark.django_db

# Each bar, milestone and year label with its box and its dates, and the axis it is drawn on.
TIMELINE = """() => {
  const table = document.querySelector('table.timeline');
  const box = element => { const r = element.getBoundingClientRect(); return {left: r.left, width: r.width}; };
  return {
    first: table.dataset.first, last: table.dataset.last,
    bars: [...table.querySelectorAll('rect.timeline-bar')].map(rect => ({
      start: rect.dataset.start, end: rect.dataset.end, box: box(rect), track: box(rect.ownerSVGElement),
    })),
    milestones: [...table.querySelectorAll('svg.timeline-milestone')].map(mark => ({
      date: mark.dataset.date, box: box(mark.querySelector('path')), track: box(mark.parentElement.closest('svg')),
    })),
    years: [...table.querySelectorAll('svg.timeline-axis text')].map(text => ({
      year: text.textContent.trim(), box: box(text), track: box(text.ownerSVGElement),
    })),
  };
}"""


def days(text, first):
    return (date.fromisoformat(text) - first).days


def timeline_problems(drawing):
    """Every bar, milestone and year label further than 1.5 px from where its dates put it."""
    first, last = date.fromisoformat(drawing["first"]), date.fromisoformat(drawing["last"])
    span = (last - first).days + 1
    wrong = []
    assert drawing["bars"], "no bars drawn"
    for bar in drawing["bars"]:
        track, box = bar["track"], bar["box"]
        left = track["left"] + days(bar["start"], first) / span * track["width"]
        width = (days(bar["end"], first) - days(bar["start"], first) + 1) / span * track["width"]
        if abs(box["left"] - left) > 1.5 or abs(box["width"] - width) > 1.5:
            wrong.append(f"bar {bar['start']}–{bar['end']}: {box} where {left:.1f} + {width:.1f} px belongs")
    for mark in drawing["milestones"]:
        track, box = mark["track"], mark["box"]
        centre = track["left"] + days(mark["date"], first) / span * track["width"]
        if abs(box["left"] + box["width"] / 2 - centre) > 1.5:
            wrong.append(f"milestone {mark['date']}: {box} where its centre {centre:.1f} px belongs")
    years = [label["year"] for label in drawing["years"]]
    assert years == [str(year) for year in range(first.year, last.year + 1)], years
    for label in drawing["years"]:
        track = label["track"]
        start = track["left"] + days(f"{label['year']}-01-01", first) / span * track["width"]
        if not start <= label["box"]["left"] <= start + 6:
            wrong.append(f"year {label['year']} at {label['box']['left']:.1f} px, its year starts at {start:.1f} px")
    return wrong


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_timeline_bars_and_milestones_sit_where_their_dates_are(look, world, language):
    from portfolio.models import Node

    rakenne = Node.objects.get(code="RAKENNE", parent=None)
    tab = look("steering", "desk", language)
    wrong = {}
    for query in [f"hanke={world.programme.pk}", f"hanke={rakenne.pk}"]:
        for width in ("desk", "phone"):
            tab.open(f"{reverse('milestones:timeline')}?{query}", width=width)
            drawing = tab.page.evaluate(TIMELINE)
            if problems := timeline_problems(drawing):
                wrong[f"{width} {query}"] = problems[:5]
            if query.endswith(str(rakenne.pk)):
                assert len(drawing["milestones"]) >= 7
    assert wrong == {}


# Every number an SVG chart holds, as written, and what Chromium made of its points.
CHARTS = """() => [...document.querySelectorAll('svg.chart')].map(svg => ({
  plot: svg.dataset.plot || null,
  attributes: [...svg.querySelectorAll('*')].concat([svg]).flatMap(element =>
    ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'viewBox', 'points']
      .filter(name => element.hasAttribute(name))
      .map(name => [element.tagName, name, element.getAttribute(name)])),
  values: [...svg.querySelectorAll('.chart-value')].map(element => element.tagName === 'polyline'
    ? {tag: 'polyline', written: element.getAttribute('points'), parsed: element.points.numberOfItems}
    : element.tagName === 'circle'
      ? {tag: 'circle', points: [[element.cx.baseVal.value, element.cy.baseVal.value]]}
      : {tag: 'rect', points: [[element.x.baseVal.value, element.y.baseVal.value],
          [element.x.baseVal.value + element.width.baseVal.value, element.y.baseVal.value + element.height.baseVal.value]]}),
}))"""
NUMBER = r"-?\d+(\.\d+)?"


def chart_problems(charts):
    wrong = []
    assert charts, "no chart drawn"
    for chart in charts:
        for tag, name, value in chart["attributes"]:
            pattern = {"viewBox": rf"{NUMBER}( {NUMBER}){{3}}", "points": rf"{NUMBER},{NUMBER}( {NUMBER},{NUMBER})*"}
            if not re.fullmatch(pattern.get(name, rf"{NUMBER}%?"), value):
                wrong.append(f"<{tag} {name}={value!r}> is not a number")
        if not chart["plot"] or not re.fullmatch(rf"{NUMBER}( {NUMBER}){{3}}", chart["plot"]):
            wrong.append(f"no plot area: {chart['plot']!r}")
            continue
        left, top, right, bottom = (float(n) for n in chart["plot"].split())
        for value in chart["values"]:
            points = value.get("points")
            if value["tag"] == "polyline":
                pairs = value["written"].split()
                if value["parsed"] != len(pairs):
                    wrong.append(f"Chromium read {value['parsed']} of the line's {len(pairs)} points")
                points = [
                    tuple(map(float, pair.split(","))) for pair in pairs if re.fullmatch(rf"{NUMBER},{NUMBER}", pair)
                ]
            for x, y in points:
                if not (left <= x <= right and top <= y <= bottom):
                    wrong.append(f"{value['tag']} point ({x}, {y}) outside the plot {chart['plot']}")
    return wrong


def test_the_cumulative_spend_chart_is_drawn_inside_its_axes_in_every_language(look, world):
    wrong = {}
    for language in ("fi", "sv", "en"):
        tab = look("finance", "desk", language)
        tab.open(reverse("budgets:node", args=[world.costs_unit.pk]))
        if problems := chart_problems(tab.page.evaluate(CHARTS)):
            wrong[language] = problems[:5]
    assert wrong == {}


def test_the_monthly_reports_charts_are_drawn_inside_their_axes(look, world):
    html = report_html(monthly_report_rows(world.approved.period, node=world.dental))
    tab = look("finance")
    tab.page.set_content(html)
    charts = tab.page.evaluate(CHARTS)
    assert {chart["values"][0]["tag"] for chart in charts} == {"polyline", "rect"}
    assert chart_problems(charts) == []
