"""Every euro figure of the portfolio, read here and nowhere else.

Pages, the API, the monthly report, the workbooks and the budget light's proposal take their
numbers from ``Budgets``: no other module adds up euros. Reads only, eager loading, no HTTP.

The rules, in one place:

- A node's figures cover the node and everything under it (its active subtree), in one plan
  version (the programme's current one unless another is asked for).
- **Written budget**: the total the plan version writes for the node (``NodeBudget.total``).
- **Plan**: the cost lines (STM cost categories × years) added up over the subtree. A subtree with
  no cost lines has its written total as the plan (``plan_source == WRITTEN``), or, when the node has
  none, the sum of its children's plans. Pages say which one they show.
- **Plan to date** (end of a month): cost lines of a year are spread evenly over its twelve months;
  a written total is spread evenly over the node's months (the programme's when the node has no dates).
- **Actual**: the actual costs of the subtree, all of them or up to the end of a month.
- **Remaining** = plan − actual; **utilisation** = actual ÷ plan (0,1 %); **overspend**: actual > plan.
- **Eligible**: actual costs in categories that qualify, inside the governing funding decision's
  period of use; the **grant maximum** is the decision's grant rate of that (``funding_split``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from popsote.months import first_day, months_between
from portfolio.models import FundingDecision, Node
from portfolio.tree import preorder

from .models import ActualCost, BudgetLine, CostCategory, NodeBudget, PlanVersion
from .tables import ZERO, budget_table

CENT = Decimal("0.01")
LINES = "lines"
WRITTEN = "written"


def funding_split(total, grant_rate):
    """Split ``total`` into (state grant, own funding) at ``grant_rate`` percent.

    The grant is rounded to the cent (half up) and own funding is the rest, so the parts always
    add up to the whole and the grant never exceeds the rate by more than half a cent.
    """
    total = Decimal(total).quantize(CENT)
    grant = (total * Decimal(grant_rate) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return grant, total - grant


@dataclass(frozen=True)
class Usage:
    """Plan against actual for one line of a table (a cost category, a year, a node, the total)."""

    label: str
    plan: Decimal
    actual: Decimal

    @property
    def remaining(self):
        return self.plan - self.actual

    @property
    def utilisation(self):
        """Actual as a percentage of the plan (0,1 %); None when nothing is planned."""
        return (self.actual / self.plan * 100).quantize(Decimal("0.1")) if self.plan else None

    @property
    def over(self):
        return self.actual > self.plan


@dataclass(frozen=True)
class OutsideCost:
    """An actual cost outside the period of use, as the cost estimate lists it."""

    month: date
    code: str
    category: str
    amount: Decimal


@dataclass(frozen=True)
class Eligibility:
    eligible_total: Decimal
    grant_max: Decimal | None
    outside: list  # OutsideCost, the first OUTSIDE_SHOWN of the costs outside the period of use


OUTSIDE_SHOWN = 50


def plans_for(programme):
    """A programme's plan versions, oldest first."""
    return list(PlanVersion.objects.filter(programme=programme).order_by("date", "pk"))


# The fields of a node the figures read (its place in the tree, its dates) and the pages list beside them.
FIGURE_FIELDS = (
    "pk",
    "parent_id",
    "programme_id",
    "path",
    "start",
    "end",
    "name",
    "short_name",
    "code",
    "kind",
    "position",
)


