"""The seeds' national indicators, risk table and milestones are loaded and shown."""

import re
from decimal import Decimal
from pathlib import Path

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


def _seed_text(number):
    path = next((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob(f"{number}_*.txt"))
    # A word broken at a hyphen over two lines ("loka-⏎joulukuu") is one word.
    return " ".join(re.sub(r"-[ \t]*\n\s*", "-", path.read_text(encoding="utf-8")).split())


def test_the_seeds_status_review_is_the_approved_updates_of_period_1_2021(popsote):
    from datetime import date

    from reports.models import ReportingPeriod, StatusUpdate

    periods = ReportingPeriod.objects.filter(month=date(2021, 1, 1)).order_by("programme__code")
    assert [(p.programme.code, p.status) for p in periods] == [("RAKENNE", "closed"), ("TSK", "closed")]
    updates = StatusUpdate.objects.filter(period__in=periods).select_related("node")
    assert sorted(u.node.code for u in updates) == sorted(
        ["IKA", "HT", "LNP", "MIPA", "OA2-TKIO", "OA4-OT", "OA2-ENSI", "OA2-HYTE"]
    )
    assert {u.status for u in updates} == {"approved"} and {u.created_by for u in updates} == {None}
    hyte = updates.get(node__code="OA2-HYTE")
    assert hyte.source == "Hankkeen tilannekatsaus, esittäjä Katja Vähäkuopus"
    assert "Oulunkaaren alueella toimii yksi hyte-asiantuntija." in hyte.done
    seed = _seed_text("004")
    sentences = [
        line.strip("• ").split(":")[-1].strip().split(";")[0].strip()
        for update in updates
        for line in (update.done + "\n" + update.next_steps).splitlines()
    ]
    # Every line is the seed's own words (bullets and line breaks aside).
    assert [s for s in sentences if len(s) > 30 and "(" not in s and s not in seed] == []
