"""Editing in the browser: roles × actions, no lost updates, validation, audit history."""

import re
from datetime import date
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from budgets.models import (
    ActualCost,
    BudgetLine,
    CostCategory,
    LedgerAccount,
    LedgerImport,
    LedgerUpload,
    NodeBudget,
    PlanVersion,
)
from indicators.models import Indicator
from milestones.models import Milestone, Phase
from portfolio.forms import FundingDecisionForm, NodeForm
from portfolio.history import entries
from portfolio.models import FundingDecision, Node, Organisation, Person, Responsibility, Risk, Task
from portfolio.permissions import Role
from reports.models import PlanUpload, ReportingPeriod, StatusUpdate
from reports.workflow import (
    period_open,
    status_update_approve,
    status_update_return,
    status_update_start,
    status_update_submit,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["office", "lead", "finance", "steering", "outsider"]


def make_user(role):
    user = UserFactory(username=f"user-{role}", first_name=role.title(), last_name="Käyttäjä")
    group = {"office": Role.OFFICE, "lead": Role.LEAD, "finance": Role.FINANCE, "steering": Role.STEERING}.get(role)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    if role == "office":
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if role == "lead":
        person = Person.objects.get(name="Leena Mämmi-Laukka")
        person.user = user
        person.save(update_fields=["user"])
        Responsibility.objects.create(node=own_subproject(), person=person, role=Responsibility.Role.LEAD)
    return user


def own_subproject():
    return Node.objects.get(programme__code="POPDIGI2", code="P4I1-4")


def own_measure():
    return Node.objects.get(programme__code="POPDIGI2", code="P4I1-4-M1")


def other_measure():
    return Node.objects.get(programme__code="POPDIGI2", code="P3-1-M1")


def form_data(form):
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            value = ""
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        data[name] = field.prepare_value(value) if name == "budget" and value != "" else value
    return data


def node_edit_data(node, **changes):
    return {**form_data(NodeForm(instance=node)), **changes}


def test_only_finance_and_the_office_may_change_a_budget(client, popsote):
    lead = make_user("lead")
    client.force_login(lead)
    measure = own_measure()
    before = measure.budgets.get(plan__is_current=True).total
    response = client.post(reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, budget="1"))
    assert response.status_code == 302  # the rest of the form is saved, the budget is not the lead's
    assert measure.budgets.get(plan__is_current=True).total == before
    assert "budget" not in client.get(reverse("portfolio:edit", args=["kohde", measure.pk])).context["form"].fields


# What a write may change, by model: the columns the role matrix compares before and after a request.
SNAPSHOT = [
    (Node, ["id", "version", "parent_id", "archived_at"]),
    (Task, ["id", "version"]),
    (Responsibility, ["id", "version", "position"]),
    (FundingDecision, ["id", "version", "archived_at"]),
    (Person, ["id", "version"]),
    (Organisation, ["id", "version"]),
    (NodeBudget, ["id", "total"]),
    (Phase, ["id", "version"]),
    (ActualCost, ["id"]),
    (BudgetLine, ["id", "amount"]),
    (PlanVersion, ["id"]),
    (ReportingPeriod, ["id", "status"]),
    (StatusUpdate, ["id", "version", "status"]),
    (Milestone, ["id", "version"]),
    (Risk, ["id", "version"]),
    (Indicator, ["id", "version"]),
    (LedgerAccount, ["id", "version", "example"]),
    (LedgerUpload, ["id", "status"]),
    (LedgerImport, ["id", "reversed_at"]),
    (PlanUpload, ["id", "status"]),
]


def snapshot():
    """A digest of every row's compared columns, per model, read in one query."""
    digests = []
    for model, fields in SNAPSHOT:
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(
            f"coalesce({connection.ops.quote_name(model._meta.get_field(name).column)}::text, '-')" for name in fields
        )
        digests.append(
            f"(SELECT md5(coalesce(string_agg(concat_ws('|', {columns}), ',' ORDER BY id), '')) FROM {table})"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(digests)}")
        return dict(zip([model.__name__ for model, _fields in SNAPSHOT], cursor.fetchone(), strict=True))


