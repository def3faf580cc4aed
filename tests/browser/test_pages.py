"""Every page, as every role sees it, on a desk (1366 × 768) and on a phone (390 × 844).

The pages come from the URL resolver: a route without arguments is checked as it is, a route with
arguments takes them from ``SAMPLES`` (a route missing from it fails the first test). A route that
answers GET with 405 is an action, a non-HTML answer a download; everything else is a page.

On each page: no horizontal scrolling, no console error, a clean title, and no axe-core WCAG 2.1 A/AA
violation. axe is the slow part, so it looks at each distinct content once per width: when a role
sees exactly the ``<main>`` another role saw, only that role's own header and footer are checked.
"""

import hashlib
import re
from html import escape, unescape
from http import HTTPStatus

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import ROLES, WIDTHS

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin", "api"}
# Pages outside the resolver walk: the admin is reached from the office's menu, 404 is a page too.
EXTRA = {"office": ["/admin/", "/kohde/999999/"]}
KINDS = ["kohde", "rahoituspaatos", "vaihe", "tehtava", "vastuu", "valitavoite", "riski", "indikaattori"]


def name_of(user):
    """How the top bar names a user: the person the account belongs to, else the account's name."""
    person = getattr(user, "person", None)
    return person.name if person else user.get_full_name()


def samples(w):
    """Arguments for every route that takes them (``w``: the session's world)."""
    o = w.objects
    return {
        "portfolio:node": [{"pk": w.programme.pk}, {"pk": w.own.pk}, {"pk": w.measure.pk}],
        "portfolio:node_move": [{"pk": w.measure.pk}],
        "portfolio:subtree": [{"pk": w.own.pk}],
        "portfolio:node_history": [{"pk": w.measure.pk}],
        "portfolio:person": [{"pk": o["henkilo"].pk}],
        "portfolio:token_revoke": [{"pk": 1}],
        "portfolio:user": [{"pk": w.users["lead"].pk}],
        "portfolio:user_sign_out": [{"pk": w.users["lead"].pk}],
        "password_set": [{"uidb64": "MQ", "token": "vanhentunut"}],
        "portfolio:create": [{"kind": kind} for kind in ("kohde", "henkilo", "organisaatio")],
        "portfolio:create_under": [{"kind": "rahoituspaatos", "parent_pk": w.programme.pk}]
        + [{"kind": kind, "parent_pk": w.own.pk} for kind in ("kohde", "vaihe", "vastuu", "valitavoite", "riski")]
        + [{"kind": kind, "parent_pk": w.measure.pk} for kind in ("tehtava", "indikaattori")],
        "portfolio:edit": [{"kind": kind, "pk": obj.pk} for kind, obj in o.items()],
        "portfolio:archive": [{"kind": "tehtava", "pk": o["tehtava"].pk}],
        "portfolio:restore": [{"kind": "tehtava", "pk": o["tehtava"].pk}],
        "portfolio:move": [{"kind": "tehtava", "pk": o["tehtava"].pk, "step": "ylos"}],
        "budgets:node": [{"pk": w.programme.pk}, {"pk": w.costs_unit.pk}],
        "budgets:node_xlsx": [{"pk": w.programme.pk}],
        "budgets:actual_create": [{"pk": w.measure.pk}],
        "budgets:lines_edit": [{"pk": w.own.pk}],
        "budgets:plan_new": [{"pk": w.programme.pk}],
        "budgets:compare": [{"pk": w.programme.pk}],
        "budgets:ledger_upload": [{"pk": w.programme.pk}],
        "budgets:ledger_upload_status": [{"pk": w.upload.pk}, {"pk": w.preview.pk}],
        "budgets:ledger_confirm": [{"pk": w.preview.pk}],
        "budgets:ledger_reverse": [{"pk": w.batch.pk}],
        "budgets:ledger_template_xlsx": [{"pk": w.programme.pk}],
        "budgets:ledger_template_csv": [{"pk": w.programme.pk}],
        "budgets:account_edit": [{"pk": w.account.pk}],
        "budgets:account_delete": [{"pk": w.account.pk}],
        "reports:export_create": [{"programme_pk": w.programme.pk}],
        "reports:programme": [{"programme_pk": w.programme.pk}],
        "reports:export": [{"pk": w.export.pk}],
        "reports:export_download": [{"pk": w.export.pk}],
        "reports:period_create": [{"programme_pk": w.programme.pk}],
        "reports:period_close": [{"pk": w.november.pk}],
        "reports:period_reopen": [{"pk": w.november.pk}],
        "reports:unit_update": [{"period_pk": w.november.pk, "node_pk": w.dental.pk}],
        "reports:update": [{"pk": w.draft.pk}, {"pk": w.approved.pk}],
        "reports:update_edit": [{"pk": w.draft.pk}],
        "reports:update_action": [{"pk": w.draft.pk, "action": "laheta"}],
        "reports:evaluations": [{"programme_pk": w.programme.pk}],
        "reports:evaluation": [{"pk": w.evaluation.pk}],
        "reports:evaluation_xlsx": [{"pk": w.evaluation.pk}],
        "reports:evaluation_innokyla": [{"pk": w.evaluation.pk}],
        "reports:evaluation_action": [{"pk": w.evaluation.pk, "action": "hyvaksy"}],
        "reports:plan_export": [{"programme_pk": w.programme.pk}],
        "reports:plan_upload": [{"pk": w.plan_preview.pk}, {"pk": w.plan_refused.pk}],
        "reports:plan_upload_confirm": [{"pk": w.plan_preview.pk}],
        "reports:rrf": [{"programme_pk": w.programme.pk}],
        "reports:rrf_declaration_create": [{"programme_pk": w.programme.pk}],
        "reports:rrf_pack": [{"programme_pk": w.programme.pk}],
        "reports:rrf_target": [{"pk": w.evidence.target_id}],
        "reports:rrf_progress_create": [{"pk": w.evidence.target_id}],
        "reports:rrf_evidence_create": [{"pk": w.evidence.target_id}],
        "reports:rrf_evidence_file": [{"pk": w.evidence.pk}],
        "reports:rrf_evidence_decide": [{"pk": w.evidence.pk}],
    }


