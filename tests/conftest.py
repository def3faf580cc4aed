import pytest
from django.db import connection
from django.test.utils import override_settings

from popsote.seed import seed_load
from tests.factories import UserFactory


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