def test_the_snapshot_sees_a_change_in_any_compared_column(popsote):
    before = snapshot()
    Node.objects.filter(pk=own_measure().pk).update(archived_at=timezone.now())
    Task.objects.filter(pk=Task.objects.order_by("pk").last().pk).update(version=99)
    line = BudgetLine.objects.order_by("pk").first()
    BudgetLine.objects.filter(pk=line.pk).update(amount=line.amount + 1)
    Responsibility.objects.filter(pk=Responsibility.objects.order_by("pk").first().pk).delete()
    after = snapshot()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"Node", "Task", "BudgetLine", "Responsibility"}


def november():
    return period_open(programme=Node.objects.get(code="POPDIGI2", parent=None), month=date(2025, 11, 1))


def own_update(step=None):
    update = status_update_start(period=november(), node=own_subproject(), user=None)
    if step in ("submitted", "approved"):
        status_update_submit(update=update, user=None)
    if step == "approved":
        status_update_approve(update=update, user=None)
    return update


def update_form_data(update, **changes):
    from tests.reports.test_reporting import edit_data

    return edit_data(update, **changes)


def risk_of_another():
    return Risk.objects.get_or_create(node=other_measure(), title="Rekrytointi viivästyy")[0]


def previewed_upload():
    """An extract of POP-Digi-Hoitotakuu 2 sent by finance, waiting for its confirmation."""
    from budgets.services import ledger_upload_queue

    return ledger_upload_queue(
        programme=Node.objects.get(code="POPDIGI2", parent=None), file=ledger_file(), user=make_user("talous-tuoja")
    )


def imported_batch():
    from budgets.services import ledger_import

    file = ledger_file()
    return ledger_import(
        programme=Node.objects.get(code="POPDIGI2", parent=None),
        name=file.name,
        content=file.read(),
        user=make_user("talous-tuoja"),
    )


def plan_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.plan_import import categories
    from reports.plan_workbook import example_rows, plan_workbook

    return SimpleUploadedFile("suunnitelma.xlsx", plan_workbook(example_rows(), categories(), "Esimerkki"))


def previewed_plan():
    return PlanUpload.objects.create(
        file_name="suunnitelma.xlsx",
        file="plans/suunnitelma.xlsx",
        uploaded_by=make_user("toimisto-tuoja"),
        status=PlanUpload.Status.PREVIEW,
        preview={"programme": {"code": "ESIM", "name": "Esimerkki", "exists": False}, "counts": [], "entries": []},
    )


def ledger_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    LedgerAccount.objects.filter(example=True).delete()
    LedgerAccount.objects.get_or_create(
        account="4000", defaults={"category": CostCategory.objects.get(key="henkilostokulut")}
    )
    return SimpleUploadedFile("ote.csv", b"Kausi;Tili;Kohde;Summa\n5/2023;4000;P3-1-M1;100,00\n")


def lines_data(node):
    from budgets.services import budget_lines_stamp

    plan = node.programme.plan_versions.get(is_current=True)
    category = CostCategory.objects.get(key="matkakulut")
    return {"stamp": budget_lines_stamp(plan=plan, node=node), f"c{category.pk}_2023": "1 000"}


def archived(node):
    node.archived_at = timezone.now()
    node.save(update_fields=["archived_at"])
    return node


def first_phase():
    return Node.objects.get(code="POPDIGI2", parent=None).phases.first()


def rrf_decision():
    return FundingDecision.objects.get(number="VN/27125/2022")


def first_task(node):
    """The node's first task, making sure it has two so that one can move."""
    for position in range(node.tasks.filter(archived_at__isnull=True).count(), 2):
        Task.objects.create(node=node, text=f"Tehtävä {position + 1}", position=position)
    return node.tasks.filter(archived_at__isnull=True).first()


