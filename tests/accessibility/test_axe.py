"""axe-core in headless Chromium (Debian's chromium) finds no WCAG 2.1 A/AA violations."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from playwright.sync_api import sync_playwright

from popsote.seed import seed_load
from portfolio.models import Node
from portfolio.permissions import Role
from tests.factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="fi-FI")
        yield page
        browser.close()


def assert_accessible(page, what):
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


@pytest.mark.django_db(transaction=True)
def test_pages_have_no_wcag_violations(live_server, browser_page):
    if not Node.objects.exists():
        seed_load()
    user = UserFactory(username="saavutettavuus", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=Role.OFFICE)[0])
    measure = Node.objects.get(programme__code="POPDIGI2", code="P4I1-3-M1")
    page = browser_page

    page.goto(f"{live_server.url}/kirjaudu/")
    assert_accessible(page, "kirjautumissivu")
    page.fill("#id_username", "saavutettavuus")
    page.fill("#id_password", "salasana-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Hankesalkku"
    assert_accessible(page, "yleisnäkymä")

    page.goto(f"{live_server.url}{measure.get_absolute_url()}")
    assert page.locator("h1").inner_text().startswith("Moniammatillinen monihuone")
    assert_accessible(page, "toimenpiteen sivu")

    programme = Node.objects.get(code="POPDIGI2", parent=None)
    page.goto(f"{live_server.url}/talous/kohde/{programme.pk}/")
    assert page.locator("h1").inner_text().startswith("Kustannusarvio")
    assert_accessible(page, "kustannusarvio")
    page.goto(f"{live_server.url}/aikajana/?hanke={programme.pk}")
    assert_accessible(page, "aikajana")
    page.goto(f"{live_server.url}/talous/")
    assert_accessible(page, "talouden yleisnäkymä")
    page.goto(f"{live_server.url}/talous/kohde/{programme.pk}/muokkaa/")
    assert_accessible(page, "talousarvion muokkaus")
    page.goto(f"{live_server.url}/talous/hanke/{programme.pk}/tuonti/")
    assert_accessible(page, "kirjanpidon otteen tuonti")

    page.goto(f"{live_server.url}/muokkaa/kohde/{measure.pk}/")
    page.fill("#id_start", "2024-05-01")
    page.fill("#id_end", "2024-01-01")
    page.fill("#id_budget", "12,3,4")
    page.click("main button[type=submit]")
    assert page.locator("#id_end_error").inner_text() == "Päättymispäivä ei voi olla ennen alkamispäivää."
    assert page.locator("#id_budget_error").is_visible()
    assert_accessible(page, "toimenpiteen muokkauslomake virheineen")

    # The monthly cycle: the dashboard, an update's form with an error, and the update itself.
    from datetime import date

    from reports.workflow import period_open, status_update_start

    unit = Node.objects.get(programme__code="POPDIGI2", code="P4I1-4")
    period = period_open(programme=programme, month=date(2025, 11, 1))
    update = status_update_start(period=period, node=unit, user=user)
    page.goto(f"{live_server.url}/raportit/tilanne/?programme={programme.pk}&period={period.pk}")
    assert page.locator("h1").inner_text().startswith("Tilannekuva")
    assert_accessible(page, "tilannekuva")
    page.goto(f"{live_server.url}/raportit/katsaus/{update.pk}/muokkaa/")
    page.check("#id_scope_1")
    page.click("button[name=submit]")
    assert page.locator("#id_scope_reason_error").inner_text() == "Kerro syy, kun valo on keltainen tai punainen."
    assert_accessible(page, "tilannekatsauksen lomake virheineen")
    page.goto(f"{live_server.url}{update.get_absolute_url()}")
    assert_accessible(page, "tilannekatsaus")
