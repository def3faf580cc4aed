from django.urls import path

from . import ledger_views, views

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
    path("tuonti/<int:pk>/vahvista/", ledger_views.ledger_confirm, name="ledger_confirm"),
    path("tuonnit/<int:pk>/peru/", ledger_views.ledger_reverse, name="ledger_reverse"),
    path("hanke/<int:pk>/tuontipohja.xlsx", ledger_views.ledger_template_xlsx, name="ledger_template_xlsx"),
    path("hanke/<int:pk>/tuontipohja.csv", ledger_views.ledger_template_download_csv, name="ledger_template_csv"),
    path("tilikartta/", ledger_views.accounts, name="accounts"),
    path("tilikartta/<int:pk>/", ledger_views.accounts, name="account_edit"),
    path("tilikartta/<int:pk>/poista/", ledger_views.account_delete, name="account_delete"),
    path("tilikartta/vahvista/", ledger_views.accounts_confirm, name="accounts_confirm"),
    path("tilikartta/tuonti/", ledger_views.accounts_import, name="accounts_import"),
    path("tilikartta.xlsx", ledger_views.accounts_xlsx, name="accounts_xlsx"),
]
