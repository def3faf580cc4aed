"""Pages and API lists run a fixed number of SQL queries, whatever the size of the data.

Every page and list is counted on the POPsote seed, then once more after the whole portfolio has been
loaded a second time (with more updates, periods, costs, imports and exports): the counts must not move.
The second copy is loaded once for all of them, in a transaction rolled back at the end of the module.
"""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import ActualCost, CostCategory, LedgerAccount, LedgerImport
from popsote.seed import seed_directory
from portfolio.models import Goal, Node, Person, UsageEvent
from portfolio.permissions import Role
from reports.evaluations import evaluation_round_create
from reports.models import EvaluationRound, GoalEvaluation, PlanUpload, ReportingPeriod, StatusUpdate
from reports.rrf import rrf_declaration_make, rrf_evidence_add, rrf_progress_record
from reports.workflow import (
    period_open,
    status_update_approve,
    status_update_save,
    status_update_start,
    status_update_submit,
)
from tests.api.test_permissions import api_routes
from tests.factories import ExportFactory, UserFactory
from tests.portfolio.test_editing import make_user
from tests.portfolio.test_pages import count_queries, twice_the_data

pytestmark = pytest.mark.django_db

API_LISTS = sorted(name for name, _view in api_routes() if name.endswith("-list"))


def _more_rows(count):
    """Rows the seed data does not have: actual costs, ledger imports and exports."""
    programme = Node.objects.programmes().first()
    measure = Node.objects.filter(kind=Node.Kind.MEASURE).first()
    category = CostCategory.objects.filter(children__isnull=True).first()
    user = UserFactory()
    for _ in range(count):
        LedgerAccount.objects.create(
            account=f"9{LedgerAccount.objects.count():03d}", name="Lisätili", category=category
        )
        batch = LedgerImport.objects.create(
            programme=programme,
            file_name="ote.csv",
            sha256=f"{LedgerImport.objects.count():064d}",
            imported_by=user,
            row_count=1,
            total=1,
        )
        ActualCost.objects.create(
            node=measure, category=category, month=date(2024, 5, 1), amount="10.50", ledger_import=batch
        )
        ExportFactory(programme=programme, requested_by=user)
        make_account()


def make_account():
    """An account with a role and a person, and an event of it in the log of use."""
    account = UserFactory()
    account.groups.add(Group.objects.get_or_create(name=Role.LEAD)[0])
    Person.objects.filter(pk=Person.objects.filter(user__isnull=True).first().pk).update(user=account)
    UsageEvent.objects.create(kind=UsageEvent.Kind.SIGN_IN, user=account, target="salasana")


def _node(code, programme="POPDIGI2"):
    return Node.objects.get(code=code, programme__code=programme, programme__parent=None)


def _reviewed(office_user):
    """A submitted November update of P4I1-3 whose October update was approved: what the review compares."""
    unit = _node("P4I1-3")
    october = period_open(programme=unit.programme, month=date(2025, 10, 1))
    first = status_update_start(period=october, node=unit, user=office_user)
    status_update_save(
        update=first, values=dict.fromkeys(StatusUpdate.LIGHTS, "green"), version=first.version, user=office_user
    )
    status_update_approve(update=status_update_submit(update=first, user=office_user), user=office_user)
    november = period_open(programme=unit.programme, month=date(2025, 11, 1))
    update = status_update_start(period=november, node=unit, user=office_user)
    return status_update_submit(update=update, user=office_user)


def _plan_uploads(user, count):
    """Workbooks the office sent: each waiting for its confirmation with a preview of a new programme."""
    from reports.plan_import import categories, plan_preview
    from reports.plan_workbook import example_rows, plan_workbook

    preview = plan_preview(content=plan_workbook(example_rows(), categories(), "Esimerkki"))
    for _ in range(count):
        PlanUpload.objects.create(
            file_name="suunnitelma.xlsx",
            file="plans/suunnitelma.xlsx",
            uploaded_by=user,
            status=PlanUpload.Status.PREVIEW,
            preview=preview,
        )


