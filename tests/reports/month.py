"""One month of monthly reporting on top of the seeded POP-Digi-Hoitotakuu 2, written with the ORM.

October 2026 is closed; "Kiireettömän hoidon toteutuminen…" (P4I1-3) went from green in September to
red, with a measure, a risk, a late and an achieved milestone, an indicator value and actual costs;
"Paljon palveluita käyttävien…" (P4I1-2) is green; every other sub-project has no approved update.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from budgets.models import ActualCost, CostCategory
from indicators.models import Indicator, Measurement
from milestones.models import Milestone
from portfolio.models import Node, Risk
from reports.models import (
    Light,
    MeasureReport,
    MilestoneReport,
    ReportingPeriod,
    RiskReport,
    StatusUpdate,
)
from tests.factories import (
    MeasureFactory,
    NodeBudgetFactory,
    NodeFactory,
    PlanVersionFactory,
    ProgrammeFactory,
    ResponsibilityFactory,
    TaskFactory,
)

OCTOBER = date(2026, 10, 1)
SEPTEMBER = date(2026, 9, 1)


def period(programme, month, closed=True):
    return ReportingPeriod.objects.create(
        programme=programme,
        month=month,
        deadline=month.replace(day=10),
        status=ReportingPeriod.Status.CLOSED if closed else ReportingPeriod.Status.OPEN,
        closed_at=timezone.now() if closed else None,
    )


def draft(period, node, user, revision=1, **fields):
    return StatusUpdate.objects.create(period=period, node=node, revision=revision, created_by=user, **fields)


def approve(*updates):
    """Approve drafts once their rows are written (rows of an approved update are locked)."""
    StatusUpdate.objects.filter(pk__in=[u.pk for u in updates]).update(
        status=StatusUpdate.Status.APPROVED, decided_at=timezone.now()
    )


def approved(period, node, user, revision=1, **fields):
    update = draft(period, node, user, revision, **fields)
    approve(update)
    return update


def popdigi_october(user):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    units = {n.code: n for n in Node.objects.filter(programme=programme, code__in=["P4I1-2", "P4I1-3"])}
    dental, many = units["P4I1-3"], units["P4I1-2"]
    measure = Node.objects.get(programme=programme, code="P4I1-3-M1")
    staff = CostCategory.objects.get(key="henkilostokulut")

    september = period(programme, SEPTEMBER)
    risk_old = Risk.objects.create(node=dental, title="Hammashoitajien saatavuus", likelihood=3, impact=3)
    risk_new = Risk.objects.create(node=dental, title="Liikkuvan yksikön toimitus viivästyy", likelihood=4, impact=5)
    late = Milestone.objects.create(
        node=dental, name="Liikkuva hammashoitoyksikkö käytössä", planned_date=date(2026, 10, 15)
    )
    reached = Milestone.objects.create(node=dental, name="Monihuonemalli kuvattu", planned_date=date(2026, 10, 20))
    before = draft(september, dental, user, done="Syyskuun työ.")
    RiskReport.objects.create(update=before, risk=risk_old, likelihood=3, impact=3, status=Risk.Status.OPEN)
    MilestoneReport.objects.create(update=before, milestone=reached, status=Milestone.Status.PLANNED)

    october = period(programme, OCTOBER)
    # An older approved revision of the same month: the report must use revision 2.
    approved(october, dental, user, revision=1, done="Vanha versio, ei raporttiin.")
    update = draft(
        october,
        dental,
        user,
        revision=2,
        overall=Light.RED,
        overall_reason="Liikkuvan yksikön hankinta keskeytyi valitukseen.",
        schedule=Light.YELLOW,
        schedule_reason="Käyttöönotto siirtyy kaksi kuukautta.",
        done="Monihuonemalli kuvattiin ja koulutettiin 12 hammashoitajaa.",
        next_steps="Uusi kilpailutus marraskuussa.",
        decisions="Ohjausryhmä päättää 45 000 € siirrosta investointeihin.",
    )
    MeasureReport.objects.create(
        update=update, measure=measure, status=MeasureReport.Status.DELAYED, percent=40, note="Kontti tilattu."
    )
    RiskReport.objects.create(update=update, risk=risk_old, likelihood=3, impact=3, status=Risk.Status.CLOSED)
    RiskReport.objects.create(
        update=update, risk=risk_new, likelihood=4, impact=5, status=Risk.Status.OPEN, mitigation="Varatoimittaja."
    )
    MilestoneReport.objects.create(update=update, milestone=late, status=Milestone.Status.PLANNED)
    MilestoneReport.objects.create(
        update=update, milestone=reached, status=Milestone.Status.ACHIEVED, actual_date=date(2026, 10, 12)
    )
    indicator = Indicator.objects.get(node__code="P4I1", name__startswith="7 vrk")
    Measurement.objects.create(
        indicator=indicator, update=update, month=OCTOBER, value=Decimal("72.50"), source="Pohteen seuranta"
    )
    ActualCost.objects.create(node=measure, category=staff, month=SEPTEMBER, amount=Decimal("1000.00"))
    ActualCost.objects.create(node=measure, category=staff, month=OCTOBER, amount=Decimal("12345.67"))
    approve(before, update)
    approved(october, many, user, done="Omalääkärimalli laajeni Oulunkaarelle.")
    return october


FEBRUARY_2021 = date(2021, 2, 1)
# The seeded Tulevaisuuden sote-keskus has this many reporting units besides LNP (pinned once here;
# tests count them from Node.objects.reporting_units()).
SEEDED_TSK_UNITS_WITHOUT_AN_UPDATE = 5
TSK_DECISION = {"number": "STM/2563/2020", "amount": Decimal("4914000.00")}


def tsk_february(user):
    """Period 2/2021 of Tulevaisuuden sote-keskus with one approved update (LNP, yellow) after the seeded 1/2021.

    The seeds give no number or amount for the programme's funding decision; the office would type them,
    so this month records them (``TSK_DECISION``, made up for the test).
    """
    programme = Node.objects.get(code="TSK", parent=None)
    programme.funding_decisions.update(**TSK_DECISION)
    # The seeds' own 2/2021 (the imported Oulunkaari review) is already there; the month is closed.
    february = ReportingPeriod.objects.get(programme=programme, month=FEBRUARY_2021)
    lnp = Node.objects.get(programme=programme, code="LNP")
    revision = 1 + StatusUpdate.objects.filter(period=february, node=lnp).count()  # after the imported review
    approved(
        february,
        lnp,
        user,
        revision=revision,
        overall=Light.YELLOW,
        overall_reason="Perhekeskuksen rekrytointi viivästyi kuukaudella.",
        done="Perhekeskusmalli otettiin käyttöön kahdessa kunnassa.",
        next_steps="Asiakaskyselyn valmistelu.",
        decisions="Hyväksytään LAPE-työryhmän kokoonpano.",
    )
    return february


def small_programme():
    programme = ProgrammeFactory(code="KOE", name="Koehanke", short_name="Koe")
    PlanVersionFactory(programme=programme)
    area = NodeFactory(parent=programme, code="KOE-1", name="Osa-alue 1")
    measure = MeasureFactory(parent=area, code="KOE-1-M1", name="Hoidon jatkuvuusmallin implementointi")
    NodeBudgetFactory(node=measure, total="2692332.00")
    TaskFactory(node=measure, text="Jalkautetaan malli", position=0)
    TaskFactory(node=measure, text='=HYPERLINK("http://x")', position=1)
    ResponsibilityFactory(node=measure, person__name="Päivi Peltokorpi", position=0)
    ResponsibilityFactory(node=measure, person__name="Hannele Koski", position=1)
    return programme
