"""The STM workbooks opened with openpyxl: real numbers and dates, frozen headers, filters, inert text."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from budgets.models import ActualCost, CostCategory
from portfolio.models import Node
from reports.archive import costs_xlsx
from reports.exporters.xlsx import hankesalkku_workbook
from reports.report_data import hankesalkku_rows, indicator_rows
from reports.selectors import measure_rows
from tests.factories import UserFactory

from .month import popdigi_october

pytestmark = pytest.mark.django_db


def book(content):
    return load_workbook(BytesIO(content))


@pytest.fixture
def october(popsote):
    return popdigi_october(UserFactory(username="hanketoimisto"))


def test_stm_cost_breakdown_reproduces_the_seed_cost_estimate_beside_actual_costs(popsote):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    measure = Node.objects.get(programme=programme, code="P4I1-3-M1")
    ActualCost.objects.create(
        node=measure, category=CostCategory.objects.get(key="matkakulut"), month=date(2023, 5, 1), amount="1200.50"
    )
    sheet = load_workbook(BytesIO(costs_xlsx(programme, date(2026, 10, 31))), data_only=True).active
    assert (sheet["B5"].value, sheet["B6"].value) == ("VN/27125/2022", datetime(2022, 12, 8))
    assert (sheet["A9"].value, sheet["B9"].value) == ("Toteuma päivään", datetime(2026, 10, 31))
    assert sheet["B9"].is_date
    header = [cell.value for cell in sheet[12]]
    assert header == [
        "Kustannuslaji",
        "Suunnitelma 2023",
        "Suunnitelma 2024",
        "Suunnitelma 2025",
        "Suunnitelma yhteensä",
        "Toteuma 2023",
        "Toteuma 2024",
        "Toteuma 2025",
        "Toteuma yhteensä",
    ]
    assert sheet.freeze_panes == "B13"
    plan, actual = {}, {}
    for row in sheet.iter_rows(min_row=13):
        if row[0].value in ("Suunnitelma ja toteuma", "Rahoitus"):
            break
        if row[1].value is None:
            continue
        assert all(cell.data_type == "n" for cell in row[1:9])
        plan[row[0].value.strip()] = [Decimal(str(cell.value)) for cell in row[1:5]]
        actual[row[0].value.strip()] = [Decimal(str(cell.value)) for cell in row[5:9]]
    # Kustannusarvio v 2023-2025 (tests/seeds/ compares every row with the plan's table itself).
    assert plan["Kulut yhteensä"] == [Decimal(x) for x in ("6684137", "8637757", "3761106", "19083000")]
    assert plan["Palvelujen ostot yhteensä"] == [Decimal(x) for x in ("1539800", "1287350", "582850", "3410000")]
    assert plan["Koneet ja kalusto"] == [Decimal(x) for x in ("162800", "267000", "0", "429800")]
    assert len(plan) == 23
    assert actual["Matkakulut"] == [Decimal("1200.5"), 0, 0, Decimal("1200.5")]
    assert actual["Kulut yhteensä"][3] == Decimal("1200.5")
    funding = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=13) if row[0].value}
    assert Decimal(str(funding["Suunnitelma (kustannuslajeista)"])) == Decimal("19083000")
    assert Decimal(str(funding["Toteuma"])) == Decimal("1200.5")
    assert Decimal(str(funding["Jäljellä"])) == Decimal("19083000") - Decimal("1200.5")
    assert Decimal(str(funding["Myönnetty valtionavustus"])) == Decimal("19083000")
    assert Decimal(str(funding["Valtionavustus (suunnitelman kuluista)"])) == Decimal("19083000")
    assert Decimal(str(funding["Omarahoitus (suunnitelman kuluista)"])) == 0


def test_hankesalkku_workbook_has_a_row_per_sub_project_and_measure(october):
    rows, state = hankesalkku_rows(october)
    sheet = book(hankesalkku_workbook("Hankesalkku", rows)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{len(rows) + 1}"
    assert sheet.column_dimensions["D"].width == 40
    table = {(r[2].value, r[4].value or ""): r for r in sheet.iter_rows(min_row=2)}
    dental = table[("P4I1-3", "")]
    assert dental[0].value == datetime(2026, 10, 1)
    assert dental[0].is_date
    assert [c.value for c in dental[5:12]] == [
        "Hyväksytty",
        None,
        "Punainen",
        "Keltainen",
        "Vihreä",
        "Vihreä",
        "Vihreä",
    ]
    assert dental[13].value == "Monihuonemalli kuvattiin ja koulutettiin 12 hammashoitajaa."
    assert dental[15].value == "Ohjausryhmä päättää 45 000 € siirrosta investointeihin."
    assert dental[17].value == 2
    measure = table[("P4I1-3-M1", "Moniammatillinen monihuone vastaanottomalli ja liikkuvat yksiköt")]
    assert measure[5].value == "Viivästynyt"
    assert measure[6].value == 40
    assert measure[6].data_type == "n"
    assert table[("P3-1", "")][5].value == "Ei hyväksyttyä tilannekatsausta"
    assert len(state["updates"]) == 2


def test_text_that_looks_like_a_formula_is_stored_as_inert_text():
    row = {
        "month": date(2026, 10, 1),
        "programme": "=1+1",
        "code": "+358401234567",
        "subproject": "-2",
        "measure": "@SUM(A1:A2)",
        "status": '=HYPERLINK("http://x")',
        "percent": 5,
        **dict.fromkeys(("overall", "schedule", "budget", "scope", "resources"), "Vihreä"),
        "reasons": "",
        "done": "=cmd|' /C calc'!A0",
        "next_steps": "",
        "decisions": "",
        "approved": None,
        "revision": 1,
    }
    sheet = book(hankesalkku_workbook("Koe", [row])).active
    cells = [sheet[f"{column}2"] for column in "BCDEFN"]
    assert [cell.data_type for cell in cells] == ["s"] * 6
    assert [cell.value for cell in cells] == [
        "'=1+1",
        "'+358401234567",
        "'-2",
        "'@SUM(A1:A2)",
        '\'=HYPERLINK("http://x")',
        "'=cmd|' /C calc'!A0",
    ]


def test_measures_list_carries_the_period_status_and_budget(october):
    from reports.exporters.xlsx import measures_workbook

    programme = october.programme
    sheet = book(measures_workbook("Toimenpiteet", measure_rows(programme, october))).active
    assert [c.value for c in sheet[1]][-3:] == ["Budjetti (€)", "Tila", "Valmiusaste (%)"]
    rows = {r[2].value: r for r in sheet.iter_rows(min_row=2)}
    assert len(rows) == 44
    dental = rows["P4I1-3-M1"]
    assert Decimal(str(dental[8].value)) == Decimal("614800")
    assert (dental[9].value, dental[10].value) == ("Viivästynyt", 40)
    assert dental[5].value == "Päivi Peltokorpi, Päivi Harju"
    assert rows["P4I1-2-M1"][9].value is None


def test_indicators_workbook_has_targets_and_measurements(october):
    from reports.exporters.xlsx import indicators_workbook

    workbook = book(indicators_workbook("Indikaattorit", *indicator_rows(october.programme, october.last_day)))
    assert workbook.sheetnames == ["Indikaattorit", "Tavoitteet", "Mittaukset"]
    indicators = {r[2].value: r for r in workbook["Indikaattorit"].iter_rows(min_row=2)}
    access = indicators["7 vrk hoitoon pääsy kiireettömissä hoidon käynneissä"]
    assert Decimal(str(access[7].value)) == Decimal("80")
    assert access[8].value == datetime(2025, 12, 31)
    assert Decimal(str(access[9].value)) == Decimal("72.5")
    assert access[10].value == datetime(2026, 10, 1)
    remote = [r for r in workbook["Tavoitteet"].iter_rows(min_row=2, values_only=True) if r[0].startswith("Etänä")]
    assert [(r[1], r[2], Decimal(str(r[4])), r[5]) for r in remote] == [
        (2023, 4, Decimal("30"), "kyllä"),
        (2025, 4, Decimal("35"), "ei"),
    ]
    measured = list(workbook["Mittaukset"].iter_rows(min_row=2, values_only=True))
    assert len(measured) == 1
    assert measured[0][1] == "Kiireettömän hoidon toteutuminen hoitotakuun määräajassa suunterveydenhuollossa"
    assert measured[0][4] == "Pohteen seuranta"
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
