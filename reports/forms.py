import re
from decimal import Decimal

from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, Measurement
from milestones.models import Milestone
from popsote.money import parse_euros
from popsote.text import CleanText
from portfolio.forms import DateInput, VersionedForm, mark_invalid, styled
from portfolio.models import Node, Risk

from .models import (
    Export,
    Light,
    MeasureReport,
    MilestoneReport,
    ReportingPeriod,
    RiskReport,
    RrfDeclaration,
    RrfTarget,
    StatusUpdate,
)
from .rrf import EVIDENCE_MAX_BYTES, is_rrf


class DraftMixin:
    """A form of a draft: the field's own checks only. Rules between fields (a reason for a yellow light, a date
    for an achieved milestone) are the model's ``clean()``, checked when the update is submitted, so a draft
    saves in whatever state it is."""

    def _post_clean(self):
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class StatusUpdateForm(DraftMixin, VersionedForm):
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
            self.fields[name].required = False
            self.fields[name].widget.attrs["class"] = "light-input"

    def clean(self):
        cleaned = super().clean()
        # Browsers send a textarea's lines with CRLF; keep the text as it was typed, not as it was sent.
        for name in ("done", "next_steps", "decisions", *(f"{light}_reason" for light in StatusUpdate.LIGHTS)):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].replace("\r\n", "\n")
        return cleaned

    def light_rows(self, proposals):
        """One row of the light matrix per light: (light field, reason field, proposal or None)."""
        return [(self[name], self[f"{name}_reason"], proposals.get(name)) for name in StatusUpdate.LIGHTS]


