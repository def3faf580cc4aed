from django.contrib import admin

from portfolio.admin import OfficeAdmin

from .models import NodeBudget, PlanVersion


@admin.register(PlanVersion)
class PlanVersionAdmin(OfficeAdmin):
    list_display = ["name", "programme", "date", "is_current"]
    list_filter = ["programme", "is_current"]


@admin.register(NodeBudget)
class NodeBudgetAdmin(OfficeAdmin):
    list_display = ["node", "plan", "total", "grant", "own_funding"]
    list_filter = ["plan"]
    list_select_related = ["node", "plan"]
    search_fields = ["node__code", "node__name"]
