from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "budgets"
    verbose_name = _("Talous")

    def ready(self):
        from portfolio import extensions

        from . import node_page
        from .models import NodeBudget, PlanVersion

        extensions.node_figures(node_page.written_budgets)
        extensions.node_section("budgets/_node_budgets.html", node_page.budgets_by_plan, order=20)
        extensions.node_section("budgets/_node_plan_versions.html", node_page.plan_versions, order=21)
        extensions.node_history(NodeBudget)
        extensions.node_history(PlanVersion, "programme_id", when=lambda node: node.is_programme)
        extensions.node_field(node_page.BUDGET_FIELD)
