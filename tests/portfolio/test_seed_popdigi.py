"""POP-Digi-Hoitotakuu 2 as loaded reproduces its Tarkennettu hankesuunnitelma's figures."""

from decimal import Decimal

import pytest

from budgets.models import NodeBudget
from portfolio.models import FundingDecision, Node

pytestmark = pytest.mark.django_db


def budget(code, programme="POPDIGI2"):
    return NodeBudget.objects.get(node__code=code, node__programme__code=programme, plan__is_current=True).total


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
