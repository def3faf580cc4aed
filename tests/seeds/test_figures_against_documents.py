"""The loaded figures against the documents' own tables, parsed from the documents."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import NodeBudget
from portfolio.extensions import add_figures
from portfolio.models import Node
from portfolio.tree import preorder
from reports.models import StatusUpdate

from .documents import document, raw, squeeze

pytestmark = [pytest.mark.django_db, pytest.mark.seeds]

AMOUNT = r"(\d{1,3}(?: \d{3})+)"
# The plan misspells one name in one cell; the fixture records the person once, correctly.
TYPOS = {"Sudqvist": "Sundqvist"}


def euros(text):
    return Decimal(text.replace(" ", ""))


def test_rakenneuudistus_every_row_of_the_budget_table_is_loaded(popsote):
    """The summary table (total, grant, own per sub-project) against the loaded current plan."""
    text = raw("yhteenveto")
    table = text[text.index("Osahankekokonaisuus") : text.index("KAIKKI YHTEENSÄ") + 60]
    rows = sorted(
        tuple(euros(amount) for amount in match)
        for match in re.findall(rf"{AMOUNT}\s+{AMOUNT}\s+{AMOUNT}\s*$", table, flags=re.MULTILINE)
    )
    loaded = sorted(
        (row.total, row.grant, row.own_funding)
        for row in NodeBudget.objects.filter(
            node__programme__code="RAKENNE", plan__is_current=True, grant__isnull=False
        )
    )
    assert len(rows) == 24
    assert loaded == rows


def _squeeze_names(text):
    for wrong, right in TYPOS.items():
        text = text.replace(wrong, right)
    return re.sub(r"[\s\-–]|<[^>]+>", "", text)


def measure_rows():
    """(budget, persons cell) of every row of the POP-Digi measure tables, in the plan's order."""
    rows = []
    for line in raw("popdigi2").splitlines():
        cells = line.split("\t")
        if len(cells) != 4 or cells[0] == "Toimenpide":
            continue
        amount = re.search(r"([\d ]+) €", cells[2])
        rows.append((Decimal(amount.group(1).replace(" ", "")) if amount else None, cells[3]))
    return rows


def test_popdigi_every_measure_budget_and_responsible_persons_match_the_tables(popsote):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    nodes = add_figures(Node.objects.filter(programme=programme).prefetch_related("responsibilities__person"))
    measures = [node for node, _depth in preorder(nodes) if node.is_measure]
    rows = measure_rows()
    assert len(measures) == len(rows) == 44
    for measure, (amount, persons_cell) in zip(measures, rows, strict=True):
        assert measure.budget == amount, measure.name
        names = [r.person.name for r in measure.responsibilities.all()]
        assert bool(names) == bool(persons_cell.strip()), measure.name
        remaining = _squeeze_names(persons_cell)
        for name in names:
            assert _squeeze_names(name) in remaining, (measure.name, name)
            remaining = remaining[remaining.index(_squeeze_names(name)) + len(_squeeze_names(name)) :]


def cost_estimate():
    """{label: [2023, 2024, 2025, total]} from the plan's "Kustannusarvio v 2023-2025" table."""
    text = raw("popdigi2")
    table = text[text.index("\tVuosi 2023\tVuosi 2024") :].split("\n\n")[0].splitlines()[1:]
    rows = {}
    for line in table:
        label, *cells = line.split("\t")
        if any(cell.strip() for cell in cells):
            rows[label.strip()] = [Decimal(cell.replace(" ", "")) for cell in cells]
    return rows


def test_cost_estimate_page_reproduces_the_plans_table(logged_in, popsote):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    response = logged_in.get(reverse("budgets:node", args=[programme.pk]))
    shown = {row.label: [*row.amounts.values(), row.total] for row in response.context["rows"] if row.kind != "heading"}
    assert len(cost_estimate()) == 23
    assert shown == cost_estimate()


def test_stm_workbook_holds_the_plans_numbers(logged_in, popsote):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    content = logged_in.get(reverse("budgets:node_xlsx", args=[programme.pk])).content
    sheet = load_workbook(BytesIO(content), data_only=True).active  # the formulas' stored values
    found = {}
    for row in sheet.iter_rows(min_row=12):
        if row[1].value is not None:
            found[row[0].value.strip()] = [Decimal(str(cell.value)) for cell in row[1:5]]
    assert found == cost_estimate()


def test_stm_cost_breakdown_holds_the_plans_table_beside_actual_costs(popsote):
    from datetime import date

    from reports.archive import costs_xlsx

    programme = Node.objects.get(code="POPDIGI2", parent=None)
    sheet = load_workbook(BytesIO(costs_xlsx(programme, date(2026, 10, 31))), data_only=True).active
    plan = {}
    for row in sheet.iter_rows(min_row=13):
        if row[0].value in ("Suunnitelma ja toteuma", "Rahoitus"):
            break
        if row[1].value is not None:
            plan[row[0].value.strip()] = [Decimal(str(cell.value)) for cell in row[1:5]]
    assert plan == cost_estimate()


def test_the_status_review_is_loaded_slide_by_slide_in_its_own_words(popsote):
    reviews = StatusUpdate.objects.filter(status=StatusUpdate.Status.IMPORTED).select_related("node")
    assert sorted(r.node.code for r in reviews) == sorted(
        ["IKA", "HT", "LNP", "MIPA", "OA2-TKIO", "OA4-OT", "OA2-ENSI", "OA2-HYTE", "OA3-DIGI"]
    )
    text = document("oulunkaari")
    for review in reviews:
        assert squeeze(review.source_section.split(";")[0]) in text, review
        for line in review.done.splitlines():
            assert squeeze(line) in text, (review.node.code, line)