# (name, method, url, data, roles that may) — built lazily because they read the database.
ACTIONS = {
    "edit own measure": lambda: (
        "post",
        reverse("portfolio:edit", args=["kohde", own_measure().pk]),
        node_edit_data(own_measure(), name="Uusi nimi"),
        {"office", "lead"},
    ),
    "edit another's measure": lambda: (
        "post",
        reverse("portfolio:edit", args=["kohde", other_measure().pk]),
        node_edit_data(other_measure(), name="Uusi nimi"),
        {"office"},
    ),
    "open edit form of own measure": lambda: (
        "get",
        reverse("portfolio:edit", args=["kohde", own_measure().pk]),
        None,
        {"office", "lead"},
    ),
    "add measure under own sub-project": lambda: (
        "post",
        reverse("portfolio:create_under", args=["kohde", own_subproject().pk]),
        {"kind": "measure", "code": "UUSI-1", "name": "Uusi toimenpide", "budget": "1 228 500"},
        {"office", "lead"},
    ),
    "add measure under another's": lambda: (
        "post",
        reverse("portfolio:create_under", args=["kohde", other_measure().parent_id]),
        {"kind": "measure", "code": "UUSI-2", "name": "Uusi toimenpide"},
        {"office"},
    ),
    "create programme": lambda: (
        "post",
        reverse("portfolio:create", args=["kohde"]),
        {"kind": "programme", "code": "UUSI", "name": "Uusi hanke"},
        {"office"},
    ),
    "move another's node": lambda: (
        "post",
        reverse("portfolio:node_move", args=[other_measure().pk]),
        {"parent": Node.objects.get(programme__code="POPDIGI2", code="P3-2").pk, "version": other_measure().version},
        {"office"},
    ),
    "archive own measure": lambda: (
        "post",
        reverse("portfolio:archive", args=["kohde", own_measure().pk]),
        {},
        {"office", "lead"},
    ),
    "archive another's measure": lambda: (
        "post",
        reverse("portfolio:archive", args=["kohde", other_measure().pk]),
        {},
        {"office"},
    ),
    "archive programme": lambda: (
        "post",
        reverse("portfolio:archive", args=["kohde", Node.objects.get(code="RAKENNE", parent=None).pk]),
        {},
        {"office"},
    ),
    "add task to own measure": lambda: (
        "post",
        reverse("portfolio:create_under", args=["tehtava", own_measure().pk]),
        {"text": "Uusi tehtävä"},
        {"office", "lead"},
    ),
    "edit task of another's measure": lambda: (
        "post",
        reverse("portfolio:edit", args=["tehtava", first_task(other_measure()).pk]),
        {"text": "Muutettu", "version": first_task(other_measure()).version},
        {"office"},
    ),
    "reorder task of own measure": lambda: (
        "post",
        reverse("portfolio:move", args=["tehtava", first_task(own_measure()).pk, "alas"]),
        {},
        {"office", "lead"},
    ),
    "add responsible person to own measure": lambda: (
        "post",
        reverse("portfolio:create_under", args=["vastuu", own_measure().pk]),
        {"person": Person.objects.get(name="Päivi Harju").pk, "role": "responsible"},
        {"office", "lead"},
    ),
    "add phase to another's node": lambda: (
        "post",
        reverse("portfolio:create_under", args=["vaihe", other_measure().pk]),
        {"name": "Vaihe"},
        {"office"},
    ),
    "add funding decision": lambda: (
        "post",
        reverse("portfolio:create_under", args=["rahoituspaatos", Node.objects.get(code="TSK", parent=None).pk]),
        {"funder": Organisation.objects.get(key="stm").pk, "source": "national", "amount": "1 000 000"},
        {"office"},
    ),
    "create person": lambda: (
        "post",
        reverse("portfolio:create", args=["henkilo"]),
        {"name": "Uusi Henkilö"},
        {"office"},
    ),
    "archive person": lambda: (
        "post",
        reverse("portfolio:archive", args=["henkilo", Person.objects.get(name="Päivi Harju").pk]),
        {},
        {"office"},
    ),
    "create organisation": lambda: (
        "post",
        reverse("portfolio:create", args=["organisaatio"]),
        {"key": "uusi", "name": "Uusi", "kind": "area"},
        {"office"},
    ),
    "edit person": lambda: (
        "post",
        reverse("portfolio:edit", args=["henkilo", Person.objects.get(name="Päivi Harju").pk]),
        {"name": "Päivi Harju", "title": "ylihammaslääkäri", "version": Person.objects.get(name="Päivi Harju").version},
        {"office"},
    ),
    "edit organisation": lambda: (
        "post",
        reverse("portfolio:edit", args=["organisaatio", Organisation.objects.get(key="stm").pk]),
        {
            "key": "stm",
            "name": "Sosiaali- ja terveysministeriö",
            "short_name": "STM",
            "kind": "ministry",
            "version": Organisation.objects.get(key="stm").version,
        },
        {"office"},
    ),
    "archive organisation": lambda: (
        "post",
        reverse("portfolio:archive", args=["organisaatio", Organisation.objects.get(key="pirha").pk]),
        {},
        {"office"},
    ),
    "restore archived measure": lambda: (
        "post",
        reverse("portfolio:restore", args=["kohde", archived(own_measure()).pk]),
        {},
        {"office", "lead"},
    ),
    "edit phase of a programme": lambda: (
        "post",
        reverse("portfolio:edit", args=["vaihe", first_phase().pk]),
        {"name": "Valmisteluvaihe", "version": first_phase().version},
        {"office"},
    ),
    "archive phase of a programme": lambda: (
        "post",
        reverse("portfolio:archive", args=["vaihe", first_phase().pk]),
        {},
        {"office"},
    ),
    "edit funding decision": lambda: (
        "post",
        reverse("portfolio:edit", args=["rahoituspaatos", rrf_decision().pk]),
        {**form_data(FundingDecisionForm(instance=rrf_decision())), "note": "Tarkistettu"},
        {"office"},
    ),
    "archive funding decision": lambda: (
        "post",
        reverse("portfolio:archive", args=["rahoituspaatos", rrf_decision().pk]),
        {},
        {"office"},
    ),
    "edit responsible person of own measure": lambda: (
        "post",
        reverse("portfolio:edit", args=["vastuu", own_measure().responsibilities.first().pk]),
        {
            "person": own_measure().responsibilities.first().person_id,
            "role": "responsible",
            "note": "PJ",
            "version": own_measure().responsibilities.first().version,
        },
        {"office", "lead"},
    ),
    "reorder responsible persons of another's measure": lambda: (
        "post",
        reverse(
            "portfolio:move",
            args=[
                "vastuu",
                Node.objects.get(programme__code="POPDIGI2", code="P4I1-3-M1").responsibilities.first().pk,
                "alas",
            ],
        ),
        {},
        {"office"},
    ),
    "remove responsible person of another's measure": lambda: (
        "post",
        reverse("portfolio:archive", args=["vastuu", other_measure().responsibilities.first().pk]),
        {},
        {"office"},
    ),
    "type in an actual cost": lambda: (
        "post",
        reverse("budgets:actual_create", args=[own_measure().pk]),
        {
            "node": own_measure().pk,
            "category": CostCategory.objects.get(key="matkakulut").pk,
            "month": "2023-05",
            "amount": "120",
        },
        {"office", "finance"},
    ),
    "import a ledger extract": lambda: (
        "post",
        reverse("budgets:ledger_upload", args=[Node.objects.get(code="POPDIGI2", parent=None).pk]),
        {"file": ledger_file()},
        {"office", "finance"},
    ),
    "confirm a previewed ledger import": lambda: (
        "post",
        reverse("budgets:ledger_confirm", args=[previewed_upload().pk]),
        {},
        {"office", "finance"},
    ),
    "undo a ledger import": lambda: (
        "post",
        reverse("budgets:ledger_reverse", args=[imported_batch().pk]),
        {"reason": "Väärä ote"},
        {"office", "finance"},
    ),
    "view the chart of accounts": lambda: ("get", reverse("budgets:accounts"), None, set(ROLES) - {"outsider"}),
    "download the chart of accounts": lambda: (
        "get",
        reverse("budgets:accounts_xlsx"),
        None,
        set(ROLES) - {"outsider"},
    ),
    "download the ledger template": lambda: (
        "get",
        reverse("budgets:ledger_template_xlsx", args=[Node.objects.get(code="POPDIGI2", parent=None).pk]),
        None,
        set(ROLES) - {"outsider"},
    ),
    "map an account": lambda: (
        "post",
        reverse("budgets:accounts"),
        {"account": "5170", "name": "Matkat", "category": CostCategory.objects.get(key="matkakulut").pk},
        {"office", "finance"},
    ),
    "edit an account": lambda: (
        "post",
        reverse("budgets:account_edit", args=[LedgerAccount.objects.get(account="4600").pk]),
        {
            "account": "4600",
            "account_end": "4649",
            "name": "Matkat",
            "category": CostCategory.objects.get(key="matkakulut").pk,
            "stamp": LedgerAccount.objects.get(account="4600").version,
        },
        {"office", "finance"},
    ),
    "remove an account": lambda: (
        "post",
        reverse("budgets:account_delete", args=[LedgerAccount.objects.get(account="4600").pk]),
        {},
        {"office", "finance"},
    ),
    "confirm the example chart of accounts": lambda: (
        "post",
        reverse("budgets:accounts_confirm"),
        {},
        {"office", "finance"},
    ),
    "edit budget lines": lambda: (
        "post",
        reverse("budgets:lines_edit", args=[own_measure().pk]),
        lines_data(own_measure()),
        {"office", "finance"},
    ),
    "new plan version": lambda: (
        "post",
        reverse("budgets:plan_new", args=[Node.objects.get(code="POPDIGI2", parent=None).pk]),
        {"name": "Muutos"},
        {"office", "finance"},
    ),
    "start own monthly update": lambda: (
        "post",
        reverse("reports:unit_update", args=[november().pk, own_subproject().pk]),
        {},
        {"office", "lead"},
    ),
    "start another's monthly update": lambda: (
        "post",
        reverse("reports:unit_update", args=[november().pk, other_measure().parent_id]),
        {},
        {"office"},
    ),
    "save own draft update": lambda: (
        "post",
        reverse("reports:update_edit", args=[own_update().pk]),
        update_form_data(own_update(), done="Työpajat pidetty."),
        {"office", "lead"},
    ),
    "submit own update": lambda: (
        "post",
        reverse("reports:update_action", args=[own_update().pk, "laheta"]),
        {},
        {"office", "lead"},
    ),
    "approve an update": lambda: (
        "post",
        reverse("reports:update_action", args=[own_update("submitted").pk, "hyvaksy"]),
        {},
        {"office"},
    ),
    "return an update": lambda: (
        "post",
        reverse("reports:update_action", args=[own_update("submitted").pk, "palauta"]),
        {"return_comment": "Täydennä."},
        {"office"},
    ),
    "correct an approved update": lambda: (
        "post",
        reverse("reports:update_action", args=[own_update("approved").pk, "korjaa"]),
        {},
        {"office", "lead"},
    ),
    "open a reporting period": lambda: (
        "post",
        reverse("reports:period_create", args=[Node.objects.get(code="POPDIGI2", parent=None).pk]),
        {"month": "2025-10"},
        {"office"},
    ),
    "close a reporting period": lambda: ("post", reverse("reports:period_close", args=[november().pk]), {}, {"office"}),
    # An account without a role (the outsider) reads nothing.
    "view the dashboard": lambda: ("get", reverse("reports:dashboard"), None, set(ROLES) - {"outsider"}),
    "view an update": lambda: ("get", own_update().get_absolute_url(), None, set(ROLES) - {"outsider"}),
    "add milestone to own sub-project": lambda: (
        "post",
        reverse("portfolio:create_under", args=["valitavoite", own_subproject().pk]),
        {"name": "Pilotti käynnissä", "planned_date": "2025-06-01", "status": "planned"},
        {"office", "lead"},
    ),
    "edit risk of another's measure": lambda: (
        "post",
        reverse("portfolio:edit", args=["riski", risk_of_another().pk]),
        {"category": "schedule", "title": "Rekrytointi", "status": "open", "version": risk_of_another().version},
        {"office"},
    ),
    "add indicator to another's measure": lambda: (
        "post",
        reverse("portfolio:create_under", args=["indikaattori", other_measure().pk]),
        {"name": "Asiakastyytyväisyys", "direction": "increase"},
        {"office"},
    ),
    "send a plan workbook": lambda: (
        "post",
        reverse("reports:plan_upload_create"),
        {"file": plan_file()},
        {"office"},
    ),
    "confirm a previewed plan import": lambda: (
        "post",
        reverse("reports:plan_upload_confirm", args=[previewed_plan().pk]),
        {},
        {"office"},
    ),
    "view a plan import": lambda: ("get", previewed_plan().get_absolute_url(), None, {"office"}),
    "download the blank plan workbook": lambda: ("get", reverse("reports:plan_template"), None, {"office"}),
    "download a programme's plan workbook": lambda: (
        "get",
        reverse("reports:plan_export", args=[Node.objects.get(code="POPDIGI2", parent=None).pk]),
        None,
        {"office"},
    ),
    "change log": lambda: ("get", reverse("portfolio:change_log"), None, {"office"}),
    "admin": lambda: ("get", reverse("admin:portfolio_node_changelist"), None, {"office"}),
}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_matrix(client, popsote, role, action):
    if role != "anonymous":
        client.force_login(make_user(role))
    method, url, data, allowed = ACTIONS[action]()
    before = snapshot()
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    if role in allowed:
        assert response.status_code in (200, 302), response.content.decode()[:2000]
        if method == "post":
            assert response.status_code == 302
            assert snapshot() != before
    else:
        if role == "anonymous":
            assert response.status_code == 302 and "kirjaudu" in response["Location"] or "login" in response["Location"]
        elif action == "admin" and role != "outsider":
            assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
        else:
            assert response.status_code == 403
        assert snapshot() == before


