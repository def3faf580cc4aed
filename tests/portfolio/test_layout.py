"""What every page says around its content: names, titles, the language menu, error pages, the admin,
the accessibility statement and its feedback, and nothing of the seed loader's own notes."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from indicators.models import Indicator, Measurement
from portfolio.history import entries
from portfolio.models import Feedback, Node
from reports.workflow import period_open, status_update_start
from tests.factories import UserFactory

from .test_editing import make_user, own_subproject

pytestmark = pytest.mark.django_db


def test_the_top_bar_names_the_person_behind_the_account(client, popsote):
    client.force_login(make_user("lead"))
    html = client.get(reverse("portfolio:overview")).content.decode()
    assert (
        '<button class="nav-link dropdown-toggle" type="button" data-bs-toggle="dropdown" aria-expanded="false">Leena Mämmi-Laukka</button>'
        in html
    )
    assert "user-lead" not in html


def test_the_author_and_approver_of_an_update_are_named_by_their_person(client, popsote):
    lead = make_user("lead")
    period = period_open(programme=own_subproject().programme, month=date(2025, 11, 1))
    update = status_update_start(period=period, node=own_subproject(), user=lead)
    client.force_login(make_user("office"))
    html = client.get(update.get_absolute_url()).content.decode()
    assert "Laatija: Leena Mämmi-Laukka." in html


def test_a_page_title_is_the_page_name_and_salkku_even_with_a_long_history(logged_in, popsote):
    programme = Node.objects.get(code="TSK", parent=None)
    html = logged_in.get(programme.get_absolute_url()).content.decode()
    assert re.search(r"<title>(.*?)</title>", html, re.S).group(1) == "Tulevaisuuden sote-keskus · Salkku"


def test_the_language_menu_names_each_language_in_itself(logged_in):
    html = logged_in.get(reverse("portfolio:overview")).content.decode()
    options = re.findall(r'<option value="(\w\w)" lang="\w\w"(?: selected)?>([^<]+)</option>', html)
    assert options == [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]


def test_a_forbidden_page_is_finnish_and_in_the_layout(client, popsote):
    client.force_login(make_user("lead"))
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    response = client.get(reverse("portfolio:node_move", args=[programme.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>Ei käyttöoikeutta · Salkku</title>" in html
    assert "Sinulla ei ole oikeutta tähän sivuun tai toimintoon." in html and 'class="site-header' in html


def test_a_missing_page_is_finnish_and_in_the_layout(logged_in):
    response = logged_in.get("/kohde/999999/")
    assert response.status_code == 404
    assert "<title>Sivua ei löytynyt · Salkku</title>" in response.content.decode()


def test_a_server_error_page_is_finnish_and_needs_nothing_from_the_request(rf):
    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<title>Palvelussa tapahtui virhe · Salkku</title>" in html and "Saavutettavuusseloste" in html


def test_a_form_sent_without_its_csrf_token_gets_a_finnish_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "<title>Lomaketta ei voitu lähettää · Salkku</title>" in response.content.decode()


def test_the_admin_is_branded_and_its_sections_have_finnish_names(client):
    client.force_login(make_user("office"))
    html = client.get(reverse("admin:index")).content.decode()
    assert '<div id="site-name"><a href="/admin/">Salkku – ylläpito</a></div>' in html
    assert "<title>Hanketoimiston ylläpito · Salkku</title>" in html
    sections = re.findall(r'<caption>\s*<a href="/admin/\w+/" class="section" title="[^"]*">([^<]+)</a>', html)
    for name in ("Hankesalkku", "Talous", "Aikataulut ja välitavoitteet", "Indikaattorit", "Raportointi"):
        assert name in sections
    assert not {"PORTFOLIO", "BUDGETS", "Portfolio", "Budgets"} & set(sections)


def test_the_accessibility_statement_is_public_and_linked_from_every_page(client, logged_in):
    assert f'<a href="{reverse("accessibility")}">Saavutettavuusseloste</a>' in logged_in.get("/").content.decode()
    html = client.get(reverse("accessibility")).content.decode()
    assert '<h1 class="h3">Saavutettavuusseloste</h1>' in html
    assert "306/2019" in html and "WCAG 2.1" in html and "Traficom" in html


def test_accessibility_feedback_reaches_the_project_office(client, settings, django_capture_on_commit_callbacks):
    settings.FEEDBACK_EMAIL = ["hanketoimisto@pohde.fi"]
    office = make_user("office")
    office.email = "hanna@pohde.fi"
    office.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accessibility"),
            {
                "message": "Aikajanan palkkeja ei erota toisistaan.",
                "email": "kayttaja@example.fi",
                "page": "/aikajana/",
            },
        )
    assert response.status_code == 302 and response["Location"] == reverse("accessibility")
    feedback = Feedback.objects.get()
    assert (feedback.message, feedback.email, feedback.page) == (
        "Aikajanan palkkeja ei erota toisistaan.",
        "kayttaja@example.fi",
        "/aikajana/",
    )
    [message] = mail.outbox
    assert message.to == ["hanketoimisto@pohde.fi", "hanna@pohde.fi"]
    assert "Aikajanan palkkeja ei erota toisistaan." in message.body and "kayttaja@example.fi" in message.body
    assert "Kiitos palautteesta" in client.get(reverse("accessibility")).content.decode()


def test_empty_feedback_is_refused_with_a_message(client):
    response = client.post(reverse("accessibility"), {"message": "", "email": "ei-osoite"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tarkista lomake:" in html and Feedback.objects.count() == 0


def test_an_indicator_value_in_the_history_is_a_number_not_money(popsote):
    indicator = Indicator.objects.create(node=own_subproject(), name="NPS", unit="NPS")
    Measurement.objects.create(indicator=indicator, month=date(2025, 11, 1), value=Decimal("32.50"), source="Kysely")
    [entry] = entries({Measurement: list(Measurement.history.all())})
    assert ("arvo", "–", "32,5") in entry.changes


def test_no_text_loaded_from_the_seed_names_a_seed_file(popsote):
    """The loader's notes to itself (seed numbers, "seed:") stay in the YAML's comments."""
    note = re.compile(r"\bseed\b|\(00\d|\b00\d[:,)]|Seed 00\d", re.IGNORECASE)
    found = []
    for model in [*apps.get_app_config("portfolio").get_models(), *apps.get_app_config("budgets").get_models()]:
        if model.__name__.startswith("Historical"):  # the same texts again, as they were
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        fields = [name for name in fields if not (model is Node and name == "source")]
        for row in model.objects.values("pk", *fields):
            found += [(model.__name__, row["pk"], name, row[name]) for name in fields if note.search(row[name] or "")]
    assert found == []


def test_a_node_page_shows_no_loading_note(logged_in, popsote):
    html = logged_in.get(Node.objects.get(code="POPDIGI2", parent=None).get_absolute_url()).content.decode()
    assert "Lähdeaineisto" not in html and "<strong>lähde</strong>" not in html


def test_the_change_log_filter_names_people(client, popsote):
    UserFactory(username="tiina", first_name="Tiina", last_name="Talous")
    client.force_login(make_user("office"))
    html = client.get(reverse("portfolio:change_log")).content.decode()
    assert ">Tiina Talous</option>" in html and ">tiina</option>" not in html


def test_a_yes_or_no_in_the_history_is_said_in_words(popsote):
    node = Node.objects.filter(reports_monthly=True).first()
    [entry] = entries({Node: [node.history.earliest("history_date")]})
    assert ("raportoi kuukausittain", "–", "kyllä") in entry.changes
    node.reports_monthly = False
    node.save()
    [entry, _created] = entries({Node: list(node.history.order_by("history_date"))})
    assert ("raportoi kuukausittain", "kyllä", "ei") in entry.changes


def test_an_error_message_is_shown_as_bootstrap_shows_an_error(client, popsote):
    """Django tags an error message "error", a class Bootstrap does not have: the box was shown unstyled."""
    client.force_login(make_user("office"))
    html = client.get(reverse("portfolio:change_log"), {"ennen": "9999-12"}).content.decode()
    assert '<div class="alert alert-danger">Sivun osoite on virheellinen' in html
