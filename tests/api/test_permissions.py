"""Every API route × method × role, enumerated from the URL resolver: a route missing from the matrix fails."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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
from indicators.models import Indicator, IndicatorTarget, Measurement
from milestones.models import Milestone
from portfolio.models import FundingDecision, Node, Organisation, Person, Risk, UsageEvent
from reports.evaluations import evaluation_round_create
from reports.models import PlanUpload, ReportingPeriod
from reports.rrf import rrf_declaration_make, rrf_evidence_add, rrf_progress_record
from reports.workflow import period_open, status_update_start
from tests.factories import ExportFactory, PhaseFactory, ResponsibilityFactory, TaskFactory, UserFactory
from tests.portfolio.test_editing import own_measure

pytestmark = pytest.mark.django_db

READ = {"office", "lead", "finance", "steering"}
OFFICE = {"office"}
NODE = {"office", "lead"}  # the object is under the lead's own sub-project
BUDGETS = {"office", "finance"}


def directory(base):
    return {
        f"{base}-list": {"GET": READ, "POST": OFFICE},
        f"{base}-detail": {"GET": READ, "PUT": OFFICE, "PATCH": OFFICE},
        f"{base}-archive": {"POST": OFFICE},
        f"{base}-restore": {"POST": OFFICE},
    }


def node_child(base, archive=True, delete=False):
    routes = {
        f"{base}-list": {"GET": READ, "POST": NODE},
        f"{base}-detail": {"GET": READ, "PUT": NODE, "PATCH": NODE, **({"DELETE": NODE} if delete else {})},
        f"{base}-up": {"POST": NODE},
        f"{base}-down": {"POST": NODE},
    }
    if archive:
        routes.update({f"{base}-archive": {"POST": NODE}, f"{base}-restore": {"POST": NODE}})
    return routes


def read_only(base):
    return {f"{base}-list": {"GET": READ}, f"{base}-detail": {"GET": READ}}


MATRIX = {
    **directory("organisation"),
    **directory("person"),
    **directory("programme"),
    "programme-tree": {"GET": READ},
    **directory("fundingdecision"),
    "node-list": {"GET": READ, "POST": NODE},
    "node-detail": {"GET": READ, "PUT": NODE, "PATCH": NODE},
    "node-archive": {"POST": NODE},
    "node-restore": {"POST": NODE},
    "node-move": {"POST": NODE},
    **read_only("measure"),
    **node_child("task"),
    **node_child("responsibility", archive=False, delete=True),
    **node_child("phase"),
    **node_child("risk", archive=False),
    **{k: v for k, v in node_child("milestone").items() if not k.endswith(("-up", "-down"))},
    **node_child("indicator"),
    **read_only("indicatortarget"),
    **read_only("costcategory"),
    "planversion-list": {"GET": READ, "POST": BUDGETS},
    "planversion-detail": {"GET": READ},
    **read_only("nodebudget"),
    **read_only("budgetline"),
    "budgetgrid-detail": {"GET": READ, "PUT": BUDGETS},
    "budgetfigures-detail": {"GET": READ},
    "actualcost-list": {"GET": READ, "POST": BUDGETS},
    "actualcost-detail": {"GET": READ},
    "ledgeraccount-list": {"GET": READ, "POST": BUDGETS},
    "ledgeraccount-detail": {"GET": READ, "PUT": BUDGETS, "PATCH": BUDGETS},
    "ledgerimport-list": {"GET": READ, "POST": BUDGETS},
    "ledgerimport-detail": {"GET": READ},
    "ledgerimport-reverse": {"POST": BUDGETS},
    "ledgerupload-list": {"GET": READ, "POST": BUDGETS},
    "ledgerupload-detail": {"GET": READ},
    "ledgerupload-confirm": {"POST": BUDGETS},
    "planupload-list": {"GET": OFFICE, "POST": OFFICE},
    "planupload-detail": {"GET": OFFICE},
    "planupload-confirm": {"POST": OFFICE},
    "export-list": {"GET": READ, "POST": READ},
    "export-detail": {"GET": READ},
    "export-download": {"GET": READ},
    "period-list": {"GET": READ, "POST": OFFICE},
    "period-detail": {"GET": READ},
    "period-close": {"POST": OFFICE},
    "period-reopen": {"POST": OFFICE},
    "statusupdate-list": {"GET": READ, "POST": NODE},
    "statusupdate-detail": {"GET": READ, "PUT": NODE, "PATCH": NODE},
    "statusupdate-submit": {"POST": NODE},
    "statusupdate-return": {"POST": OFFICE},
    "statusupdate-approve": {"POST": OFFICE},
    "statusupdate-revise": {"POST": NODE},
    **read_only("measurement"),
    "usageevent-list": {"GET": OFFICE},  # and the auditor (tests/portfolio/test_accounts.py)
    "usageevent-detail": {"GET": OFFICE},
    "evaluationround-list": {"GET": READ, "POST": OFFICE},
    "evaluationround-detail": {"GET": READ},
    "evaluationround-evaluate": {"POST": NODE},  # each row by whom may write it (tests/reports/test_rrf_api.py)
    "evaluationround-approve": {"POST": OFFICE},
    "evaluationround-revise": {"POST": OFFICE},
    **read_only("goalevaluation"),
    **read_only("rrftarget"),
    "rrfprogress-list": {"GET": READ, "POST": OFFICE},
    "rrfprogress-detail": {"GET": READ},
    "rrfevidence-list": {"GET": READ, "POST": OFFICE},
    "rrfevidence-detail": {"GET": READ},
    "rrfevidence-review": {"POST": OFFICE},
    "rrfdeclaration-list": {"GET": READ, "POST": OFFICE},
    "rrfdeclaration-detail": {"GET": READ},
    "schema": {"GET": READ},
    "docs": {"GET": READ},
    "redoc": {"GET": READ},
    "no-such-route": dict.fromkeys(["GET", "POST", "PUT", "PATCH", "DELETE"], READ),
}


def api_routes():
    """(name, view) of every route in the ``api`` namespace, found by walking the URL resolver."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api":
                found.append((pattern.name, pattern.callback))

    walk(get_resolver().url_patterns, None)
    return found