class Budgets:
    """The budget figures of some programmes, loaded in a fixed number of queries however large they are.

    ``programmes``: programmes or their ids, or a queryset of their ids (a subquery: no id list in the SQL).
    ``plan``: one plan version of a single programme; by default each programme's current version.
    ``nodes``: the programmes' active nodes when the caller has them loaded already.
    """

    def __init__(self, programmes, *, plan=None, nodes=None):
        programme_ids = programmes if isinstance(programmes, QuerySet) else [getattr(p, "pk", p) for p in programmes]
        if nodes is None:
            nodes = Node.objects.active().filter(programme__in=programme_ids).only(*FIGURE_FIELDS)
        self.nodes = {node.pk: node for node in nodes}
        self.children = defaultdict(list)
        for node in self.nodes.values():
            if node.parent_id is not None:
                self.children[node.parent_id].append(node.pk)
        plans = (
            PlanVersion.objects.filter(pk=plan.pk)
            if plan is not None
            else PlanVersion.objects.filter(programme__in=programme_ids, is_current=True)
        )
        self.plans = {p.programme_id: p for p in plans}
        plans = plans.values("pk")  # the versions again as a subquery: their ids do not travel in the SQL
        self.categories = list(CostCategory.objects.all())
        parents = {c.parent_id for c in self.categories}
        # The template's cost rows: leaf categories of kind cost (a heading's own lines are not counted).
        self.cost_categories = {
            c.pk for c in self.categories if c.kind == CostCategory.Kind.COST and c.pk not in parents
        }
        self.lines = defaultdict(dict)  # node -> {(category, year): amount}
        lines = BudgetLine.objects.filter(plan__in=plans).order_by().values_list("node", "category", "year", "amount")
        for node_id, category, year, amount in lines:
            self.lines[node_id][(category, year)] = amount
        self.written = dict(NodeBudget.objects.filter(plan__in=plans).order_by().values_list("node", "total"))
        self.actuals = defaultdict(list)  # node -> [(category, month, amount)]
        self.programmes_with_actuals = set()
        for node_id, programme_id, category, month, amount in (
            ActualCost.objects.filter(node__programme__in=programme_ids)
            .values("node", "node__programme", "category", "month")
            .annotate(total=Sum("amount"))
            .order_by()
            .values_list("node", "node__programme", "category", "month", "total")
        ):
            self.actuals[node_id].append((category, month, amount))
            self.programmes_with_actuals.add(programme_id)

    def subtree(self, node_id):
        """Ids of the node and every active node under it (the children map is built once)."""
        ids, stack = [], [node_id]
        while stack:
            pk = stack.pop()
            ids.append(pk)
            stack.extend(self.children.get(pk, ()))
        return ids

    def figures(self, node):
        """The figures of ``node`` (a Node of one of the programmes) and everything under it."""
        return NodeFigures(self, node)

    def under(self, node):
        """The ids of the node's active subtree, as a subquery (made once per node)."""
        if not hasattr(self, "_under"):
            self._under = {}
        if node.pk not in self._under:
            self._under[node.pk] = Node.objects.active_subtree(node).values("pk")
        return self._under[node.pk]

    def uses_ledger(self, programme_id):
        """Has the programme any actual costs at all? (The budget light is not proposed before.)"""
        return programme_id in self.programmes_with_actuals


