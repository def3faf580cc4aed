"""The production shape, run for real: collectstatic and the deploy checks with DEBUG=0 and the settings of
.env.example, and gunicorn serving a page and the API through the TLS proxy's headers with the manifest storage."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.db import connection

from portfolio.permissions import Role
from portfolio.services import api_token_create
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def documented_settings():
    """The variables of .env.example (README "Running in production"), with the secrets filled in."""
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    values["SECRET_KEY"] = secrets.token_urlsafe(50)
    return values


def production_env(static_root, **extra):
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(documented_settings())
    env.update(DATABASE_URL=url, STATIC_ROOT=str(static_root), **extra)
    env.pop("POSTGRES_PASSWORD", None)
    return env


def manage(env, *args):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic as docker-compose's web service runs it, once for the module."""
    root = tmp_path_factory.mktemp("static")
    result = manage(production_env(root), "collectstatic", "--no-input", "-v0")
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def test_collectstatic_with_debug_off_writes_the_manifest(static_root):
    manifest = (static_root / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in manifest
    assert list(static_root.glob("vendor/bootstrap/bootstrap.bundle.min.*.js.gz"))


def test_deploy_checks_pass_without_a_warning_behind_the_documented_tls_proxy(static_root):
    result = manage(production_env(static_root), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(static_root):
    env = production_env(static_root)
    env["SECRET_KEY"] = ""
    result = manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_docker_compose_takes_its_secrets_from_the_environment():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "change-me" not in text
    services = yaml.safe_load(text)["services"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_the_image_can_make_and_restore_backups():
    assert "postgresql-client" in (ROOT / "Dockerfile").read_text()  # pg_dump for bin/backup


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn on 127.0.0.1, spoken to as the TLS proxy would (X-Forwarded-Proto: https)."""

    def __init__(self, env, workers=2):
        self.port = free_port()
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "popsote.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(self.process.stderr.read().decode()[-3000:]) from None
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    def request(self, method, path, body=None, headers=None, proxied=True):
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": "salkku.example.fi", **(headers or {})}
        if proxied:
            sent.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"})
        client.request(method, path, body=body, headers=sent)
        response = client.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        client.close()
        return response

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def shared_cache_forget(token_pk):
    """A token's id comes again in the next run's fresh test database: its old count must not."""
    import redis

    client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    for key in client.scan_iter(f"salkku:*throttle_api_token_{token_pk}"):
        client.delete(key)


@pytest.fixture
def gunicorn(static_root, transactional_db):
    # Hashed as production hashes (the tests' own hasher is a quick one gunicorn does not know).
    hasher = PBKDF2PasswordHasher()
    office = UserFactory(username="tuotanto")
    office.password = hasher.encode("Tuotanto-salasana-1", hasher.salt())
    office.save(update_fields=["password"])
    office.groups.add(Group.objects.get_or_create(name=Role.OFFICE)[0])
    row, token = api_token_create(user=office, name="tuotanto", days=1)
    shared_cache_forget(row.pk)
    connection.close()  # the rows are committed; gunicorn's processes read them
    server = Gunicorn(production_env(static_root, API_TOKEN_RATE="6/minute", LOG_LEVEL="WARNING"))
    server.token = token
    yield server
    server.stop()


def test_gunicorn_serves_pages_static_files_and_the_api_in_the_production_shape(gunicorn):
    plain = gunicorn.request("GET", "/kirjaudu/", proxied=False)
    assert plain.status == 301
    assert plain.getheader("Location") == "https://salkku.example.fi/kirjaudu/"

    login = gunicorn.request("GET", "/kirjaudu/")
    assert login.status == 200
    assert login.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    policy = login.getheader("Content-Security-Policy")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "camera=()" in login.getheader("Permissions-Policy")
    stylesheet = re.search(r'href="(/static/css/salkku\.[0-9a-f]{12}\.css)"', login.text).group(1)
    css = gunicorn.request("GET", stylesheet)
    assert css.status == 200 and "max-age=315360000" in css.getheader("Cache-Control")

    # Sign in through the form, as a person would: CSRF cookie and token, Origin of the HTTPS site.
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", login.getheader("Set-Cookie")).group(1)
    signed_in = gunicorn.request(
        "POST",
        "/kirjaudu/",
        urlencode({"username": "tuotanto", "password": "Tuotanto-salasana-1", "csrfmiddlewaretoken": csrf}),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Origin": "https://salkku.example.fi",
        },
    )
    assert signed_in.status == 302, signed_in.text[:500]
    session = re.search(r"sessionid=([^;]+)", signed_in.getheader("Set-Cookie")).group(1)
    assert "Secure" in signed_in.getheader("Set-Cookie")
    page = gunicorn.request("GET", "/", headers={"Cookie": f"sessionid={session}"})
    assert page.status == 200
    assert "Hankesalkku" in page.text
    assert page.getheader("Cache-Control") == "private, no-store"

    api = gunicorn.request("GET", "/api/v1/programmes/", headers={"Authorization": f"Bearer {gunicorn.token}"})
    assert api.status == 200
    assert api.getheader("Content-Type") == "application/json"
    assert api.getheader("Cache-Control") == "private, no-store"


def test_the_token_throttle_holds_across_gunicorn_workers(gunicorn):
    """Six requests a minute (API_TOKEN_RATE): the seventh is refused whichever worker answers it."""
    statuses = [
        gunicorn.request(
            "GET", "/api/v1/cost-categories/", headers={"Authorization": f"Bearer {gunicorn.token}"}
        ).status
        for _ in range(9)
    ]
    assert statuses == [200] * 6 + [429] * 3