def routes():
    """(view name, whether it takes arguments) of every route outside the admin and the API."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in SKIPPED_NAMESPACES:
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append((name, bool(pattern.pattern.converters)))

    walk(get_resolver().url_patterns, None)
    return found


def urls(world):
    table = samples(world)
    for name, takes_arguments in routes():
        for kwargs in table.get(name, [{}]) if takes_arguments else [{}]:
            yield reverse(name, kwargs=kwargs)


def test_every_route_with_arguments_has_samples(world):
    table = samples(world)
    needing = {name for name, takes_arguments in routes() if takes_arguments}
    assert needing - set(table) == set(), "routes with no sample arguments in SAMPLES"
    assert set(table) - needing == set(), "SAMPLES names routes that do not exist or take no arguments"


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')
MAIN = re.compile(r"<main\b.*</main>", re.S)
# The header and the footer without what changes from page to page but never shows (the language form's
# return address).
CHROME = re.compile(r"<header\b.*</header>|<footer\b.*</footer>", re.S)
NEXT = re.compile(r'<input name="next" type="hidden" value="[^"]*">')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
LAYOUT = """() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth})"""
FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# The <main> contents axe has passed, the roles whose header and footer it has seen, and the headers and
# footers whose contrast it has seen on the phone.
CHECKED = set()


def title_problem(html):
    title = " ".join(unescape(TITLE.search(html).group(1)).split()) if TITLE.search(html) else ""
    if title.endswith(" · Salkku") and len(title) > len(" · Salkku") and len(title) < 100 and "<" not in title:
        return None
    return f"title {title[:120]!r} ({len(title)} characters)"


def look_at(tab, path, status, widths, scope=None, chrome_contrast=True):
    """What the browser shows wrong at ``path`` (whose answer has the HTTP ``status``) in each width; the
    page is loaded once and resized.

    ``scope`` limits axe to some parts (CSS selectors) when the rest has been checked already;
    ``chrome_contrast`` is false when the contrast of this header and footer on the phone has been.
    """
    tab.open(path)
    # Chromium reports the status of a 403 or 404 page itself as a console error.
    own_status = (
        f"Failed to load resource: the server responded with a status of {status} ({HTTPStatus(status).phrase})"
    )
    problems = []
    for width in widths:
        if tab.page.viewport_size != WIDTHS[width]:
            tab.page.set_viewport_size(WIDTHS[width])
            tab.page.evaluate(FRAMES)
        layout = tab.page.evaluate(LAYOUT)
        if layout["scrollWidth"] > layout["innerWidth"]:
            problems.append(f"{width}: {layout['scrollWidth']} px wide at {layout['innerWidth']} px")
        if width == "phone" and scope is None:
            # Colours do not change with the width (the stylesheet sets none by media query), and
            # contrast is by far axe's slowest rule: the page's contrast is checked on the desk, and
            # here only that of the header and footer, whose menu is laid out anew (their other rules
            # are in the run over the whole page).
            violations = tab.axe(without=["color-contrast"])
            if chrome_contrast:
                violations += tab.axe(["header", "footer"], only=["color-contrast"])
        else:
            violations = tab.axe(scope)
        problems += [f"{width}: axe: {violation}" for violation in violations]
    errors = [error for error in tab.errors if error != own_status]
    if errors:
        problems.append(f"console: {errors[:3]}")
    return problems


def check(tab, path, role, user):
    """The problems of the page at ``path`` as ``role`` sees it, or None when it is no page.

    The server's answer tells an action (405 to a GET, or a redirect), a download (not HTML) and a
    page apart.
    The browser then looks only at what is new: a ``<main>`` axe has not passed yet, or the
    first page of a role (its own header and footer).
    """
    response = tab.context.request.get(tab.base + path, max_redirects=0)
    if response.status == 405 or 300 <= response.status < 400 or "text/html" not in response.headers["content-type"]:
        return None
    html = response.text()
    problems = [] if response.status in (200, 403, 404) else [f"status {response.status}"]
    if user and f">{escape(user)}</" not in html:
        problems.append(f"not signed in as {user}")
    problems += [problem for problem in [title_problem(html)] if problem]
    main = MAIN.search(html)
    content = hashlib.sha256(CSRF.sub("", main.group(0) if main else html).encode()).hexdigest()
    if content in CHECKED and role in CHECKED:
        return problems
    scope = ["header", "footer"] if content in CHECKED else None
    chrome = "phone " + hashlib.sha256(NEXT.sub("", CSRF.sub("", "".join(CHROME.findall(html)))).encode()).hexdigest()
    problems += look_at(tab, path, response.status, tab.widths(), scope, chrome not in CHECKED)
    CHECKED.update({content, role, chrome})
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_fits_a_desk_and_a_phone_and_passes_axe(look, world, role):
    tab, user = look(role), name_of(world.users[role])
    pages, found = 0, {}
    for path in [*urls(world), *EXTRA.get(role, [])]:
        problems = check(tab, path, role, user)
        if problems is None:
            continue
        pages += 1
        if problems:
            found[path] = problems
    assert found == {}, "\n".join(f"{page}: {'; '.join(items)}" for page, items in found.items())
    assert pages > 30


def test_signed_out_pages_fit_and_pass_axe(look):
    tab, found = look(None), {}
    for path in [reverse("login"), reverse("accessibility")]:
        problems = check(tab, path, "signed out", None)
        if problems:
            found[path] = problems
    assert found == {}, "\n".join(f"{page}: {'; '.join(items)}" for page, items in found.items())


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_is_one_row_on_a_desk_and_collapses_on_a_phone(look, world, role):
    desk = look(role)
    desk.open("/", width="desk")
    assert desk.page.locator("header").bounding_box()["height"] < 64
    account = desk.page.locator("header").get_by_role("button", name=name_of(world.users[role]))
    password = desk.page.get_by_role("link", name="Vaihda salasana")
    assert account.is_visible() and not password.is_visible()
    account.click()
    password.wait_for(state="visible")
    phone = look(role, "phone")
    phone.open("/", width="phone")
    assert phone.page.locator("header").bounding_box()["height"] < 64
    finance = phone.page.get_by_role("link", name="Talous", exact=True)
    assert not finance.is_visible()
    phone.page.get_by_role("button", name="Valikko").click()
    finance.wait_for(state="visible")


def test_the_change_log_shows_what_changed_within_a_phones_width(look):
    """On a phone each entry is a block of its own: what changed is on the screen, not to the right of it."""
    phone = look("office", "phone")
    phone.open(reverse("portfolio:change_log"), width="phone")
    first = phone.page.locator("main tbody tr").first
    changes = first.locator("td").nth(3)
    assert changes.locator("li").count() > 0
    box = changes.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
