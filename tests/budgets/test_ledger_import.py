"""Actual costs from a ledger extract: all or nothing, every bad row named, never counted twice."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from budgets.models import ActualCost, CostCategory, LedgerAccount, LedgerImport, LedgerUpload
from portfolio.models import Node
from portfolio.permissions import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = ["Kausi", "Kustannuspaikka", "Tili", "Kohde", "Summa", "Selite"]


@pytest.fixture
def accounts(db):
    """The office's own accounts in place of the installation's example chart."""
    LedgerAccount.objects.filter(example=True).delete()
    LedgerAccount.objects.create(
        account="4000", name="Palkat", category=CostCategory.objects.get(key="henkilostokulut")
    )
    LedgerAccount.objects.create(
        account="4300", name="Asiantuntijapalvelut", category=CostCategory.objects.get(key="asiantuntijapalvelut")
    )


def user_with(role):
    user = UserFactory(username=f"tuoja-{role}")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def workbook(rows):
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("paakirja.xlsx", buffer.getvalue())


def programme():
    return Node.objects.get(code="POPDIGI2", parent=None)


GOOD_ROWS = [
    ["31.1.2023", "7100", "4000", "P4I1-3-M1", 12500.5, "Tammikuun palkat"],
    ["2/2023", "7100", "4000", "P4I1-3-M1", "13 000,00", "Helmikuun palkat"],
    ["2023-02-15", "7100", "4300", "P3-1-M1", 2400, "Konsultointi"],
]


def upload(client, file, duplicates=None):
    """Send an extract as on the page and, when its preview is shown, confirm it."""
    response = client.post(reverse("budgets:ledger_upload", args=[programme().pk]), {"file": file})
    if response.status_code != 302:
        return response
    upload = LedgerUpload.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert client.get(response["Location"]).context["preview"]["rows"] == upload.preview["rows"]
    return client.post(reverse("budgets:ledger_confirm", args=[upload.pk]), {"duplicates": duplicates or ""})


def test_import_with_one_bad_row_imports_nothing_and_names_the_row(client, popsote, accounts):
    client.force_login(user_with(Role.FINANCE))
    rows = [*GOOD_ROWS, ["3/2023", "7100", "9999", "P3-1-M1", "oops", ""]]
    response = upload(client, workbook(rows))
    assert response.status_code == 400
    errors = response.context["errors"]
    assert (5, "tili", "Tiliä '9999' ei ole tilikartassa (1 rivi: 5). Lisää se Tilikartta-sivulla.") in errors
    assert (5, "summa", "Summa 'oops' ei ole rahamäärä.") in errors
    assert "Rivi" in response.content.decode()
    assert ActualCost.objects.count() == 0
    assert LedgerImport.objects.count() == 0


def test_import_books_costs_to_categories_and_shows_plan_vs_actual(client, popsote, accounts):
    client.force_login(user_with(Role.FINANCE))
    response = upload(client, workbook(GOOD_ROWS))
    assert response.status_code == 302
    costs = ActualCost.objects.order_by("month", "amount")
    assert [(c.node.code, c.category.key, c.month.isoformat(), c.amount) for c in costs] == [
        ("P4I1-3-M1", "henkilostokulut", "2023-01-01", Decimal("12500.50")),
        ("P3-1-M1", "asiantuntijapalvelut", "2023-02-01", Decimal("2400.00")),
        ("P4I1-3-M1", "henkilostokulut", "2023-02-01", Decimal("13000.00")),
    ]
    page = client.get(reverse("budgets:node", args=[programme().pk]))
    usage = {row.label: row for row in page.context["usage"]}
    assert usage["Henkilöstökulut"].actual == Decimal("25500.50")
    assert usage["Henkilöstökulut"].remaining == Decimal("14593700.00") - Decimal("25500.50")
    assert page.context["usage_total"].actual == Decimal("27900.50")
    assert page.context["chart"]["total"] == Decimal("27900.50")
    html = page.content.decode()
    assert "<svg" in html and "27\xa0900,50\xa0€" in html


def test_the_same_extract_is_not_counted_twice(client, popsote, accounts):
    client.force_login(user_with(Role.OFFICE))
    assert upload(client, workbook(GOOD_ROWS)).status_code == 302
    response = upload(client, workbook(GOOD_ROWS))
    assert response.status_code == 400
    assert "Tämä aineisto on jo tuotu" in response.context["errors"][0][2]
    assert ActualCost.objects.count() == 3


def test_csv_with_finnish_decimals(client, popsote, accounts):
    client.force_login(user_with(Role.FINANCE))
    text = "Kausi;Kustannuspaikka;Tili;Kohde;Summa;Selite\n5/2023;7100;4000;P3-1-M1;1 234,56;Palkka\n"
    response = upload(client, SimpleUploadedFile("ote.csv", text.encode("utf-8")))
    assert response.status_code == 302
    assert ActualCost.objects.get().amount == Decimal("1234.56")


@pytest.mark.parametrize(
    ("role", "allowed"), [(Role.OFFICE, True), (Role.FINANCE, True), (Role.LEAD, False), (Role.STEERING, False)]
)
def test_only_finance_and_the_office_import_actual_costs(client, popsote, accounts, role, allowed):
    client.force_login(user_with(role))
    response = upload(client, workbook(GOOD_ROWS))
    assert response.status_code == (302 if allowed else 403)
    assert ActualCost.objects.count() == (3 if allowed else 0)


def test_import_with_an_error_then_fixed_as_a_new_user_would(client, popsote, accounts):
    client.force_login(user_with(Role.FINANCE))
    bad = upload(client, workbook([["5/2023", "7100", "4000", "EI-OLE", 100, ""]]))
    assert bad.context["errors"] == [(2, "kohde", "Hankkeessa ei ole kohdetta tunnuksella 'EI-OLE'.")]
    before = client.get(reverse("budgets:node", args=[programme().pk])).context["usage_total"].actual
    fixed = upload(client, workbook([["5/2023", "7100", "4000", "P4I1-3-M1", 100, ""]]))
    assert fixed.status_code == 302
    after = client.get(fixed["Location"]).context["usage_total"].actual
    assert (before, after) == (Decimal("0.00"), Decimal("100.00"))


def test_finance_types_in_an_actual_cost_and_costs_outside_the_period_of_use_are_flagged(client, popsote):
    client.force_login(user_with(Role.FINANCE))
    node = Node.objects.get(programme__code="POPDIGI2", code="P4I1-3-M1")
    url = reverse("budgets:actual_create", args=[programme().pk])
    category = CostCategory.objects.get(key="henkilostokulut")
    bad = client.post(url, {"node": node.pk, "category": category.pk, "month": "2023-03", "amount": "12,3,4"})
    assert bad.status_code == 400 and ActualCost.objects.count() == 0
    for month, amount in (("2023-03", "1 000,00"), ("2026-02", "500")):
        response = client.post(url, {"node": node.pk, "category": category.pk, "month": month, "amount": amount})
        assert response.status_code == 302
    page = client.get(reverse("budgets:node", args=[programme().pk]))
    eligibility = page.context["eligibility"]
    assert eligibility.eligible_total == Decimal("1000.00")  # 2/2026 is after the period of use
    assert eligibility.grant_max == Decimal("1000.00")  # RRF: 100 %
    assert [cost.amount for cost in eligibility.outside] == [Decimal("500.00")]
    assert page.context["usage_total"].actual == Decimal("1500.00")


def test_steering_group_cannot_type_in_actual_costs(client, popsote):
    client.force_login(user_with(Role.STEERING))
    response = client.post(reverse("budgets:actual_create", args=[programme().pk]), {})
    assert response.status_code == 403


def test_the_import_message_counts_one_cost_in_the_singular(client, popsote, accounts):
    client.force_login(user_with(Role.FINANCE))
    response = upload(client, workbook(GOOD_ROWS[:1]))
    page = client.get(response["Location"])
    assert "Tuotiin 1 kulu, yhteensä 12\xa0500,50\xa0€." in page.content.decode()
