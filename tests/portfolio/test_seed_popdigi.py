"""POP-Digi-Hoitotakuu 2 as loaded reproduces seed 002 (checked against the seed's own text)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from budgets.models import NodeBudget
from portfolio.extensions import add_figures
from portfolio.models import FundingDecision, Node
from portfolio.tree import preorder

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "002_acc8a2419448e594.txt"
# The seed misspells one name in one cell; the fixture records the person once, correctly.
SEED_TYPOS = {"Sudqvist": "Sundqvist"}


def budget(code, programme="POPDIGI2"):
    return NodeBudget.objects.get(node__code=code, node__programme__code=programme, plan__is_current=True).total


def squeeze(text):
    for wrong, right in SEED_TYPOS.items():
        text = text.replace(wrong, right)
    return re.sub(r"[\s\-–]|<[^>]+>", "", text)


def seed_measure_rows():
    """(budget, persons cell) of every row of the seed's measure tables, in the seed's order."""
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) != 4 or cells[0] == "Toimenpide":
            continue
        amount = re.search(r"([\d ]+) €", cells[2])
        rows.append((Decimal(amount.group(1).replace(" ", "")) if amount else None, cells[3]))
    return rows


def test_programme_and_funding_decision(popsote):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    assert budget("POPDIGI2") == Decimal("19083000.00")
    decision = programme.funding_decisions.get()
    assert decision.number == "VN/27125/2022"
    assert decision.date.isoformat() == "2022-12-08"
    assert decision.amount == Decimal("19083000.00")
    assert decision.grant_rate == Decimal("100.00")
    assert decision.source == FundingDecision.Source.EU_RRF
    assert decision.funder.key == "stm"


@pytest.mark.parametrize(
    ("code", "amount"),
    [("P3", "940000"), ("P4I1", "9414000"), ("P4I2", "1979000"), ("P4I3", "1217000"), ("P4I4", "5533000")],
)
def test_every_pillar_budget(popsote, code, amount):
    assert budget(code) == Decimal(amount)


def test_every_measure_budget_and_responsible_persons_match_the_seed_tables(popsote):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    nodes = add_figures(Node.objects.filter(programme=programme).prefetch_related("responsibilities__person"))
    measures = [node for node, _depth in preorder(nodes) if node.is_measure]
    rows = seed_measure_rows()
    assert len(measures) == len(rows) == 44
    for measure, (amount, persons_cell) in zip(measures, rows, strict=True):
        assert measure.budget == amount, measure.name
        names = [r.person.name for r in measure.responsibilities.all()]
        assert bool(names) == bool(persons_cell.strip()), measure.name
        remaining = squeeze(persons_cell)
        for name in names:
            assert squeeze(name) in remaining, (measure.name, name)
            remaining = remaining[remaining.index(squeeze(name)) + len(squeeze(name)) :]


def test_measure_tasks_are_the_numbered_items_in_order(popsote):
    measure = Node.objects.get(name="Moniammatillinen monihuone vastaanottomalli ja liikkuvat yksiköt")
    tasks = list(measure.tasks.values_list("text", flat=True))
    assert len(tasks) == 2
    assert tasks[0].startswith("Kehitetään moniammatillinen monihuone -vastaanottomalli")
    assert tasks[1].startswith("Otetaan käyttöön liikuteltavat hammashoitoyksiköt")


def test_phases_are_loaded(popsote):
    phases = list(Node.objects.get(code="POPDIGI2", parent=None).phases.values_list("start", "end"))
    assert phases[0][0].isoformat() == "2023-01-01"
    assert phases[0][1].isoformat() == "2023-04-30"
