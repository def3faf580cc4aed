"""Every id a real id: a posted id that is not a plain integer (172.0, "172.0", true, "１７２"…) is refused with 400 or
403 on every route and for every role, never read as 172, never a 500; the rule is asked of the object written."""

from datetime import date

import pytest
from django.urls import reverse

from budgets.models import CostCategory
from portfolio.api.base import parse_id
from portfolio.models import Node, Organisation, Person, Task
from reports.workflow import period_open
from tests.portfolio.test_editing import own_measure, own_subproject

pytestmark = pytest.mark.django_db

ROLES = ["office", "lead", "finance", "steering"]


def not_ids(pk):
    """Shapes that name ``pk`` without being an id."""
    return [
        float(pk),
        f"{pk}.0",
        str(float(pk)),
        True,
        f"{pk}\u0661",
        " " + str(pk),
        f"+{pk}",
        [pk],
        {"id": pk},
        -pk,
        0,
        2**63,
        hex(pk),
        f"{pk}abc",
        "\uff11\uff17\uff12",
    ]


def test_parse_id_takes_integers_and_digit_strings_only():
    assert [parse_id(value) for value in (172, "172", 2**63 - 1)] == [172, 172, 2**63 - 1]
    assert {parse_id(value) for value in not_ids(172)} == {None}


def bodies():
    """(route, method, url kwargs, a valid body, the id fields in it) for every write that names another object."""
    subproject, measure = own_subproject(), own_measure()
    programme = measure.programme
    organisation, person = Organisation.objects.first(), Person.objects.first()
    category = CostCategory.objects.filter(children__isnull=True).first()
    period = period_open(programme=programme, month=date(2025, 12, 1))
    task = Task.objects.create(node=measure, text="Tehtävä")
    return [
        (
            "node-list",
            "post",
            {},
            {"parent": subproject.pk, "kind": "measure", "code": "ID-1", "name": "Uusi", "owner": organisation.pk},
            ["parent", "owner"],
        ),
        (
            "node-list",
            "post",
            {},
            {"parent": programme.pk, "kind": "programme", "code": "ID-2", "name": "Hanke"},
            ["parent"],
        ),
        ("task-list", "post", {}, {"node": measure.pk, "text": "Uusi tehtävä"}, ["node"]),
        (
            "responsibility-list",
            "post",
            {},
            {"node": measure.pk, "person": person.pk, "role": "member"},
            ["node", "person"],
        ),
        ("phase-list", "post", {}, {"node": measure.pk, "name": "Vaihe"}, ["node"]),
        ("milestone-list", "post", {}, {"node": measure.pk, "name": "Välitavoite"}, ["node"]),
        ("risk-list", "post", {}, {"node": measure.pk, "title": "Riski", "owner": person.pk}, ["node", "owner"]),
        ("indicator-list", "post", {}, {"node": measure.pk, "name": "Mittari"}, ["node"]),
        (
            "fundingdecision-list",
            "post",
            {},
            {"programme": programme.pk, "funder": organisation.pk, "source": "national"},
            ["programme", "funder"],
        ),
        ("organisation-list", "post", {}, {"key": "uusi-org", "name": "Uusi", "parent": organisation.pk}, ["parent"]),
        ("person-list", "post", {}, {"name": "Uusi Henkilö", "organisation": organisation.pk}, ["organisation"]),
        (
            "actualcost-list",
            "post",
            {},
            {"node": measure.pk, "category": category.pk, "month": "2024-05-01", "amount": "1.00"},
            ["node", "category"],
        ),
        ("planversion-list", "post", {}, {"programme": programme.pk, "name": "Uusi versio"}, ["programme"]),
        ("period-list", "post", {}, {"programme": programme.pk, "month": "2026-01-01"}, ["programme"]),
        ("statusupdate-list", "post", {}, {"period": period.pk, "node": subproject.pk}, ["period", "node"]),
        (
            "export-list",
            "post",
            {},
            {"programme": programme.pk, "kind": "measures_xlsx", "node": subproject.pk},
            ["programme", "node"],
        ),
        ("node-detail", "patch", {"pk": measure.pk}, {"owner": organisation.pk}, ["owner"]),
        ("node-move", "post", {"pk": measure.pk}, {"parent": subproject.pk}, ["parent"]),
        (
            "responsibility-detail",
            "patch",
            {"pk": measure.responsibilities.first().pk},
            {"person": person.pk},
            ["person"],
        ),
        ("task-detail", "patch", {"pk": task.pk}, {"text": "Muutettu"}, []),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_an_id_that_is_not_an_integer_is_refused_on_every_write(api_client, role):
    client = api_client(role)
    writes = bodies()
    before = Node.objects.count(), Task.objects.count()
    wrong = []
    for route, method, kwargs, body, id_fields in writes:
        url = reverse(f"api:{route}", kwargs=kwargs)
        for field in id_fields:
            for value in not_ids(body[field]):
                response = getattr(client, method)(url, {**body, field: value}, format="json", HTTP_IF_MATCH='"1"')
                if response.status_code not in (400, 403, 412):
                    wrong.append((route, field, value, response.status_code))
    assert wrong == []
    assert (Node.objects.count(), Task.objects.count()) == before


def test_a_lead_cannot_make_a_programme_with_a_float_parent(api_client):
    """The finding: ``{"parent": 172.0, "kind": "programme"}`` made a top-level programme (201) for a lead."""
    programme = own_measure().programme
    body = {"parent": float(programme.pk), "kind": "programme", "code": "KARKURI", "name": "Karkuri"}
    response = api_client("lead").post(reverse("api:node-list"), body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"parent": ["Anna tunniste kokonaislukuna, esimerkiksi 172."]}
    assert not Node.objects.filter(code="KARKURI").exists()


@pytest.mark.parametrize("route", ["task-list", "responsibility-list", "milestone-list", "phase-list"])
def test_a_float_node_is_a_400_not_a_500(api_client, route):
    response = api_client("lead").post(
        reverse(f"api:{route}"), {"node": float(own_measure().pk), "text": "x", "name": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "node" in response.json()["errors"]


def test_the_rule_is_asked_of_the_object_written(api_client, monkeypatch):
    """Were the parent read twice, differently, the object as saved is still checked: nothing is kept."""
    from portfolio.api import base

    other = Node.objects.get(programme__code="POPDIGI2", code="P3-1")
    real_parent = base.ReadCreate.posted_parent
    monkeypatch.setattr(
        base.ReadCreate, "posted_parent", lambda self, data: real_parent(self, {**data, "parent": own_subproject().pk})
    )
    monkeypatch.setattr(base.ReadCreate, "check_parent", lambda self, parent: None)
    body = {"parent": other.pk, "kind": "measure", "code": "OHI-1", "name": "Ohi"}
    response = api_client("lead").post(reverse("api:node-list"), body, format="json")
    assert response.status_code in (400, 403)
    assert not Node.objects.filter(code="OHI-1").exists()
