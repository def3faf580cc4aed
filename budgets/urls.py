from django.urls import path

from . import views

app_name = "budgets"
urlpatterns = [
    path("", views.budget_overview, name="overview"),
    path("kohde/<int:pk>/", views.node_budget, name="node"),
    path("kohde/<int:pk>/kustannusarvio.xlsx", views.node_budget_xlsx, name="node_xlsx"),
    path("kohde/<int:pk>/toteuma/uusi/", views.actual_cost_create, name="actual_create"),
    path("kohde/<int:pk>/muokkaa/", views.budget_lines_edit, name="lines_edit"),
    path("hanke/<int:pk>/uusi-versio/", views.plan_version_new, name="plan_new"),
    path("hanke/<int:pk>/vertailu/", views.plan_compare, name="compare"),
    path("hanke/<int:pk>/tuonti/", views.ledger_upload, name="ledger_upload"),
    path("tuonti/<int:pk>/", views.ledger_upload_status, name="ledger_upload_status"),
]
