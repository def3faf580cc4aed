"""Sign-in with the county's identity service over OpenID Connect (mozilla-django-oidc; README "Configuration").

The provider is found from its issuer (``OIDC_ISSUER`` + ``/.well-known/openid-configuration``). The e-mail
claim finds the account (or makes one without a role); the first sign-in links it to the one person with that
address; groups in the groups claim that ``OIDC_GROUP_ROLES`` maps give their roles, at every sign-in.
"""

import logging
import time

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend, default_username_algo
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .accounts import user_link_by_email, user_roles_set

logger = logging.getLogger(__name__)

# mozilla-django-oidc's endpoint settings, read from the provider's discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovered = {}  # issuer → (time read, document)


def discovery():
    """The provider's discovery document, read once an hour."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    read_at, document = _discovered.get(issuer, (0, None))
    if document is None or time.monotonic() - read_at > 3600:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer:
            raise SuspiciousOperation("The discovery document names another issuer.")
        _discovered[issuer] = (time.monotonic(), document)
    return document


def oidc_setting(attr, *args):
    if attr in ENDPOINTS:
        return discovery().get(ENDPOINTS[attr], *args)
    return import_from_settings(attr, *args)


class Backend(OIDCAuthenticationBackend):
    """Finds the account by the e-mail claim, links its person and maps its groups to roles."""

    get_settings = staticmethod(oidc_setting)
    # Read when a sign-in through the service needs them, not whenever a backend is made (a password sign-in).
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: discovery()["token_endpoint"])
    OIDC_OP_USER_ENDPOINT = property(lambda self: discovery().get("userinfo_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: discovery()["jwks_uri"])

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name != "oidc_callback":
            return None  # a password sign-in
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        # mozilla-django-oidc checks the signature and the nonce; the token must also be the issuer's, for us.
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != discovery()["issuer"] or settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not for this client from this issuer.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims and the userinfo endpoint's (Entra ID puts the groups in the ID token only)."""
        claims = dict(payload)
        if discovery().get("userinfo_endpoint"):
            claims.update(super().get_userinfo(access_token, id_token, payload))
        email = claims.get(settings.OIDC_EMAIL_CLAIM)
        claims["email"] = email.strip().lower() if isinstance(email, str) else ""
        return claims

    def verify_claims(self, claims):
        return "@" in claims["email"] and len(claims["email"]) <= 150

    def get_username(self, claims):
        email = claims["email"]
        taken = get_user_model().objects.filter(username=email).exists()
        return default_username_algo(email) if taken else email

    def create_user(self, claims):
        user = super().create_user(claims)
        user.first_name = str(claims.get("given_name", ""))[:150]
        user.last_name = str(claims.get("family_name", ""))[:150]
        user.save(update_fields=["first_name", "last_name"])
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        if not user.is_active:
            return user  # refused by the callback; nothing changes
        user_link_by_email(user=user, request=self.request)
        mapping = settings.OIDC_GROUP_ROLES
        if mapping:
            groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
            groups = groups if isinstance(groups, list) else [groups]
            names = {mapping[group] for group in groups if isinstance(group, str) and group in mapping}
            user_roles_set(user=user, names=names, only=set(mapping.values()), request=self.request)
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _configured(view):
    """404 where no identity service is configured; the anonymous may use it (it is the way in)."""

    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ISSUER:
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except requests.RequestException:
            logger.exception("The identity service did not answer")
            messages.error(request, _("Tunnistuspalveluun ei saatu yhteyttä. Yritä hetken kuluttua uudelleen."))
            return redirect("login")

    return login_not_required(wrapped)


class LoginView(auth_views.LoginView):
    """The password form, and the identity service's button where one is configured."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc": bool(settings.OIDC_ISSUER)}


class RequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)


class CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def login_failure(self):
        messages.error(
            self.request,
            _("Kirjautuminen tunnistuspalvelun kautta ei onnistunut, tai tunnuksesi ei ole käytössä Salkussa."),
        )
        return redirect("login")


authenticate = _configured(RequestView.as_view())
callback = _configured(CallbackView.as_view())
