from django.urls import path

from . import views

app_name = "portfolio"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("kohde/<int:pk>/", views.node_detail, name="node"),
    path("henkilot/", views.person_list, name="persons"),
    path("henkilot/<int:pk>/", views.person_detail, name="person"),
]
