from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("cost-categories", views.CostCategoryViewSet)
router.register("plan-versions", views.PlanVersionViewSet)
router.register("node-budgets", views.NodeBudgetViewSet)
router.register("budget-lines", views.BudgetLineViewSet)
router.register("budget-grids", views.BudgetGridViewSet, basename="budgetgrid")
router.register("budget-figures", views.BudgetFiguresViewSet, basename="budgetfigures")
router.register("actual-costs", views.ActualCostViewSet)
router.register("ledger-accounts", views.LedgerAccountViewSet)
router.register("ledger-imports", views.LedgerImportViewSet)
router.register("ledger-uploads", views.LedgerUploadViewSet)
urlpatterns = router.urls