def methods(view):
    if getattr(view, "actions", None):
        return {method.upper() for method in view.actions if method not in ("head", "options")}
    cls = view.view_class
    return {m.upper() for m in cls.http_method_names if hasattr(cls, m) and m not in ("head", "options")}


def test_every_api_route_and_method_is_in_the_matrix():
    routes = {(name, method) for name, view in api_routes() for method in methods(view)}
    assert len(routes) > 80
    matrix = {(name, method) for name, allowed in MATRIX.items() for method in allowed}
    assert routes - matrix == set(), "routes missing from the matrix"
    assert matrix - routes == set(), "the matrix names routes that do not exist"


def sample_kwargs():
    """An object for each detail route; node-bound ones hang under the lead's own sub-project."""
    measure = own_measure()
    category = CostCategory.objects.filter(children__isnull=True).first()
    batch = LedgerImport.objects.create(
        programme=measure.programme,
        file_name="ote.csv",
        sha256="0" * 64,
        imported_by=UserFactory(),
        row_count=0,
        total=0,
    )
    indicator = Indicator.objects.create(node=measure.parent, name="Indikaattori")
    period = period_open(programme=measure.programme, month=date(2025, 11, 1))
    update = status_update_start(period=period, node=measure.parent, user=UserFactory())
    objects = {
        "period": period,
        "statusupdate": update,
        "measurement": Measurement.objects.get(update=update, indicator=indicator),
        "organisation": Organisation.objects.first(),
        "person": Person.objects.first(),
        "programme": measure.programme,
        "fundingdecision": FundingDecision.objects.filter(programme=measure.programme).first(),
        "node": measure,
        "measure": measure,
        "task": TaskFactory(node=measure),
        "responsibility": ResponsibilityFactory(node=measure),
        "phase": PhaseFactory(node=measure),
        "risk": Risk.objects.create(node=measure, title="Riski"),
        "milestone": Milestone.objects.create(node=measure, name="Välitavoite"),
        "indicator": indicator,
        "indicatortarget": IndicatorTarget.objects.first(),
        "costcategory": category,
        "planversion": PlanVersion.objects.first(),
        "nodebudget": NodeBudget.objects.first(),
        "budgetline": BudgetLine.objects.first(),
        "budgetgrid": measure,
        "budgetfigures": measure,
        "actualcost": ActualCost.objects.create(node=measure, category=category, month=date(2024, 5, 1), amount=1),
        "ledgerimport": batch,
        "ledgeraccount": LedgerAccount.objects.first(),
        "ledgerupload": LedgerUpload.objects.create(
            programme=measure.programme, file_name="ote.csv", uploaded_by=UserFactory(), file="ledger/ote.csv"
        ),
        "export": ExportFactory(programme=measure.programme),
        "planupload": PlanUpload.objects.create(
            file_name="suunnitelma.xlsx", file="plans/suunnitelma.xlsx", uploaded_by=UserFactory()
        ),
        "usageevent": UsageEvent.objects.create(kind=UsageEvent.Kind.SIGN_IN),
        **rrf_and_evaluation_samples(measure.programme),
    }
    assert all(objects.values())
    return objects


