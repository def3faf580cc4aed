"""The rules several pages share, at their boundaries: one decision each, the same answer everywhere."""

from datetime import date
from decimal import Decimal

import pytest

from budgets.models import ActualCost, CostCategory
from milestones.models import Milestone, is_late
from popsote.months import add_months, last_day, months_between
from portfolio.models import Node
from reports.models import Light, ReportingPeriod
from reports.report_data import monthly_report_rows
from reports.selectors import budget_light, budget_proposal, late_milestones, schedule_proposal

pytestmark = pytest.mark.django_db

FEBRUARY = date(2021, 2, 1)


@pytest.fixture
def lnp(popsote):
    return Node.objects.select_related("programme").get(programme__code="TSK", code="LNP")


@pytest.fixture
def period(lnp):
    # February 2021 is the month of the Oulunkaari review: the seed has the period already.
    return ReportingPeriod.objects.get_or_create(
        programme=lnp.programme, month=FEBRUARY, defaults={"deadline": date(2021, 3, 5)}
    )[0]


def test_a_milestone_due_on_the_periods_last_day_is_late_on_every_page(lnp, period):
    due = Milestone.objects.create(node=lnp, name="Palvelukartta valmis", planned_date=date(2021, 2, 28))
    Milestone.objects.create(node=lnp, name="Seuraavan kuun tavoite", planned_date=date(2021, 3, 1))
    Milestone.objects.create(
        node=lnp, name="Saavutettu", planned_date=date(2021, 2, 1), status=Milestone.Status.ACHIEVED
    )
    assert [m.name for m in late_milestones(lnp.programme, period.last_day)] == ["Palvelukartta valmis"]
    report = monthly_report_rows(period)
    unit = next(unit for unit in report["units"] if unit["code"] == "LNP")
    assert [(row["name"], row["late"]) for row in unit["milestones"]] == [
        ("Saavutettu", False),
        ("Palvelukartta valmis", True),
        ("Seuraavan kuun tavoite", False),
    ]
    proposal = schedule_proposal(lnp, period)
    assert proposal.light == Light.YELLOW
    assert proposal.reason == "1 välitavoite myöhässä, vanhin 0 päivää."
    assert due.is_late(date(2021, 2, 27)) is False
    assert not Milestone.objects.late(date(2021, 2, 27)).filter(node=lnp).exists()


@pytest.mark.parametrize(
    ("status", "planned", "late"),
    [
        (Milestone.Status.PLANNED, date(2021, 2, 28), True),
        (Milestone.Status.PLANNED, date(2021, 3, 1), False),
        (Milestone.Status.PLANNED, None, False),
        (Milestone.Status.LATE, date(2021, 6, 1), True),
        (Milestone.Status.ACHIEVED, date(2021, 1, 1), False),
        (Milestone.Status.CANCELLED, date(2021, 1, 1), False),
    ],
)
def test_the_python_and_sql_late_rules_agree(lnp, status, planned, late):
    milestone = Milestone.objects.create(node=lnp, name="x", planned_date=planned, status=status)
    as_of = date(2021, 2, 28)
    assert is_late(status, planned, as_of) is late
    assert Milestone.objects.late(as_of).filter(pk=milestone.pk).exists() is late


@pytest.mark.parametrize(
    ("actual", "light"),
    [
        ("850.00", Light.GREEN),  # 15 % under: still green
        ("1150.00", Light.GREEN),  # 15 % over
        ("1150.01", Light.YELLOW),
        ("849.99", Light.YELLOW),
        ("700.00", Light.YELLOW),  # 30 %: still yellow
        ("1300.00", Light.YELLOW),
        ("1300.01", Light.RED),
        ("699.99", Light.RED),
    ],
)
def test_budget_light_thresholds(actual, light):
    assert budget_light(Decimal(actual), Decimal("1000.00")) == light


def test_budget_proposal_compares_spend_with_the_written_plan_to_date(lnp, period):
    assert budget_proposal(lnp, period) is None  # no actual costs in the programme yet: the ledger is not in use
    start = lnp.start or lnp.programme.start
    end = lnp.end or lnp.programme.end
    planned = (Decimal("1228500") * months_between(start, FEBRUARY) / months_between(start, end)).quantize(
        Decimal("0.01")
    )
    ActualCost.objects.create(
        node=lnp, category=CostCategory.objects.get(key="henkilostokulut"), month=FEBRUARY, amount=planned * 2
    )
    proposal = budget_proposal(lnp, period)
    assert proposal.light == Light.RED
    assert proposal.reason.endswith("(200 %).")


def test_month_arithmetic():
    assert add_months(date(2021, 12, 1), 1) == date(2022, 1, 1)
    assert add_months(date(2021, 1, 1), -1) == date(2020, 12, 1)
    assert last_day(date(2024, 2, 1)) == date(2024, 2, 29)
    assert last_day(date(9999, 12, 1)) == date(9999, 12, 31)
    assert months_between(date(2020, 7, 1), date(2021, 12, 31)) == 18
    assert months_between(date(2021, 1, 1), date(2020, 12, 1)) == 0
