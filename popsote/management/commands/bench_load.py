"""Requests per second under load: gunicorn as production runs it (three workers, PostgreSQL, DEBUG off, behind
the TLS proxy's headers), eight connections at once for a bounded time on the login page, the overview and
the API's measures, taking turns in five rounds, then the ratios."""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from popsote.numbers import format_number
from portfolio.permissions import Role

HOST = "salkku.example.fi"
USERNAME = "kuormitustesti"
ROUNDS = 5
TARGETS = (("kirjautumissivu", "/kirjaudu/", False), ("yleisnäkymä", "/", True), ("API", "/api/v1/measures/", True))


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _drive(port, path, cookie, seconds, connections):
    """(requests answered 200, other answers) by ``connections`` keep-alive connections in ``seconds``."""
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}
    if cookie:
        headers["Cookie"] = cookie
    counts, deadline = [], time.monotonic() + seconds

    def worker():
        ok = other = 0
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            try:
                client.request("GET", path, headers=headers)
                response = client.getresponse()
                response.read()
                ok, other = (ok + 1, other) if response.status == 200 else (ok, other + 1)
            except (OSError, http.client.HTTPException):
                other += 1
                client.close()
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        client.close()
        counts.append((ok, other))

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(ok for ok, _other in counts), sum(other for _ok, other in counts)


class Command(BaseCommand):
    help = (
        "Kuormitustesti: gunicorn (3 prosessia) ja 8 yhtäaikaista yhteyttä rajatun ajan kirjautumissivulle, "
        "yleisnäkymään ja API:n toimenpidelistaan; tulostaa pyynnöt sekunnissa ja suhteet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=20)
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=3)

    def handle(self, *args, seconds, connections, workers, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Kuormitustesti ajetaan PostgreSQL-tietokannalla (DATABASE_URL).")
        user, _created = get_user_model().objects.get_or_create(username=USERNAME)
        user.groups.add(Group.objects.get_or_create(name=Role.OFFICE)[0])
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "portfolio.accounts.Backend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        with tempfile.TemporaryDirectory() as static_root:
            env = {
                **os.environ,
                "DEBUG": "0",
                "ALLOWED_HOSTS": HOST,
                "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
                "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
                "TRUSTED_PROXY_COUNT": "1",
                "STATIC_ROOT": static_root,
                "LOG_LEVEL": "WARNING",
            }
            manage = [sys.executable, "manage.py"]
            subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)
            port = _free_port()
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "popsote.wsgi", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", str(workers), "--log-level", "warning"],
                env=env,
                cwd=settings.BASE_DIR,
            )
            try:
                self._wait(port, server)
                self.stdout.write(
                    f"{workers} gunicorn-prosessia, {connections} yhteyttä, {format_number(seconds, 0)} s kohdetta kohden "
                    f"{ROUNDS} osassa vuorotellen"
                )
                for _name, path, signed_in in TARGETS:
                    _drive(port, path, cookie if signed_in else None, 2, connections)  # warm the workers
                # The targets take turns, a part of the time each, so that a change in the machine's other load
                # falls on all of them alike and the ratios compare like with like.
                answered = {name: [0, 0] for name, _path, _signed_in in TARGETS}
                for _round in range(ROUNDS):
                    for name, path, signed_in in TARGETS:
                        ok, other = _drive(port, path, cookie if signed_in else None, seconds / ROUNDS, connections)
                        answered[name][0] += ok
                        answered[name][1] += other
                rates = {}
                for name, path, _signed_in in TARGETS:
                    ok, other = answered[name]
                    rates[name] = ok / seconds
                    self.stdout.write(
                        f"{name:<16} {path:<20} {format_number(rates[name], 1):>8} pyyntöä/s  (muita vastauksia {other})"
                    )
                login = rates["kirjautumissivu"]
                self.stdout.write(
                    f"yleisnäkymä ÷ kirjautumissivu = 1/{format_number(login / rates['yleisnäkymä'], 1)}; "
                    f"API ÷ kirjautumissivu = 1/{format_number(login / rates['API'], 1)}"
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
                session.delete()

    def _wait(self, port, server):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if server.poll() is not None:
                    raise CommandError("gunicorn ei käynnistynyt.") from None
                time.sleep(0.2)
        raise CommandError("gunicorn ei käynnistynyt minuutissa.")