def rrf_and_evaluation_samples(programme):
    """A round with its rows, an RRF target, a link as its evidence and a declaration of ``programme``."""
    user = UserFactory()
    evaluation = evaluation_round_create(
        programme=programme, start=date(2025, 1, 1), end=date(2025, 6, 30), scale="1\n2\n3", user=user
    )
    target = programme.rrf_targets.first()
    return {
        "evaluationround": evaluation,
        "goalevaluation": evaluation.rows.first(),
        "rrftarget": target,
        "rrfevidence": rrf_evidence_add(target=target, description="Linkki", user=user, link="https://example.fi/"),
        "rrfprogress": rrf_progress_record(
            target=target,
            period=ReportingPeriod.objects.create(
                programme=programme, month=date(2024, 6, 1), deadline=date(2024, 7, 5)
            ),
            status="in_progress",
            user=user,
        ),
        "rrfdeclaration": rrf_declaration_make(
            programme=programme, kind="dnsh", user=user, date=date(2025, 6, 1), text="Ei haittaa."
        ),
    }


@pytest.mark.parametrize("role", ["office", "lead", "finance", "steering", "anonymous"])
def test_roles_and_methods_on_every_route(api_client, role):
    client = api_client(role)
    objects = sample_kwargs()
    wrong = []
    for name, view in api_routes():
        base = name.rsplit("-", 1)[0]
        kwargs = {"pk": objects[base].pk} if base in objects and not name.endswith("-list") else {}
        url = reverse(f"api:{name}", kwargs=kwargs)
        for method in sorted(methods(view)):
            response = client.generic(method, url, "{}", content_type="application/json")
            allowed = role in MATRIX[name][method]
            if role == "anonymous" and name in ("docs", "redoc"):
                expected_ok = response.status_code == 302  # to the login page
            elif role == "anonymous":
                expected_ok = response.status_code == 401
            elif allowed:
                expected_ok = response.status_code not in (401, 403) and response.status_code < 500
            else:
                expected_ok = response.status_code == 403
            if not expected_ok:
                wrong.append((method, url, response.status_code))
    assert wrong == []


def test_lead_may_not_write_outside_own_subprojects(api_client):
    from tests.portfolio.test_editing import other_measure

    measure = other_measure()
    client = api_client("lead")
    task = TaskFactory(node=measure)
    for method, url in [
        ("PATCH", reverse("api:node-detail", args=[measure.pk])),
        ("POST", reverse("api:node-archive", args=[measure.pk])),
        ("POST", reverse("api:node-move", args=[measure.pk])),
        ("PATCH", reverse("api:task-detail", args=[task.pk])),
        ("POST", reverse("api:task-up", args=[task.pk])),
    ]:
        response = client.generic(method, url, "{}", content_type="application/json", HTTP_IF_MATCH='"1"')
        assert response.status_code == 403, (method, url)
    assert Node.objects.get(pk=measure.pk).archived_at is None