def test_second_stale_edit_of_a_measure_is_refused_and_nothing_is_lost(client, popsote):
    first, second = make_user("office"), UserFactory(username="toinen", first_name="Toinen", last_name="Käyttäjä")
    second.groups.add(Group.objects.get_or_create(name=Role.OFFICE)[0])
    measure = own_measure()
    url = reverse("portfolio:edit", args=["kohde", measure.pk])
    stale = node_edit_data(measure, name="Ensimmäisen nimi")  # both opened the form at the same version
    client.force_login(second)
    assert client.post(url, node_edit_data(measure, description="Toisen kuvaus")).status_code == 302
    client.force_login(first)
    response = client.post(url, stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Joku muu tallensi tämän tiedon" in html
    assert "Toisen kuvaus" in html  # what changed is shown
    measure.refresh_from_db()
    assert measure.description == "Toisen kuvaus"
    assert measure.name != "Ensimmäisen nimi"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start": "2024-05-01", "end": "2024-01-01"}, "end", "Päättymispäivä ei voi olla ennen alkamispäivää."),
        ({"start": "2019-01-01"}, "start", "aikataulun (1.1.2023–31.12.2025) ulkopuolella"),
        ({"budget": "12,3,4"}, "budget", "Anna rahamäärä euroina"),
        ({"budget": "-5"}, "budget", "Rahamäärä ei voi olla negatiivinen."),
        ({"name": ""}, "name", "Tämä kenttä vaaditaan."),
    ],
)
def test_bad_input_changes_nothing_and_shows_the_fields_error(client, popsote, changes, field, message):
    client.force_login(make_user("office"))
    measure = own_measure()
    before = snapshot()
    response = client.post(reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, **changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert f'aria-describedby="id_{field}_error' in response.content.decode()
    assert snapshot() == before


def test_amounts_are_accepted_as_people_type_them(client, popsote):
    client.force_login(make_user("office"))
    measure = own_measure()
    for typed, stored in (("1 228 500", "1228500.00"), ("1228500,50", "1228500.50")):
        measure.refresh_from_db()
        response = client.post(
            reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, budget=typed)
        )
        assert response.status_code == 302
        assert str(measure.budgets.get(plan__is_current=True).total) == stored


