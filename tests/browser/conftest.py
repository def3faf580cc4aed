"""Tests that look: Debian's headless Chromium against a live server, as each role would see the pages.

Everything expensive happens once for the package: one live server, one browser, the data
(``world``) built once, one login per role whose session cookie every browser context of that role
reuses.

The live server shares the tests' own database connection, as Django's LiveServerTestCase does for
an in-memory SQLite database: its requests see the world, built inside one transaction that is
rolled back when the package is done. Nothing is committed, so no other test ever sees these rows
and no test needs to load the seed again. The tests themselves are plain database tests.
"""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import axe_playwright_python
import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections, transaction
from django.test import Client, override_settings
from django.test.testcases import LiveServerThread
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desk": DESK, "phone": PHONE}
ROLES = ["office", "lead", "finance", "steering"]
LOCALES = {"fi": "fi-FI", "sv": "sv-SE", "en": "en-GB"}
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


class SharedConnectionServer(ThreadedWSGIServer):
    def _close_connections(self):
        # The connection is the tests' own, inside their transaction: closing it would end that.
        pass


class CachedStaticFilesHandler(StaticFilesHandler):
    """Static files the browser keeps, as it keeps WhiteNoise's in production (a year, under hashed names):
    loading a page asks the server for the page, not for its stylesheets and scripts again."""

    def serve(self, request):
        response = super().serve(request)
        response["Cache-Control"] = "max-age=3600"
        return response


class SharedConnectionThread(LiveServerThread):
    server_class = SharedConnectionServer


