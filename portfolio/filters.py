import django_filters
from django import forms
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from popsote.text import CleanTextForm

from .models import FundingDecision, Goal, Node, Organisation, Person, Task

SELECTED = " selected"

# A search costs at most a normal page: a few words, each matched through a trigram index
# (migration 0005), which needs at least three characters to help.
SEARCH_MAX_WORDS = 6
SEARCH_MIN_WORD = 3
SEARCH_MAX_LENGTH = 200


class SearchField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        kwargs.setdefault(
            "help_text",
            _("Enintään {words} sanaa; sanoista haetaan ne, joissa on vähintään {length} merkkiä.").format(
                words=SEARCH_MAX_WORDS, length=SEARCH_MIN_WORD
            ),
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if len(value.split()) > SEARCH_MAX_WORDS:
            raise forms.ValidationError(
                _("Hae enintään {count} sanalla.").format(count=SEARCH_MAX_WORDS), code="too_many_words"
            )


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


def search_words(value):
    """The words of a search that are looked for in texts (short ones are left out: "ja", "ei")."""
    return [word for word in value.split() if len(word) >= SEARCH_MIN_WORD]


class NodeFilter(django_filters.FilterSet):
    """Search and filters of the portfolio, shared by the overview page and the API."""

    q = SearchFilter(method="search", label=_("Hakusana"))
    programme = django_filters.ModelChoiceFilter(
        queryset=Node.objects.programmes().active().only("code", "name"),
        field_name="programme",
        label=_("Hanke"),
        empty_label=_("Kaikki hankkeet"),
    )
    person = django_filters.ModelChoiceFilter(
        queryset=Person.objects.only("name"),
        field_name="responsibilities__person",
        distinct=True,
        label=_("Henkilö"),
        empty_label=_("Kaikki henkilöt"),
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.only("name", "short_name"),
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
        form = CleanTextForm

    def search(self, queryset, name, value):
        """Nodes whose texts (name, description, goals, tasks) hold every word, or whose code is the search.

        Each word is looked up once per table through its trigram index (uncorrelated ``IN`` subqueries
        the planner hashes), never joined: a join per word multiplied the rows.
        """
        matches = Q()
        for word in search_words(value):
            texts = Node.objects.filter(
                Q(code__iexact=word)
                | Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(description__icontains=word)
            )
            matches &= (
                Q(pk__in=texts.values("pk"))
                | Q(pk__in=Goal.objects.filter(text__icontains=word).values("node_id"))
                | Q(pk__in=Task.objects.filter(text__icontains=word).values("node_id"))
            )
        code = Q(code__iexact=value.strip())
        return queryset.filter((matches | code) if matches else code)

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


def filter_fields(form, names=None):
    """The form's fields (those ``names``, in the form's order) for a row of filters, each with its ``<option>``
    elements when it is a select, None otherwise: made once per field here, where a template's loop over a
    hundred persons cost a fifth of the page."""
    fields = []
    for field in form:
        if names is not None and field.name not in names:
            continue
        options = None
        if field.field.widget.input_type == "select":
            current = "" if field.value() is None else str(field.value())
            # Escaped and joined as plain strings: format_html's checks per option cost more than the rest.
            options = mark_safe(
                "".join(
                    f'<option value="{escape(value)}"{SELECTED if str(value) == current else ""}>{escape(label)}</option>'
                    for value, label in _choices(field.field)
                )
            )
        fields.append((field, options))
    return fields


def _choices(field):
    """A select's (value, label) pairs. A model choice's rows are read as a plain query: the field's own iterator
    opens a server-side cursor, which for a few dozen rows cost three times the processor time of the page's
    other queries."""
    if not isinstance(field, forms.ModelChoiceField):
        return field.choices
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return empty + [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset]
