"""Personal API tokens: ``Authorization: Bearer slk_…`` (README "API")."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling

from ..models import ApiToken
from ..services import API_TOKEN_PREFIX, api_token_digest


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A user's own token; only its digest is stored, so it is looked up by its SHA-256."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization-otsakkeen muoto on: Bearer <tunnus>."))
        try:
            token = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("API-tunnus ei kelpaa.")) from None
        row = None
        if token.startswith(API_TOKEN_PREFIX):
            row = ApiToken.objects.select_related("user").filter(digest=api_token_digest(token)).first()
        if row is None:
            raise exceptions.AuthenticationFailed(_("API-tunnus ei kelpaa."))
        if row.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("API-tunnus on peruttu. Tee uusi tunnus omalla sivullasi."))
        now = timezone.now()
        if row.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("API-tunnus on vanhentunut. Tee uusi tunnus omalla sivullasi."))
        if not row.user.is_active:
            raise exceptions.AuthenticationFailed(_("Käyttäjätunnus ei ole käytössä."))
        # One write a minute at most, not one per request.
        if row.last_used_at is None or row.last_used_at < now - timedelta(minutes=1):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return row.user, row

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenThrottle(throttling.SimpleRateThrottle):
    """Requests made with a token are counted per token (settings: API_TOKEN_RATE)."""

    scope = "api_token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "Henkilökohtainen API-tunnus (personal API token), tehdään sivulla Omat API-tunnukset. "
                "Authorization: Bearer slk_…"
            ),
        }