class NodeFigures:
    """Plan, actual, remaining, plan to date and eligibility of one node and its subtree."""

    def __init__(self, budgets, node):
        self.budgets = budgets
        self.node = node
        self.ids = budgets.subtree(node.pk)
        self.plan_version = budgets.plans.get(node.programme_id)
        self.written = budgets.written.get(node.pk)
        self.amounts = defaultdict(lambda: ZERO)  # (category, year) -> planned, over the subtree
        for pk in self.ids:
            for key, amount in budgets.lines[pk].items():
                self.amounts[key] += amount
        cost_lines = [a for (c, _y), a in self.amounts.items() if c in budgets.cost_categories]
        self.lines_total = sum(cost_lines, ZERO) if cost_lines else None
        if self.lines_total is not None:
            self.plan, self.plan_source = self.lines_total, LINES
        else:
            self.plan = self._written_plan(node.pk)
            self.plan_source = WRITTEN if self.plan is not None else None

    def _written_plan(self, pk):
        if pk in self.budgets.written:
            return self.budgets.written[pk]
        parts = [plan for kid in self.budgets.children.get(pk, ()) if (plan := self._written_plan(kid)) is not None]
        return sum(parts, ZERO) if parts else None

    # Plan ----------------------------------------------------------------------------------------

    @property
    def difference(self):
        """Written total less the cost lines, when the plan writes both and they disagree."""
        if self.written is None or self.lines_total is None or self.written == self.lines_total:
            return None
        return self.written - self.lines_total

    @property
    def years(self):
        return sorted({year for _c, year in self.amounts})

    def stm_table(self):
        """(years, rows) of the STM cost template over the subtree, every subtotal computed."""
        years = self.years
        return years, budget_table(self.budgets.categories, self.amounts, years)

    def _span(self):
        programme = self.budgets.nodes.get(self.node.programme_id)
        start = self.node.start or (programme.start if programme else None)
        end = self.node.end or (programme.end if programme else None)
        return (start, end) if start and end and end >= start else (None, None)

    def plan_to_date(self, month):
        """The plan up to the end of ``month`` (see the module's rules); None when nothing is planned."""
        if self.plan is None:
            return None
        if self.plan_source == LINES:
            planned = ZERO
            for (category, year), amount in self.amounts.items():
                if category in self.budgets.cost_categories and year <= month.year:
                    planned += amount if year < month.year else amount * month.month / 12
            return planned.quantize(CENT)
        start, end = self._span()
        if start is None:
            return None
        total_months = months_between(start, end)
        elapsed = min(months_between(start, month), total_months)
        return (self.plan * elapsed / total_months).quantize(CENT)

    def plan_in_year(self, year):
        """The plan of one calendar year: its cost lines, or the written total's share of its months."""
        if self.plan is None:
            return ZERO
        return (self.plan_to_date(date(year, 12, 1)) or ZERO) - (self.plan_to_date(date(year - 1, 12, 1)) or ZERO)

    # Actual --------------------------------------------------------------------------------------

    def _actuals(self, until=None, year=None):
        for pk in self.ids:
            for category, month, amount in self.budgets.actuals.get(pk, ()):
                if (until is None or month <= until) and (year is None or month.year == year):
                    yield category, month, amount

    def actual(self, until=None, year=None):
        """Actual costs of the subtree: all, up to the end of the month ``until``, or in ``year``."""
        return sum((amount for _c, _m, amount in self._actuals(until, year)), ZERO)

    def actual_in(self, month):
        return sum((amount for _c, m, amount in self._actuals() if m == month), ZERO)

    def monthly(self, until=None):
        """[(month, actual)] in month order."""
        by_month = defaultdict(lambda: ZERO)
        for _c, month, amount in self._actuals(until):
            by_month[month] += amount
        return sorted(by_month.items())

    def actual_table(self, until=None):
        """Rows of the STM template with the actual costs by year (``years`` of plan and actual)."""
        amounts = defaultdict(lambda: ZERO)
        for category, month, amount in self._actuals(until):
            amounts[(category, month.year)] += amount
        years = sorted(set(self.years) | {year for _c, year in amounts})
        return years, budget_table(self.budgets.categories, amounts, years)

    # Plan against actual -------------------------------------------------------------------------

    def total(self, until=None, year=None):
        """The plan (of the whole period, or of ``year``) against the actual costs."""
        plan = self.plan_in_year(year) if year is not None else (self.plan or ZERO)
        return Usage(_("Kulut yhteensä"), plan, self.actual(until, year))

    def usage(self, until=None):
        """(rows, total): plan against actual per cost category (leaf categories with either), and in all."""
        planned, actual = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
        for (category, _year), amount in self.amounts.items():
            planned[category] += amount
        for category, _month, amount in self._actuals(until):
            actual[category] += amount
        rows = [
            Usage(category.name, planned[category.pk], actual[category.pk])
            for category in self.budgets.categories
            if category.pk in self.budgets.cost_categories and (planned[category.pk] or actual[category.pk])
        ]
        return rows, self.total(until)

    def by_year(self, until=None):
        """Plan against actual for each year of the plan or of the actual costs."""
        years = set(self.years) | {month.year for _c, month, _a in self._actuals(until)}
        if self.plan_source == WRITTEN:
            start, end = self._span()
            if start is not None:
                years |= set(range(start.year, end.year + 1))
        return [Usage(str(year), self.plan_in_year(year), self.actual(until, year)) for year in sorted(years)]

    # Funding -------------------------------------------------------------------------------------

    def split(self, decision):
        """(state grant, own funding) of the plan at the decision's grant rate; None without a rate."""
        if decision is None or decision.grant_rate is None or self.plan is None:
            return None
        return funding_split(self.plan, decision.grant_rate)

    def eligibility(self, decision):
        """Eligible actual costs, the grant they allow, and the costs outside the period of use."""
        if decision is None:
            return None
        start = first_day(decision.eligible_start) if decision.eligible_start else None
        end = decision.eligible_end

        def inside(month):
            return (start is None or month >= start) and (end is None or month <= end)

        eligible_categories = {c.pk for c in self.budgets.categories if c.eligible}
        eligible_total = sum(
            (a for c, m, a in self._actuals() if c in eligible_categories and inside(m)),
            ZERO,
        )
        outside = []
        if any(not inside(m) for _c, m, _a in self._actuals()):
            period = Q()
            if start is not None:
                period &= Q(month__gte=start)
            if end is not None:
                period &= Q(month__lte=end)
            # The subtree as a subquery on the path's index: no id list in the SQL however big it is; the
            # costs are walked in their order on (month, id) and joined to their nodes only until fifty are found.
            costs = (
                ActualCost.objects.filter(node__in=self.budgets.under(self.node))
                .exclude(period)
                .order_by("month", "pk")
                .values_list("month", "node__code", "category__name", "amount")
            )
            outside = [OutsideCost(*cost) for cost in costs[:OUTSIDE_SHOWN]]
        grant_max = funding_split(eligible_total, decision.grant_rate)[0] if decision.grant_rate is not None else None
        return Eligibility(eligible_total, grant_max, outside)


