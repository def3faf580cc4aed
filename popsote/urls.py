from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from popsote.api import NoSuchRoute
from portfolio.views import accessibility

admin.site.site_header = _("Salkku – ylläpito")
admin.site.site_title = _("Salkun ylläpito")
admin.site.index_title = _("Hanketoimiston ylläpito")

api = [
    path("", include("portfolio.api.urls")),
    path("", include("budgets.api.urls")),
    path("", include("milestones.api.urls")),
    path("", include("indicators.api.urls")),
    path("", include("reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The documentation pages are for people: an anonymous browser goes to the login page.
    path("docs/", login_required(SpectacularSwaggerView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", login_required(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    re_path(r"^.*$", NoSuchRoute.as_view(), name="no-such-route"),
]

urlpatterns = [
    path("kirjaudu/", auth_views.LoginView.as_view(), name="login"),
    path("kirjaudu-ulos/", auth_views.LogoutView.as_view(), name="logout"),
    path("salasana/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("salasana/valmis/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("kieli/", login_not_required(set_language), name="set_language"),
    path("saavutettavuus/", accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api, "api"))),
    path("raportit/", include("reports.urls")),
    path("talous/", include("budgets.urls")),
    path("aikajana/", include("milestones.urls")),
    path("", include("portfolio.urls")),
]
