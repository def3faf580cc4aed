from django.urls import path

from popsote.middleware import role_not_required

from . import editing, tokens, users, views

app_name = "portfolio"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("kohde/<int:pk>/", views.node_detail, name="node"),
    path("kohde/<int:pk>/alatasot/", views.overview_subtree, name="subtree"),
    path("kohde/<int:pk>/muutoshistoria/", views.node_history, name="node_history"),
    path("kohde/<int:pk>/siirra/", editing.node_move, name="node_move"),
    path("henkilot/", views.person_list, name="persons"),
    path("henkilot/<int:pk>/", views.person_detail, name="person"),
    path("organisaatiot/", views.organisation_list, name="organisations"),
    path("muutosloki/", views.change_log, name="change_log"),
    path("tunnukset/", role_not_required(tokens.token_list), name="tokens"),
    path("tunnukset/<int:pk>/peru/", role_not_required(tokens.token_revoke), name="token_revoke"),
    path("kayttajat/", users.user_list, name="users"),
    path("kayttajat/katselmointi.xlsx", users.user_review_xlsx, name="users_xlsx"),
    path("kayttajat/kutsu/", users.user_invite_view, name="user_invite"),
    path("kayttajat/<int:pk>/", users.user_detail, name="user"),
    path("kayttajat/<int:pk>/kirjaa-ulos/", users.user_sign_out, name="user_sign_out"),
    path("kayttoloki/", users.usage_log, name="usage_log"),
    path("oma/kirjaa-ulos-kaikkialta/", users.sign_out_everywhere, name="sign_out_everywhere"),
    path("uusi/<str:kind>/", editing.object_create, name="create"),
    path("uusi/<str:kind>/<int:parent_pk>/", editing.object_create, name="create_under"),
    path("muokkaa/<str:kind>/<int:pk>/", editing.object_edit, name="edit"),
    path("muokkaa/<str:kind>/<int:pk>/arkistoi/", editing.object_archive_view, name="archive"),
    path("muokkaa/<str:kind>/<int:pk>/palauta/", editing.object_archive_view, {"archived": False}, name="restore"),
    path("muokkaa/<str:kind>/<int:pk>/<str:step>/", editing.object_move, name="move"),
]
