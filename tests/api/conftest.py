import pytest
from rest_framework.test import APIClient

from portfolio.services import api_token_create
from tests.portfolio.test_editing import make_user

ROLES = ["office", "lead", "finance", "steering", "anonymous"]


@pytest.fixture
def api_client(db):
    """``api_client(role)``: an APIClient signed in with a fresh personal token of a user in ``role``."""
    clients = {}

    def make(role):
        if role not in clients:
            client = APIClient()
            if role != "anonymous":
                _row, token = api_token_create(user=make_user(role), name=f"{role} script", days=30)
                client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            clients[role] = client
        return clients[role]

    return make
