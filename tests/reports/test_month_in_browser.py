"""The whole month in Chromium: the lead from the reminder e-mail to "submitted" in at most three page loads,
then the project office from the dashboard to "approved" in at most two."""

import os
import re
from datetime import date
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from playwright.sync_api import expect, sync_playwright

from budgets.models import CostCategory
from indicators.models import Indicator
from popsote.seed import seed_load
from portfolio.models import Node, Person
from reports.models import ReportingPeriod, StatusUpdate
from reports.selectors import proposals
from reports.workflow import period_open, reminders_send
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.reports.month import approved


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def signed_in(browser, live_server, username):
    """A browser context with the user's session: one login per role, without the login page's load."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    context = browser.new_context(locale="fi-FI", viewport={"width": 1366, "height": 768})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    return page, loads


@pytest.mark.django_db(transaction=True)
def test_a_lead_reports_the_month_and_the_office_approves_it(live_server, chromium):
    if not CostCategory.objects.exists():
        # A transactional test before this one emptied the tables, the cost template its migration fills too.
        import_module("budgets.migrations.0004_cost_categories").create(django_apps, None)
    if not Node.objects.exists():
        seed_load()
    with override_settings(DEBUG=True):
        call_command("create_demo_users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    tsk = Node.objects.get(code="TSK", parent=None)
    lnp = Node.objects.get(programme=tsk, code="LNP")
    Person.objects.filter(name="Kokeilu Vetäjä").update(email="kokeilu.vetaja@example.fi")  # the demo lead
    # The office has defined a national indicator for the programme; the lead reports its value.
    Indicator.objects.create(node=tsk, name="Perhekeskusten asiakkaat", unit="kpl", national=True)
    # Last month's approved update (after the imported review of 2/2021), to compare this month with.
    february = ReportingPeriod.objects.get(programme=tsk, month=date(2021, 2, 1))
    revision = 1 + StatusUpdate.objects.filter(period=february, node=lnp).count()
    approved(february, lnp, get_user_model().objects.get(username="demo"), revision=revision, done="Helmikuu.")
    period = period_open(programme=tsk, month=date(2021, 3, 1))
    mail.outbox.clear()
    with override_settings(SITE_URL=live_server.url):
        reminders_send(period=period)
    link = re.search(r"http\S+/raportit/kausi/\d+/kohde/\d+/", mail.outbox[0].body).group(0)

    # The lead, from the e-mail's link straight into the form.
    page, loads = signed_in(chromium, live_server, "vetaja")
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Tilannekatsaus 03/2021: LNP")
    update = StatusUpdate.objects.get(period=period, node=lnp)
    # The schedule light as the milestones propose it; budget and scope green.
    proposed = proposals(lnp, period)["schedule"].light
    page.check(f"#id_schedule_{['green', 'yellow', 'red'].index(proposed)}")
    for name in ("budget", "scope"):
        page.check(f"#id_{name}_0")  # green
    page.check("#id_overall_1")  # yellow: its reason appears
    reason = page.locator("#id_overall_reason")
    expect(reason).to_be_visible()
    expect(page.locator("#id_schedule_reason")).to_be_hidden()
    measures = list(update.measures.order_by("pk"))
    page.select_option(f"#id_measures-{measures[0].pk}-status", "in_progress")
    page.fill(f"#id_measures-{measures[0].pk}-percent", "40")
    page.select_option(f"#id_measures-{measures[1].pk}-status", "done")
    page.fill(f"#id_measures-{measures[1].pk}-note", "Malli otettu käyttöön kaikissa perhekeskuksissa.")

    page.fill("#id_uusi-milestones-name", "Perhekeskusmalli kuvattu")
    page.fill("#id_uusi-milestones-planned_date", "2021-04-16")  # next month: not late in this one
    # The lead clicks "Lisää välitavoite" while an autosave of the changes above is on its way: the server has
    # saved it, its answer (the new version) is held back, so the add carries the version the page had.
    held = []

    def hold_an_autosave(route):
        if not held and route.request.headers.get("hx-trigger") == "update-form":
            held.append((route, route.fetch()))
        else:
            route.continue_()

    form_url = page.url
    page.route(form_url, hold_an_autosave)
    page.locator("button[value=milestones]").focus()
    for _wait in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "no autosave was sent"
    page.click("button[value=milestones]")
    expect(page.locator("#section-milestones table")).to_contain_text("Perhekeskusmalli kuvattu")
    expect(page.locator("#save-status")).not_to_contain_text("Joku muu tallensi")
    route, answer = held[0]
    route.fulfill(response=answer)  # the autosave's answer comes last, with its older version
    page.unroute(form_url)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    expect(page.locator("#save-status")).not_to_contain_text("Joku muu tallensi")
    update.refresh_from_db()
    assert page.input_value("#id_version") == str(update.version)  # the page keeps the newest version
    page.select_option("#id_uusi-indicator_values-indicator", label=f"{tsk.code} Perhekeskusten asiakkaat")
    page.fill("#id_uusi-indicator_values-value", "1250")
    page.fill("#id_uusi-indicator_values-source", "Asiakastietojärjestelmä")
    page.click("button[value=indicator_values]")
    expect(page.locator("#section-indicator_values table")).to_contain_text("Perhekeskusten asiakkaat")

    # Interrupted: the draft is saved as it is, with the yellow light's reason still missing.
    page.click("button[name=save]")
    expect(page.locator("main")).to_contain_text("Luonnos tallennettu klo")
    update.refresh_from_db()
    assert (update.status, update.overall, update.overall_reason) == ("draft", "yellow", "")

    reason.fill("Perhekeskusmallin käyttöönotto viivästyi kuukaudella.")
    page.focus("#id_resources_0")
    page.keyboard.press("Space")  # the lights work from the keyboard
    expect(page.locator("#id_resources_0")).to_be_checked()
    # The click comes before the autosave of the light just changed: htmx puts the clicked button into that
    # autosave too. The click's own request is held until the autosave has been answered.
    submits = []

    def hold_the_submit(route):
        if route.request.method == "POST" and not route.request.headers.get("hx-request"):
            submits.append(route)
        else:
            route.continue_()

    page.route(form_url, hold_the_submit)
    with page.expect_response(lambda answer: re.search(r"(^|&)submit=", answer.request.post_data or "")) as sent:
        page.click("button[name=submit]", no_wait_after=True)
    assert sent.value.request.headers.get("hx-trigger") == "update-form" and len(submits) == 1
    submits[0].continue_()
    expect(page).to_have_url(f"{live_server.url}{update.get_absolute_url()}")  # the click's own answer
    expect(page.locator("main")).to_contain_text("Tilannekatsaus lähetetty hanketoimistolle.")
    page.unroute(form_url)
    assert len(loads) <= 3, loads
    update.refresh_from_db()
    assert (update.status, update.overall, update.resources) == ("submitted", "yellow", "green")
    assert update.milestones.get().milestone.name == "Perhekeskusmalli kuvattu"
    assert str(update.indicator_values.get().value) == "1250.00"

    # The office, from the dashboard to the review and the approval.
    page, loads = signed_in(chromium, live_server, "demo")
    page.goto(f"{live_server.url}{period.get_absolute_url()}")
    page.click("text=Tarkasta: LNP")
    changed = page.locator("tr.changed")
    expect(changed.first).to_be_visible()
    assert {"Kokonaistilanne", "Perhekeskusmalli kuvattu", measures[0].measure.__str__()} <= {
        re.split(r"\s+(?:uusi|\(muuttunut\))", text)[0].strip() for text in changed.locator("th").all_inner_texts()
    }
    page.click("text=Hyväksy…")
    page.click("text=Vahvista hyväksyntä")
    expect(page.locator("main")).to_contain_text("hyväksytty ja lukittu")
    assert len(loads) <= 2, loads
    update.refresh_from_db()
    assert update.status == "approved"
