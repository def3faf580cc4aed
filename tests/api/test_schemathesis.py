"""The API against its own OpenAPI schema, once per role: no server errors, no response that breaks the schema."""

import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portfolio.services import api_token_create
from tests.portfolio.test_editing import make_user


def test_schema_validates_without_warnings(tmp_path):
    """``manage.py spectacular --validate --fail-on-warn`` passes."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/programmes/{id}/tree/" in (tmp_path / "schema.yaml").read_text(encoding="utf-8")


ROLES = ["office", "lead", "finance", "steering", "anonymous"]


@pytest.fixture
def role_headers(db):
    """Each role's Authorization header: a fresh token of a user in that role (none when anonymous)."""
    headers = {"anonymous": {}}
    for role in ROLES[:-1]:
        _row, token = api_token_create(user=make_user(role), name="schemathesis", days=1)
        headers[role] = {"Authorization": f"Bearer {token}"}
    return headers


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    # As Django's test client does: the requests share the test's connection and its transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_api_keeps_to_its_schema_for_every_role(api_schema, role_headers):
    """Every operation, with the same generated requests sent as each role in turn (drawing a request costs
    as much as sending it, so each is drawn once)."""
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 90
    sent = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=2,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            for role in ROLES:
                try:
                    case.call_and_validate(headers=role_headers[role], checks=CHECKS)
                except Exception as error:  # collect every role's failure, not only the first
                    failures.append(f"{case.operation.label} as {role}: {error}")
                sent.append(role)

        run()
    assert failures == []
    assert {role: sent.count(role) for role in ROLES} == {role: len(sent) // len(ROLES) for role in ROLES}
    assert len(sent) >= len(ROLES) * len(operations)
