"""A month of approved status updates made up for every sub-project: for the benchmark and trying reports out.

Never used by the application itself; the rows are written straight with the ORM.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from budgets.models import ActualCost, BudgetLine
from portfolio.models import Node

from .models import Light, MeasureReport, ReportingPeriod, StatusUpdate

LIGHTS = [Light.GREEN, Light.GREEN, Light.YELLOW, Light.GREEN, Light.RED]


def sample_month(programme, month, user, *, closed=True, every_decision=False):
    """A reporting period of ``programme`` for ``month`` with an approved update from every sub-project; with
    ``every_decision`` each asks the steering group to decide something (by default only the red ones do)."""
    period = ReportingPeriod.objects.create(
        programme=programme,
        month=month,
        deadline=month + timedelta(days=40),
        status=ReportingPeriod.Status.CLOSED if closed else ReportingPeriod.Status.OPEN,
        closed_at=timezone.now() if closed else None,
    )
    units = list(Node.objects.filter(programme=programme).reporting_units())
    measures = {}
    for measure in Node.objects.filter(programme=programme, kind=Node.Kind.MEASURE, archived_at__isnull=True):
        measures.setdefault(measure.parent_id, []).append(measure)
    category = BudgetLine.objects.filter(plan__programme=programme).values_list("category", flat=True).first()
    for index, unit in enumerate(units):
        light = LIGHTS[index % len(LIGHTS)]
        reason = "" if light == Light.GREEN else "Rekrytointi viivästyi kaksi kuukautta."
        update = StatusUpdate.objects.create(
            period=period,
            node=unit,
            status=StatusUpdate.Status.APPROVED,
            overall=light,
            overall_reason=reason,
            schedule=light,
            schedule_reason=reason,
            done="Toimintamallin pilotti käynnistyi kahdessa sote-keskuksessa.\nKoulutettiin 40 ammattilaista.",
            next_steps="Pilotin arviointi ja laajentaminen uusille alueille.",
            decisions=(
                f"Päätetään osahankkeen {unit.code} jatkosta.\nHyväksytään seuraavan vaiheen suunnitelma."
                if every_decision
                else "Hyväksytään pilotin laajentaminen."
                if light == Light.RED
                else ""
            ),
            created_by=user,
            decided_by=user,
            decided_at=timezone.now(),
        )
        MeasureReport.objects.bulk_create(
            MeasureReport(
                update=update, measure=m, status=MeasureReport.Status.IN_PROGRESS, percent=(10 * i + 25) % 100
            )
            for i, m in enumerate(measures.get(unit.pk, []))
        )
        if category:
            ActualCost.objects.create(node=unit, category_id=category, month=month, amount=Decimal("12345.67") + index)
    return period
