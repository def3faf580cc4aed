import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import FundingDecision, Node, Organisation, Person


class NodeFilter(django_filters.FilterSet):
    """Search and filters of the portfolio, shared by the overview page and the API."""

    q = django_filters.CharFilter(method="search", label=_("Hakusana"))
    programme = django_filters.ModelChoiceFilter(
        queryset=Node.objects.programmes().active(),
        field_name="programme",
        label=_("Hanke"),
        empty_label=_("Kaikki hankkeet"),
    )
    person = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(),
        field_name="responsibilities__person",
        distinct=True,
        label=_("Henkilö"),
        empty_label=_("Kaikki henkilöt"),
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(),
        method="by_organisation",
        label=_("Organisaatio tai alue"),
        empty_label=_("Kaikki organisaatiot"),
    )
    source = django_filters.ChoiceFilter(
        choices=FundingDecision.Source.choices,
        field_name="programme__funding_decisions__source",
        distinct=True,
        label=_("Rahoituslähde"),
        empty_label=_("Kaikki rahoituslähteet"),
    )
    kind = django_filters.ChoiceFilter(choices=Node.Kind.choices, label=_("Tyyppi"), empty_label=_("Kaikki tyypit"))

    # Filters that pick nodes out of the tree; the others only choose which programmes to show.
    SEARCH_FIELDS = ("q", "person", "organisation", "kind")

    class Meta:
        model = Node
        fields = ["q", "programme", "source", "person", "organisation", "kind"]

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(code__iexact=word)
                | Q(description__icontains=word)
                | Q(goals__text__icontains=word)
                | Q(tasks__text__icontains=word)
            )
        return queryset.distinct() if words else queryset

    def by_organisation(self, queryset, name, value):
        return queryset.filter(
            Q(owner=value)
            | Q(partners__organisation=value)
            | Q(responsibilities__organisation=value)
            | Q(responsibilities__person__organisation=value)
            | Q(partners__organisation__parent=value)
        ).distinct()

    @property
    def is_search(self):
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return any(data.get(field) for field in self.SEARCH_FIELDS)
