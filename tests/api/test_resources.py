"""The REST API: reading, writing through the pages' rules, no lost updates, one error shape."""

from decimal import Decimal

import pytest
from django.db.models import Count
from django.urls import reverse

from budgets.models import BudgetLine, CostCategory, PlanVersion
from portfolio.models import FundingDecision, Node, Person
from tests.factories import TaskFactory
from tests.portfolio.test_editing import other_measure, own_measure, own_subproject

pytestmark = pytest.mark.django_db


def programme(code="POPDIGI2"):
    return Node.objects.get(parent=None, code=code)


def test_programme_list_shows_budgets_as_decimal_strings(api_client):
    response = api_client("steering").get(reverse("api:programme-list"), {"ordering": "code"})
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows["POPDIGI2"]["budget"] == "19083000.00"
    assert rows["POPDIGI2"]["kind"] == "programme"
    assert response.json()["count"] == Node.objects.programmes().count()


def test_a_programme_tree_comes_in_one_request(api_client):
    response = api_client("steering").get(reverse("api:programme-tree", args=[programme().pk]))
    assert response.status_code == 200
    tree = response.json()
    assert tree["code"] == "POPDIGI2"
    codes = []

    def walk(node):
        codes.append(node["code"])
        for child in node["children"]:
            assert child["parent"] == node["id"]
            walk(child)

    walk(tree)
    assert sorted(codes) == sorted(Node.objects.active().filter(programme=programme()).values_list("code", flat=True))


def test_measures_filter_by_programme_and_responsible_person(api_client):
    person = Person.objects.get(name="Leena Mämmi-Laukka")
    response = api_client("steering").get(
        reverse("api:measure-list"), {"programme": programme().pk, "person": person.pk}
    )
    assert response.status_code == 200
    expected = set(
        Node.objects.filter(programme=programme(), kind=Node.Kind.MEASURE, responsibilities__person=person).values_list(
            "code", flat=True
        )
    )
    assert expected
    assert {row["code"] for row in response.json()["results"]} == expected
    for row in response.json()["results"]:
        assert person.pk in [r["person"] for r in row["responsible"]]


def test_detail_carries_an_etag_and_dates_are_iso(api_client):
    measure = own_measure()
    response = api_client("steering").get(reverse("api:node-detail", args=[measure.pk]))
    assert response["ETag"] == f'"{measure.version}"'
    if measure.start:
        assert response.json()["start"] == measure.start.isoformat()


def test_lead_changes_own_measure_with_if_match(api_client):
    measure = own_measure()
    client = api_client("lead")
    url = reverse("api:node-detail", args=[measure.pk])
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"name": "Uusi nimi"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    measure.refresh_from_db()
    assert measure.name == "Uusi nimi"
    assert response["ETag"] == f'"{measure.version}"'
    assert response.json()["version"] == measure.version