def governing_decision(programme):
    """The funding decision a programme's figures belong to (see ``FundingDecisionQuerySet.governing``)."""
    return FundingDecision.objects.governing(programme)


def form_header(node, title, plan_name, *extra):
    """The header block of the ministry's forms: applicant, business ID, project, the funding decision,
    the period of use, the plan version and the date, then ``extra`` (label, value) lines."""
    programme = node.programme
    decision = governing_decision(programme)
    owner = programme.owner
    period = ""
    if decision and decision.eligible_start and decision.eligible_end:
        period = "{start}–{end}".format(
            start=date_format(decision.eligible_start, "SHORT_DATE_FORMAT"),
            end=date_format(decision.eligible_end, "SHORT_DATE_FORMAT"),
        )
    lines = [
        ("Hakija", owner.name if owner else ""),
        ("Y-tunnus", owner.business_id if owner else ""),
        ("Hanke", programme.name),
        *([("Osahanke", f"{node.code} {node.name}")] if not node.is_programme else []),
        ("Rahoituspäätös", decision.number if decision else ""),
        ("Päätöksen päivämäärä", decision.date if decision and decision.date else ""),
        ("Käyttöaika", period or (decision.period_text if decision else "")),
        ("Suunnitelmaversio", plan_name),
        *extra,
        ("Päivämäärä", timezone.localdate()),
    ]
    return {"title": title, "project": programme.name, "lines": lines}


class SubtreeBudgets(Budgets):
    """The budget figures of one node's active subtree, added up in SQL (the path's index): a node with
    thousands of nodes under it costs what one with a few does. Its ``figures`` are those of that node only,
    whose subtree is then the node itself holding the sums."""

    def __init__(self, node, *, plan=None):
        programme = node.programme
        self.nodes = {programme.pk: programme, node.pk: node}
        self.children = defaultdict(list)
        self.plans = {programme.pk: plan} if plan is not None else {}
        if plan is None:
            self.plans = {p.programme_id: p for p in PlanVersion.objects.filter(programme=programme, is_current=True)}
        self.categories = list(CostCategory.objects.all())
        parents = {c.parent_id for c in self.categories}
        self.cost_categories = {
            c.pk for c in self.categories if c.kind == CostCategory.Kind.COST and c.pk not in parents
        }
        under = self.under(node)
        self.lines = defaultdict(dict)
        current = self.plans.get(programme.pk)
        if current is not None:
            for category, year, amount in (
                BudgetLine.objects.filter(plan=current, node__in=under)
                .values("category", "year")
                .annotate(total=Sum("amount"))
                .order_by()
                .values_list("category", "year", "total")
            ):
                self.lines[node.pk][(category, year)] = amount
            self.written = dict(NodeBudget.objects.filter(plan=current, node=node).values_list("node", "total"))
            cost_lines = any(category in self.cost_categories for category, _year in self.lines[node.pk])
            if not cost_lines and not self.written:
                # Without cost lines and a total of its own, the node's plan is its children's written totals
                # added up through the tree (``_written_plan``): the subtree's totals and shape, two queries.
                written = NodeBudget.objects.filter(plan=current, node__in=under).order_by()
                self.written = dict(written.values_list("node", "total"))
                for pk, parent_id in Node.objects.filter(pk__in=under).order_by().values_list("pk", "parent_id"):
                    if pk != node.pk:
                        self.children[parent_id].append(pk)
        else:
            self.written = {}
        self.actuals = defaultdict(list)
        for category, month, amount in (
            ActualCost.objects.filter(node__in=under)
            .values("category", "month")
            .annotate(total=Sum("amount"))
            .order_by()
            .values_list("category", "month", "total")
        ):
            self.actuals[node.pk].append((category, month, amount))
        self.programmes_with_actuals = {programme.pk} if self.actuals else set()

    def subtree(self, node_id):
        return [node_id]