def test_a_node_cannot_be_moved_under_itself(client, popsote):
    client.force_login(make_user("office"))
    area = Node.objects.get(programme__code="POPDIGI2", code="P4I1")
    child = Node.objects.get(programme__code="POPDIGI2", code="P4I1-4")
    before = snapshot()
    response = client.post(
        reverse("portfolio:node_move", args=[area.pk]), {"parent": child.pk, "version": area.version}
    )
    assert response.status_code == 400
    assert "Kohdetta ei voi siirtää itsensä tai oman alatasonsa alle." in response.content.decode()
    assert snapshot() == before


def test_move_changes_the_parent_and_is_in_the_history(client, popsote):
    client.force_login(make_user("office"))
    measure = other_measure()
    target = Node.objects.get(programme__code="POPDIGI2", code="P3-2")
    response = client.post(
        reverse("portfolio:node_move", args=[measure.pk]), {"parent": target.pk, "version": measure.version}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.parent == target
    history = client.get(reverse("portfolio:node_history", args=[measure.pk])).context["history"]
    assert ("ylätaso", str(Node.objects.get(programme__code="POPDIGI2", code="P3-1")), str(target)) in history[
        0
    ].changes


def test_lead_edits_own_measure_and_sees_it_in_the_history(client, popsote):
    """As a new user would: log in as a lead, edit one's own measure, fail on another's, read the history."""
    lead = make_user("lead")
    client.force_login(lead)
    measure = own_measure()
    old_name = measure.name
    response = client.post(
        reverse("portfolio:edit", args=["kohde", measure.pk]),
        node_edit_data(measure, name="Perustason mielenterveyspalvelut, päivitetty", end=date(2025, 6, 30).isoformat()),
    )
    assert response.status_code == 302
    assert client.get(reverse("portfolio:edit", args=["kohde", other_measure().pk])).status_code == 403
    node_page = client.get(measure.get_absolute_url()).content.decode()
    history_url = reverse("portfolio:node_history", args=[measure.pk])
    assert f'hx-get="{history_url}" hx-trigger="revealed"' in node_page and f'href="{history_url}"' in node_page
    page = client.get(history_url, headers={"HX-Request": "true"})
    assert "<html" not in page.content.decode()
    entry = page.context["history"][0]
    assert entry.user == lead
    assert entry.action == "Muutettu"
    assert ("nimi", old_name, "Perustason mielenterveyspalvelut, päivitetty") in entry.changes
    assert ("päättyy", "–", "30.6.2025") in entry.changes
    html = page.content.decode()
    assert "Leena Mämmi-Laukka" in html  # the person the account belongs to
    assert "Muutoshistoria" in client.get(history_url).content.decode()  # its own page without JavaScript


def test_archived_node_is_kept_and_can_be_restored(client, popsote):
    client.force_login(make_user("office"))
    measure = own_measure()
    client.post(reverse("portfolio:archive", args=["kohde", measure.pk]))
    measure.refresh_from_db()
    assert measure.archived_at is not None
    overview = client.get(reverse("portfolio:overview"), {"auki": measure.parent_id})
    assert measure.pk not in {row.node.pk for row in overview.context["rows"]}
    assert measure.parent_id in {row.node.pk for row in overview.context["rows"]}
    client.post(reverse("portfolio:restore", args=["kohde", measure.pk]))
    measure.refresh_from_db()
    assert measure.archived_at is None


def test_change_log_filters_by_person(client, popsote):
    office = make_user("office")
    client.force_login(office)
    measure = own_measure()
    client.post(reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, name="Lokiin"))
    log = client.get(reverse("portfolio:change_log"), {"user": office.pk}).context["log"]
    assert [entry.label for entry in log] == ["Lokiin"]
    assert log[0].user == office


