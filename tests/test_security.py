"""Logins are throttled, a changed password ends the API tokens, responses carry the security headers."""

import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from portfolio.models import ApiToken
from portfolio.permissions import Role
from portfolio.services import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Oikea-salasana-42"


@pytest.fixture(autouse=True)
def quick_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def member(username, role=Role.LEAD, **fields):
    user = UserFactory(username=username, password=PASSWORD, **fields)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def log_in(client, username, password, address="198.51.100.7", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    member("leena")
    for _ in range(9):
        assert log_in(client, "leena", "väärä").status_code == 200  # the form again, with its error
    locked = log_in(client, "leena", "väärä")
    assert locked.status_code == 429
    assert "Kirjautuminen on estetty hetkeksi" in locked.content.decode()
    assert "10 kertaa" in locked.content.decode()
    # From another address too: the lockout is per username.
    assert log_in(client, "leena", PASSWORD, address="203.0.113.5").status_code == 429
    assert "_auth_user_id" not in client.session


def test_ten_wrong_passwords_from_one_address_lock_the_address(client):
    member("kalle")
    for number in range(10):
        log_in(client, f"arvaus{number}", "väärä", address="198.51.100.99")
    assert log_in(client, "kalle", PASSWORD, address="198.51.100.99").status_code == 429
    assert log_in(client, "kalle", PASSWORD, address="198.51.100.100").status_code == 302


def test_the_admin_login_is_throttled_the_same_way(client):
    member("ylla", role=Role.OFFICE, is_staff=True)
    url = reverse("admin:login")
    for _ in range(10):
        log_in(client, "ylla", "väärä", url=url)
    assert log_in(client, "ylla", PASSWORD, url=url).status_code == 429


def test_the_office_unlocks_a_locked_account_in_the_admin(client):
    member("leena")
    for _ in range(10):
        log_in(client, "leena", "väärä")
    office = member("toimisto", role=Role.OFFICE, is_staff=True)
    client.force_login(office)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "leena" in listing.content.decode()
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.count() == 0
    client.logout()
    assert log_in(client, "leena", PASSWORD).status_code == 302


def test_a_lead_cannot_see_the_failed_logins(client):
    lead = member("vetaja", is_staff=True)
    client.force_login(lead)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_changing_the_password_revokes_the_api_tokens(client):
    user = member("skriptaaja")
    _row, token = api_token_create(user=user, name="skripti", days=30)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(reverse("api:costcategory-list")).status_code == 200
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Uusi-pitka-salasana-7", "new_password2": "Uusi-pitka-salasana-7"},
    )
    assert response.status_code == 302
    refused = api.get(reverse("api:costcategory-list"))
    assert refused.status_code == 401
    assert refused.json()["message"] == "API-tunnus on peruttu. Tee uusi tunnus omalla sivullasi."
    assert ApiToken.objects.get(user=user).revoked_at is not None


def test_a_password_set_in_the_admin_revokes_the_tokens_too(client):
    user = member("skriptaaja")
    api_token_create(user=user, name="skripti", days=30)
    client.force_login(member("toimisto", role=Role.OFFICE, is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Toinen-pitka-salasana-8", "password2": "Toinen-pitka-salasana-8", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0


def test_signed_in_pages_and_api_answers_are_private_and_never_stored(client):
    user = member("lukija", role=Role.STEERING)
    client.force_login(user)
    assert client.get(reverse("portfolio:overview"))["Cache-Control"] == "private, no-store"
    assert client.get(reverse("api:costcategory-list"))["Cache-Control"] == "private, no-store"
    _row, token = api_token_create(user=user, name="skripti", days=30)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(reverse("api:costcategory-list"))["Cache-Control"] == "private, no-store"


def test_every_response_has_a_content_security_policy_without_inline_code(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_template_of_ours_has_inline_script_or_style():
    """The policy forbids them, so the browser would drop them: none may be written. (The timeline is being
    redrawn in another change; its positions are the last inline styles.)"""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if path.name == "timeline.html":
            continue
        text = path.read_text(encoding="utf-8")
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\sstyle=", text)
            or " on" in text
            and re.search(r"\son[a-z]+=", text)
        ):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def test_the_api_documentation_runs_under_the_policy(client):
    """Swagger UI's settings come as a script file of their own; Redoc may only add its run-time styles."""
    client.force_login(member("lukija", role=Role.STEERING))
    docs = client.get(reverse("api:docs"))
    assert "unsafe-inline" not in docs["Content-Security-Policy"]
    script = re.search(r'<script src="([^"]+\?script=[^"]*)"', docs.content.decode()).group(1)
    assert "SwaggerUIBundle" in client.get(script.replace("&amp;", "&")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style", docs.content.decode())
    redoc = client.get(reverse("api:redoc"))
    policy = dict(part.strip().split(" ", 1) for part in redoc["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self' 'unsafe-inline'"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style|fonts.googleapis", redoc.content.decode())


def test_behind_the_proxy_the_client_is_the_address_the_proxy_saw(rf, settings):
    from popsote.middleware import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7")
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: the connection's address
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # what the client wrote itself (203.0.113.66) is not believed
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")) == "10.0.0.2"
