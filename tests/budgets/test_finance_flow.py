"""Finance alone, on a fresh install: the template, the chart of accounts, the preview, the confirmation and
the undo of a ledger import of POP-Digi-Hoitotakuu 2, on the pages and in the API."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budgets.models import ActualCost, LedgerAccount, LedgerImport, LedgerUpload
from reports.models import Export, ReportingPeriod
from tests.api import conftest as api_fixtures
from tests.budgets.test_ledger_import import programme
from tests.portfolio.test_editing import make_user

pytestmark = pytest.mark.django_db
api_client = api_fixtures.api_client


def filled_template(client, rows):
    """The template downloaded from the import page, its example rows replaced by ``rows``."""
    response = client.get(reverse("budgets:ledger_template_xlsx", args=[programme().pk]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["Kausi", "Kustannuspaikka", "Tili", "Kohde", "Summa", "Selite"]
    examples = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(examples) == 2 and all(row[5].startswith("Esimerkki:") for row in examples)
    sheet.delete_rows(2, 2)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("paakirja-2023.xlsx", buffer.getvalue())


ROWS = [
    ["1/2023", "7100", "4010", "P4I1-3-M1", 12500.5, "Tammikuun palkat"],
    ["2/2023", "7100", "5170", "P4I1-3-M1", 310, "Junaliput Ouluun"],
    ["2/2023", "7100", "5170", "P3-1-M1", 95.4, "Taksi"],
]


def post_extract(client, file):
    return client.post(reverse("budgets:ledger_upload", args=[programme().pk]), {"file": file})


def test_finance_alone_maps_an_account_previews_confirms_and_undoes_an_import(client):
    finance = make_user("finance")
    client.force_login(finance)
    csv = client.get(reverse("budgets:ledger_template_csv", args=[programme().pk]))
    assert csv.content.decode("utf-8-sig").splitlines()[0] == "Kausi;Kustannuspaikka;Tili;Kohde;Summa;Selite"
    assert len(csv.content.decode("utf-8-sig").splitlines()) == 3

    # The installation's example chart is refused until someone confirms or replaces it.
    refused = post_extract(client, filled_template(client, ROWS))
    assert refused.status_code == 400
    assert refused.context["errors"][0][2].startswith("Tilikartta on vielä asennuksen esimerkki.")
    page = client.get(reverse("budgets:accounts"))
    assert "Tämä on asennuksen esimerkkitilikartta" in page.content.decode()
    assert client.post(reverse("budgets:accounts_confirm")).status_code == 302
    assert not LedgerAccount.objects.filter(example=True).exists()

    # 4010 is in the range 4000–4299; 5170 is in no row: listed once with both rows it affects.
    unmapped = post_extract(client, filled_template(client, ROWS))
    assert unmapped.context["errors"] == [
        (3, "tili", "Tiliä '5170' ei ole tilikartassa (2 riviä: 3, 4). Lisää se Tilikartta-sivulla.")
    ]
    travel = LedgerAccount.objects.get(account="4600").category
    added = client.post(
        reverse("budgets:accounts"), {"account": "5170", "account_end": "", "name": "Matkat", "category": travel.pk}
    )
    assert added.status_code == 302
    assert LedgerAccount.history.filter(account="5170", history_user=finance).count() == 1

    preview = post_extract(client, filled_template(client, ROWS))
    assert preview.status_code == 302
    upload = LedgerUpload.objects.get()
    assert ActualCost.objects.count() == 0  # nothing is written before the confirmation
    for _reload in range(2):
        shown = client.get(preview["Location"])
        assert shown.context["total"] == Decimal("12905.90")
        assert [(r["node"], r["category"], r["month"], r["amount"]) for r in shown.context["totals"]] == [
            ("P3-1-M1", "Matkakulut", date(2023, 2, 1), Decimal("95.40")),
            ("P4I1-3-M1", "Henkilöstökulut", date(2023, 1, 1), Decimal("12500.50")),
            ("P4I1-3-M1", "Matkakulut", date(2023, 2, 1), Decimal("310.00")),
        ]
        assert shown.context["duplicates"] == []
    confirmed = client.post(reverse("budgets:ledger_confirm", args=[upload.pk]))
    assert confirmed.status_code == 302
    batch = LedgerImport.objects.get()
    assert (batch.row_count, batch.total, batch.imported_by) == (3, Decimal("12905.90"), finance)
    assert client.post(reverse("budgets:ledger_confirm", args=[upload.pk])).status_code == 302
    assert LedgerImport.objects.count() == 1  # confirmed once

    # The same extract exported again with one description changed: flagged, and it needs a choice.
    again = [*ROWS[:2], [*ROWS[2][:5], "Taksi lentoasemalta"]]
    flagged = post_extract(client, filled_template(client, again))
    second = LedgerUpload.objects.get(pk=int(flagged["Location"].rstrip("/").rsplit("/", 1)[1]))
    shown = client.get(flagged["Location"])
    assert [(d["row"], d["description"], d["earlier_description"]) for d in shown.context["duplicates"]][2] == (
        4,
        "Taksi lentoasemalta",
        "Taksi",
    )
    assert "3 riviä näyttää jo tuodulta" in shown.content.decode()
    no_choice = client.post(reverse("budgets:ledger_confirm", args=[second.pk]), follow=True)
    assert "Valitse, ohitetaanko jo tuodun näköiset rivit" in no_choice.content.decode()
    skipped = client.post(reverse("budgets:ledger_confirm", args=[second.pk]), {"duplicates": "skip"}, follow=True)
    assert "Kaikki rivit on jo tuotu" in skipped.content.decode()
    assert (LedgerImport.objects.count(), ActualCost.objects.count()) == (1, 3)

    # Undo: a reversal with who and why; both stay.
    form = client.get(reverse("budgets:ledger_reverse", args=[batch.pk]))
    assert "Peru tuonti" in form.content.decode()
    assert client.post(reverse("budgets:ledger_reverse", args=[batch.pk]), {"reason": ""}).status_code == 400
    undone = client.post(reverse("budgets:ledger_reverse", args=[batch.pk]), {"reason": "Väärän kuukauden ote"})
    assert undone.status_code == 302
    reversal = LedgerImport.objects.get(reverses=batch)
    assert (reversal.imported_by, reversal.reason, reversal.total) == (finance, "Väärän kuukauden ote", -batch.total)
    assert ActualCost.objects.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")
    assert ActualCost.objects.count() == 6
    listed = client.get(reverse("budgets:ledger_upload", args=[programme().pk])).content.decode()
    assert "Peruutus tuonnista paakirja-2023.xlsx: Väärän kuukauden ote" in listed and "peruttu " in listed
    again = client.post(reverse("budgets:ledger_reverse", args=[batch.pk]), {"reason": "Uudestaan"})
    assert again.status_code == 409 and LedgerImport.objects.count() == 2


def test_an_undo_of_costs_a_monthly_report_used_needs_the_office_and_the_archive_says_so(client):
    LedgerAccount.objects.filter(example=True).update(example=False)
    finance, office = make_user("finance"), make_user("office")
    client.force_login(finance)
    assert post_extract(client, filled_template(client, ROWS[:1])).status_code == 302
    client.post(reverse("budgets:ledger_confirm", args=[LedgerUpload.objects.get().pk]))
    batch = LedgerImport.objects.get()
    period = ReportingPeriod.objects.create(programme=programme(), month=date(2023, 1, 1), deadline=date(2023, 2, 10))
    report = Export.objects.create(
        programme=programme(),
        kind=Export.Kind.MONTHLY_PDF,
        period=period,
        status=Export.Status.DONE,
        version=1,
        requested_by=office,
        finished_at=timezone.now(),
        retain_until=date(2032, 12, 31),  # as an issued report of an RRF programme is kept
    )
    url = reverse("budgets:ledger_reverse", args=[batch.pk])
    refused = client.post(url, {"reason": "Virhe", "confirm_reports": "on"})
    assert refused.status_code == 403  # finance cannot accept that a report's figures change
    refused = client.post(url, {"reason": "Virhe"})
    assert refused.status_code == 409 and refused.context["reports"] == [report]
    assert "Vain hanketoimisto voi hyväksyä tämän" in refused.content.decode()
    assert not LedgerImport.objects.filter(reverses=batch).exists()
    client.force_login(office)
    assert client.post(url, {"reason": "Virhe", "confirm_reports": "on"}).status_code == 302
    assert Export.objects.get(pk=report.pk).version == report.version  # the entry itself is kept as issued
    (note,) = report.notes.all()
    assert "perui tuonnin paakirja-2023.xlsx (12\xa0500,50\xa0€). Syy: Virhe" in note.text
    entry = client.get(report.get_absolute_url()).content.decode()
    assert "Raportin luvut ovat muuttuneet" in entry


def test_the_same_flow_through_the_api(api_client):
    finance = api_client("finance")
    accounts = finance.get("/api/v1/ledger-accounts/?example=true").json()
    assert accounts["count"] == 9
    LedgerAccount.objects.filter(example=True).update(example=False)
    travel = LedgerAccount.objects.get(account="4600").category_id
    mapped = finance.post(
        "/api/v1/ledger-accounts/", {"account": "5170", "name": "Matkat", "category": travel}, format="json"
    )
    assert mapped.status_code == 201, mapped.json()
    assert (
        api_client("steering")
        .post("/api/v1/ledger-accounts/", {"account": "5171", "category": travel}, format="json")
        .status_code
        == 403
    )
    text = "Kausi;Kustannuspaikka;Tili;Kohde;Summa;Selite\n2/2023;7100;5170;P3-1-M1;95,40;Taksi\n"
    sent = finance.post(
        "/api/v1/ledger-uploads/",
        {"programme": programme().pk, "file": SimpleUploadedFile("ote.csv", text.encode())},
        format="multipart",
    )
    assert sent.status_code == 201, sent.json()
    assert sent.json()["status"] == "preview"
    assert sent.json()["preview"]["totals"] == [
        {
            "node": "P3-1-M1",
            "node_name": sent.json()["preview"]["totals"][0]["node_name"],
            "category": "Matkakulut",
            "month": "2023-02",
            "amount": "95.40",
        }
    ]
    assert ActualCost.objects.count() == 0
    confirmed = finance.post(f"/api/v1/ledger-uploads/{sent.json()['id']}/confirm/", {}, format="json")
    assert confirmed.status_code == 201 and confirmed.json()["total"] == "95.40"
    assert finance.post(f"/api/v1/ledger-uploads/{sent.json()['id']}/confirm/", {}, format="json").status_code == 409
    changed = text.replace("Taksi", "Taksi kentältä")
    flagged = finance.post(
        "/api/v1/ledger-uploads/",
        {"programme": programme().pk, "file": SimpleUploadedFile("ote2.csv", changed.encode())},
        format="multipart",
    ).json()
    assert [(d["row"], d["earlier_description"]) for d in flagged["preview"]["duplicates"]] == [(2, "Taksi")]
    refused = finance.post(f"/api/v1/ledger-uploads/{flagged['id']}/confirm/", {}, format="json")
    assert refused.status_code == 400 and "duplicates" in refused.json()["message"]
    both = finance.post(f"/api/v1/ledger-uploads/{flagged['id']}/confirm/", {"duplicates": "import"}, format="json")
    assert both.status_code == 201 and ActualCost.objects.count() == 2
    batch = confirmed.json()["id"]
    assert api_client("steering").post(f"/api/v1/ledger-imports/{batch}/reverse/", {"reason": "x"}).status_code == 403
    undone = finance.post(f"/api/v1/ledger-imports/{batch}/reverse/", {"reason": "Tuplana"})
    assert undone.status_code == 201, undone.json()
    assert (undone.json()["reverses"], undone.json()["total"], undone.json()["reason"]) == (batch, "-95.40", "Tuplana")
    assert finance.get(f"/api/v1/ledger-imports/{batch}/").json()["reversed_at"] is not None


def test_the_chart_of_accounts_goes_out_as_a_workbook_and_comes_back_all_or_nothing(client):
    from openpyxl import Workbook

    finance = make_user("finance")
    client.force_login(finance)
    exported = client.get(reverse("budgets:accounts_xlsx"))
    sheet = load_workbook(BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Tili", "Tilialueen loppu", "Nimi", "Kustannuslaji")
    assert rows[1] == ("4000", "4299", "Esimerkki: palkat ja henkilösivukulut", "Henkilöstökulut")
    assert len(rows) == 10

    def send(table):
        book = Workbook()
        for row in table:
            book.active.append(row)
        buffer = BytesIO()
        book.save(buffer)
        return client.post(
            reverse("budgets:accounts_import"), {"file": SimpleUploadedFile("tilit.xlsx", buffer.getvalue())}
        )

    bad = send([rows[0], ("5000", "4999", "Väärin päin", "matkakulut"), ("5100", "", "=HYPERLINK()", "Ei ole")])
    assert bad.status_code == 400
    assert [(row, column) for row, column, _reason in bad.context["errors"]] == [
        (2, "tilialueen loppu"),
        (3, "kustannuslaji"),
    ]
    assert LedgerAccount.objects.count() == 9 and LedgerAccount.objects.filter(example=True).count() == 9
    own = send([rows[0], ("4000", "4299", "Palkat", "henkilostokulut"), ("5170", "", "Matkat", "Matkakulut")])
    assert own.status_code == 302
    assert sorted(LedgerAccount.objects.values_list("account", "account_end", "name", "example")) == [
        ("4000", "4299", "Palkat", False),
        ("5170", "", "Matkat", False),
    ]
    history = client.get(reverse("budgets:accounts")).context["history"]
    assert {(entry.history_type, entry.account) for entry in history} >= {("~", "4000"), ("+", "5170"), ("-", "4300")}
    assert client.post(reverse("budgets:accounts_import"), {}).status_code == 400