def test_demo_users_have_one_login_per_role(popsote, settings, capsys):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from portfolio.permissions import roles

    settings.DEBUG = True
    call_command("create_demo_users")
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=["demo", "vetaja", "talous", "ohjausryhma", "tarkastaja"]
        )
    }
    assert {name: set(roles(user)) for name, user in users.items()} == {
        "demo": {Role.OFFICE},
        "vetaja": {Role.LEAD},
        "talous": {Role.FINANCE},
        "ohjausryhma": {Role.STEERING},
        "tarkastaja": {Role.AUDITOR},
    }
    assert users["vetaja"].check_password("salkku-demo")
    assert users["vetaja"].has_perm("portfolio.edit_node", own_measure())
    assert not users["vetaja"].has_perm("portfolio.edit_node", other_measure())
    assert not users["ohjausryhma"].has_perm("portfolio.edit_node", own_measure())
    assert "vetaja / salkku-demo" in capsys.readouterr().out


def test_tasks_are_edited_and_reordered_inline_with_htmx(client, popsote):
    client.force_login(make_user("lead"))
    measure = own_measure()
    first = first_task(measure)
    htmx = {"HX-Request": "true"}
    form = client.get(reverse("portfolio:edit", args=["tehtava", first.pk]), headers=htmx)
    assert b"<html" not in form.content and b'name="text"' in form.content
    response = client.post(
        reverse("portfolio:edit", args=["tehtava", first.pk]),
        {"text": "Ensin tämä", "version": first.version},
        headers=htmx,
    )
    assert response.status_code == 200 and response.content.decode().startswith('\n<div id="tasks">')
    response = client.post(reverse("portfolio:move", args=["tehtava", first.pk, "alas"]), headers=htmx)
    html = response.content.decode()
    assert b"<html" not in response.content
    assert html.index("Tehtävä 2") < html.index("Ensin tämä")
    assert list(measure.tasks.values_list("text", flat=True)) == ["Tehtävä 2", "Ensin tämä"]


