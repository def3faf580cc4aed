"""Text at the boundary: control characters refused with a message (forms, the admin, the API), codes from a
safe alphabet, download names per RFC 6266; and the smaller inputs that used to answer 500."""

import inspect
import json
from io import BytesIO

import pytest
from django import forms as django_forms
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

import budgets.views
import portfolio.forms
import portfolio.tokens
import portfolio.views
import reports.forms
from popsote.text import CleanText
from portfolio.models import Node
from reports.exporters.xlsx import measures_workbook
from reports.selectors import measure_rows
from tests.api import conftest as api_fixtures
from tests.portfolio.test_editing import make_user, node_edit_data, own_measure

pytestmark = pytest.mark.django_db
api_client = api_fixtures.api_client

VERTICAL_TAB = "Työpajat\x0bkeväällä"


def test_a_vertical_tab_in_a_measure_name_is_refused_on_the_page(client, popsote):
    client.force_login(make_user("lead"))
    measure = own_measure()
    response = client.post(
        reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, name=VERTICAL_TAB)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "Tekstissä on näkymätön ohjausmerkki U+000B, esimerkiksi Wordista kopioituna. Poista se."
    ]
    assert Node.objects.get(pk=measure.pk).name == measure.name


def test_line_breaks_stay_in_a_description_but_not_in_a_name(client, popsote):
    client.force_login(make_user("lead"))
    measure = own_measure()
    url = reverse("portfolio:edit", args=["kohde", measure.pk])
    saved = client.post(url, node_edit_data(measure, description="Ensin.\r\nSitten.\tLoppu."))
    assert saved.status_code == 302
    measure.refresh_from_db()
    refused = client.post(url, node_edit_data(measure, name="Kaksi\r\nriviä"))
    assert refused.status_code == 400 and "U+000D" in refused.context["form"].errors["name"][0]


@pytest.mark.parametrize("code", ['P4"; filename="x.exe', "P4\r\nSet-Cookie: x", "P4 I1", "-P4", "P4/1"])
def test_a_node_code_comes_from_a_safe_alphabet(client, popsote, code):
    client.force_login(make_user("office"))
    measure = own_measure()
    response = client.post(reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, code=code))
    assert response.status_code == 400
    assert "code" in response.context["form"].errors


def test_the_api_refuses_control_characters_and_lone_surrogates(api_client):
    client = api_client("office")
    measure = own_measure()
    for text in (VERTICAL_TAB, "nul\x00", "\ud800"):
        body = json.dumps({"node": measure.pk, "text": text})  # a surrogate as JSON writes it: "\\ud800"
        response = client.post(reverse("api:task-list"), body, content_type="application/json")
        assert response.status_code == 400, text
        assert list(response.json()["errors"]) == ["text"]
        assert "ohjausmerkki" in response.json()["errors"]["text"][0]


def test_the_admin_refuses_a_vertical_tab(client, popsote):
    client.force_login(make_user("office"))
    measure = own_measure()
    page = client.get(reverse("admin:portfolio_node_change", args=[measure.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"name": VERTICAL_TAB, "_save": "Tallenna"})
    for prefix in ("budgets", "goals", "outputs", "tasks", "responsibilities", "partners", "phases"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:portfolio_node_change", args=[measure.pk]), data)
    assert response.status_code == 200
    assert "ohjausmerkki" in str(response.context["adminform"].form.errors["name"])


def test_every_form_of_ours_refuses_control_characters():
    """A new form must not forget the rule: each form class in our modules with a text field has the mixin."""
    missing = []
    for module in (portfolio.forms, portfolio.tokens, portfolio.views, budgets.views, reports.forms):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, django_forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            texts = [f for f in cls.base_fields.values() if isinstance(f, django_forms.CharField)]
            if texts and not issubclass(cls, CleanText):
                missing.append(name)
    assert missing == []


def test_a_control_character_stored_before_the_rule_does_not_break_a_workbook(popsote):
    measure = own_measure()
    Node.objects.filter(pk=measure.pk).update(name=VERTICAL_TAB)
    content = measures_workbook("Toimenpiteet", measure_rows(measure.programme, None))
    names = [row[3] for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True)]
    assert "Työpajatkeväällä" in names


def test_a_download_name_is_encoded_whatever_the_code_holds(client, popsote):
    client.force_login(make_user("finance"))
    measure = own_measure()
    Node.objects.filter(pk=measure.pk).update(code='M1"; filename="evil.exe')
    response = client.get(reverse("budgets:node_xlsx", args=[measure.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="kustannusarvio-POPDIGI2-M1\\"; filename=\\"evil.exe.xlsx"'
    )


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("portfolio:persons", {"q": "\x00"}),
        ("portfolio:overview", {"q": "\x00"}),
        ("portfolio:overview", {"q": " ".join(["sana"] * 7)}),
        ("budgets:overview", {"vuosi": "-1"}),
        ("budgets:overview", {"vuosi": "99999999999999999999"}),
        ("reports:archive", {"month": "\x00"}),
    ],
)
def test_malformed_queries_answer_400(client, popsote, url, query):
    client.force_login(make_user("steering"))
    assert client.get(reverse(url), query).status_code == 400


def test_huge_ids_in_addresses_are_not_found(client, popsote):
    client.force_login(make_user("steering"))
    assert client.get(f"/kohde/{10**20}/").status_code == 404
    assert client.get(f"/api/v1/nodes/{10**20}/").status_code == 404


def test_a_period_month_out_of_range_is_refused(client, api_client, popsote):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    response = api_client("office").post(
        reverse("api:period-list"), {"programme": programme.pk, "month": "9999-12-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["month"] == ["Kuukauden pitää olla vuosina 2000–2100."]


def test_an_api_server_error_answers_in_the_api_s_error_shape(monkeypatch, popsote):
    from portfolio.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.OrganisationViewSet, "list", broken)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(make_user("steering"))
    response = client.get(reverse("api:organisation-list"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "error",
        "message": "Palvelimella tapahtui virhe; pyyntöä ei käsitelty loppuun. Virhe on kirjattu.",
        "errors": {},
    }
