"""The seeds' national indicators, risk table and milestones are loaded and shown."""

from decimal import Decimal

import pytest

from indicators.models import Indicator
from milestones.models import Milestone
from portfolio.models import Node, Risk

pytestmark = pytest.mark.django_db


def targets(name_start):
    indicator = Indicator.objects.get(name__startswith=name_start)
    return [(t.value, t.year, t.quarter, t.is_interim) for t in indicator.targets.all()]


def test_national_indicators_with_their_targets(popsote):
    assert targets("7 vrk hoitoon pääsy") == [(Decimal("80.00"), 2025, 4, False)]
    assert targets("Toimenpiteiden laajentaminen viidelle") == [(Decimal("5.00"), 2024, 4, False)]
    assert targets("Hoitotakuun kansallinen ajantasainen seuranta") == [(Decimal("100.00"), 2025, 4, False)]
    remote = Indicator.objects.get(text__contains="35 % kontakteista")
    assert [(t.value, t.year, t.quarter, t.is_interim) for t in remote.targets.all()] == [
        (Decimal("30.00"), 2023, 4, True),
        (Decimal("35.00"), 2025, 4, False),
    ]
    assert remote.national and remote.node.code == "P4I4"


def test_the_seeds_risk_table(popsote):
    risks = Risk.objects.filter(node__code="TSK", node__parent=None)
    assert list(risks.values_list("category", flat=True)) == [
        "goal",
        "competence",
        "ethical",
        "schedule",
        "network",
        "financial",
        "national_reform",
    ]
    schedule = risks.get(category="schedule")
    assert schedule.description == "Hankkeen toimenpiteet eivät toteudu aikataulussa"
    assert schedule.mitigation.startswith("Hankkeen alussa tehdään tarkennettu työsuunnitelma")


def test_milestones_of_the_ot_keskus(popsote):
    dates = list(Milestone.objects.filter(node__programme__code="RAKENNE").values_list("planned_date", flat=True))
    assert len(dates) == 7
    assert dates[0].isoformat() == "2020-10-01"


def test_node_page_shows_indicators_risks_and_milestones(logged_in, popsote):
    html = logged_in.get(Node.objects.get(code="P4I4", programme__code="POPDIGI2").get_absolute_url()).content.decode()
    assert "Indikaattorit" in html and "välitavoite 30\xa0% Q4/2023; 35\xa0% Q4/2025" in html
    tsk = logged_in.get(Node.objects.get(code="TSK", parent=None).get_absolute_url()).content.decode()
    assert "Riskit ja niihin varautuminen" in tsk and "Aikatauluriskit" in tsk