def node_figures(node, plan=None):
    """The figures of one node (a page about one node), added up in SQL over its subtree."""
    return SubtreeBudgets(node, plan=plan).figures(node)


def written_budgets(programme_ids):
    """{node id: written total in its programme's current plan version} for the given programmes."""
    return dict(
        NodeBudget.objects.filter(plan__is_current=True, plan__programme__in=programme_ids)
        .order_by()
        .values_list("node", "total")
    )


def written_by_plan(node, child_ids):
    """The node's written budget in every plan version, with its children's sum and the difference.

    [(NodeBudget, children's sum or None, difference or None)], oldest version first.
    """
    sums = defaultdict(lambda: ZERO)
    counted = set()
    for plan_id, total in NodeBudget.objects.filter(node__in=child_ids).order_by().values_list("plan", "total"):
        sums[plan_id] += total
        counted.add(plan_id)
    rows = []
    for budget in NodeBudget.objects.filter(node=node).select_related("plan").order_by("plan__date", "plan__pk"):
        children_sum = sums[budget.plan_id] if budget.plan_id in counted else None
        rows.append((budget, children_sum, budget_difference(budget.total, children_sum)))
    return rows


def budget_difference(budget, children_sum):
    """The node's own budget less its children's sum, when both exist and disagree."""
    if budget is None or children_sum is None or budget == children_sum:
        return None
    return budget - children_sum


def children_sums(nodes, written):
    """{node id: (children's sum of written budgets or None, difference or None)} over loaded ``nodes``."""
    sums, counted = defaultdict(lambda: ZERO), set()
    for node in nodes:
        if node.parent_id is not None and node.pk in written:
            sums[node.parent_id] += written[node.pk]
            counted.add(node.parent_id)
    return {
        node.pk: (
            sums[node.pk] if node.pk in counted else None,
            budget_difference(written.get(node.pk), sums[node.pk] if node.pk in counted else None),
        )
        for node in nodes
    }


def budget_years():
    """Every year that some plan has cost lines for (the Talous page's year filter)."""
    return sorted(set(BudgetLine.objects.order_by().values_list("year", flat=True).distinct()))


def compare_plans(nodes, first, second):
    """Two plan versions node by node: (rows of written totals with the change, cost lines that differ)."""
    plan_ids = [plan.pk for plan in (first, second) if plan is not None]
    totals = {
        (node_id, plan_id): total
        for node_id, plan_id, total in NodeBudget.objects.filter(plan__in=plan_ids)
        .order_by()
        .values_list("node", "plan", "total")
    }
    rows = []
    for node, depth in preorder(nodes):
        a = totals.get((node.pk, first.pk)) if first else None
        b = totals.get((node.pk, second.pk)) if second else None
        if a is None and b is None:
            continue
        rows.append(
            {"node": node, "depth": depth, "a": a, "b": b, "difference": (b or ZERO) - (a or ZERO) if a != b else None}
        )
    if not (first and second):
        return rows, []
    lines = defaultdict(dict)
    for node_id, category, year, plan_id, amount in (
        BudgetLine.objects.filter(plan__in=plan_ids)
        .order_by()
        .values_list("node", "category__name", "year", "plan", "amount")
    ):
        lines[(node_id, category, year)][plan_id] = amount
    names = {row["node"].pk: row["node"] for row in rows}
    line_rows = [
        {"node": names.get(node_id), "category": category, "year": year, "a": v.get(first.pk), "b": v.get(second.pk)}
        for (node_id, category, year), v in sorted(lines.items(), key=lambda item: (item[0][0], item[0][2], item[0][1]))
        if v.get(first.pk) != v.get(second.pk)
    ]
    return rows, line_rows


def lines_differences(budgets, lines):
    """Written budgets whose cost lines add up to something else, for figures not yet saved (an import's
    preview): ``budgets`` {(plan, node): total}, ``lines`` [(plan, node, amount)] of cost categories.

    [(plan, node, written total, lines' sum, difference)], in the order of ``budgets``.
    """
    sums, counted = defaultdict(lambda: ZERO), set()
    for plan, node, amount in lines:
        sums[(plan, node)] += amount
        counted.add((plan, node))
    return [
        (plan, node, total, sums[(plan, node)], difference)
        for (plan, node), total in budgets.items()
        if (plan, node) in counted and (difference := budget_difference(total, sums[(plan, node)])) is not None
    ]