def test_an_empty_json_value_is_no_change_in_the_history_and_a_filled_one_reads_as_text(popsote):
    """A new update's empty comments by section are not listed as a change; comments read as text, not as code."""
    update = own_update()
    label = str(StatusUpdate._meta.get_field("section_comments").verbose_name)

    def changes():
        history = entries({StatusUpdate: StatusUpdate.history.filter(id=update.pk)})
        return [change for entry in history for change in entry.changes if change[0] == label]

    assert changes() == []
    update.section_comments = {"risks": "Lisää riskin omistaja.", "lights": "Tarkista aikataulun valo."}
    update.save()
    # In the order and the words of the update's sections.
    assert changes() == [(label, "–", "Liikennevalot: Tarkista aikataulun valo.; Riskit: Lisää riskin omistaja.")]


def test_a_user_in_a_change_is_named_as_the_pages_name_people_not_by_login(popsote):
    """Who handed an update in and who returned it: the person's name, or the account's full name."""
    lead, office = make_user("lead"), make_user("office")
    update = own_update()
    status_update_submit(update=update, user=lead)
    status_update_return(update=update, user=office, comment="Täydennä.", sections={"risks": "Lisää omistaja."})
    history = entries({StatusUpdate: StatusUpdate.history.filter(id=update.pk)})
    changes = {change[0]: change[1:] for entry in history for change in entry.changes}
    assert changes["lähettäjä"] == ("–", "Leena Mämmi-Laukka")
    assert changes["käsittelijä"] == ("–", "Office Käyttäjä")


