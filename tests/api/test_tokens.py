"""Personal API tokens: made on the user's own page, shown once, stored as a digest, revoked for good."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portfolio.models import ApiToken
from portfolio.services import api_token_create, api_token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reader(username):
    """A user with a role (the steering group reads): an account without one reads nothing."""
    from django.contrib.auth.models import Group

    from portfolio.permissions import Role

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=Role.STEERING)[0])
    return user


def bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_user_makes_a_token_on_their_page_and_sees_it_once(client):
    user = reader("skriptaaja")
    client.force_login(user)
    response = client.post(reverse("portfolio:tokens"), {"name": "Kuukausiraportti", "days": "30"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("slk_") and len(secret) > 40
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    row = ApiToken.objects.get(user=user)
    assert row.name == "Kuukausiraportti"
    assert row.prefix == secret[:12]
    assert timedelta(days=29, hours=23) < row.expires_at - timezone.now() <= timedelta(days=30)
    page = client.get(reverse("portfolio:tokens")).content.decode()
    assert "Kuukausiraportti" in page and row.prefix in page
    assert secret not in page
    assert bearer(secret).get(reverse("api:programme-list")).status_code == 200


def test_tokens_are_not_stored_in_clear(db):
    row, secret = api_token_create(user=UserFactory(), name="testi", days=1)
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert secret not in [str(value) for value in stored.values()]
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=secret).exists()


def test_revoked_token_gets_401_with_a_clear_message(client):
    user = UserFactory(username="peruja")
    row, secret = api_token_create(user=user, name="vanha", days=30)
    client.force_login(user)
    response = client.post(reverse("portfolio:token_revoke", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    response = bearer(secret).get(reverse("api:programme-list"))
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "message": "API-tunnus on peruttu. Tee uusi tunnus omalla sivullasi.",
        "errors": {},
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_expired_and_unknown_tokens_get_401(db):
    row, secret = api_token_create(user=UserFactory(), name="lyhyt", days=1)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(secret).get(reverse("api:programme-list"))
    assert (response.status_code, response.json()["message"]) == (
        401,
        "API-tunnus on vanhentunut. Tee uusi tunnus omalla sivullasi.",
    )
    response = bearer("slk_" + "x" * 43).get(reverse("api:programme-list"))
    assert (response.status_code, response.json()["message"]) == (401, "API-tunnus ei kelpaa.")


def test_a_user_cannot_revoke_someone_elses_token(client):
    row, _secret = api_token_create(user=UserFactory(username="omistaja"), name="oma", days=30)
    client.force_login(UserFactory(username="toinen"))
    assert client.post(reverse("portfolio:token_revoke", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_anonymous_gets_401_json_not_a_login_redirect(client):
    response = client.get(reverse("api:node-list"))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_requests_are_throttled(db, settings):
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "api_token": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from portfolio.api.authentication import ApiTokenThrottle

    original = ApiTokenThrottle.THROTTLE_RATES  # api_settings still holds the test's rates in the finally
    ApiTokenThrottle.THROTTLE_RATES = rates
    try:
        _row, secret = api_token_create(user=reader("kiireinen"), name="kiireinen", days=1)
        client = bearer(secret)
        statuses = [client.get(reverse("api:programme-list")).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        response = client.get(reverse("api:programme-list"))
        assert response.json()["code"] == "throttled"
        assert "Retry-After" in response
    finally:
        ApiTokenThrottle.THROTTLE_RATES = original
        cache.clear()


def test_revoke_service_keeps_the_first_revocation_time(db):
    row, _secret = api_token_create(user=UserFactory(), name="kahdesti", days=1)
    api_token_revoke(token=row)
    first = ApiToken.objects.get(pk=row.pk).revoked_at
    api_token_revoke(token=row)
    assert ApiToken.objects.get(pk=row.pk).revoked_at == first
