"""What budgets adds to the portfolio's pages: the written budget of listed nodes, the node page's
budget by plan version, and the node form's budget field (``BudgetsConfig.ready`` registers them)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portfolio.extensions import NodeField
from portfolio.forms import EuroField
from portfolio.tree import budget_difference

from .models import NodeBudget
from .services import node_budget_set


def written_budgets(nodes):
    """Each node's ``budget``: its total in its programme's current plan version (None when absent)."""
    totals = dict(
        NodeBudget.objects.filter(plan__is_current=True, node__in=[node.pk for node in nodes]).values_list(
            "node", "total"
        )
    )
    for node in nodes:
        node.budget = totals.get(node.pk)


def budgets_by_plan(page):
    """The node's budget in every plan version, with its children's sum written in the same version."""
    sums = {}
    for budget in NodeBudget.objects.filter(node__in=page.children).values("plan_id", "total"):
        sums[budget["plan_id"]] = sums.get(budget["plan_id"], 0) + budget["total"]
    budgets = list(page.node.budgets.select_related("plan").order_by("plan__date", "plan__pk"))
    for budget in budgets:
        budget.children_sum = sums.get(budget.plan_id)
        budget.difference = budget_difference(budget.total, budget.children_sum)
    return {"budgets": budgets}


def _current_total(node):
    current = node.budgets.filter(plan__is_current=True).first()
    return current.total if current else None


def _api_field(**kwargs):
    options = {"required": False, "allow_null": True, "min_value": 0} if not kwargs.get("read_only") else {}
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text=_(
            "Budjetti (budget) hankkeen voimassa olevassa suunnitelmaversiossa, euroina desimaalimerkkijonona. "
            "Vain talous ja hanketoimisto voivat muuttaa sitä."
        ),
        **options,
        **kwargs,
    )


BUDGET_FIELD = NodeField(
    name="budget",
    form_field=lambda: EuroField(label=_("Budjetti (voimassa oleva suunnitelma, €)"), required=False),
    api_field=_api_field,
    initial=_current_total,
    save=lambda *, node, value, user: node_budget_set(node=node, total=value, user=user),
    perm="budgets.edit_budgets",
)
