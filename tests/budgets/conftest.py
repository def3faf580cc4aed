"""The fixtures of the one-figure checks (test_one_figure.py and test_one_figure_tsk.py): a project office
client and a few actual costs, some before the reporting month and one after it."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from budgets.models import ActualCost, CostCategory
from portfolio.models import Node
from portfolio.permissions import Role
from tests.factories import UserFactory

COSTS = [  # (programme, node, month, category, amount): some before, one after the month
    ("POPDIGI2", "P4I1-3-M1", date(2023, 4, 1), "matkakulut", "1200.50"),
    ("POPDIGI2", "P4I1-3", date(2024, 2, 1), "henkilostokulut", "85000.00"),
    ("POPDIGI2", "POPDIGI2", date(2025, 11, 1), "ohjelmistot", "40000.00"),
    ("TSK", "LNP", date(2021, 3, 1), "henkilostokulut", "310000.00"),
    ("RAKENNE", "RAKENNE", date(2021, 1, 1), "asiantuntijapalvelut", "12000.00"),
    ("POPDIGI2", "P4I1-4", date(2026, 11, 1), "matkakulut", "999.00"),
]


@pytest.fixture
def office_client(client, popsote):
    user = UserFactory(username="toimisto")
    user.groups.add(Group.objects.get_or_create(name=Role.OFFICE)[0])
    client.force_login(user)
    return client


@pytest.fixture
def costs(popsote):
    for programme, code, month, category, amount in COSTS:
        ActualCost.objects.create(
            node=Node.objects.get(programme__code=programme, programme__parent=None, code=code),
            category=CostCategory.objects.get(key=category),
            month=month,
            amount=Decimal(amount),
        )