def count_save(client, update):
    """Queries of an autosave of the update form that changes one text."""
    from tests.reports.test_reporting import edit_data

    update.refresh_from_db()
    data = edit_data(update, done=f"Tallennus {update.version}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("reports:update_edit", args=[update.pk]), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return len(queries)


def _rrf_and_evaluation(user, rows=1):
    """A round of POP-Digi-Hoitotakuu 2 (made once) with more goals, and ``rows`` more evidence and declarations."""
    popdigi = _node("POPDIGI2")
    evaluation = EvaluationRound.objects.filter(programme=popdigi).first() or evaluation_round_create(
        programme=popdigi, start=date(2025, 7, 1), end=date(2025, 12, 31), scale="1\n2\n3", user=user
    )
    for index in range(rows):
        goal = Goal.objects.create(node=_node("P3"), kind=Goal.Kind.KEY, text=f"Lisätavoite {index}")
        GoalEvaluation.objects.create(round=evaluation, goal=goal, rating="2")
        for target in popdigi.rrf_targets.all():
            rrf_evidence_add(target=target, description=f"Linkki {index}", user=user, link="https://example.fi/")
            for period in ReportingPeriod.objects.filter(programme=popdigi, status=ReportingPeriod.Status.OPEN):
                rrf_progress_record(target=target, period=period, status="in_progress", value=f"{index} %", user=user)
        rrf_declaration_make(programme=popdigi, kind="dnsh", user=user, date=date(2025, 6, 1), text="Ei haittaa.")
    return evaluation


def _pages(period, update, reviewed, evaluation):
    popdigi = _node("POPDIGI2")
    pages = {
        "evaluations": (reverse("reports:evaluations", args=[popdigi.pk]), {}),
        "evaluation": (evaluation.get_absolute_url(), {}),
        "rrf": (reverse("reports:rrf", args=[popdigi.pk]), {}),
        "overview": (reverse("portfolio:overview"), {}),
        "overview search": (reverse("portfolio:overview"), {"q": "digi"}),
        "overview opened": (reverse("portfolio:overview"), {"auki": _node("P4I1").pk}),
        "overview opened deep": (reverse("portfolio:overview"), {"auki": _node("P4I1-4").pk}),
        "persons": (reverse("portfolio:persons"), {}),
        "person": (Person.objects.get(name="Riikka Hirvasniemi").get_absolute_url(), {}),
        "timeline": (reverse("milestones:timeline"), {"hanke": popdigi.pk}),
        "cost estimate": (reverse("budgets:node", args=[popdigi.pk]), {}),
        "plan comparison": (reverse("budgets:compare", args=[popdigi.pk]), {}),
        "talous": (reverse("budgets:overview"), {}),
        "talous page 2": (reverse("budgets:overview"), {"sivu": 2}),
        "chart of accounts": (reverse("budgets:accounts"), {}),
        "ledger imports": (reverse("budgets:ledger_upload", args=[popdigi.pk]), {}),
        "plan import": (reverse("reports:plan_upload_create"), {}),
        "plan import preview": (
            PlanUpload.objects.filter(status=PlanUpload.Status.PREVIEW).first().get_absolute_url(),
            {},
        ),
        "plan workbook": (reverse("reports:plan_export", args=[popdigi.pk]), {}),
        "dashboard": (reverse("reports:dashboard"), {"programme": period.programme_id, "period": period.pk}),
        "update": (update.get_absolute_url(), {}),
        "update form": (reverse("reports:update_edit", args=[update.pk]), {}),
        "update review": (reviewed.get_absolute_url(), {}),
        "users": (reverse("portfolio:users"), {}),
        "usage log": (reverse("portfolio:usage_log"), {}),
        "usage log filtered": (reverse("portfolio:usage_log"), {"kind": "sign_in", "start": "2020-01-01"}),
    }
    for code in ("POPDIGI2", "P4I1", "P4I1-4"):
        pages[f"node {code}"] = (_node(code).get_absolute_url(), {})
    pages["node history"] = (reverse("portfolio:node_history", args=[_node("P4I1-4").pk]), {})
    return pages


def _api(name):
    if name == "programme-tree":
        return reverse("api:programme-tree", args=[_node("POPDIGI2").pk])
    return reverse(f"api:{name}")


class SqlSizes:
    """The text of every query sent, as the code writes it (parameters as placeholders: an id list shows
    as a placeholder per id; numbers written in it, a savepoint's or a LIMIT's, count as one digit), keyed by
    the page being fetched."""

    def __init__(self):
        self.page, self.sizes = None, {}

    def __call__(self, execute, sql, params, many, context):
        if self.page is not None:
            self.sizes.setdefault(self.page, []).append(len(re.sub(r"\d+", "0", sql)))
        return execute(sql, params, many, context)


def _count(office, steering, pages, update, sql=None):
    sql = sql or SqlSizes()
    counts = {}
    with connection.execute_wrapper(sql):
        for name, (url, params) in pages.items():
            sql.page = name
            counts[name] = count_queries(office, url, params)
        sql.page = "update save"
        counts["update save"] = count_save(office, update)
        for name in [*API_LISTS, "programme-tree"]:
            # The log of use and the plan imports are the office's.
            reader = office if name in ("usageevent-list", "planupload-list") else steering
            sql.page = None
            counts[f"api {name}"] = count_queries(reader, _api(name), {"page_size": 500})
            # The SQL's size on a page of one row: a prefetch's ids are the page's, bounded by its size.
            sql.page = f"api {name}"
            counts[f"api {name} page of one"] = count_queries(reader, _api(name), {"page_size": 1})
        sql.page = None
    return counts, sql.sizes


def _grow_popdigi(times, mark):
    """POP-Digi-Hoitotakuu 2 itself bigger: the sub-projects of P4I1 get ``times`` more measures, each with an
    actual cost before the decision's period of use (what the cost estimate lists as outside it). P4I1-4,
    whose update the pages show, is left as it is (its new measures would join the open draft)."""
    category = CostCategory.objects.filter(children__isnull=True, kind=CostCategory.Kind.COST).first()
    for unit in Node.objects.filter(parent=_node("P4I1")).exclude(code="P4I1-4"):
        for number in range(times * max(unit.children.count(), 1)):
            measure = Node.objects.create(
                parent=unit,
                programme=unit.programme,
                kind=Node.Kind.MEASURE,
                code=f"{unit.code}-{mark}{number}",
                name="Lisä",
            )
            ActualCost.objects.create(node=measure, category=category, month=date(2019, 1, 1), amount="1.00")


@pytest.fixture(scope="module")
def counted(django_db_setup, django_db_blocker, tmp_path_factory):
    """(counts on the seed, counts on twice the seed, sizes) for every page and API list."""
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        # Pages full before the data grows, so that what a page of programmes carries is the same both times.
        patch.setattr("portfolio.views.OVERVIEW_PROGRAMMES", 2)
        patch.setattr("budgets.views.OVERVIEW_PROGRAMMES", 2)
        office, steering = Client(), Client()
        office_user = make_user("office")
        office.force_login(office_user)
        steering.force_login(make_user("steering"))
        unit = _node("P4I1-4")
        period = period_open(programme=unit.programme, month=date(2025, 11, 1))
        update = status_update_start(period=period, node=unit, user=office_user)
        _plan_uploads(office_user, 1)
        pages = _pages(period, update, _reviewed(office_user), _rrf_and_evaluation(office_user))
        _more_rows(3)
        _grow_popdigi(1, "A")
        _count(office, steering, pages, update)  # warm caches (content types, sessions)
        before, sql_before = _count(office, steering, pages, update)
        programmes = Node.objects.programmes().count()
        person = Person.objects.get(name="Riikka Hirvasniemi")
        responsibilities = person.responsibilities.count()

        twice_the_data(tmp_path_factory.mktemp("kopio"))
        _more_rows(6)
        for other in Node.objects.reporting_units().filter(programme=period.programme_id).exclude(pk=unit.pk)[:8]:
            status_update_start(period=period, node=other, user=office_user)
        december = period_open(programme=unit.programme, month=date(2025, 12, 1))
        status_update_start(period=december, node=unit, user=office_user)
        _rrf_and_evaluation(office_user, rows=4)
        _grow_popdigi(3, "B")
        _plan_uploads(office_user, 6)
        after, sql_after = _count(office, steering, pages, update)
        sizes = {
            "programmes": (programmes, Node.objects.programmes().count()),
            "responsibilities": (responsibilities, person.responsibilities.count()),
            "seed files": len(list(seed_directory().glob("*.yaml"))),
        }
        transaction.set_rollback(True)
    return before, after, sizes, (sql_before, sql_after)


def test_the_second_copy_doubles_the_data(counted):
    _before, _after, sizes, _sql = counted
    assert sizes["programmes"] == (sizes["seed files"], 2 * sizes["seed files"])
    assert sizes["responsibilities"][1] == 2 * sizes["responsibilities"][0]


def test_every_api_list_route_is_counted():
    assert len(API_LISTS) >= 20


COUNTED = [
    "evaluations",
    "evaluation",
    "rrf",
    "overview",
    "overview search",
    "overview opened",
    "overview opened deep",
    "persons",
    "person",
    "timeline",
    "cost estimate",
    "plan comparison",
    "talous",
    "talous page 2",
    "chart of accounts",
    "ledger imports",
    "plan import",
    "plan import preview",
    "plan workbook",
    "dashboard",
    "update",
    "update form",
    "update review",
    "update save",
    "users",
    "usage log",
    "usage log filtered",
    "node POPDIGI2",
    "node P4I1",
    "node P4I1-4",
    "node history",
    *(f"api {name}" for name in [*API_LISTS, "programme-tree"]),
]


@pytest.mark.parametrize("name", COUNTED)
def test_queries_do_not_grow_with_the_data(counted, name):
    before, after, _sizes, _sql = counted
    assert after[name] <= before[name], f"{name}: {before[name]} → {after[name]} queries"
    assert before.get(f"{name} page of one", before[name]) == before[name]


# Pages that show every row they have (a person's every responsibility, every account, every match of a
# search, every row of a programme's plan workbook) load what the rows need by the rows' ids: that list is as
# long as the page itself, not hidden data.
SHOWS_EVERY_ROW = {"person", "users", "overview search", "plan workbook"}


@pytest.mark.parametrize("name", [name for name in COUNTED if name not in SHOWS_EVERY_ROW])
def test_no_query_carries_a_list_that_grows_with_the_data(counted, name):
    _before, _after, _sizes, (sql_before, sql_after) = counted
    # Query by query, the longest texts: an id list in one of them would make it longer with more data.
    before, after = sorted(sql_before[name], reverse=True), sorted(sql_after[name], reverse=True)
    assert max(after) <= max(before), f"{name}: the longest query {max(before)} → {max(after)} characters"
    assert sum(after) <= sum(before), f"{name}: {sum(before)} → {sum(after)} characters of SQL"


def test_api_lists_run_a_handful_of_queries(counted):
    before, _after, _sizes, _sql = counted
    api = {name: count for name, count in before.items() if name.startswith("api ") and "page of one" not in name}
    # Session, user, the user's roles, count, rows and one query per prefetched relation at most.
    assert max(api.values()) <= 7, api
