from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from popsote.money import parse_euros
from popsote.text import CleanText, CleanTextForm

from . import extensions
from .models import FundingDecision, Node, Organisation, Person, Responsibility, Risk, Task


class EuroField(forms.DecimalField):
    """Euros as people type them: ``1 228 500``, ``1228500,00``, ``1 228 500 €``; never negative."""

    default_error_messages = {
        "invalid": _("Anna rahamäärä euroina, esimerkiksi 1 228 500 tai 1228500,00."),
        "min_value": _("Rahamäärä ei voi olla negatiivinen."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_euros(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


class MonthField(forms.DateField):
    """A month as people type it (``2024-05``), kept as its first day; a date that is not a first day is refused."""

    default_error_messages = {"invalid": _("Anna kuukausi muodossa vvvv-kk.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date) and not isinstance(value, datetime) and value.day != 1:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def model_values(form):
    """A validated ModelForm's values of its model's fields: what a service takes."""
    return {name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}


def initial_values(form):
    """An unbound form's starting values (the object's as saved), as data for a bound one: changes go on top."""
    return {name: form[name].initial for name in form.fields if name != "version"}


def styled(field):
    if not field.widget.is_hidden:
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return field


class VersionedForm(CleanText, forms.ModelForm):
    """Carries the version the user started from, so a save based on a stale copy can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        for field in self.fields.values():
            styled(field)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                mark_invalid(self[name])


def mark_invalid(bound_field):
    """Mark a field that has an error: ``aria-invalid``, Bootstrap's red border, and the error tied to it for
    screen readers (the template gives the error the id ``<field id>_error``)."""
    attrs = bound_field.field.widget.attrs
    ids = [f"{bound_field.auto_id}_error"] + ([f"{bound_field.auto_id}_helptext"] if bound_field.help_text else [])
    attrs["aria-describedby"] = " ".join(ids)
    attrs["aria-invalid"] = "true"
    if "is-invalid" not in attrs.get("class", "").split():
        attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()


class PeriodMixin:
    """End not before start; a child's period within its programme's period."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Päättymispäivä ei voi olla ennen alkamispäivää."))
        programme = self.period_programme()
        if programme is not None and programme.start and programme.end:
            span = "{start}–{end}".format(
                start=date_format(programme.start, "SHORT_DATE_FORMAT"),
                end=date_format(programme.end, "SHORT_DATE_FORMAT"),
            )
            for field in ("start", "end"):
                value = cleaned.get(field)
                if value and not programme.start <= value <= programme.end:
                    self.add_error(
                        field,
                        _("Päivämäärä on hankkeen {name} aikataulun ({span}) ulkopuolella.").format(
                            name=programme.short_name or programme.name, span=span
                        ),
                    )
        return cleaned

    def period_programme(self):
        return None


class NodeForm(PeriodMixin, VersionedForm):
    """A node's own fields, and those other apps add (``portfolio.extensions.node_field``) that ``user`` may write."""

    class Meta:
        model = Node
        fields = ["kind", "code", "name", "short_name", "description", "start", "end", "owner", "reports_monthly"]
        widgets = {"start": DateInput, "end": DateInput, "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, parent=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for extra in extensions.node_fields():
            if user is None or user.has_perm(extra.perm):
                self.fields[extra.name] = styled(extra.form_field())
                if self.instance.pk:
                    self.fields[extra.name].initial = extra.initial(self.instance)
        self.parent = parent if parent is not None else self.instance.parent
        self.fields["owner"].queryset = Organisation.objects.filter(archived_at__isnull=True)
        if self.parent is None:
            self.fields["kind"].choices = [(Node.Kind.PROGRAMME, Node.Kind.PROGRAMME.label)]
            self.fields["kind"].initial = Node.Kind.PROGRAMME
        else:
            self.fields["kind"].choices = [c for c in Node.Kind.choices if c[0] != Node.Kind.PROGRAMME]

    def extra_values(self):
        """The other apps' fields as validated, for their services."""
        return {
            extra.name: self.cleaned_data[extra.name] for extra in extensions.node_fields() if extra.name in self.fields
        }

    def period_programme(self):
        return None if self.parent is None else self.parent.programme

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if self.parent is not None:
            clash = Node.objects.filter(programme=self.parent.programme_id, code=code)
        else:
            clash = Node.objects.filter(parent__isnull=True, code=code)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Tunnus {code} on jo käytössä tässä hankkeessa.").format(code=code))
        return code


class MoveForm(VersionedForm):
    class Meta:
        model = Node
        fields = ["parent"]
        labels = {"parent": _("Uusi ylätaso")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        node = self.instance
        # Under any other node of the programme but a measure, where the user may edit.
        nodes = Node.objects.active().filter(programme=node.programme_id).exclude(kind=Node.Kind.MEASURE)
        allowed = [item.pk for item in nodes if item.pk != node.pk and user.has_perm("portfolio.edit_node", item)]
        self.fields["parent"].required = True
        self.fields["parent"].queryset = Node.objects.filter(pk__in=allowed)
        self.fields["parent"].empty_label = None

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        lineage = []
        current = parent
        while current is not None:
            lineage.append(current.pk)
            current = current.parent
        if self.instance.pk in lineage:
            raise forms.ValidationError(_("Kohdetta ei voi siirtää itsensä tai oman alatasonsa alle."))
        if parent.programme_id != self.instance.programme_id:
            raise forms.ValidationError(_("Kohteen voi siirtää vain saman hankkeen sisällä."))
        return parent


class FundingDecisionForm(PeriodMixin, VersionedForm):
    amount = EuroField(label=_("Myönnetty summa (€)"), required=False)

    class Meta:
        model = FundingDecision
        fields = [
            "funder",
            "number",
            "title",
            "date",
            "amount",
            "grant_rate",
            "eligible_start",
            "eligible_end",
            "period_text",
            "source",
            "note",
        ]
        widgets = {"date": DateInput, "eligible_start": DateInput, "eligible_end": DateInput}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("eligible_start"), cleaned.get("eligible_end")
        if start and end and end < start:
            self.add_error("eligible_end", _("Päättymispäivä ei voi olla ennen alkamispäivää."))
        rate = cleaned.get("grant_rate")
        if rate is not None and not 0 <= rate <= 100:
            self.add_error("grant_rate", _("Avustusprosentin pitää olla 0–100."))
        return cleaned


class TaskForm(VersionedForm):
    class Meta:
        model = Task
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class ResponsibilityForm(VersionedForm):
    class Meta:
        model = Responsibility
        fields = ["person", "role", "note"]

    def __init__(self, *args, node=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.node = node or self.instance.node
        self.fields["person"].queryset = Person.objects.filter(archived_at__isnull=True)

    def clean(self):
        cleaned = super().clean()
        person, role = cleaned.get("person"), cleaned.get("role")
        clash = Responsibility.objects.filter(node=self.node, person=person, role=role).exclude(pk=self.instance.pk)
        if person and role and clash.exists():
            self.add_error("person", _("Henkilöllä on jo tämä rooli tässä kohteessa."))
        return cleaned


class PersonForm(VersionedForm):
    class Meta:
        model = Person
        fields = ["name", "title", "organisation", "email", "phone", "user"]


class OrganisationForm(VersionedForm):
    class Meta:
        model = Organisation
        fields = ["key", "name", "short_name", "kind", "business_id", "parent"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        current = parent
        while current is not None:
            if current.pk == self.instance.pk:
                raise forms.ValidationError(_("Organisaatio ei voi kuulua itseensä."))
            current = current.parent
        return parent


class RiskForm(VersionedForm):
    likelihood = forms.IntegerField(label=_("todennäköisyys (1–5)"), min_value=1, max_value=5, required=False)
    impact = forms.IntegerField(label=_("vaikutus (1–5)"), min_value=1, max_value=5, required=False)

    class Meta:
        model = Risk
        fields = ["category", "title", "description", "likelihood", "impact", "mitigation", "owner", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "mitigation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, node=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(archived_at__isnull=True)


class FeedbackForm(CleanTextForm):
    """Accessibility feedback: anyone may send it, signed in or not."""

    message = forms.CharField(
        label=_("Palaute"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("Kerro, millä sivulla ja missä kohdassa ongelma on ja mitä yritit tehdä."),
    )
    email = forms.EmailField(
        label=_("Sähköpostiosoite, jos haluat vastauksen"),
        required=False,
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
    )