def test_the_history_comes_a_page_at_a_time(client, popsote):
    from portfolio.views import HISTORY_PAGE

    client.force_login(make_user("office"))
    measure = own_measure()
    for number in range(HISTORY_PAGE + 5):
        measure.refresh_from_db()
        client.post(
            reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, name=f"Nimi {number}")
        )
    url = reverse("portfolio:node_history", args=[measure.pk])
    first = client.get(url)
    assert len(first.context["history"]) == HISTORY_PAGE
    assert ("nimi", f"Nimi {HISTORY_PAGE + 3}", f"Nimi {HISTORY_PAGE + 4}") in first.context["history"][0].changes
    assert f'href="{url}?sivu=2"' in first.content.decode()
    second = client.get(url, {"sivu": 2})
    assert second.context["history"].number == 2 and len(second.context["history"]) >= 5
    assert client.get(url, {"sivu": "\x00"}).status_code == 200


def test_the_change_log_pages_back_through_every_change_once_keeping_its_filter(client, popsote, monkeypatch):
    """The log shows its newest changes and links to older ones: followed to its end, every change is shown
    once, even those saved at one moment (a bulk import gives thousands of rows one time). A bad link is
    said to be one and the newest changes are shown."""
    from portfolio import views

    monkeypatch.setattr(views, "LOG_LIMIT", 3)
    office = make_user("office")
    client.force_login(office)
    measure = own_measure()
    names = [f"Lokiin {number}" for number in range(7)]
    for name in names:
        measure.refresh_from_db()
        client.post(reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, name=name))
    # Three more saved at the last one's moment: a page of three ends among them.
    last = measure.history.order_by("-history_date").first()
    for name in ("Samalla hetkellä A", "Samalla hetkellä B"):
        measure.refresh_from_db()
        client.post(reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, name=name))
    moment = measure.history.filter(Q(name__startswith="Samalla") | Q(name="Lokiin 5"))
    assert moment.update(history_date=last.history_date) == 3  # with "Lokiin 6": four at one moment
    seen, url, pages = [], f"{reverse('portfolio:change_log')}?user={office.pk}", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += [entry.label for entry in response.context["log"]]
        older = re.search(r'href="(\?[^"]*ennen=[^"]*)">Vanhemmat', response.content.decode())
        url = reverse("portfolio:change_log") + unescape(older.group(1)) if older else None
        if url:
            assert f"user={office.pk}" in url
        pages += 1
    assert sorted(seen) == sorted([*names, "Samalla hetkellä A", "Samalla hetkellä B"])
    assert pages == 3
    odd_links = ["9999-12", "x~y~z", "2026-01-01T00:00:00+00:00~portfolio.node~" + "9" * 40, "\x00"]
    odd_links += ["9999-12-31T23:59:59-23:59~portfolio.node~1", "0001-01-01T00:00:00+14:00~portfolio.node~1"]
    for odd in odd_links:
        response = client.get(reverse("portfolio:change_log"), {"user": office.pk, "ennen": odd})
        assert response.status_code == 200
        assert "Sivun osoite on virheellinen" in response.content.decode()
        newest = {entry.label for entry in response.context["log"]}
        assert len(newest) == 3 and newest < {"Lokiin 5", "Lokiin 6", "Samalla hetkellä A", "Samalla hetkellä B"}