def test_write_without_if_match_gets_428(api_client):
    measure = own_measure()
    response = api_client("office").patch(reverse("api:node-detail", args=[measure.pk]), {"name": "X"}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert Node.objects.get(pk=measure.pk).name == measure.name


def test_stale_if_match_gets_412_and_leaves_the_row_as_it_was(api_client):
    measure = own_measure()
    client = api_client("office")
    url = reverse("api:node-detail", args=[measure.pk])
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"name": "Ensimmäinen"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    before = Node.objects.filter(pk=measure.pk).values().get()
    response = client.patch(url, {"name": "Toinen", "code": "ZZZ"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert Node.objects.filter(pk=measure.pk).values().get() == before


def test_stale_archive_gets_412(api_client):
    task = TaskFactory(node=own_measure())
    client = api_client("lead")
    response = client.post(reverse("api:task-archive", args=[task.pk]), HTTP_IF_MATCH=f'"{task.version + 1}"')
    assert response.status_code == 412
    task.refresh_from_db()
    assert task.archived_at is None


def test_lead_cannot_change_another_subproject(api_client):
    measure = other_measure()
    response = api_client("lead").patch(
        reverse("api:node-detail", args=[measure.pk]),
        {"name": "X"},
        format="json",
        HTTP_IF_MATCH=f'"{measure.version}"',
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_lead_adds_a_measure_and_a_task_under_own_subproject(api_client):
    client = api_client("lead")
    response = client.post(
        reverse("api:node-list"),
        {"parent": own_subproject().pk, "kind": "measure", "code": "API-M1", "name": "Rajapinnan toimenpide"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    node = Node.objects.get(code="API-M1")
    assert node.parent == own_subproject()
    assert node.programme == own_subproject().programme
    response = client.post(reverse("api:task-list"), {"node": node.pk, "text": "Ensimmäinen tehtävä"}, format="json")
    assert response.status_code == 201, response.json()
    assert list(node.tasks.values_list("text", "position")) == [("Ensimmäinen tehtävä", 0)]


def test_lead_cannot_add_under_another_subproject(api_client):
    response = api_client("lead").post(
        reverse("api:node-list"),
        {"parent": other_measure().parent_id, "kind": "measure", "code": "API-M2", "name": "Ei saa"},
        format="json",
    )
    assert response.status_code == 403
    assert not Node.objects.filter(code="API-M2").exists()


def test_validation_errors_come_from_the_pages_form_in_one_shape(api_client):
    measure = own_measure()
    response = api_client("office").patch(
        reverse("api:node-detail", args=[measure.pk]),
        {"code": other_measure().code},
        format="json",
        HTTP_IF_MATCH=f'"{measure.version}"',
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "Tiedoissa on virheitä."
    assert body["errors"] == {"code": [f"Tunnus {other_measure().code} on jo käytössä tässä hankkeessa."]}


def test_error_message_speaks_the_requests_language(api_client):
    response = api_client("anonymous").get(reverse("api:node-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "errors": {},
    }


def test_only_finance_and_the_office_change_a_budget(api_client):
    measure = own_measure()
    before = measure.budgets.get(plan__is_current=True).total
    url = reverse("api:node-detail", args=[measure.pk])
    response = api_client("lead").patch(url, {"budget": "1.00"}, format="json", HTTP_IF_MATCH=f'"{measure.version}"')
    assert response.status_code == 200
    assert measure.budgets.get(plan__is_current=True).total == before
    measure.refresh_from_db()
    response = api_client("office").patch(
        url, {"budget": "123456.78"}, format="json", HTTP_IF_MATCH=f'"{measure.version}"'
    )
    assert response.status_code == 200
    assert response.json()["budget"] == "123456.78"
    assert measure.budgets.get(plan__is_current=True).total == Decimal("123456.78")


def test_finance_saves_budget_lines_with_the_grids_etag(api_client):
    measure = own_measure()
    client = api_client("finance")
    url = reverse("api:budgetgrid-detail", args=[measure.pk])
    grid = client.get(url)
    assert grid.status_code == 200
    category = CostCategory.objects.get(key="henkilostokulut")
    body = {"lines": [{"category": category.pk, "year": 2024, "amount": "1000.50"}]}
    response = client.put(url, body, format="json", HTTP_IF_MATCH=grid["ETag"])
    assert response.status_code == 200, response.json()
    plan = PlanVersion.objects.get(programme=measure.programme_id, is_current=True)
    assert BudgetLine.objects.get(plan=plan, node=measure, category=category, year=2024).amount == Decimal("1000.50")
    stale = client.put(
        url, {"lines": [{**body["lines"][0], "amount": "1.00"}]}, format="json", HTTP_IF_MATCH=grid["ETag"]
    )
    assert stale.status_code == 412
    assert BudgetLine.objects.get(plan=plan, node=measure, category=category, year=2024).amount == Decimal("1000.50")
    assert api_client("lead").put(url, body, format="json", HTTP_IF_MATCH=response["ETag"]).status_code == 403


def test_office_creates_a_programme_with_a_funding_decision(api_client):
    client = api_client("office")
    response = client.post(
        reverse("api:programme-list"),
        {"kind": "programme", "code": "UUSI", "name": "Uusi hanke", "start": "2026-01-01", "end": "2027-12-31"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    programme = Node.objects.get(code="UUSI", parent=None)
    assert programme.programme == programme
    funder = FundingDecision.objects.first().funder
    response = client.post(
        reverse("api:fundingdecision-list"),
        {
            "programme": programme.pk,
            "funder": funder.pk,
            "number": "VN/1/2026",
            "amount": "1000000.00",
            "grant_rate": "80.00",
            "source": "national",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert programme.funding_decisions.get().amount == Decimal("1000000.00")
    assert api_client("lead").post(reverse("api:programme-list"), {}, format="json").status_code == 403


def test_lead_moves_and_reorders_within_own_subproject(api_client):
    client = api_client("lead")
    measure = own_measure()
    target = Node.objects.create(
        programme=measure.programme,
        parent=own_subproject(),
        kind=Node.Kind.WORK_PACKAGE,
        code="TP-API",
        name="Työpaketti",
    )
    response = client.post(
        reverse("api:node-move", args=[measure.pk]),
        {"parent": target.pk},
        format="json",
        HTTP_IF_MATCH=f'"{measure.version}"',
    )
    assert response.status_code == 200, response.json()
    assert Node.objects.get(pk=measure.pk).parent == target
    outside = client.post(
        reverse("api:node-move", args=[measure.pk]),
        {"parent": other_measure().parent_id},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert outside.status_code == 400
    first, second = TaskFactory(node=measure, position=0), TaskFactory(node=measure, position=1)
    response = client.post(reverse("api:task-down", args=[first.pk]), HTTP_IF_MATCH=f'"{first.version}"')
    assert response.status_code == 200
    assert list(measure.tasks.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]


@pytest.mark.parametrize("parent", ["²", "9" * 30, -1, True, [1], {"id": 1}])
def test_odd_parent_values_are_validation_errors(api_client, parent):
    response = api_client("lead").post(
        reverse("api:node-list"), {"parent": parent, "kind": "measure", "code": "X", "name": "X"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parent"]


def test_an_unknown_api_path_is_a_json_404(api_client):
    response = api_client("steering").get("/api/v1/hankkeet/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_nodes_responsible_persons_come_in_their_order_in_the_list_and_the_detail(api_client):
    node = (
        Node.objects.filter(programme=programme())
        .annotate(count=Count("responsibilities"))
        .filter(count__gte=2)
        .order_by("pk")
        .first()
    )
    expected = [
        (r.person.name, r.role) for r in node.responsibilities.select_related("person").order_by("position", "pk")
    ]
    client = api_client("steering")
    listed = client.get(reverse("api:node-list"), {"programme": programme().pk, "page_size": 500}).json()["results"]
    row = next(row for row in listed if row["id"] == node.pk)
    detail = client.get(reverse("api:node-detail", args=[node.pk])).json()
    assert [(r["person_name"], r["role"]) for r in row["responsible"]] == expected
    assert [(r["person_name"], r["role"]) for r in detail["responsible"]] == expected


def test_a_list_asked_for_without_filters_builds_no_filter_form_and_one_with_them_is_filtered(api_client, monkeypatch):
    """Most requests ask for a list as it is: its filter set (a form, its fields, their querysets) is built only
    when the request names one of its filters. A bad filter value is still a 400."""
    from portfolio.filters import NodeFilter

    client = api_client("steering")
    built = []
    original = NodeFilter.__init__
    monkeypatch.setattr(NodeFilter, "__init__", lambda self, *a, **kw: built.append(1) or original(self, *a, **kw))
    everything = client.get(reverse("api:measure-list"), {"page_size": 500})
    assert everything.status_code == 200 and built == []
    assert everything.json()["count"] == Node.objects.filter(kind=Node.Kind.MEASURE).count()
    assert sorted(row["code"] for row in everything.json()["results"]) == sorted(
        Node.objects.filter(kind=Node.Kind.MEASURE).values_list("code", flat=True)
    )
    own = client.get(reverse("api:measure-list"), {"programme": programme().pk, "page_size": 500})
    assert built == [1]
    assert own.json()["count"] == Node.objects.filter(kind=Node.Kind.MEASURE, programme=programme()).count()
    assert client.get(reverse("api:measure-list"), {"programme": "ei-numero"}).status_code == 400


def test_every_list_and_detail_reads_its_rows_to_the_same_json_as_drf_itself(api_client, monkeypatch):
    """The serializers read a row's columns straight from the row (``column_read``); every route's answer is
    the one DRF's own field-by-field reading gives."""
    from rest_framework import serializers

    from portfolio.api.base import ModelSerializer
    from portfolio.api.serializers import NodeSerializer
    from tests.api.test_permissions import api_routes, methods, sample_kwargs

    reads = {name: (column, field) for name, column, field in NodeSerializer()._reads}
    assert reads["code"][0] == "code" and reads["parent"] == ("parent_id", None)
    assert reads["url"][0] is None and reads["responsible"][0] is None  # through the field
    samples = sample_kwargs()
    client = api_client("office")
    paths = []
    for name, view in api_routes():
        if "GET" not in methods(view) or name.endswith(("-tree", "-download", "-xlsx", "-csv", "schema", "docs")):
            continue
        if name.endswith("-list") or name == "api-root":
            paths.append(reverse(f"api:{name}", kwargs={}) if "pk" not in str(view) else None)
        elif name.endswith("-detail"):
            basename = name.removesuffix("-detail")
            if basename in samples:
                paths.append(reverse(f"api:{name}", args=[samples[basename].pk]))
    paths = [path for path in paths if path]
    ours = ModelSerializer.to_representation
    for path in paths:  # one after the other: reading persons adds to the log of use
        monkeypatch.setattr(ModelSerializer, "to_representation", ours)
        answer = client.get(path, {"page_size": 500})
        monkeypatch.setattr(ModelSerializer, "to_representation", serializers.Serializer.to_representation)
        assert answer.status_code == 200, path
        assert answer.json() == client.get(path, {"page_size": 500}).json(), path
    assert len([path for path in paths if path.rstrip("/").split("/")[-1].isdigit()]) > 20
    assert len(paths) > 40, paths


def _serializer_classes():
    import popsote.urls  # noqa: F401 (every app's serializers, through its routes)
    from portfolio.api.base import ModelSerializer

    found, queue = [], [ModelSerializer]
    while queue:
        for cls in queue.pop().__subclasses__():
            queue.append(cls)
            found.append(cls)
    return [cls for cls in found if getattr(getattr(cls, "Meta", None), "model", None)]


def _fields(fields):
    """Every field of a serializer's fields, a relation's or a list's child too."""
    for field in fields.values():
        yield field
        for inner in (getattr(field, "child_relation", None), getattr(field, "child", None)):
            if inner is not None:
                yield inner


def test_every_serializer_has_the_fields_drf_builds_and_each_instance_fields_of_its_own():
    """The classes keep the fields DRF built for them (``ModelSerializer.get_fields``): each serializer still
    gets the fields DRF would give it, none shared with another serializer."""
    from rest_framework import serializers

    from portfolio.api.base import ModelSerializer

    classes = _serializer_classes()
    assert len(classes) > 40
    for cls in classes:
        first, second = cls(), cls()  # the first one's fields are built by DRF, the second's made from them
        for serializer in (first, second):
            drf = serializers.ModelSerializer.get_fields(cls())
            ours = ModelSerializer.get_fields(serializer)
            assert {name: repr(field) for name, field in ours.items()} == {
                name: repr(field) for name, field in drf.items()
            }, cls
        seen = {id(field) for field in _fields(first.fields)}
        assert seen.isdisjoint(id(field) for field in _fields(second.fields)), cls
        for name, field in second.fields.items():
            assert field.parent is second and field.field_name == name, (cls, name)


def test_a_relation_to_many_built_by_drf_gets_a_child_of_its_own():
    from django.contrib.auth.models import User

    from portfolio.api.base import ModelSerializer

    class Accounts(ModelSerializer):
        class Meta:
            model = User
            fields = ["id", "groups"]

    first, second = Accounts().fields["groups"], Accounts().fields["groups"]
    assert type(first).__name__ == "ManyRelatedField"
    assert first.child_relation is not second.child_relation
    assert first.child_relation.parent is first and second.child_relation.parent is second
