"""Who may read: an account without a role sees its own page only, on every page and API route found by walking the
URL resolver; persons' e-mail addresses and phone numbers are for the project office and the leads only."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from portfolio.models import Person
from portfolio.services import api_token_create
from tests.api.test_permissions import api_routes, methods
from tests.factories import ProgrammeFactory, UserFactory
from tests.portfolio.test_editing import make_user

pytestmark = pytest.mark.django_db

OWN_PAGE = {
    "profile",
    "password_change",
    "password_change_done",
    "logout",
    "portfolio:tokens",
    "portfolio:token_revoke",
    "portfolio:sign_out_everywhere",
}
# The identity service's routes (404 here: none is configured) and an invitation's link are the way in.
OPEN = {
    "login",
    "set_language",
    "accessibility",
    "oidc_authenticate",
    "oidc_callback",
    "password_set",
}  # for everyone, signed in or not
WORDS = {"kind": "kohde", "step": "ylos"}


def pages():
    """(name, url) of every page outside the API and the admin, with made-up ids (the door is shut before the view)."""
    found = []

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                space = pattern.namespace or namespace
                if space not in ("api", "admin"):
                    walk(pattern.url_patterns, space, prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                kwargs = {key: WORDS.get(key, 1) for key in pattern.pattern.converters}
                found.append((name, reverse(name, kwargs=kwargs)))

    walk(get_resolver().url_patterns, None, "")
    return found


def test_an_account_without_a_role_sees_nothing_but_its_own_page(client):
    client.force_login(UserFactory(username="uusi-tunnus", first_name="Uusi", last_name="Tunnus"))
    seen = {}
    for name, url in pages():
        if name in OPEN:
            continue
        response = client.post(url) if name in ("logout", "portfolio:token_revoke") else client.get(url)
        seen[name] = response.status_code
        if name == "logout":
            client.force_login(UserFactory(username="uusi-tunnus"))
    assert len(seen) > 30
    assert {name for name, code in seen.items() if code not in (403,)} == {*OWN_PAGE, "portfolio:overview"}
    assert seen["portfolio:overview"] == 302  # to its own page
    assert {seen[name] for name in ("profile", "password_change", "portfolio:tokens")} == {200}
    own = client.get(reverse("profile")).content.decode()
    assert "Tunnuksellasi ei ole vielä roolia" in own and "Uusi Tunnus" in own
    assert "Hankesalkku</a>" not in own  # the menu offers nothing it may not open


def test_an_account_without_a_role_reads_nothing_in_the_api_and_queues_no_report():
    user = UserFactory(username="rooliton")
    _row, token = api_token_create(user=user, name="skripti", days=1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    answers = {}
    for name, view in api_routes():
        if "GET" in methods(view):
            kwargs = (
                {"pk": 1}
                if not name.endswith("-list") and name not in ("schema", "docs", "redoc", "no-such-route")
                else {}
            )
            answers[name] = api.get(reverse(f"api:{name}", kwargs=kwargs)).status_code
    # The documentation pages are for people: a script without a session is sent to the login page.
    assert {answers.pop("docs"), answers.pop("redoc")} == {302}
    assert set(answers.values()) == {403}, {name: code for name, code in answers.items() if code != 403}
    programme = ProgrammeFactory()
    response = api.post(reverse("api:export-list"), {"programme": programme.pk, "kind": "measures_xlsx"}, format="json")
    assert response.status_code == 403
    web = APIClient()
    web.force_login(user)
    assert web.post(reverse("reports:programme", args=[programme.pk]), {"kind": "measures_xlsx"}).status_code == 403


@pytest.mark.parametrize(("role", "sees"), [("office", True), ("lead", True), ("finance", False), ("steering", False)])
def test_contact_details_are_for_the_office_and_the_leads(client, popsote, role, sees):
    person = Person.objects.first()
    person.email, person.phone = "henkilo@example.fi", "040 123 4567"
    person.save()
    person.email = "uusi@example.fi"
    person.save()  # a change of address in the history: henkilo@ → uusi@
    user = make_user(role)
    client.force_login(user)
    page = client.get(reverse("portfolio:person", args=[person.pk])).content.decode()
    assert ("uusi@example.fi" in page, "040 123 4567" in page, "henkilo@example.fi" in page) == (sees, sees, sees)
    _row, token = api_token_create(user=user, name="skripti", days=1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = api.get(reverse("api:person-list"), {"page_size": 500}).json()["results"]
    detail = api.get(reverse("api:person-detail", args=[person.pk])).json()
    for item in (next(row for row in listed if row["id"] == person.pk), detail):
        assert ({"email", "phone", "user"} <= set(item)) is sees
        assert item["name"] == person.name
