from django.urls import path

from . import views

app_name = "budgets"
urlpatterns = [
    path("kohde/<int:pk>/", views.node_budget, name="node"),
    path("kohde/<int:pk>/kustannusarvio.xlsx", views.node_budget_xlsx, name="node_xlsx"),
    path("hanke/<int:pk>/vertailu/", views.plan_compare, name="compare"),
    path("hanke/<int:pk>/tuonti/", views.ledger_upload, name="ledger_upload"),
]
