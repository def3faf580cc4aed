from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("vie/<int:programme_pk>/toimenpiteet/", views.export_create, name="export_create"),
    path("hanke/<int:programme_pk>/", views.programme_reports, name="programme"),
    path("arkisto/", views.archive, name="archive"),
    path("viennit/<int:pk>/", views.export_detail, name="export"),
    path("viennit/<int:pk>/lataa/", views.export_download, name="export_download"),
]
