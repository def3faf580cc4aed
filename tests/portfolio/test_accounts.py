"""Accounts as a county runs them: sign-in through a real OpenID Connect provider, invitations, roles,
deactivation, idle sessions, sign-out everywhere and the log of use, which no one can edit."""

import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from portfolio.accounts import SEEN, usage_log_expire
from portfolio.models import Person, Responsibility, UsageEvent, UsageLogImmutable
from portfolio.permissions import Role, roles
from portfolio.services import api_token_create
from reports.models import Export
from tests.factories import ExportFactory
from tests.portfolio.test_editing import make_user, own_subproject

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "leena.mammi-laukka@example.fi"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """django-oauth-toolkit in OpenID Connect mode, its own project and SQLite file, on 127.0.0.1:<free port>."""
    db = tmp_path_factory.mktemp("provider") / "provider.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(db), "http://testserver/oidc/callback/", EMAIL]
        + ["salkku-vetajat", "muu-ryhma"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("ISSUER "), line
    yield line.split()[1]
    process.terminate()
    process.wait(timeout=10)


def leena_leads_own_subproject():
    person = Person.objects.get(name="Leena Mämmi-Laukka")
    person.email = EMAIL
    person.save()
    Responsibility.objects.create(node=own_subproject(), person=person, role=Responsibility.Role.LEAD)
    return person


def identity_service(provider):
    return override_settings(
        OIDC_ISSUER=provider,
        OIDC_RP_CLIENT_ID="salkku",
        OIDC_RP_CLIENT_SECRET="salkku-secret",
        OIDC_GROUP_ROLES={"salkku-vetajat": Role.LEAD},
        AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, "portfolio.oidc.Backend"],
    )


