import os
import re

import pytest
from django.db import connection
from django.test.utils import override_settings

from popsote.seed import seed_load
from tests.factories import UserFactory


def pytest_configure(config):
    """Under pytest-xdist each worker has a test database of its own (pytest-django names it) and a Redis
    database of its own: the broker's number minus the worker's, so that one worker's Celery worker never
    takes (or purges) another's tasks. Subprocesses (gunicorn, manage.py) read it from the environment."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("CELERY_BROKER_URL", "")
    match = re.fullmatch(r"(redis://[^/]+)/(\d+)", url)
    if not worker.startswith("gw") or not match:
        return
    from django.conf import settings

    from popsote.celery import app

    url = f"{match[1]}/{(int(match[2]) - int(worker[2:])) % 16}"
    os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL = url
    app.conf.broker_url = url


def committing(item):
    """Whether a test commits (a transactional test, as pytest-django tells them apart): its database is emptied
    after it, so it runs after every test that reads the loaded POPsote data."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(fixtures)


def pytest_collection_modifyitems(items):
    """pytest-xdist hands out whole files (--dist loadfile) in the order pytest-django sorts them, committing
    tests last. A file that mixes the two kinds would run its committing tests before other files' rolled-back
    ones on the same worker, which would then find the database empty: so a file holds one kind."""
    kinds = {}
    for item in items:
        if item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ()) or committing(item):
            kinds.setdefault(item.path, set()).add(bool(committing(item)))
    mixed = sorted(str(path.relative_to(path.parents[1])) for path, kind in kinds.items() if len(kind) == 2)
    if mixed:
        raise pytest.UsageError(f"Move the committing tests of these files into files of their own: {mixed}")


@pytest.fixture(scope="session", autouse=True)
def test_settings():
    """A fast password hasher (the real one is slow on purpose, and tests make many users), and templates
    rendered without a collectstatic manifest."""
    from django.conf import settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The test client speaks plain HTTP (tests/test_production.py serves HTTPS behind a proxy), and the
    # cache is each process's own (the production settings share one on Redis).
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES=storages,
        SECURE_SSL_REDIRECT=False,
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}},
    ):
        yield


@pytest.fixture
def user(db):
    from django.contrib.auth.models import Group

    from portfolio.permissions import Role

    user = UserFactory(username="hanketoimisto", first_name="Hanna", last_name="Hanketoimisto")
    user.groups.add(Group.objects.get_or_create(name=Role.OFFICE)[0])  # an account without a role reads nothing
    return user


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real POPsote portfolio once into the test database.

    Each test runs in a transaction that is rolled back, so every test starts from exactly this
    data. pytest-django runs transactional tests last; they flush the database and make their own.
    """
    with django_db_blocker.unblock():
        seed_load()
    yield
    # Threads of the live server and the Celery worker keep connections of their own; end them so
    # the test database can be dropped.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def popsote(db):
    """Marks a test that reads the real POPsote portfolio (fixtures/popsote/)."""


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (API throttle counts)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def finnish():
    """Each test starts in the default language: the test client's requests leave the language of their
    Accept-Language active in this thread (LocaleMiddleware does not undo it)."""
    from django.utils import translation

    translation.deactivate()
