from decimal import Decimal
from html.parser import HTMLParser

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from popsote.seed import seed_directory, seed_load
from portfolio.models import Node, Person
from tests.factories import GoalFactory, MeasureFactory, NodeBudgetFactory, TaskFactory

pytestmark = pytest.mark.django_db


def node(code):
    return Node.objects.get(code=code)


def twice_the_data(tmp_path):
    """Load a second copy of the whole POPsote portfolio under other programme codes."""
    for path in seed_directory().glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        old = data["programme"]["code"]
        data["programme"]["code"] += "-KOPIO"
        for line in data.get("budget_lines") or []:
            line["node"] = data["programme"]["code"] if line["node"] == old else line["node"]
        (tmp_path / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    seed_load(directory=tmp_path)


@pytest.mark.parametrize("url_name", ["portfolio:overview", "portfolio:persons"])
def test_anonymous_visitor_is_sent_to_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitor_cannot_see_a_node_or_a_person(client, popsote):
    for url in (node("POPDIGI2").get_absolute_url(), Person.objects.first().get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_is_in_finnish(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="fi">' in response.content.decode()
    assert "Kirjaudu Salkkuun" in response.content.decode()


def test_overview_shows_every_programme_with_its_budget(logged_in, popsote):
    response = logged_in.get(reverse("portfolio:overview"))
    html = response.content.decode()
    for programme in Node.objects.programmes():
        assert programme.name in html
    assert "19\xa0083\xa0000\xa0€" in html


class _Selects(HTMLParser):
    """A page's selects: {name: [(value, label, selected)]}."""

    def __init__(self, html):
        super().__init__()
        self.found, self._select, self._option = {}, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = self.found.setdefault(attrs["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs["value"], "", "selected" in attrs]

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._select.append(tuple(self._option))
            self._option = None
        elif tag == "select":
            self._select = None


FILTERS = ("programme", "person", "organisation", "source", "kind")


def test_overview_filters_offer_each_fields_own_choices_with_the_chosen_one_selected(logged_in, popsote):
    person = Person.objects.get(name="Riikka Hirvasniemi")
    response = logged_in.get(reverse("portfolio:overview"), {"person": person.pk})
    html = response.content.decode()
    offered = _Selects(html).found
    form = response.context["filter"].form
    for name in FILTERS:
        own = [(str(value), str(label)) for value, label in form.fields[name].choices]
        assert [(value, label) for value, label, _selected in offered[name]] == own, name
    assert len(offered["person"]) == Person.objects.count() + 1  # and "Kaikki henkilöt"
    assert [label for _value, label, selected in offered["person"] if selected] == [person.name]
    chosen = {name: [value for value, _label, selected in offered[name] if selected] for name in FILTERS}
    assert chosen == {name: [str(person.pk)] if name == "person" else [""] for name in FILTERS}
    assert f'<option value="{person.pk}" selected>{person.name}</option>' in html


def test_overview_shows_where_a_budget_and_its_childrens_sum_disagree(logged_in, popsote):
    investment = Node.objects.get(code="P4I1")
    response = logged_in.get(reverse("portfolio:overview"), {"auki": investment.pk})
    rows = {row.node.code: row for row in response.context["rows"]}
    # Seed 002: "Lasten ja nuorten palveluiden kehittäminen" is budgeted 1 362 500 €, its measures 1 262 500 €.
    children = rows["P4I1-4"]
    assert children.node.budget == Decimal("1362500.00")
    assert children.children_sum == Decimal("1262500.00")
    assert children.difference == Decimal("100000.00")
    assert "100\xa0000\xa0€" in response.content.decode()
    # Where they agree nothing is flagged: the five investments make the whole 19 083 000 €.
    assert rows["POPDIGI2"].children_sum == Decimal("19083000.00")
    assert rows["POPDIGI2"].difference is None


def test_a_closed_row_counts_and_sums_the_children_its_opened_subtree_shows(logged_in, popsote):
    """The level below a closed row is read as ids alone: its count and sums are those the row has open."""
    overview = reverse("portfolio:overview")
    closed = [row for row in logged_in.get(overview).context["rows"] if row.closed]
    assert len(closed) >= 10
    for row in closed:
        opened = logged_in.get(overview, {"auki": row.node.pk}).context["rows"]
        own = next(item for item in opened if item.node.pk == row.node.pk)
        children = [item for item in opened if item.node.parent_id == row.node.pk]
        assert (row.children_sum, row.difference) == (own.children_sum, own.difference), row.node.code
        assert row.closed == len(children), row.node.code
        written = [child.node.budget for child in children if child.node.budget is not None]
        assert row.children_sum == (sum(written) if written else None), row.node.code


def test_overview_shows_the_first_level_and_opens_a_subtree_on_demand(logged_in, popsote):
    overview = reverse("portfolio:overview")
    rows = logged_in.get(overview).context["rows"]
    assert {row.depth for row in rows} == {0, 1}
    investment = next(row for row in rows if row.node.code == "P4I1")
    assert investment.closed == Node.objects.filter(parent=investment.node).count() == 5
    assert (investment.kind, investment.url) == ("Investointi", f"/kohde/{investment.node.pk}/")
    html = logged_in.get(overview).content.decode()
    toggle = f'hx-get="/kohde/{investment.node.pk}/alatasot/?syvyys=1"'
    assert toggle in html and f'href="?auki={investment.node.pk}#kohde-{investment.node.pk}"' in html

    # With JavaScript the subtree's rows replace the row; without it the page reloads with the subtree open.
    fragment = logged_in.get(reverse("portfolio:subtree", args=[investment.node.pk]), headers={"HX-Request": "true"})
    codes = [row.node.code for row in fragment.context["rows"]]
    assert [row.depth for row in fragment.context["rows"]][:3] == [1, 2, 3]  # P4I1, P4I1-1, P4I1-1-M1
    under = Node.objects.filter(programme__code="POPDIGI2", code__startswith="P4I1-").active().count()
    assert codes[0] == "P4I1" and len(codes) == 1 + under and "P4I1-4-M1" in codes
    assert toggle not in fragment.content.decode() and "<html" not in fragment.content.decode()
    plain = logged_in.get(reverse("portfolio:subtree", args=[investment.node.pk]))
    assert plain["Location"] == f"{overview}?auki={investment.node.pk}#kohde-{investment.node.pk}"
    opened = [row.node.code for row in logged_in.get(plain["Location"]).context["rows"]]
    assert opened[opened.index("P4I1") : opened.index("P4I1") + len(codes)] == codes
    assert logged_in.get(overview, {"auki": "9" * 40}).status_code == 200  # an odd id opens nothing


def test_a_programme_page_shows_its_first_level_and_opens_a_subtree_on_demand(logged_in, popsote):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    investment = Node.objects.get(programme=programme, code="P4I1")
    response = logged_in.get(programme.get_absolute_url())
    rows = response.context["rows"]
    assert [row.node.code for row in rows] == list(programme.children.active().values_list("code", flat=True))
    row = next(row for row in rows if row.node == investment)
    assert (row.depth, row.closed) == (1, 5)
    html = response.content.decode()
    assert f'hx-get="/kohde/{investment.pk}/alatasot/?syvyys=1"' in html
    assert f'href="?auki={investment.pk}#kohde-{investment.pk}"' in html
    assert "P4I1-4-M1" not in html

    # The subtree's rows sit at the depth of the page's table; without JavaScript the page opens it itself.
    fragment = logged_in.get(
        reverse("portfolio:subtree", args=[investment.pk]), {"syvyys": 1}, headers={"HX-Request": "true"}
    )
    assert [row.depth for row in fragment.context["rows"]][:3] == [1, 2, 3]
    opened = logged_in.get(programme.get_absolute_url(), {"auki": investment.pk}).context["rows"]
    codes = [row.node.code for row in opened]
    assert "P4I1-4-M1" in codes and codes.index("P4I1-4-M1") > codes.index("P4I1")
    assert [row.depth for row in opened if row.node.code == "P4I1-4-M1"] == [3]


def test_overview_opens_a_deep_node_under_its_ancestors(logged_in, popsote):
    """The page reads its programmes' first two levels; a node opened deeper comes with its ancestors."""
    unit = Node.objects.get(code="P4I1-4")
    rows = logged_in.get(reverse("portfolio:overview"), {"auki": unit.pk}).context["rows"]
    shown = [(row.node.code, row.depth) for row in rows]
    assert ("POPDIGI2", 0) in shown and ("P4I1", 1) in shown
    below = shown[shown.index(("P4I1-4", 2)) + 1 :]
    measures = unit.children.filter(archived_at__isnull=True).count()
    assert measures and [depth for _code, depth in below[:measures]] == [3] * measures
    assert ("P4I1-4-M1", 3) in below[:measures]
    # The other first-level rows stay closed, each with the number of its children.
    closed = {row.node.code: row.closed for row in rows if row.closed}
    assert closed["P3"] == Node.objects.get(code="P3", programme=unit.programme).children.active().count()


def test_overview_pages_by_programme(logged_in, popsote):
    from tests.factories import ProgrammeFactory

    for number in range(9):
        ProgrammeFactory(code=f"SIVU{number}", name=f"Sivutettava hanke {number}")
    first = logged_in.get(reverse("portfolio:overview"))
    programmes = [row.node.name for row in first.context["rows"] if row.depth == 0]
    assert len(programmes) == 10 and programmes == sorted(programmes)
    assert "Hankkeet 1–10 / 12" in first.content.decode()
    second = logged_in.get(reverse("portfolio:overview"), {"sivu": 2})
    rest = [row.node.name for row in second.context["rows"] if row.depth == 0]
    assert len(rest) == 2 and not set(rest) & set(programmes)
    assert logged_in.get(reverse("portfolio:overview"), {"sivu": "x\x00"}).status_code == 200


def test_overview_filters_by_funding_source(logged_in, popsote):
    response = logged_in.get(reverse("portfolio:overview"), {"source": "eu_rrf"})
    programmes = {row.node.code for row in response.context["rows"] if row.depth == 0}
    assert programmes == {"POPDIGI2"}


def test_overview_search_by_person_lists_their_nodes_with_their_place(logged_in, popsote):
    person = Person.objects.get(name="Päivi Harju")
    response = logged_in.get(reverse("portfolio:overview"), {"person": person.pk})
    found = {match.name for match, _path in response.context["matches"]}
    expected = set(Node.objects.filter(responsibilities__person=person).values_list("name", flat=True))
    assert found == expected
    assert "Moniammatillinen monihuone vastaanottomalli ja liikkuvat yksiköt" in found


def test_overview_search_by_word(logged_in, popsote):
    response = logged_in.get(reverse("portfolio:overview"), {"q": "monihuone"})
    matches = response.context["matches"]
    assert [match.name for match, _path in matches] == [
        "Moniammatillinen monihuone vastaanottomalli ja liikkuvat yksiköt"
    ]
    _measure, path = matches[0]
    assert [parent.code for parent in path][:2] == ["POPDIGI2", "P4I1"]


def test_node_page_shows_tasks_persons_budget_and_children(logged_in, popsote):
    measure = Node.objects.get(name="Moniammatillinen monihuone vastaanottomalli ja liikkuvat yksiköt")
    response = logged_in.get(measure.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "614\xa0800\xa0€" in html
    assert "Päivi Peltokorpi" in html and "Päivi Harju" in html
    assert [task.text for task in response.context["tasks"]] == list(measure.tasks.values_list("text", flat=True))
    assert len(response.context["tasks"]) == 2
    programme_page = logged_in.get(node("POPDIGI2").get_absolute_url())
    assert "VN/27125/2022" in programme_page.content.decode()
    assert "8.12.2022" in programme_page.content.decode()


def test_the_node_page_reads_only_the_parts_a_node_has(logged_in, popsote):
    """One query says which of the node's parts have rows; a part with none costs no query of its own."""
    measure = MeasureFactory(parent=node("P4I1-4"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = logged_in.get(measure.get_absolute_url())
        assert response.status_code == 200
        return len(captured), response

    bare, _response = queries()
    GoalFactory(node=measure, text="Odotusajat lyhenevät")
    TaskFactory(node=measure, text="Kartoitetaan jonot")
    with_two, response = queries()
    assert with_two == bare + 2
    assert [goal.text for goal in response.context["goals"]] == ["Odotusajat lyhenevät"]
    assert [task.text for task in response.context["tasks"]] == ["Kartoitetaan jonot"]
    assert "Odotusajat lyhenevät" in response.content.decode()
    # A written budget: the node's budgets in every plan version (a query; a measure has no children to sum).
    assert response.context["budgets"] == []
    NodeBudgetFactory(node=measure, total="25000.00")
    with_budget, response = queries()
    assert with_budget == with_two + 1
    assert [budget.total for budget in response.context["budgets"]] == [Decimal("25000.00")]


def test_person_page_lists_what_they_are_responsible_for(logged_in, popsote):
    person = Person.objects.get(name="Päivi Harju")
    response = logged_in.get(person.get_absolute_url())
    listed = {item.node.name for item in response.context["responsibilities"]}
    assert listed == set(Node.objects.filter(responsibilities__person=person).values_list("name", flat=True))
    assert "Moniammatillinen monihuone vastaanottomalli ja liikkuvat yksiköt" in response.content.decode()


def count_queries(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries)


def test_overview_filters_by_organisation_or_area(logged_in, popsote):
    from portfolio.models import Organisation

    area = Organisation.objects.get(key="oe")
    response = logged_in.get(reverse("portfolio:overview"), {"organisation": area.pk})
    found = {match.pk for match, _path in response.context["matches"]}
    expected = set(Node.objects.filter(partners__organisation=area).values_list("pk", flat=True)) | set(
        Node.objects.filter(responsibilities__organisation=area).values_list("pk", flat=True)
    )
    assert expected
    assert expected <= found


def test_dates_and_amounts_are_finnish_in_every_interface_language(logged_in, popsote):
    url = Node.objects.get(code="POPDIGI2", parent=None).get_absolute_url()
    for language in ("fi", "sv", "en"):
        html = logged_in.get(url, headers={"accept-language": language}).content.decode()
        assert "8.12.2022" in html, language
        assert "19\xa0083\xa0000\xa0€" in html, language


@pytest.mark.parametrize(
    ("language", "heading", "search"),
    [
        ("fi", "Hankesalkku", "Hakusana"),
        ("sv", "Projektportfölj", "Sökord"),
        ("en", "Project portfolio", "Search term"),
    ],
)
def test_interface_speaks_finnish_swedish_and_english(logged_in, popsote, language, heading, search):
    html = logged_in.get(reverse("portfolio:overview"), headers={"accept-language": language}).content.decode()
    assert f'<html lang="{language}">' in html
    assert f'<h1 class="h3">{heading}</h1>' in html
    assert search in html


def test_bench_pages_prints_timings_and_query_counts(popsote, capsys):
    from django.core.management import call_command

    call_command("bench_pages", repeat=1)
    lines = capsys.readouterr().out.splitlines()
    rows = {line[:20].strip(): line.split() for line in lines[2:]}
    assert set(rows) == {
        "yleisnäkymä",
        "haku 'digi'",
        "hankkeen sivu",
        "toimenpiteen sivu",
        "kustannusarvio",
        "talous",
        "tilannekuva",
        "tilannekatsaus",  # the seeds' status review is loaded
        "tarkastus, POPsote",
        "tallennus, POPsote",
        "tarkastus, 10 ×",
        "tallennus, 10 ×",
    }
    assert all(int(columns[-1]) > 0 for columns in rows.values())
    assert not get_user_model().objects.filter(username="bench-user").exists()


def test_a_subtree_from_the_children_map_is_the_tree_walk_of_that_node(popsote):
    from portfolio.tree import children_by_parent, preorder, subtree_ids

    nodes = list(Node.objects.active())
    children = children_by_parent(nodes)
    for node in nodes:
        assert subtree_ids(children, node.pk) == [item.pk for item, _depth in preorder(nodes, root_ids=[node.pk])]
    assert (
        len(subtree_ids(children, Node.objects.get(code="POPDIGI2").pk))
        == Node.objects.active().filter(programme__code="POPDIGI2").count()
    )
