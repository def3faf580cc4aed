from django.contrib import admin

from portfolio import extensions
from portfolio.admin import CleanTextModelForm, OfficeAdmin

from .models import (
    ActualCost,
    BudgetLine,
    CostCategory,
    LedgerAccount,
    LedgerImport,
    LedgerUpload,
    NodeBudget,
    PlanVersion,
)


class NodeBudgetInline(admin.TabularInline):
    form = CleanTextModelForm
    model = NodeBudget
    extra = 0


extensions.node_inline(NodeBudgetInline)


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


@admin.register(CostCategory)
class CostCategoryAdmin(OfficeAdmin):
    list_display = ["name", "key", "parent", "kind", "position", "eligible"]


@admin.register(BudgetLine)
class BudgetLineAdmin(OfficeAdmin):
    list_display = ["node", "plan", "category", "year", "amount"]
    list_filter = ["plan", "category", "year"]
    list_select_related = ["node", "plan", "category"]


@admin.register(LedgerAccount)
class LedgerAccountAdmin(OfficeAdmin):
    list_display = ["account", "name", "category"]
    search_fields = ["account", "name"]


@admin.register(LedgerImport)
class LedgerImportAdmin(OfficeAdmin):
    list_display = ["file_name", "programme", "imported_by", "imported_at", "row_count", "total"]
    readonly_fields = ["sha256"]


@admin.register(ActualCost)
class ActualCostAdmin(OfficeAdmin):
    list_display = ["node", "category", "month", "amount", "account", "ledger_import"]
    list_filter = ["category", "month"]
    list_select_related = ["node", "category", "ledger_import"]


@admin.register(LedgerUpload)
class LedgerUploadAdmin(OfficeAdmin):
    """Background imports, read only: a worker writes them."""

    list_display = ["file_name", "programme", "uploaded_by", "created_at", "status", "progress", "result"]
    list_filter = ["status"]
    list_select_related = ["programme", "uploaded_by", "result"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
