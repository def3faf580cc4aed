from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from indicators.models import Measurement
from popsote.text import CleanText
from portfolio.forms import DateInput, VersionedForm, model_values
from portfolio.models import Node

from .models import Export, Light, MeasureReport, MilestoneReport, ReportingPeriod, RiskReport, StatusUpdate


class StatusUpdateForm(VersionedForm):
    class Meta:
        model = StatusUpdate
        fields = StatusUpdate.LEAD_FIELDS
        widgets = {
            **dict.fromkeys(StatusUpdate.LIGHTS, forms.RadioSelect),
            **{
                f"{name}_reason": forms.Textarea(attrs={"rows": 2, "class": "form-control"})
                for name in StatusUpdate.LIGHTS
            },
            "done": forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
            "next_steps": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            "decisions": forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in StatusUpdate.LIGHTS:
            self.fields[name].choices = Light.choices
            self.fields[name].required = True
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def light_rows(self):
        """(light field, reason field, proposed light) for the template."""
        return [
            (self[name], self[f"{name}_reason"], getattr(self.instance, f"proposed_{name}", ""))
            for name in StatusUpdate.LIGHTS
        ]


class RowForm(CleanText, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class MeasureReportForm(RowForm):
    class Meta:
        model = MeasureReport
        fields = ["status", "percent", "note"]


class MilestoneReportForm(RowForm):
    class Meta:
        model = MilestoneReport
        fields = ["status", "actual_date"]
        widgets = {"actual_date": DateInput}


class RiskReportForm(RowForm):
    class Meta:
        model = RiskReport
        fields = ["likelihood", "impact", "status", "mitigation"]
        widgets = {"mitigation": forms.Textarea(attrs={"rows": 2})}


class MeasurementForm(RowForm):
    value = forms.DecimalField(label=_("arvo"), max_digits=14, decimal_places=2, required=False, localize=True)

    class Meta:
        model = Measurement
        fields = ["value", "source"]


PARTS = {
    "measures": (MeasureReportForm, "measure"),
    "milestones": (MilestoneReportForm, "milestone"),
    "risks": (RiskReportForm, "risk"),
    "indicator_values": (MeasurementForm, "indicator"),
}


def part_formsets(update, data=None):
    """One formset per kind of row of the update, over exactly the update's own rows."""
    formsets = []
    for related, (form_class, subject) in PARTS.items():
        formset_class = modelformset_factory(form_class.Meta.model, form=form_class, extra=0, can_delete=False)
        queryset = getattr(update, related).select_related(subject)
        formsets.append(formset_class(data, queryset=queryset, prefix=related))
    return formsets


def changed_rows(formsets):
    """``{part: {row id: values}}`` of the rows whose form changed, as ``status_update_save`` takes them."""
    return {
        formset.prefix: {form.instance.pk: model_values(form) for form in formset.forms if form.has_changed()}
        for formset in formsets
    }


class ReturnForm(CleanText, forms.Form):
    return_comment = forms.CharField(
        label=_("Mitä pitää korjata?"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class PeriodForm(CleanText, forms.Form):
    month = forms.DateField(
        label=_("Kuukausi"),
        widget=forms.DateInput(attrs={"type": "month", "class": "form-control"}),
        input_formats=["%Y-%m", "%m/%Y", "%m.%Y"],
        help_text=_("Esimerkiksi 2025-11."),
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if not 2000 <= month.year <= 2100:  # the deadline is in the next month: 9999-12 has none
            raise forms.ValidationError(_("Kuukauden pitää olla vuosina 2000–2100."))
        if ReportingPeriod.objects.filter(programme=self.programme, month=month).exists():
            raise forms.ValidationError(_("Kausi {month} on jo avattu.").format(month=f"{month:%m/%Y}"))
        return month


class ExportRequestForm(CleanText, forms.Form):
    """Which report or export of a programme to make: its kind, period and (for a PDF) one sub-project."""

    kind = forms.ChoiceField(label=_("Raportti tai vienti"), choices=Export.Kind.choices)
    period = forms.ModelChoiceField(label=_("Raportointikausi"), queryset=None, required=False)
    node = forms.ModelChoiceField(
        label=_("Vain yksi osahanke"), queryset=None, required=False, empty_label=_("Koko hanke")
    )
    attention_first = forms.BooleanField(label=_("Keltaiset ja punaiset osahankkeet ensin"), required=False)

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
        self.fields["attention_first"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("kind") in Export.PERIOD_KINDS and not data.get("period"):
            self.add_error("period", _("Valitse raportointikausi."))
        if data.get("node") and data.get("kind") not in (Export.Kind.MONTHLY_PDF, Export.Kind.COSTS_XLSX):
            self.add_error("node", _("Yhden osahankkeen voi valita vain kuukausiraporttiin ja kustannusarvioon."))
        return data
