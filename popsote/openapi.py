"""The OpenAPI schema's shared parts: the error shape every operation may answer with."""

from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorRowSerializer(serializers.Serializer):
    row = serializers.CharField(
        help_text=gettext_lazy("Rivin numero tiedostossa (otsikkorivi on 1); tyhjä koko tiedostolle.")
    )
    column = serializers.CharField(
        help_text=gettext_lazy("Sarake, jota syy koskee; tyhjä koko riville tai tiedostolle.")
    )
    reason = serializers.CharField(help_text=gettext_lazy("Syy suomeksi tai pyynnön kielellä."))


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error response."""

    code = serializers.CharField(
        help_text=gettext_lazy(
            "Koneluettava syy: invalid, not_authenticated, authentication_failed, permission_denied, not_found, "
            "method_not_allowed, unsupported_media_type, precondition_required, precondition_failed, throttled, "
            "rejected…"
        )
    )
    message = serializers.CharField(help_text=gettext_lazy("Selitys pyynnön kielellä (Accept-Language: fi, sv, en)."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy("Kenttäkohtaiset virheet; non_field_errors koskee koko pyyntöä."),
    )
    rows = ErrorRowSerializer(many=True, required=False, help_text=gettext_lazy("Hylätyn tiedoston rivit ja syyt."))


ERROR_CODES = {
    "400": gettext_lazy("Virheellinen pyyntö: kenttäkohtaiset virheet errors-kentässä."),
    "401": gettext_lazy("Ei kirjautunut, tai API-tunnus puuttuu, on vanhentunut tai peruttu."),
    "403": gettext_lazy("Roolisi ei salli tätä."),
    "404": gettext_lazy("Ei löydy."),
    "405": gettext_lazy("Menetelmä ei ole sallittu."),
    "406": gettext_lazy("Pyydettyä esitysmuotoa ei ole."),
    "415": gettext_lazy("Sisältötyyppi ei kelpaa."),
    "429": gettext_lazy("Liian monta pyyntöä; yritä hetken kuluttua (Retry-After)."),
}
PRECONDITION_CODES = {
    "412": gettext_lazy("If-Match ei vastaa tiedon nykyistä versiota: joku muutti tietoa, mitään ei tallennettu."),
    "428": gettext_lazy("If-Match-otsake puuttuu."),
}


class Schema(AutoSchema):
    """Documents the error responses every operation may give, in the one error shape."""

    def _get_response_bodies(self, direction="response"):
        from drf_spectacular.utils import OpenApiResponse

        responses = super()._get_response_bodies(direction)
        codes = dict(ERROR_CODES)
        if any(getattr(p, "name", None) == "If-Match" for p in self.get_override_parameters()):
            codes.update(PRECONDITION_CODES)
        if getattr(self.view, "conflicts", False) and self.method != "GET":
            codes["409"] = gettext_lazy(
                "Ei nykyisessä tilassa: kausi on suljettu (closed), katsaus on hyväksytty ja lukittu (locked), "
                "lähetetty (submitted)…; code kertoo syyn."
            )
        for code, description in codes.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=str(description)), code, direction=direction
                )
        return responses
