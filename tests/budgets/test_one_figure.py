"""One number for one thing: each node's plan, actual and remaining are the same on every page and in every file."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budgets.selectors import LINES, WRITTEN, Budgets, node_figures
from portfolio.models import Node
from reports.archive import costs_xlsx
from reports.models import ReportingPeriod
from reports.report_data import monthly_report_rows

pytestmark = pytest.mark.django_db

MONTH = date(2026, 10, 1)


def _triple(usage):
    return (usage.plan, usage.actual, usage.remaining)


def _workbook_triple(content):
    sheet = load_workbook(BytesIO(content), read_only=True).active
    values = {row[0].value: row[1].value for row in sheet.iter_rows() if len(row) > 1 and row[0].value}
    plan_label = next(label for label in values if str(label).startswith("Suunnitelma ("))
    figures = tuple(
        Decimal(str(values[label])).quantize(Decimal("0.01")) for label in (plan_label, "Toteuma", "Jäljellä")
    )
    return figures, plan_label


def walk(client, codes):
    """Every active node of the programmes ``codes``: its plan, actual and remaining on the cost estimate page,
    the node page, the API, the costs workbook, Talous and the monthly report's rows are one. The nodes they
    compared, by where."""
    nodes = list(Node.objects.active().filter(programme__code__in=codes).select_related("programme"))
    programmes = {node.programme for node in nodes}
    until = MONTH.replace(day=31)
    talous = {
        row["node"].pk: _triple(row["usage"])
        for row in client.get(reverse("budgets:overview")).context["rows"]
        if row["node"].programme in programmes
    }
    pdf = {}
    for programme in programmes:
        report = monthly_report_rows(ReportingPeriod.objects.create(programme=programme, month=MONTH, deadline=MONTH))
        pdf[programme.pk] = _triple(report["summary"])
        pdf.update({unit["pk"]: _triple(unit["usage_total"]) for unit in report["units"]})
    assert len(talous) == len([n for n in nodes if n.parent_id in (None, n.programme_id)])
    compared = {"nodes": 0, "talous": 0, "pdf": 0}
    budgets = {programme.pk: Budgets([programme]) for programme in programmes}
    for node in nodes:
        page = client.get(reverse("budgets:node", args=[node.pk]))
        shown = _triple(page.context["usage_total"])
        # The cost estimate page shows every actual cost; the report and the workbook those up to the month.
        figures = budgets[node.programme_id].figures(node)
        to_date = figures.total(until=until)
        assert shown == _triple(figures.total()), node.code
        node_page = client.get(node.get_absolute_url())
        assert _triple(node_page.context["budget_total"]) == shown, node.code
        api = client.get(f"/api/v1/budget-figures/{node.pk}/").json()
        assert tuple(Decimal(api["total"][key]) for key in ("plan", "actual", "remaining")) == shown, node.code
        assert api["plan_source"] == page.context["figures"].plan_source
        workbook, label = _workbook_triple(costs_xlsx(node, until))
        assert workbook == _triple(to_date), node.code
        assert (label == "Suunnitelma (kirjattu kokonaisbudjetti)") == (page.context["figures"].plan_source == WRITTEN)
        compared["nodes"] += 1
        if node.pk in pdf:
            assert pdf[node.pk] == _triple(to_date), node.code
            compared["pdf"] += 1
        if node.pk in talous:
            assert talous[node.pk] == shown, node.code
            compared["talous"] += 1
    assert compared["talous"] == len(talous)
    return compared


# The walk of all 287 nodes is in two files, this one and test_one_figure_tsk.py, so that the two test
# processes share it; together they walk every active node of the three programmes.
WALKED_HERE = ["POPDIGI2", "RAKENNE"]


def test_every_node_shows_one_plan_actual_and_remaining_everywhere(office_client, costs):
    compared = walk(office_client, WALKED_HERE)
    assert compared["nodes"] == 69 + 95
    assert compared["pdf"] == 2 + 19 + 17  # the programmes and their reporting units


def test_tulevaisuuden_sote_keskus_plan_is_its_written_total_everywhere(office_client, costs):
    tsk = Node.objects.get(code="TSK", parent=None)
    page = office_client.get(reverse("budgets:node", args=[tsk.pk]))
    figures = page.context["figures"]
    assert (figures.plan, figures.plan_source, figures.lines_total) == (Decimal("4914000.00"), WRITTEN, None)
    assert page.context["usage_total"].remaining == Decimal("4914000.00") - Decimal("310000.00")
    html = page.content.decode()
    assert "Suunnitelmana on kirjattu kokonaisbudjetti 4\xa0914\xa0000\xa0€" in html
    overview = office_client.get(reverse("budgets:overview"), {"programme": tsk.pk})
    row = next(row for row in overview.context["rows"] if row["node"].pk == tsk.pk)
    assert row["usage"].plan == Decimal("4914000.00")
    assert "kirjattu kokonaisbudjetti" in overview.content.decode()
    report = monthly_report_rows(ReportingPeriod.objects.create(programme=tsk, month=MONTH, deadline=MONTH))
    assert (report["summary"].plan, report["plan_source"]) == (Decimal("4914000.00"), WRITTEN)
    lnp = next(unit for unit in report["units"] if unit["code"] == "LNP")
    assert (lnp["usage_total"].plan, lnp["plan_source"]) == (Decimal("1228500.00"), WRITTEN)
    assert _workbook_triple(costs_xlsx(tsk, MONTH)) == (
        (Decimal("4914000.00"), Decimal("310000.00"), Decimal("4604000.00")),
        "Suunnitelma (kirjattu kokonaisbudjetti)",
    )


def test_cost_lines_and_a_written_total_that_disagree_keep_both(popsote):
    popdigi = Node.objects.get(code="POPDIGI2", parent=None)
    figures = node_figures(popdigi)
    assert (figures.plan_source, figures.plan, figures.written) == (
        LINES,
        Decimal("19083000.00"),
        Decimal("19083000.00"),
    )
    assert figures.difference is None
    line = popdigi.budget_lines.get(category__key="henkilostokulut", year=2023)
    line.amount += Decimal("1000")
    line.save()
    figures = node_figures(popdigi)
    assert (figures.plan, figures.written, figures.difference) == (
        Decimal("19084000.00"),
        Decimal("19083000.00"),
        Decimal("-1000.00"),
    )


def test_plan_to_date_in_the_first_and_the_last_month(popsote):
    # Lasten ja nuorten palveluiden kehittäminen: 1 228 500 € written, no cost lines, TSK's dates.
    lnp = Node.objects.select_related("programme").get(programme__code="TSK", code="LNP")
    figures = node_figures(lnp)
    start, end = lnp.start or lnp.programme.start, lnp.end or lnp.programme.end
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    assert figures.plan_to_date(start.replace(day=1)) == (Decimal("1228500") / months).quantize(Decimal("0.01"))
    assert figures.plan_to_date(end.replace(day=1)) == Decimal("1228500.00")
    assert figures.plan_to_date(date(start.year - 1, 12, 1)) == 0
    assert figures.plan_to_date(date(end.year + 3, 1, 1)) == Decimal("1228500.00")
    # With cost lines, a year's lines spread over its months: POP-Digi's 2023 is 6 684 137 €.
    popdigi = node_figures(Node.objects.get(code="POPDIGI2", parent=None))
    assert popdigi.plan_to_date(date(2023, 1, 1)) == (Decimal("6684137") / 12).quantize(Decimal("0.01"))
    assert popdigi.plan_to_date(date(2023, 12, 1)) == Decimal("6684137.00")
    assert popdigi.plan_in_year(2024) + popdigi.plan_in_year(2023) + popdigi.plan_in_year(2025) == Decimal(
        "19083000.00"
    )