class RowForm(CleanText, DraftMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                mark_invalid(self[name])


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
        widgets = {"mitigation": forms.Textarea(attrs={"rows": 1})}


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


def row_forms(update, data=None):
    """``{part: [row form]}`` over exactly the update's own rows, each prefixed with its part and id
    (``milestones-12-status``), so rows added while the page is open need no renumbering.

    A row is bound only when ``data`` has its fields: a row that joined the draft after the page was drawn
    keeps its saved values.
    """
    forms_by_part = {}
    for part, (form_class, subject) in PARTS.items():
        forms_by_part[part] = []
        for row in getattr(update, part).select_related(subject):
            prefix = f"{part}-{row.pk}"
            bound = data is not None and any(key.startswith(prefix + "-") for key in data)
            forms_by_part[part].append(form_class(data if bound else None, instance=row, prefix=prefix))
    return forms_by_part


def changed_rows(forms_by_part):
    """``{part: {row id: values}}`` of the rows whose form changed, as ``status_update_save`` takes them;
    a field that does not validate is left out (the rest of the row is saved)."""
    changes = {}
    for part, row_forms_ in forms_by_part.items():
        changes[part] = {}
        for form in row_forms_:
            if form.is_bound and form.has_changed():
                form.is_valid()
                values = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
                if values:
                    changes[part][form.instance.pk] = values
    return changes


class NewMilestoneForm(CleanText, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "planned_date"]
        widgets = {"planned_date": DateInput}


class NewRiskForm(CleanText, forms.ModelForm):
    likelihood = forms.IntegerField(label=_("todennäköisyys (1–5)"), min_value=1, max_value=5, required=False)
    impact = forms.IntegerField(label=_("vaikutus (1–5)"), min_value=1, max_value=5, required=False)

    class Meta:
        model = Risk
        fields = ["title", "category", "likelihood", "impact", "mitigation"]
        widgets = {"mitigation": forms.TextInput}


class NewIndicatorForm(CleanText, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction"]


class NewMeasurementForm(CleanText, forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indikaattori"), queryset=Indicator.objects.none())
    value = forms.DecimalField(label=_("Arvo"), max_digits=14, decimal_places=2, localize=True)
    source = forms.CharField(label=_("Lähde"), max_length=300, required=False)

    def __init__(self, *args, update, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = (
            Indicator.objects.filter(node__programme=update.node.programme_id, archived_at__isnull=True)
            .exclude(pk__in=update.indicator_values.values("indicator"))
            .select_related("node")
        )
        self.fields["indicator"].label_from_instance = lambda item: f"{item.node.code} {item.name}"


# What may be added from inside the update's form, the form that asks for it, and who may (None: who reports).
NEW = {
    "milestones": (NewMilestoneForm, None),
    "indicator_values": (NewMeasurementForm, None),
    "indicators": (NewIndicatorForm, "indicators.define_indicator"),
    "risks": (NewRiskForm, None),
}


def new_forms(update, user, data=None, part=None):
    """``{part: form}`` of the additions ``user`` may make, prefixed ``uusi-<part>``; only ``part``'s is bound."""
    result = {}
    for name, (form_class, perm) in NEW.items():
        if perm is not None and not user.has_perm(perm):
            continue
        kwargs = {"update": update} if form_class is NewMeasurementForm else {}
        form = form_class(data if name == part else None, prefix=f"uusi-{name}", **kwargs)
        for field in form.fields.values():
            styled(field)
            field.widget.attrs["class"] += (
                " form-control-sm" if "form-control" in field.widget.attrs["class"] else " form-select-sm"
            )
        result[name] = form
    return result


class ReturnForm(CleanText, forms.Form):
    """The project office's comments when returning an update: on the whole, and on any section."""

    return_comment = forms.CharField(
        label=_("Mitä pitää korjata?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section, label in StatusUpdate.SECTIONS.items():
            self.fields[f"section_{section}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 1, "class": "form-control"})
            )

    def section_fields(self):
        return {section: self[f"section_{section}"] for section in StatusUpdate.SECTIONS}

    def comments(self):
        """``{section: text}`` of the sections commented on."""
        return {
            section: self.cleaned_data[f"section_{section}"].strip()
            for section in StatusUpdate.SECTIONS
            if self.cleaned_data.get(f"section_{section}", "").strip()
        }


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
        if not is_rrf(programme):
            self.fields["kind"].choices = [c for c in Export.Kind.choices if c[0] != Export.Kind.RRF_PACK_ZIP]
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


TEXT_LIMIT = 10_000  # characters of one assessment or declaration: a few pages, never megabytes


def _text_field(label, rows=3, required=False, max_length=TEXT_LIMIT):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


def _date_field(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


def _in_range(value):
    if value is not None and not 2000 <= value.year <= 2100:
        raise forms.ValidationError(_("Päivämäärän pitää olla vuosina 2000–2100."))
    return value


class EvaluationRoundForm(CleanText, forms.Form):
    """A new evaluation round: by default the half year, its scale as the office sets it."""

    start = _date_field(_("Alkaa"))
    end = _date_field(_("Päättyy"))
    scale = _text_field(_("Arviointiasteikko (yksi arvo riviä kohden)"), rows=4, required=True, max_length=1000)

    def clean_start(self):
        return _in_range(self.cleaned_data["start"])

    def clean_end(self):
        return _in_range(self.cleaned_data["end"])

    def clean_scale(self):
        values = [line.strip() for line in self.cleaned_data["scale"].splitlines() if line.strip()]
        if not 2 <= len(values) <= 12 or any(len(value) > 60 for value in values):
            raise forms.ValidationError(_("Anna asteikolle 2–12 arvoa, kukin enintään 60 merkkiä."))
        return "\n".join(values)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Jakso ei voi päättyä ennen kuin se alkaa."))
        return data


class GoalEvaluationForm(CleanText, forms.Form):
    """One goal's row of a round; the fields the user may not write are disabled (and ignored when sent)."""

    rating = forms.ChoiceField(label=_("Oma-arvio"), required=False)
    assessment = _text_field(_("Sanallinen arvio"))
    evidence = _text_field(_("Näyttö: asiakirjat ja linkit"), rows=2)
    thl_rating = forms.ChoiceField(label=_("THL:n arvio"), required=False)
    thl_assessment = _text_field(_("THL:n sanallinen arvio"), rows=2)

    def __init__(self, *args, row, scale, may_self, may_thl, **kwargs):
        initial = {name: getattr(row, name) for name in self.base_fields}
        super().__init__(*args, prefix=f"g{row.pk}", initial=initial, **kwargs)
        self.row = row
        choices = [("", "–"), *((value, value) for value in scale)]
        for name in ("rating", "thl_rating"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["class"] = "form-select"
        for name in ("rating", "assessment", "evidence"):
            self.fields[name].disabled = not may_self
        for name in ("thl_rating", "thl_assessment"):
            self.fields[name].disabled = not may_thl

    def changes(self):
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not self.fields[name].disabled and value != getattr(self.row, name)
        }


class RrfTargetForm(VersionedForm):
    class Meta:
        model = RrfTarget
        fields = ["kind", "number", "description", "baseline", "target_value", "target_date", "status", "progress"]
        widgets = {
            "target_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_target_date(self):
        return _in_range(self.cleaned_data["target_date"])

    def clean_description(self):
        return self.cleaned_data["description"][:TEXT_LIMIT]

    def clean_progress(self):
        if len(self.cleaned_data["progress"]) > TEXT_LIMIT:
            raise forms.ValidationError(_("Teksti on liian pitkä."))
        return self.cleaned_data["progress"]


class RrfEvidenceForm(CleanText, forms.Form):
    description = forms.CharField(label=_("Kuvaus"), max_length=300)
    file = forms.FileField(label=_("Tiedosto (enintään 20 Mt)"), required=False)
    link = forms.URLField(label=_("tai linkki"), max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("Tiedosto on yli 20 Mt."))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("link"):
            raise forms.ValidationError(_("Lisää tiedosto tai linkki."))
        return data


class RrfProgressForm(CleanText, forms.Form):
    """A target's progress in one of its programme's open reporting periods (``periods``: read once for a page of
    targets, newest first)."""

    period = forms.TypedChoiceField(label=_("Raportointikausi"), coerce=int)
    value = forms.CharField(label=_("Saavutettu arvo"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Tila"), choices=RrfTarget.Status.choices)
    text = _text_field(_("Eteneminen kaudella"), rows=2)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {period.pk: period for period in periods}
        self.fields["period"].choices = [(period.pk, str(period)) for period in periods]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"
        for name in ("period", "status"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def clean_period(self):
        return self.periods[self.cleaned_data["period"]]


def open_periods(programme):
    return list(programme.reporting_periods.filter(status=ReportingPeriod.Status.OPEN).order_by("-month"))


RECIPIENT_LINE = re.compile(r"^(?P<name>[^;]+);(?P<business_id>[^;]*);(?P<amount>[^;]+)$")
BUSINESS_ID = re.compile(r"^\d{7}-\d$")


def _amount(text):
    try:
        value = parse_euros(text)
    except ValueError:
        return None
    return value.quantize(Decimal("0.01")) if abs(value) < 10**12 else None


class RrfDeclarationForm(CleanText, forms.Form):
    """A declaration of an RRF programme; recipients one a line as ``name; business ID; amount``."""

    kind = forms.ChoiceField(
        label=_("Ilmoitus"), choices=RrfDeclaration.Kind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    date = _date_field(_("Päivämäärä"))
    text = _text_field(_("Ilmoitus"), rows=4, required=True)
    other_funding = _text_field(_("Muu EU-rahoitus samoihin kustannuksiin (tyhjä: ei ole)"), rows=2)
    recipients = _text_field(
        _("Tuensaajat ja toimeksisaajat: nimi; Y-tunnus; summa, yksi riviä kohden"), rows=3, max_length=50_000
    )

    def clean_date(self):
        return _in_range(self.cleaned_data["date"])

    def clean_recipients(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["recipients"].splitlines(), start=1):
            if not line.strip():
                continue
            match = RECIPIENT_LINE.match(line.strip())
            amount = _amount(match["amount"]) if match else None
            business_id = match["business_id"].strip() if match else ""
            if match is None or amount is None or (business_id and not BUSINESS_ID.match(business_id)):
                raise forms.ValidationError(
                    _(
                        "Rivi {number}: kirjoita nimi; Y-tunnus (1234567-8); summa, esim. Yritys Oy; 1234567-8; 12 000,00"
                    ).format(number=number)
                )
            rows.append({"name": match["name"].strip()[:200], "business_id": business_id, "amount": amount})
        if len(rows) > 500:
            raise forms.ValidationError(_("Enintään 500 riviä."))
        return rows
