from django.urls import path

from . import plan_views, views

app_name = "reports"
urlpatterns = [
    path("vie/<int:programme_pk>/toimenpiteet/", views.export_create, name="export_create"),
    path("hanke/<int:programme_pk>/", views.programme_reports, name="programme"),
    path("arkisto/", views.archive, name="archive"),
    path("viennit/<int:pk>/", views.export_detail, name="export"),
    path("viennit/<int:pk>/lataa/", views.export_download, name="export_download"),
    path("tilanne/", views.dashboard, name="dashboard"),
    path("kausi/uusi/<int:programme_pk>/", views.period_create, name="period_create"),
    path("kausi/<int:pk>/sulje/", views.period_status, {"closed": True}, name="period_close"),
    path("kausi/<int:pk>/avaa/", views.period_status, {"closed": False}, name="period_reopen"),
    path("kausi/<int:period_pk>/kohde/<int:node_pk>/", views.unit_update, name="unit_update"),
    path("katsaus/<int:pk>/", views.update_detail, name="update"),
    path("katsaus/<int:pk>/muokkaa/", views.update_edit, name="update_edit"),
    path("katsaus/<int:pk>/<str:action>/", views.update_action, name="update_action"),
    path("arvioinnit/hanke/<int:programme_pk>/", views.evaluations, name="evaluations"),
    path("arviointi/<int:pk>/", views.evaluation, name="evaluation"),
    path("arviointi/<int:pk>/taulukko/", views.evaluation_xlsx, name="evaluation_xlsx"),
    path("arviointi/<int:pk>/innokyla/", views.evaluation_innokyla, name="evaluation_innokyla"),
    path("arviointi/<int:pk>/<str:action>/", views.evaluation_action, name="evaluation_action"),
    path("suunnitelmat/tuonti/", plan_views.plan_upload_create, name="plan_upload_create"),
    path("suunnitelmat/pohja/", plan_views.plan_template, name="plan_template"),
    path("suunnitelmat/hanke/<int:programme_pk>/", plan_views.plan_export, name="plan_export"),
    path("suunnitelmat/tuonti/<int:pk>/", plan_views.plan_upload, name="plan_upload"),
    path("suunnitelmat/tuonti/<int:pk>/vahvista/", plan_views.plan_upload_confirm, name="plan_upload_confirm"),
    path("rrf/hanke/<int:programme_pk>/", views.rrf, name="rrf"),
    path("rrf/hanke/<int:programme_pk>/ilmoitus/", views.rrf_declaration_create, name="rrf_declaration_create"),
    path("rrf/hanke/<int:programme_pk>/todistepaketti/", views.rrf_pack, name="rrf_pack"),
    path("rrf/tavoite/<int:pk>/", views.rrf_target, name="rrf_target"),
    path("rrf/tavoite/<int:pk>/eteneminen/", views.rrf_progress_create, name="rrf_progress_create"),
    path("rrf/tavoite/<int:pk>/naytto/", views.rrf_evidence_create, name="rrf_evidence_create"),
    path("rrf/naytto/<int:pk>/", views.rrf_evidence_file, name="rrf_evidence_file"),
    path("rrf/naytto/<int:pk>/tarkasta/", views.rrf_evidence_decide, name="rrf_evidence_decide"),
]
