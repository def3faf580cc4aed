"""Budget pages and the STM workbook reproduce the seeds' cost estimate to the cent."""

from decimal import Decimal

import pytest
from django.urls import reverse

from popsote.money import format_euros
from portfolio.models import Node

pytestmark = pytest.mark.django_db


def programme(code):
    return Node.objects.get(code=code, parent=None)


def test_cost_estimate_page_shows_the_plans_totals(logged_in, popsote):
    response = logged_in.get(reverse("budgets:node", args=[programme("POPDIGI2").pk]))
    assert response.context["years"] == [2023, 2024, 2025]
    shown = {row.label: [*row.amounts.values(), row.total] for row in response.context["rows"] if row.kind != "heading"}
    # Kustannusarvio v 2023-2025: "Kulut yhteensä 6 684 137 8 637 757 3 761 106 19 083 000".
    assert shown["Kulut yhteensä"] == [Decimal(x) for x in ("6684137", "8637757", "3761106", "19083000")]
    assert shown["Henkilöstökulut"] == [Decimal(x) for x in ("4761037", "6822407", "3010256", "14593700")]
    assert "19\xa0083\xa0000\xa0€" in response.content.decode()
    assert response.context["figures"].difference is None  # the lines add up to the written 19 083 000 €


def test_stm_workbook_holds_numbers_where_a_person_looks(logged_in, popsote):
    from io import BytesIO

    from openpyxl import load_workbook

    response = logged_in.get(reverse("budgets:node_xlsx", args=[programme("POPDIGI2").pk]))
    sheet = load_workbook(BytesIO(response.content), data_only=True).active
    assert sheet["A1"].value == "Kustannusarvio"
    assert sheet["B4"].value.endswith("POP-Digi-Hoitotakuu 2")
    assert (sheet["A5"].value, sheet["B5"].value) == ("Rahoituspäätös", "VN/27125/2022")
    assert [c.value for c in sheet[11]][:5] == ["Kustannuslaji", "Vuosi 2023", "Vuosi 2024", "Vuosi 2025", "Yhteensä"]
    for row in sheet.iter_rows(min_row=12):
        if row[1].value is not None:
            assert all(cell.data_type == "n" for cell in row[1:5])


def test_rolled_up_budget_of_a_pillar_is_empty_when_lines_are_on_the_programme(logged_in, popsote):
    pillar = Node.objects.get(programme__code="POPDIGI2", code="P3")
    response = logged_in.get(reverse("budgets:node", args=[pillar.pk]))
    assert response.context["years"] == []
    assert "ei ole tässä suunnitelmaversiossa" in response.content.decode()


def test_plan_versions_compared_node_by_node(logged_in, popsote):
    response = logged_in.get(reverse("budgets:compare", args=[programme("TSK").pk]), {"a": "plan2020", "b": "plan2021"})
    rows = {row["node"].code: row for row in response.context["rows"]}
    assert (rows["LNP"]["a"], rows["LNP"]["b"], rows["LNP"]["difference"]) == (
        Decimal("1225000.00"),
        Decimal("1228500.00"),
        Decimal("3500.00"),
    )
    # The first slides give the whole programme only as "4,9 M€": words in the plan version's note, no euros.
    assert (rows["TSK"]["a"], rows["TSK"]["b"]) == (None, Decimal("4914000.00"))


def test_budget_overview_by_year_and_funding_source(logged_in, popsote):
    from budgets.models import ActualCost, CostCategory

    measure = Node.objects.get(programme__code="POPDIGI2", code="P4I1-3-M1")
    ActualCost.objects.create(
        node=measure, category=CostCategory.objects.get(key="matkakulut"), month="2023-04-01", amount="1200.00"
    )
    response = logged_in.get(reverse("budgets:overview"), {"source": "eu_rrf", "vuosi": "2023"})
    rows = {row["node"].code: row for row in response.context["rows"]}
    assert {row["node"].programme.code for row in response.context["rows"]} == {"POPDIGI2"}
    assert rows["POPDIGI2"]["usage"].plan == Decimal("6684137.00")
    assert rows["POPDIGI2"]["usage"].actual == Decimal("1200.00")
    assert rows["P4I1"]["usage"].actual == Decimal("1200.00")  # rolled up from the measure
    assert rows["POPDIGI2"]["written"] == Decimal("19083000.00")
    whole = logged_in.get(reverse("budgets:overview"), {"source": "eu_rrf"}).context["rows"][0]
    assert whole["usage"].plan == Decimal("19083000.00")


def test_finance_overview_pages_by_programme(logged_in, popsote, django_assert_num_queries):
    from tests.factories import ProgrammeFactory

    url = reverse("budgets:overview")
    with django_assert_num_queries(13):
        logged_in.get(url)
    for number in range(9):
        ProgrammeFactory(code=f"SIVU{number}", name=f"Sivutettava hanke {number}")
    with django_assert_num_queries(13):
        first = logged_in.get(url, {"source": ""})
    programmes = [row["node"].name for row in first.context["rows"] if row["depth"] == 0]
    assert len(programmes) == 10 and programmes == sorted(programmes)
    # Each programme is followed by its own first level, in the tree's order.
    depths = [row["depth"] for row in first.context["rows"]]
    assert depths[0] == 0 and max(depths) == 1
    html = first.content.decode()
    assert "Hankkeet 1–10 / 12" in html
    assert 'href="?source=&amp;sivu=2"' in html
    second = logged_in.get(url, {"sivu": 2})
    rest = [row["node"].name for row in second.context["rows"] if row["depth"] == 0]
    assert len(rest) == 2 and not set(rest) & set(programmes)


def test_node_pages_show_rakenneuudistus_summary_table_rows(logged_in, popsote):
    """Every sub-project of the summary table shows its total, grant and own funding on its page."""
    from budgets.models import NodeBudget

    budgets = NodeBudget.objects.filter(node__programme__code="RAKENNE", plan__is_current=True, grant__isnull=False)
    assert budgets.count() == 24
    for budget in budgets.select_related("node"):
        response = logged_in.get(budget.node.get_absolute_url())
        shown = next(b for b in response.context["budgets"] if b.plan.is_current)
        assert (shown.total, shown.grant, shown.own_funding) == (budget.total, budget.grant, budget.own_funding)
        html = response.content.decode()
        for amount in (budget.total, budget.grant, budget.own_funding):
            assert format_euros(amount) in html
