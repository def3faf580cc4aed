"""The STM cost template as a table: categories × years, with every total computed from the lines."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import CostCategory

ZERO = Decimal("0.00")


@dataclass
class Row:
    label: str
    amounts: dict = field(default_factory=dict)  # year -> Decimal
    level: int = 0  # 0 category, 1 sub-category
    kind: str = "line"  # line | heading | subtotal | total | funding

    @property
    def total(self):
        return sum(self.amounts.values(), ZERO)


def _sum(rows, years):
    return {year: sum((row.amounts.get(year, ZERO) for row in rows), ZERO) for year in years}


def budget_table(categories, amounts, years):
    """Rows of the STM template. ``amounts`` maps (category id, year) to the summed planned amount."""
    children = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)

    def line(category, level=0):
        return Row(category.name, {y: amounts.get((category.pk, y), ZERO) for y in years}, level)

    rows, costs, income, own, other = [], [], [], [], []
    for category in children.get(None, []):
        kids = children.get(category.pk, [])
        if category.kind == CostCategory.Kind.COST and kids:
            rows.append(Row(category.name, kind="heading"))
            kid_rows = [line(kid, 1) for kid in kids]
            rows.extend(kid_rows)
            subtotal = Row(_("{name} yhteensä").format(name=category.name), _sum(kid_rows, years), kind="subtotal")
            rows.append(subtotal)
            costs.extend(kid_rows)
            continue
        row = line(category)
        if category.kind == CostCategory.Kind.COST:
            rows.append(row)
            costs.append(row)
        else:
            {
                CostCategory.Kind.INCOME: income,
                CostCategory.Kind.OWN_FUNDING: own,
                CostCategory.Kind.OTHER_PUBLIC: other,
            }[category.kind].append(row)
    total = Row(_("Kulut yhteensä"), _sum(costs, years), kind="total")
    eligible = Row(
        _("Valtionavustukseen oikeuttavat kustannukset"),
        {y: total.amounts[y] - _sum(income, years)[y] for y in years},
        kind="funding",
    )
    requested = Row(
        _("Haettava valtionavustus"),
        {y: eligible.amounts[y] - _sum(own, years)[y] - _sum(other, years)[y] for y in years},
        kind="funding",
    )
    return [*rows, total, *income, eligible, *own, *other, requested]
