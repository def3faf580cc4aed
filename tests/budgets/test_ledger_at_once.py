"""Duplicate ledger extracts sent at the same moment: one is imported, the others are "already imported". The test
commits (the threads have connections of their own), so it runs after the rolled-back ones, in a file of its own."""

import threading

import pytest
from django.db import connection

from budgets.models import ActualCost, CostCategory, LedgerAccount, LedgerImport
from budgets.services import LedgerRejected, ledger_import
from tests.budgets.test_ledger_limits import csv
from tests.factories import NodeFactory, ProgrammeFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_duplicate_imports_sent_at_the_same_moment_are_already_imported():
    programme_node = ProgrammeFactory(code="RINNAKKAIN")
    NodeFactory(parent=programme_node, code="K1")
    category = CostCategory.objects.create(key="henkilosto-testi", name="Henkilöstö", position=1)
    LedgerAccount.objects.filter(example=True).delete()
    LedgerAccount.objects.create(account="4000", category=category)
    content = csv("5/2023;7100;4000;K1;100;Palkka").replace(b"P3-1-M1", b"K1")
    user = UserFactory()
    start, outcomes = threading.Barrier(6), []

    def send():
        try:
            start.wait()
            ledger_import(programme=programme_node, name="ote.csv", content=content, user=user)
            outcomes.append("imported")
        except LedgerRejected as rejected:
            outcomes.append(rejected.errors[0][2].split(" ", 3)[:3])
        except Exception as error:  # noqa: BLE001 - the test names what went wrong
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == sorted(["imported"] + [str(["Tämä", "aineisto", "on"])] * 5)
    assert LedgerImport.objects.count() == 1 and ActualCost.objects.count() == 1