def sign_in_at_the_identity_service(client, provider):
    """The person's browser: Salkku → the identity service's login → back to Salkku's callback; its answer."""
    start = client.get(reverse("oidc_authenticate"))
    assert start.status_code == 302 and start["Location"].startswith(provider + "/authorize/")
    browser = requests.Session()
    login_page = browser.get(start["Location"], timeout=10)
    assert urlsplit(login_page.url).path == "/login/"
    sent = browser.post(
        login_page.url,
        data={
            "username": "county-user",
            "password": "provider-pass",
            "next": parse_qs(urlsplit(login_page.url).query)["next"][0],
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    back = browser.get(urljoin(login_page.url, sent.headers["Location"]), allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    assert (callback.netloc, callback.path) == ("testserver", reverse("oidc_callback"))
    return client.get(f"{callback.path}?{callback.query}")


def test_a_county_user_signs_in_through_the_identity_service_and_out(client, provider):
    person = leena_leads_own_subproject()
    with identity_service(provider):
        assert "Kirjaudu organisaation tunnuksella" in client.get(reverse("login")).content.decode()
        signed_in = sign_in_at_the_identity_service(client, provider)
        assert signed_in.status_code == 302 and signed_in["Location"] == reverse("portfolio:overview")
        node = client.get(reverse("portfolio:node", args=[own_subproject().pk]))
        user = node.context["user"]
        assert client.post(reverse("logout")).status_code == 302
        assert client.get(reverse("portfolio:overview"))["Location"].startswith(reverse("login"))
    assert (user.username, user.email, user.get_full_name()) == (EMAIL, EMAIL, "Leena Mämmi-Laukka")
    assert Person.objects.get(pk=person.pk).user == user  # linked by e-mail on the first sign-in
    assert roles(user) == {Role.LEAD}  # the group salkku-vetajat, mapped; muu-ryhma maps to nothing
    assert node.context["can_edit"] is True
    event = UsageEvent.objects.filter(user=user, kind=UsageEvent.Kind.SIGN_IN).get()
    assert event.target == "tunnistuspalvelu" and event.address == "127.0.0.1"
    assert UsageEvent.objects.filter(user=user, kind=UsageEvent.Kind.SIGN_OUT).count() == 1
    assert UsageEvent.objects.filter(kind=UsageEvent.Kind.ACCOUNT, target__contains="Osahankkeen vetäjä").exists()


def test_a_deactivated_account_cannot_sign_in_through_the_identity_service(client, provider):
    leaver = make_user("finance")
    leaver.email, leaver.is_active = EMAIL.upper(), False
    leaver.save()
    with identity_service(provider):
        refused = sign_in_at_the_identity_service(client, provider)
        assert refused["Location"] == reverse("login")
        page = client.get(reverse("login")).content.decode()
    assert "tunnuksesi ei ole käytössä Salkussa" in page
    assert "_auth_user_id" not in client.session
    assert roles(leaver) == {Role.FINANCE}  # the groups of an account not in use change nothing


def test_without_an_identity_service_its_routes_are_not_found(client):
    assert client.get(reverse("oidc_authenticate")).status_code == 404
    assert "organisaation tunnuksella" not in client.get(reverse("login")).content.decode()


def test_an_invited_user_sets_a_password_and_reaches_their_own_subprojects(
    client, popsote, django_capture_on_commit_callbacks
):
    person = leena_leads_own_subproject()
    office = make_user("office")
    client.force_login(office)
    data = {"email": "Leena.Uusi@Example.fi", "first_name": "Leena", "last_name": "Mämmi-Laukka"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolio:user_invite"), {**data, "roles": [Role.LEAD], "person": person.pk})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["leena.uusi@example.fi"]]
    link = re.search(r"https?://\S+/salasana/aseta/\S+", mail.outbox[0].body).group()
    invited = Client()
    form = invited.get(urlsplit(link).path, follow=True)
    assert "Aseta salasana" in form.content.decode()
    done = invited.post(
        form.redirect_chain[-1][0], {"new_password1": "Hoitotakuu-2026!", "new_password2": "Hoitotakuu-2026!"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("portfolio:overview")
    page = invited.get(reverse("portfolio:node", args=[own_subproject().pk]))
    assert page.status_code == 200 and page.context["can_edit"] is True
    assert page.context["user"].username == "leena.uusi@example.fi"
    assert invited.get(urlsplit(link).path, follow=True).context["validlink"] is False  # it works once
    # The invitation itself refuses a second account for the address, and changes nothing.
    again = client.post(reverse("portfolio:user_invite"), {**data, "roles": [Role.LEAD]})
    assert again.status_code == 400 and "Tällä sähköpostiosoitteella on jo tunnus." in again.content.decode()
    targets = list(
        UsageEvent.objects.filter(kind=UsageEvent.Kind.ACCOUNT, user=office).values_list("target", flat=True)
    )
    assert "leena.uusi@example.fi: kutsuttu" in targets


def test_a_deactivated_users_session_and_token_stop_at_the_next_request(client, popsote):
    lead, office = make_user("lead"), make_user("office")
    session = Client()
    session.force_login(lead)
    _row, token = api_token_create(user=lead, name="skripti", days=30)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert session.get(reverse("portfolio:overview")).status_code == 200
    assert api.get(reverse("api:programme-list")).status_code == 200
    client.force_login(office)
    form = client.get(reverse("portfolio:user", args=[lead.pk])).context["form"]
    data = {"roles": form.initial["roles"], "person": form.initial["person"].pk, "state": form.initial["state"]}
    assert client.post(reverse("portfolio:user", args=[lead.pk]), data).status_code == 302  # is_active unticked
    assert session.get(reverse("portfolio:overview"))["Location"].startswith(reverse("login"))
    assert api.get(reverse("api:programme-list")).status_code == 401
    # A form read before the change is refused: someone else changed the account meanwhile.
    stale = client.post(reverse("portfolio:user", args=[lead.pk]), {**data, "is_active": "on"})
    assert stale.status_code == 409
    lead.refresh_from_db()
    assert lead.is_active is False
    assert UsageEvent.objects.filter(user=office, target__endswith="poistettu käytöstä").count() == 1


def test_a_session_ends_when_idle_sooner_for_the_office_and_everywhere_on_request(popsote):
    lead, office = make_user("lead"), make_user("office")
    clients = {}
    for name, user in (("lead", lead), ("office", office), ("lead elsewhere", lead)):
        clients[name] = Client()
        clients[name].force_login(user)
        session = clients[name].session
        session[SEEN] = int(time.time()) - 3 * 3600  # unused for three hours
        session.save()
    overview = reverse("portfolio:overview")
    assert clients["lead"].get(overview).status_code == 200  # 8 hours for everyone
    assert clients["office"].get(overview)["Location"].startswith(reverse("login"))  # 2 hours for the admin
    assert clients["lead"].post(reverse("portfolio:sign_out_everywhere"))["Location"] == reverse("login")
    assert clients["lead elsewhere"].get(overview)["Location"].startswith(reverse("login"))


def test_every_report_download_and_contact_read_is_logged_with_who_and_when(client, popsote, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead = make_user("lead")
    client.force_login(lead)
    export = ExportFactory(programme=own_subproject().programme, status=Export.Status.DONE, version=1)
    export.file.save("mittarit.xlsx", ContentFile(b"xlsx"), save=False)
    Export.objects.filter(pk=export.pk).update(file=export.file.name)
    person = Person.objects.get(name="Leena Mämmi-Laukka")
    before = UsageEvent.objects.count()
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 200
    assert client.get(reverse("budgets:node_xlsx", args=[own_subproject().programme_id])).status_code == 200
    assert client.get(reverse("portfolio:person", args=[person.pk])).status_code == 200
    _row, token = api_token_create(user=lead, name="skripti", days=30)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(reverse("api:export-download", args=[export.pk])).status_code == 200
    assert api.get(reverse("api:person-detail", args=[person.pk])).status_code == 200
    events = list(UsageEvent.objects.order_by("pk")[before:])
    assert [(event.user, event.kind) for event in events] == [
        (lead, UsageEvent.Kind.REPORT),
        (lead, UsageEvent.Kind.REPORT),
        (lead, UsageEvent.Kind.CONTACTS),
        (lead, UsageEvent.Kind.REPORT),
        (lead, UsageEvent.Kind.CONTACTS),
    ]
    assert events[0].target == f"ladattu: {export}" and events[2].target == "Leena Mämmi-Laukka"
    assert events[4].target == "API: Leena Mämmi-Laukka" and events[4].path == f"/api/v1/persons/{person.pk}/"
    assert all(event.at is not None and event.address == "127.0.0.1" for event in events)
    # Finance does not see contact details, so reading a person is not a read of them.
    client.force_login(make_user("finance"))
    client.get(reverse("portfolio:person", args=[person.pk]))
    assert UsageEvent.objects.filter(kind=UsageEvent.Kind.CONTACTS).count() == 2


def test_failed_sign_ins_are_logged(client, popsote):
    make_user("lead")
    client.post(reverse("login"), {"username": "user-lead", "password": "väärä"})
    event = UsageEvent.objects.get(kind=UsageEvent.Kind.SIGN_IN_FAILED)
    assert (event.user.username, event.target) == ("user-lead", "user-lead")


def test_the_log_refuses_edits_through_the_pages_the_api_the_admin_and_the_model(client, popsote):
    office = make_user("office")
    client.force_login(office)
    event = UsageEvent.objects.create(kind=UsageEvent.Kind.REPORT, user=office, target="raportti")
    assert client.post(reverse("portfolio:usage_log"), {"target": "muu"}).status_code == 405
    _row, token = api_token_create(user=office, name="skripti", days=30)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    detail = reverse("api:usageevent-detail", args=[event.pk])
    assert api.get(detail).json()["target"] == "raportti"
    # No method writes: the rules table refuses before the method is looked for.
    assert api.post(reverse("api:usageevent-list"), {"kind": "report"}, format="json").status_code == 403
    assert [api.generic(method, detail).status_code for method in ("PUT", "PATCH", "DELETE")] == [403] * 3
    admin_change = reverse("admin:portfolio_usageevent_change", args=[event.pk])
    assert "<textarea" not in client.get(admin_change).content.decode()  # shown read only
    assert client.post(admin_change, {"target": "muu"}).status_code == 403
    assert (
        client.post(reverse("admin:portfolio_usageevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    assert client.get(reverse("admin:portfolio_usageevent_add")).status_code == 403
    event.target = "muu"
    for attempt in (event.save, event.delete, UsageEvent.objects.all().delete):
        with pytest.raises(UsageLogImmutable):
            attempt()
    with pytest.raises(UsageLogImmutable):
        UsageEvent.objects.filter(pk=event.pk).update(target="muu")
    assert UsageEvent.objects.get(pk=event.pk).target == "raportti"


def test_the_office_and_the_auditor_read_the_log_and_the_review_list_others_do_not(client, popsote, settings):
    auditor = make_user("steering")
    auditor.groups.set([Group.objects.get_or_create(name=Role.AUDITOR)[0]])
    UsageEvent.objects.create(kind=UsageEvent.Kind.SIGN_IN, user=auditor, target="salasana")
    expected = {"office": 200, "auditor": 200, "lead": 403, "finance": 403}
    for role, code in expected.items():
        client.force_login(auditor if role == "auditor" else make_user(role))
        answers = [client.get(reverse(name)).status_code for name in ("portfolio:usage_log", "portfolio:users")]
        assert answers == [code, code], role
    client.force_login(auditor)
    page = client.get(reverse("portfolio:usage_log"), {"kind": "sign_in", "start": "2020-01-01"})
    assert [event.target for event in page.context["page"].object_list][-1] == "salasana"
    assert client.get(reverse("portfolio:usage_log"), {"start": "9999-99-99"}).status_code == 400
    api = APIClient()
    api.force_login(auditor)
    assert api.get(reverse("api:usageevent-list"), {"kind": "sign_in"}).json()["count"] >= 1
    assert client.post(reverse("portfolio:user_invite"), {"email": "x@example.fi"}).status_code == 403
    workbook = client.get(reverse("portfolio:users_xlsx"))
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    settings.USAGE_LOG_DAYS = 0
    assert usage_log_expire() >= 1  # the retention is the one way events go


@pytest.mark.parametrize("role", ["lead", "steering", "finance"])
def test_a_page_where_the_rules_say_no_reads_no_stored_permissions(client, popsote, role):
    """The menu asks about pages a lead may not open; the answer is the rules table's, and the permissions
    stored in the database (which answer nothing) are not read for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user(role)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portfolio:overview"))
    assert response.status_code == 200
    assert not response.wsgi_request.user.has_perm("portfolio.read_change_log")
    assert [query["sql"] for query in queries if "auth_permission" in query["sql"]] == []
