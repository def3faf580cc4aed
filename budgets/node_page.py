"""What budgets adds to the portfolio's pages: the written budget of listed nodes, the node page's
budget by plan version, and the node form's budget field (``BudgetsConfig.ready`` registers them)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portfolio.extensions import NodeField
from portfolio.forms import EuroField
from portfolio.provenance import mark_sources, source_label

from . import selectors
from .services import node_budget_set


def written_budgets(nodes):
    """Each node's ``budget`` (its written total in its programme's current plan version, None when absent),
    the sum of its listed children's written budgets (``children_sum``) and the ``difference`` of the two."""
    written = selectors.written_budgets({node.programme_id for node in nodes})
    sums = selectors.children_sums(nodes, written)
    for node in nodes:
        node.budget = written.get(node.pk)
        node.children_sum, node.difference = sums[node.pk]


def budgets_by_plan(page):
    """The node's plan against its actual costs, and its budget in every plan version with its children's
    sum written in the same version."""
    budgets = []
    written = selectors.written_by_plan(page.node, [kid.pk for kid in page.children]) if page.has("budgets") else []
    for budget, children_sum, difference in written:
        budget.children_sum, budget.difference = children_sum, difference
        budgets.append(budget)
    active = [node for node in page.nodes if node.archived_at is None]
    figures = (
        selectors.Budgets([page.node.programme_id], nodes=active).figures(page.node) if page.node in active else None
    )
    own = source_label(page.node)
    return {
        "budgets": mark_sources(budgets, own),
        "budget_figures": figures,
        "budget_total": figures.total() if figures else None,
    }


def plan_versions(page):
    """A programme's plan versions with their notes (option funding, carry-over, money for later years)."""
    if not page.node.is_programme:
        return {"plan_versions": []}
    versions = page.node.plan_versions.select_related("source_document")
    return {"plan_versions": mark_sources(versions, source_label(page.node))}


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
