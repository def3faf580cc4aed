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


# Filters and fields that the models do not describe: the domain's words in Finnish and English.
PARAMETER_HELP = {
    "node": gettext_lazy("Kohteen (node) id: hanke, osahanke tai toimenpide."),
    "node__programme": gettext_lazy("Hankkeen (programme) id: kaikki hankkeen kohteet."),
    "programme": gettext_lazy("Hankkeen (programme) id."),
    "period": gettext_lazy("Raportointikauden (reporting period) id."),
    "period__programme": gettext_lazy("Hankkeen (programme) id: hankkeen kaikkien kausien katsaukset."),
    "person": gettext_lazy("Henkilön (person) id: kohteet, joissa hänellä on vastuu (responsible person)."),
    "organisation": gettext_lazy("Organisaation tai alueen (organisation, area) id."),
    "owner": gettext_lazy("Vastuuhenkilön (owner) id."),
    "parent": gettext_lazy("Ylätason (parent) id."),
    "category": gettext_lazy("Kustannuslajin (cost category) id."),
    "plan": gettext_lazy("Suunnitelmaversion (plan version) id."),
    "plan__is_current": gettext_lazy("true: vain voimassa olevat suunnitelmaversiot (current plan versions only)."),
    "is_current": gettext_lazy("true: vain voimassa oleva suunnitelmaversio (current only)."),
    "eligible": gettext_lazy("Valtionavustukseen oikeuttava (eligible for the state grant)."),
    "funder": gettext_lazy("Rahoittajan (funder) id."),
    "imported_by": gettext_lazy("Tuojan (user who imported) id."),
    "requested_by": gettext_lazy("Pyytäjän (user who requested) id."),
    "indicator": gettext_lazy("Indikaattorin (indicator) id."),
    "update": gettext_lazy("Tilannekatsauksen (status update) id."),
    "ledger_import": gettext_lazy("Kirjanpidon otteen tuonnin (ledger import) id."),
    "ledger_import__isnull": gettext_lazy("true: käsin kirjatut toteumat; false: tuodut (typed in / imported)."),
    "is_interim": gettext_lazy("true: välitavoitteet (interim targets); false: lopulliset tavoitteet."),
    "national": gettext_lazy("true: kansalliset indikaattorit (national indicators)."),
    "month": gettext_lazy("Kuukausi (month), kuukauden ensimmäinen päivä, esim. 2025-11-01."),
    "month__gte": gettext_lazy("Kuukausi tästä alkaen (from month)."),
    "month__lte": gettext_lazy("Kuukausi tähän asti (until month)."),
    "year": gettext_lazy("Vuosi (year)."),
    "quarter": gettext_lazy("Kvartaali (quarter) 1–4."),
}
FIELD_HELP = {
    "url": gettext_lazy("Tämän tiedon osoite API:ssa (this object's URL)."),
    "id": gettext_lazy("Tunniste (id)."),
    "count": gettext_lazy("Rivejä yhteensä kaikilla sivuilla (rows on all pages)."),
    "next": gettext_lazy("Seuraavan sivun osoite (next page); tyhjä viimeisellä sivulla."),
    "previous": gettext_lazy("Edellisen sivun osoite (previous page); tyhjä ensimmäisellä sivulla."),
    "results": gettext_lazy("Tämän sivun rivit (rows of this page)."),
}


def describe(result, generator, request, public):
    """Spectacular hook: describe the filters and fields the models and filters leave without words."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if not parameter.get("description") and parameter["name"] in PARAMETER_HELP:
                    parameter["description"] = str(PARAMETER_HELP[parameter["name"]])
    for schema in result.get("components", {}).get("schemas", {}).values():
        for name, field in (schema.get("properties") or {}).items():
            if not field.get("description") and name in FIELD_HELP:
                field["description"] = str(FIELD_HELP[name])
    return result
