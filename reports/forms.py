from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import Node

from .models import Export


class ExportRequestForm(forms.Form):
    """Which report or export of a programme to make: its kind, period and (for a PDF) one sub-project."""

    kind = forms.ChoiceField(label=_("Raportti tai vienti"), choices=Export.Kind.choices)
    period = forms.ModelChoiceField(label=_("Raportointikausi"), queryset=None, required=False)
    node = forms.ModelChoiceField(
        label=_("Vain yksi osahanke"), queryset=None, required=False, empty_label=_("Koko hanke")
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = programme.reporting_periods.order_by("-month")
        self.fields["period"].label_from_instance = lambda period: (
            f"{period.month:%m/%Y} ({period.get_status_display()})"
        )
        self.fields["node"].queryset = (
            Node.objects.active().filter(programme=programme).exclude(kind__in=[Node.Kind.PROGRAMME, Node.Kind.MEASURE])
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        if data.get("kind") in Export.PERIOD_KINDS and not data.get("period"):
            self.add_error("period", _("Valitse raportointikausi."))
        if data.get("node") and data.get("kind") not in (Export.Kind.MONTHLY_PDF, Export.Kind.COSTS_XLSX):
            self.add_error("node", _("Yhden osahankkeen voi valita vain kuukausiraporttiin ja kustannusarvioon."))
        return data
