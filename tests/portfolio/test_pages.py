from decimal import Decimal

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from popsote.seed import seed_directory, seed_load
from portfolio.models import Node, Person

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


def test_overview_shows_where_a_budget_and_its_childrens_sum_disagree(logged_in, popsote):
    response = logged_in.get(reverse("portfolio:overview"))
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