@pytest.fixture(scope="package")
def server(django_db_setup, browser):
    """The live server's address; it answers through the tests' database connection."""
    # Templates name static files that only collectstatic's manifest knows in production.
    plain_static = override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    plain_static.enable()
    # As Django's test client does: a request must not close the connection it was lent.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    connection = connections[DEFAULT_DB_ALIAS]
    connection.inc_thread_sharing()
    thread = SharedConnectionThread(
        "127.0.0.1", static_handler=CachedStaticFilesHandler, connections_override={DEFAULT_DB_ALIAS: connection}
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    connection.dec_thread_sharing()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    plain_static.disable()


@pytest.fixture(scope="package")
def world(server, django_db_blocker):
    """The POPsote portfolio, a user per role and a month of reporting on POP-Digi-Hoitotakuu 2."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world.cookies = {role: login_cookie(user) for role, user in world.users.items()}
        yield world
        transaction.set_rollback(True)


def build_world():
    from budgets.models import ActualCost, CostCategory, LedgerAccount, LedgerImport, LedgerUpload
    from indicators.models import Indicator
    from milestones.models import Milestone, Phase
    from portfolio.models import FundingDecision, Node, Organisation, Person, Responsibility, Risk
    from reports.evaluations import evaluation_round_create, evaluation_save
    from reports.models import DEFAULT_SCALE, Export, StatusUpdate
    from reports.rrf import rrf_declaration_make, rrf_evidence_add
    from reports.workflow import period_open, status_update_start
    from tests.factories import ExportFactory, TaskFactory
    from tests.portfolio.test_editing import make_user
    from tests.reports.month import popdigi_october

    users = {role: make_user(role) for role in ROLES}
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    own = Node.objects.get(programme=programme, code="P4I1-4")
    measure = Node.objects.get(programme=programme, code="P4I1-4-M1")
    popdigi_october(users["office"])
    dental = Node.objects.get(programme=programme, code="P4I1-3")
    november = period_open(programme=programme, month=date(2026, 11, 1))
    draft = status_update_start(period=november, node=own, user=users["lead"])
    approved = StatusUpdate.objects.filter(node=dental, status=StatusUpdate.Status.APPROVED).latest("revision")
    indicator = Indicator.objects.create(node=own, name="Asiakastyytyväisyys (NPS)", unit="NPS")
    export = ExportFactory(
        programme=programme, requested_by=users["lead"], status=Export.Status.DONE, version=1, sha256="0" * 64
    )
    objects = {
        "kohde": measure,
        "rahoituspaatos": FundingDecision.objects.filter(programme=programme).first(),
        "vaihe": Phase.objects.create(node=own, name="Pilotointi", start=date(2024, 1, 1), end=date(2024, 6, 30)),
        "tehtava": TaskFactory(node=measure),
        "vastuu": Responsibility.objects.filter(node=own).first(),
        "valitavoite": Milestone.objects.create(node=own, name="Pilotti käynnissä", planned_date=date(2024, 3, 1)),
        "riski": Risk.objects.create(node=own, title="Rekrytointi viivästyy", likelihood=2, impact=3),
        "indikaattori": indicator,
        "henkilo": Person.objects.get(name="Leena Mämmi-Laukka"),
        "organisaatio": Organisation.objects.first(),
    }
    assert all(objects.values()), objects
    # A background ledger import the worker refused: its page lists the rows to fix.
    upload = LedgerUpload.objects.create(
        programme=programme,
        file_name="ote.csv",
        file="ledger/ote.csv",
        uploaded_by=users["finance"],
        status=LedgerUpload.Status.REJECTED,
        errors=[[3, "Summa", "Summa ei ole luku: 12,3x"]],
    )
    # A round of the half year with a goal evaluated, and evidence (a link) for an RRF target with a declaration.
    evaluation = evaluation_round_create(
        programme=programme, start=date(2026, 7, 1), end=date(2026, 12, 31), scale=DEFAULT_SCALE, user=users["office"]
    )
    evaluation_save(
        evaluation=evaluation,
        rows={evaluation.rows.first().pk: {"rating": "Etenee", "assessment": "Pilotit käynnissä."}},
        version=evaluation.version,
        user=users["office"],
    )
    evidence = rrf_evidence_add(
        target=programme.rrf_targets.first(), description="THL:n tilasto", user=users["office"], link="https://thl.fi/"
    )
    rrf_declaration_make(
        programme=programme, kind="dnsh", user=users["office"], date=date(2026, 11, 2), text="Ei merkittävää haittaa."
    )
    # An extract waiting for its confirmation, one of whose rows looks imported already, and an import to undo.
    LedgerAccount.objects.filter(example=True).update(example=False)
    preview = LedgerUpload.objects.create(
        programme=programme,
        file_name="paakirja-2023.csv",
        file="ledger/paakirja.csv",
        uploaded_by=users["finance"],
        status=LedgerUpload.Status.PREVIEW,
        preview={
            "rows": 2,
            "total": "12810.50",
            "totals": [
                {
                    "node": measure.code,
                    "node_name": measure.name,
                    "category": "Henkilöstökulut",
                    "month": "2023-01",
                    "amount": "12500.50",
                },
                {
                    "node": measure.code,
                    "node_name": measure.name,
                    "category": "Matkakulut",
                    "month": "2023-02",
                    "amount": "310.00",
                },
            ],
            "duplicates": [
                {
                    "row": 3,
                    "month": "2023-02",
                    "node": measure.code,
                    "account": "4600",
                    "amount": "310.00",
                    "description": "Junaliput Ouluun ja takaisin, projektikokous",
                    "earlier_description": "Junaliput",
                    "earlier_file": "paakirja-2023-helmikuu.csv",
                }
            ],
        },
    )
    batch = LedgerImport.objects.create(
        programme=programme,
        file_name="paakirja-2023-helmikuu.csv",
        sha256="1" * 64,
        imported_by=users["finance"],
        row_count=1,
        total="310.00",
    )
    ActualCost.objects.create(
        node=measure,
        category=CostCategory.objects.get(key="matkakulut"),
        month=date(2023, 2, 1),
        amount="310.00",
        account="4600",
        description="Junaliput",
        ledger_import=batch,
    )
    # A workbook of a programme's plan waiting for its confirmation (a real preview: ten budgets and a new
    # person), and one the worker refused.
    from reports.models import PlanUpload
    from reports.plan_import import plan_preview, programme_workbook
    from tests.reports.test_plan_workbook import cells, edited

    def change(book):
        for total in cells(book["Budjetit"], "Kokonaisbudjetti (€)")[:10]:
            total.value = Decimal(str(total.value)) + 1000
        book["Henkilöt"].append(["Päivi  LAURI"])

    plan_preview_upload = PlanUpload.objects.create(
        file_name="suunnitelma-POPDIGI2-muokattu.xlsx",
        file="plans/suunnitelma.xlsx",
        uploaded_by=users["office"],
        status=PlanUpload.Status.PREVIEW,
        preview=plan_preview(content=edited(programme_workbook(programme), change)),
    )
    plan_refused = PlanUpload.objects.create(
        file_name="uusi-hanke.xlsx",
        file="plans/uusi.xlsx",
        uploaded_by=users["office"],
        status=PlanUpload.Status.REJECTED,
        errors=[["Rakenne", 7, "Ylätaso", "Ylätasoa 'P9' ei ole Rakenne-välilehdellä."]],
    )
    return SimpleNamespace(
        plan_preview=plan_preview_upload,
        plan_refused=plan_refused,
        evaluation=evaluation,
        evidence=evidence,
        preview=preview,
        batch=batch,
        account=LedgerAccount.objects.get(account="4600"),
        users=users,
        programme=programme,
        own=own,
        measure=measure,
        dental=dental,
        costs_unit=dental,
        november=november,
        draft=draft,
        approved=approved,
        export=export,
        upload=upload,
        objects=objects,
        staff=CostCategory.objects.get(key="henkilostokulut"),
    )


def login_cookie(user):
    """One login per role: the session cookie every browser context of the role carries."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture(scope="package")
def browser():
    # Playwright's sync API keeps an event loop running in this thread while the package runs; the
    # ORM calls the tests make around it are plain test setup. It starts before anything touches the
    # database: with a loop running, Django keeps this thread's connection in a context variable,
    # and the live server must be lent that connection, not the one from before.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class Look:
    """A browser tab as one role, in one language, that records console errors."""

    def __init__(self, context, base):
        self.context, self.base, self.errors = context, base, []
        self.page = None
        self.new_page()

    def new_page(self, width=None):
        size = self.page.viewport_size if self.page else None
        if self.page:
            self.page.close()
        self.page = self.context.new_page()
        if width or size:
            self.page.set_viewport_size(WIDTHS[width] if width else size)
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path, width=None):
        """Load ``path``. (The server makes the page for the browser, whose cache keeps the static files: a
        page fetched once already is not handed to the browser through a route, which would turn that
        cache off.)"""
        if width and self.page.viewport_size != WIDTHS[width]:
            self.page.set_viewport_size(WIDTHS[width])
        self.errors.clear()
        return self.page.goto(self.base + path, wait_until="load")

    def widths(self):
        """Both widths, the current one first (the next page then loads at the width this one ends in)."""
        return ("desk", "phone") if self.page.viewport_size == DESK else ("phone", "desk")

    def axe(self, context=None, without=(), only=()):
        """axe-core's WCAG 2.1 A/AA violations on the page (or in ``context``, CSS selectors).

        ``without`` names rules to leave out of this run, ``only`` the rules to run alone.
        """
        options = {**WCAG, "rules": {rule: {"enabled": False} for rule in without}}
        if only:
            options["runOnly"] = {"type": "rule", "values": list(only)}
        return self.page.evaluate(
            "([context, options]) => axe.run(context || document, options).then(r => r.violations.map("
            "v => `${v.id} (${v.impact}): ${v.help} – ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`))",
            [context, options],
        )


@pytest.fixture(scope="package")
def look(browser, server, world):
    """``look(role, width="desk", language="fi")``: a tab kept open for the package (None: signed out)."""
    contexts, looks = [], {}

    def make(role, width="desk", language="fi"):
        key = (role, width, language)
        if key not in looks:
            context = browser.new_context(locale=LOCALES[language], viewport=WIDTHS[width])
            # axe-core is in every page the context loads: the browser keeps the script, which would
            # otherwise cross from this process to the page for each page looked at.
            context.add_init_script(AXE_SCRIPT)
            cookies = [{"name": "django_language", "value": language, "url": server}]
            if role is not None:
                cookies.append({"name": "sessionid", "value": world.cookies[role], "url": server})
            context.add_cookies(cookies)
            contexts.append(context)
            looks[key] = Look(context, server)
        return looks[key]

    yield make
    for context in contexts:
        context.close()
