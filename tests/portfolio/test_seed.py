"""load_popsote: the loaded portfolio reproduces the seeds' figures, exactly and idempotently."""

from decimal import Decimal

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import NodeBudget
from popsote.seed import SeedError, seed_directory, seed_load
from portfolio.models import Node

pytestmark = pytest.mark.django_db


def budget(programme, code, plan=None):
    budgets = NodeBudget.objects.filter(node__programme__code=programme, node__code=code)
    budgets = budgets.filter(plan__key=plan) if plan else budgets.filter(plan__is_current=True)
    return budgets.get()


def row_counts():
    ours = {"portfolio", "budgets", "milestones", "reports"}
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in ours}


def test_every_programme_total(popsote):
    assert budget("POPDIGI2", "POPDIGI2").total == Decimal("19083000.00")
    assert budget("RAKENNE", "RAKENNE").total == Decimal("15679000.00")
    assert budget("TSK", "TSK").total == Decimal("4914000.00")


def test_rakenneuudistus_total_is_grant_plus_own_funding(popsote):
    total = budget("RAKENNE", "RAKENNE")
    assert (total.total, total.grant, total.own_funding) == (
        Decimal("15679000.00"),
        Decimal("12543200.00"),
        Decimal("3135800.00"),
    )


@pytest.mark.parametrize(
    ("code", "total", "grant", "own"),
    [
        ("OA1", "2194000", "1755200", "438800"),
        ("OA2", "5037000", "4029600", "1007400"),
        ("OA3", "7792000", "6233600", "1558400"),
        ("OA4", "656000", "524800", "131200"),
    ],
)
def test_rakenneuudistus_every_osa_alue(popsote, code, total, grant, own):
    row = budget("RAKENNE", code)
    assert (row.total, row.grant, row.own_funding) == (Decimal(total), Decimal(grant), Decimal(own))


def test_osa_alue_4_partner_share(popsote):
    partners = Node.objects.get(programme__code="RAKENNE", code="OA4").partners.all()
    assert Decimal("371000.00") in {partner.share for partner in partners}


@pytest.mark.parametrize("code", ["LNP", "MIPA", "IKA", "HT"])
def test_tulevaisuuden_sote_keskus_both_plan_versions_of_each_development_programme(popsote, code):
    assert budget("TSK", code, "plan2020").total == Decimal("1225000.00")
    assert budget("TSK", code, "plan2021").total == Decimal("1228500.00")
    assert budget("TSK", code).plan.key == "plan2021"


def test_tulevaisuuden_sote_keskus_supplementary_phase_budget(popsote):
    assert budget("TSK", "TSK", "taydennyshaku2021").total == Decimal("9900205.00")


def test_overview_shows_the_tulevaisuuden_sote_keskus_disagreement(logged_in, popsote):
    """Four programmes of 1 228 500 € and kuntoutus' 60 000 € exceed the written 4 914 000 €."""
    response = logged_in.get(reverse("portfolio:overview"))
    row = next(row for row in response.context["rows"] if row.node.code == "TSK")
    assert row.children_sum == Decimal("4974000.00")
    assert row.difference == Decimal("-60000.00")
    assert "−60\xa0000\xa0€" in response.content.decode()


def test_every_measure_has_the_budget_and_persons_of_its_fixture(popsote):
    for path in seed_directory().glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        programme = data["programme"]["code"]
        current = next(p["key"] for p in data["programme"]["plan_versions"] if p.get("current"))
        stack = list(data["programme"].get("children") or [])
        checked = 0
        while stack:
            item = stack.pop()
            stack.extend(item.get("children") or [])
            if item["kind"] != "measure":
                continue
            node = Node.objects.get(programme__code=programme, code=item["code"])
            expected = [b["total"] for b in item.get("budgets") or [] if b["plan"] == current]
            loaded = [str(b.total) for b in node.budgets.filter(plan__is_current=True)]
            assert loaded == [str(Decimal(str(total)).quantize(Decimal("0.01"))) for total in expected]
            assert [r.person.name for r in node.responsibilities.all()] == [
                r["person"] for r in item.get("responsibilities") or []
            ]
            checked += 1
        assert checked > 0, programme


def test_loading_twice_changes_nothing(popsote):
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        assert seed_load() == {}
    assert row_counts() == before
    # Each table is read once, not once per row (the plans hold over 1 200 rows, each with a source document).
    assert len(queries) < 200, len(queries)


def test_load_popsote_command_says_nothing_changed(popsote, capsys):
    call_command("load_popsote")
    assert "ajan tasalla" in capsys.readouterr().out


def test_a_bad_seed_file_loads_nothing(popsote, tmp_path):
    good = yaml.safe_load((seed_directory() / "pop_digi_hoitotakuu_2.yaml").read_text(encoding="utf-8"))
    good["programme"]["code"] = "UUSI"
    good["budget_lines"] = []
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(good, allow_unicode=True), encoding="utf-8")
    bad = {"programme": {**good["programme"], "code": "RIKKI"}}
    bad["programme"]["children"] = [
        {"code": "X", "kind": "measure", "name": "X", "responsibilities": [{"person": "Ei Ketään"}]}
    ]
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    before = row_counts()
    with pytest.raises(SeedError, match="tuntematon henkilö 'Ei Ketään'"):
        seed_load(directory=tmp_path)
    assert row_counts() == before
    assert not Node.objects.filter(code="UUSI").exists()
