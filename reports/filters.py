import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from popsote.text import CleanTextForm
from portfolio.models import Node

from .models import Export


class ExportFilter(django_filters.FilterSet):
    """The archive of generated reports and exports: by programme, kind, month and state."""

    programme = django_filters.ModelChoiceFilter(
        queryset=Node.objects.programmes(),
        label=_("Hanke"),
        empty_label=_("Kaikki hankkeet"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = django_filters.ChoiceFilter(
        choices=Export.Kind.choices,
        label=_("Tyyppi"),
        empty_label=_("Kaikki tyypit"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    month = django_filters.DateFilter(
        field_name="period__month",
        label=_("Kausi (kk/vvvv)"),
        input_formats=["%m/%Y", "%Y-%m"],
        method="by_month",
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    status = django_filters.ChoiceFilter(
        choices=Export.Status.choices,
        label=_("Tila"),
        empty_label=_("Kaikki tilat"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Export
        fields = ["programme", "kind", "month", "status"]
        form = CleanTextForm

    def by_month(self, queryset, name, value):
        return queryset.filter(period__month=value.replace(day=1))
