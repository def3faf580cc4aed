"""Finance and the project office revise the plan: new versions, line edits, no lost updates."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from budgets.models import BudgetLine, CostCategory, NodeBudget, PlanVersion
from portfolio.models import Node
from portfolio.permissions import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def user_with(role):
    user = UserFactory(username=f"budjetoija-{role}")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def programme():
    return Node.objects.get(code="POPDIGI2", parent=None)


def grid_data(response, **changes):
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data = {name: (str(value).replace(".", ",") if name != "stamp" else value) for name, value in data.items()}
    return {**data, **changes}


def field(category_key, year):
    return f"c{CostCategory.objects.get(key=category_key).pk}_{year}"


def test_new_plan_version_copies_the_current_one_and_becomes_current(client, popsote):
    user = user_with(Role.FINANCE)
    client.force_login(user)
    old = PlanVersion.objects.get(programme=programme(), is_current=True)
    response = client.post(reverse("budgets:plan_new", args=[programme().pk]), {"name": "Muutoshakemus 2024"})
    assert response.status_code == 302
    new = PlanVersion.objects.get(programme=programme(), is_current=True)
    old.refresh_from_db()
    assert (new.name, old.is_current) == ("Muutoshakemus 2024", False)
    assert BudgetLine.objects.filter(plan=new).count() == BudgetLine.objects.filter(plan=old).count() == 54
    compare = client.get(response["Location"])
    assert all(row["difference"] is None for row in compare.context["rows"])
    # Each copy is in the history as the user's, and keeps the document its figure was read from.
    for model in (BudgetLine, NodeBudget):
        copies = model.objects.filter(plan=new)
        history = model.history.filter(plan=new, history_type="+")
        assert history.count() == copies.count() > 0
        assert set(history.values_list("history_user", "history_change_reason")) == {
            (user.pk, "Kopioitu uuteen suunnitelmaversioon")
        }
        originals = {
            (row.node_id, getattr(row, "category_id", None), getattr(row, "year", None)): row
            for row in model.objects.filter(plan=old)
        }
        assert {key: (row.source_document_id, row.source_section) for key, row in originals.items()} == {
            (row.node_id, getattr(row, "category_id", None), getattr(row, "year", None)): (
                row.source_document_id,
                row.source_section,
            )
            for row in copies
        }


def test_finance_edits_lines_and_totals_follow(client, popsote):
    client.force_login(user_with(Role.FINANCE))
    url = reverse("budgets:lines_edit", args=[programme().pk])
    form = client.get(url)
    response = client.post(url, grid_data(form, **{field("henkilostokulut", 2023): "4 800 000"}))
    assert response.status_code == 302
    page = client.get(reverse("budgets:node", args=[programme().pk]))
    totals = next(row for row in page.context["rows"] if row.label == "Kulut yhteensä")
    assert totals.amounts[2023] == Decimal("6684137") + Decimal("4800000") - Decimal("4761037")
    assert page.context["figures"].difference == Decimal("-38963.00")  # the written 19 083 000 € is kept
    history = BudgetLine.objects.get(
        plan__is_current=True, node=programme(), category__key="henkilostokulut", year=2023
    ).history.first()
    assert history.amount == Decimal("4800000.00") and history.history_user.username == "budjetoija-talous"


def test_stale_budget_edit_is_refused(client, popsote):
    client.force_login(user_with(Role.OFFICE))
    url = reverse("budgets:lines_edit", args=[programme().pk])
    first = client.get(url)
    second = client.get(url)
    assert client.post(url, grid_data(second, **{field("matkakulut", 2023): "50 000"})).status_code == 302
    response = client.post(url, grid_data(first, **{field("matkakulut", 2023): "1"}))
    assert response.status_code == 409
    assert "Joku muu muutti" in response.content.decode()
    line = BudgetLine.objects.get(plan__is_current=True, node=programme(), category__key="matkakulut", year=2023)
    assert line.amount == Decimal("50000.00")


def test_bad_amount_in_the_grid_changes_nothing(client, popsote):
    client.force_login(user_with(Role.OFFICE))
    url = reverse("budgets:lines_edit", args=[programme().pk])
    before = list(BudgetLine.objects.values_list("pk", "amount", "version"))
    response = client.post(url, grid_data(client.get(url), **{field("matkakulut", 2024): "-5"}))
    assert response.status_code == 400
    assert "Rahamäärä ei voi olla negatiivinen." in response.content.decode()
    assert list(BudgetLine.objects.values_list("pk", "amount", "version")) == before


@pytest.mark.parametrize("role", [Role.LEAD, Role.STEERING])
def test_only_finance_and_the_office_change_budgets(client, popsote, role):
    client.force_login(user_with(role))
    before = (PlanVersion.objects.count(), list(BudgetLine.objects.values_list("pk", "amount")))
    assert client.get(reverse("budgets:lines_edit", args=[programme().pk])).status_code == 403
    assert client.post(reverse("budgets:lines_edit", args=[programme().pk]), {}).status_code == 403
    assert client.post(reverse("budgets:plan_new", args=[programme().pk]), {"name": "X"}).status_code == 403
    assert (PlanVersion.objects.count(), list(BudgetLine.objects.values_list("pk", "amount"))) == before


def test_compare_shows_the_lines_a_revision_changed(client, popsote):
    client.force_login(user_with(Role.FINANCE))
    old = PlanVersion.objects.get(programme=programme(), is_current=True)
    client.post(reverse("budgets:plan_new", args=[programme().pk]), {"name": "Muutos"})
    url = reverse("budgets:lines_edit", args=[programme().pk])
    client.post(url, grid_data(client.get(url), **{field("toimitilakulut", 2024): "90 000"}))
    new = PlanVersion.objects.get(programme=programme(), is_current=True)
    response = client.get(reverse("budgets:compare", args=[programme().pk]), {"a": old.key, "b": new.key})
    assert [(r["node"].code, r["category"], r["year"], r["a"], r["b"]) for r in response.context["line_rows"]] == [
        ("POPDIGI2", "Toimitilakulut", 2024, Decimal("81000.00"), Decimal("90000.00"))
    ]
    budget_page = client.get(reverse("budgets:node", args=[programme().pk]))
    assert [(row.label, row.plan) for row in budget_page.context["by_year"]] == [
        ("2023", Decimal("6684137.00")),
        ("2024", Decimal("8646757.00")),
        ("2025", Decimal("3761106.00")),
    ]
