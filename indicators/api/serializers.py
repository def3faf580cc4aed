from django.utils.translation import gettext_lazy as _

from portfolio.api.base import ModelSerializer
from portfolio.api.serializers import NodeChildSerializer, creating, described

from .. import forms
from ..models import Indicator, IndicatorTarget


class IndicatorTargetSerializer(ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["id", "indicator", "value", "year", "quarter", "is_interim", "version"]
        extra_kwargs = described(
            "id",
            "version",
            indicator=_("Indikaattori (indicator)."),
            value=_("Tavoitearvo (target value), desimaalimerkkijono."),
            year=_("Vuosi (year)."),
            quarter=_("Kvartaali (quarter) 1–4: tavoite on saavutettava tämän kvartaalin loppuun mennessä."),
            is_interim=_("Välitavoite (interim target) ennen lopullista tavoitetta."),
        )


class IndicatorSerializer(NodeChildSerializer):
    editable = "indikaattori"
    targets = IndicatorTargetSerializer(many=True, read_only=True, help_text=_("Tavoitteet (targets) kvartaaleittain."))

    class Meta:
        model = Indicator
        form = forms.IndicatorForm
        fields = [
            "url",
            "id",
            "node",
            "name",
            "national",
            "unit",
            "direction",
            "baseline",
            "text",
            "targets",
            "position",
            "archived_at",
            "version",
        ]
        read_only_fields = ["node", "position", "archived_at", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:indicator-detail"},
            **described(
                "node",
                "name",
                "text",
                "position",
                "archived_at",
                "version",
                national=_("Kansallinen indikaattori (national indicator)."),
                unit=_("Yksikkö (unit), esim. %."),
                direction=_("Suunta (direction): kasvava on parempi (increase) tai laskeva on parempi (decrease)."),
                baseline=_("Lähtötaso (baseline)."),
            ),
        }


IndicatorCreateSerializer = creating(IndicatorSerializer)
