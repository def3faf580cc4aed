from django.urls import path

from popsote.middleware import role_not_required

from . import editing, tokens, views

app_name = "portfolio"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("kohde/<int:pk>/", views.node_detail, name="node"),
    path("kohde/<int:pk>/alatasot/", views.overview_subtree, name="subtree"),
    path("kohde/<int:pk>/siirra/", editing.node_move, name="node_move"),
    path("henkilot/", views.person_list, name="persons"),
    path("henkilot/<int:pk>/", views.person_detail, name="person"),
    path("organisaatiot/", views.organisation_list, name="organisations"),
    path("muutosloki/", views.change_log, name="change_log"),
    path("tunnukset/", role_not_required(tokens.token_list), name="tokens"),
    path("tunnukset/<int:pk>/peru/", role_not_required(tokens.token_revoke), name="token_revoke"),
    path("uusi/<str:kind>/", editing.object_create, name="create"),
    path("uusi/<str:kind>/<int:parent_pk>/", editing.object_create, name="create_under"),
    path("muokkaa/<str:kind>/<int:pk>/", editing.object_edit, name="edit"),
    path("muokkaa/<str:kind>/<int:pk>/arkistoi/", editing.object_archive_view, name="archive"),
    path("muokkaa/<str:kind>/<int:pk>/palauta/", editing.object_archive_view, {"archived": False}, name="restore"),
    path("muokkaa/<str:kind>/<int:pk>/<str:step>/", editing.object_move, name="move"),
]
