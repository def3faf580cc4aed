from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path, re_path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from popsote.middleware import role_not_required
from portfolio import oidc
from portfolio import views as portfolio_views
from portfolio.api.base import NoSuchRoute

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
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    # Redoc styles itself with <style> elements it writes at run time: the one page whose policy allows them.
    path(
        "redoc/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            login_required(SpectacularRedocView.as_view(url_name="api:schema"))
        ),
        name="redoc",
    ),
    re_path(r"^.*$", NoSuchRoute.as_view(), name="no-such-route"),
]

urlpatterns = [
    path("kirjaudu/", oidc.LoginView.as_view(), name="login"),
    # The county's identity service (OpenID Connect), when OIDC_ISSUER is set: 404 otherwise.
    path("oidc/kirjaudu/", oidc.authenticate, name="oidc_authenticate"),
    path("oidc/callback/", oidc.callback, name="oidc_callback"),
    # An invitation's link: the invited user sets a password and is signed in.
    path(
        "salasana/aseta/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            post_reset_login=True,
            post_reset_login_backend="portfolio.accounts.Backend",
            success_url=reverse_lazy("portfolio:overview"),
            template_name="registration/password_set.html",
        ),
        name="password_set",
    ),
    # An account without a role may use these only (popsote.middleware.RoleRequiredMiddleware).
    path("kirjaudu-ulos/", role_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("salasana/", role_not_required(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path(
        "salasana/valmis/",
        role_not_required(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("oma/", role_not_required(portfolio_views.profile), name="profile"),
    path("kieli/", login_not_required(set_language), name="set_language"),
    path("saavutettavuus/", portfolio_views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api, "api"))),
    path("raportit/", include("reports.urls")),
    path("talous/", include("budgets.urls")),
    path("aikajana/", include("milestones.urls")),
    path("", include("portfolio.urls")),
]
