"""Every list of the API runs a fixed number of SQL queries, whatever the page size and the data size."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from budgets.models import ActualCost, CostCategory, LedgerImport
from portfolio.models import Node
from tests.api.test_permissions import api_routes
from tests.factories import ExportFactory, UserFactory
from tests.portfolio.test_editing import make_user
from tests.portfolio.test_pages import count_queries, twice_the_data

pytestmark = pytest.mark.django_db

LISTS = sorted(name for name, _view in api_routes() if name.endswith("-list"))


def more_rows(count):
    """Rows the seed data does not have: actual costs, ledger imports and exports."""
    programme = Node.objects.programmes().first()
    measure = Node.objects.filter(kind=Node.Kind.MEASURE).first()
    category = CostCategory.objects.filter(children__isnull=True).first()
    user = UserFactory()
    for _ in range(count):
        batch = LedgerImport.objects.create(
            programme=programme,
            file_name="ote.csv",
            sha256=f"{LedgerImport.objects.count():064d}",
            imported_by=user,
            row_count=1,
            total=1,
        )
        ActualCost.objects.create(
            node=measure, category=category, month=date(2024, 5, 1), amount="10.50", ledger_import=batch
        )
        ExportFactory(programme=programme, requested_by=user)


def test_every_list_route_is_counted():
    assert len(LISTS) >= 20


def test_every_list_runs_the_same_queries_with_twice_the_data(popsote, tmp_path):
    client = APIClient()
    client.force_login(make_user("steering"))
    urls = {name: reverse(f"api:{name}") for name in LISTS}
    urls["programme-tree"] = reverse("api:programme-tree", args=[Node.objects.get(parent=None, code="POPDIGI2").pk])
    more_rows(3)
    for url in urls.values():
        client.get(url, {"page_size": 500})  # warm caches (content types, the session)
    before = {name: count_queries(client, url, {"page_size": 500}) for name, url in urls.items()}
    small_page = {name: count_queries(client, url, {"page_size": 1}) for name, url in urls.items()}
    twice_the_data(tmp_path)
    more_rows(6)
    after = {name: count_queries(client, url, {"page_size": 500}) for name, url in urls.items()}
    assert small_page == before
    assert after == before
    # Session, user, count, rows and one query per prefetched relation at most.
    assert max(before.values()) <= 6, before
