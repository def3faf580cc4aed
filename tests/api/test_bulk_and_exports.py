"""Finance posts a ledger extract to the pages' importer; actual costs; a report requested, followed, downloaded."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import ActualCost, CostCategory, LedgerImport
from reports.archive import export_generate
from reports.models import Export
from tests.budgets.test_ledger_import import GOOD_ROWS, HEADER, accounts, programme, workbook  # noqa: F401
from tests.portfolio.test_editing import own_measure

pytestmark = pytest.mark.django_db


def csv_file(rows):
    lines = [";".join(HEADER)] + [";".join(str(cell) for cell in row) for row in rows]
    return SimpleUploadedFile("ote.csv", "\n".join(lines).encode("utf-8"))


def post_extract(client, file):
    return client.post(
        reverse("api:ledgerimport-list"), {"programme": programme().pk, "file": file}, format="multipart"
    )


def test_finance_imports_an_xlsx_extract_all_rows(api_client, accounts):  # noqa: F811
    response = post_extract(api_client("finance"), workbook(GOOD_ROWS))
    assert response.status_code == 201, response.json()
    assert response.json()["row_count"] == 3
    assert response.json()["total"] == "27900.50"
    assert ActualCost.objects.filter(ledger_import=response.json()["id"]).count() == 3


def test_a_bad_csv_extract_is_refused_row_by_row_and_nothing_is_saved(api_client, accounts):  # noqa: F811
    rows = [GOOD_ROWS[0], ["13/2023", "7100", "9999", "EI-OLE", "abc", ""]]
    response = post_extract(api_client("finance"), csv_file(rows))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rejected"
    assert body["message"] == "Otetta ei tuotu: siinä on virheitä. Mitään ei tallennettu."
    # The account missing from the chart of accounts first: it is listed once with every row it affects.
    assert [(row["row"], row["column"]) for row in body["rows"]] == [
        ("3", "tili"),
        ("3", "kausi"),
        ("3", "kohde"),
        ("3", "summa"),
    ]
    assert body["rows"][2]["reason"] == "Hankkeessa ei ole kohdetta tunnuksella 'EI-OLE'."
    assert not LedgerImport.objects.exists()
    assert not ActualCost.objects.exists()


def test_the_same_extract_is_not_imported_twice(api_client, accounts):  # noqa: F811
    client = api_client("finance")
    assert post_extract(client, csv_file(GOOD_ROWS[:1])).status_code == 201
    response = post_extract(client, csv_file(GOOD_ROWS[:1]))
    assert response.status_code == 400
    assert "on jo tuotu" in response.json()["rows"][0]["reason"]


def test_lead_and_steering_group_cannot_import(api_client, accounts):  # noqa: F811
    for role in ("lead", "steering"):
        assert post_extract(api_client(role), workbook(GOOD_ROWS)).status_code == 403
    assert not LedgerImport.objects.exists()


def test_finance_types_in_an_actual_cost(api_client):
    category = CostCategory.objects.get(key="henkilostokulut")
    body = {"node": own_measure().pk, "category": category.pk, "month": "2024-05-01", "amount": "1234.56"}
    response = api_client("finance").post(reverse("api:actualcost-list"), body, format="json")
    assert response.status_code == 201, response.json()
    cost = ActualCost.objects.get()
    assert (cost.month, cost.amount) == (date(2024, 5, 1), Decimal("1234.56"))
    assert response.json()["amount"] == "1234.56"
    bad = api_client("finance").post(reverse("api:actualcost-list"), {**body, "month": "2024-05-15"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"month": ["Anna kuukausi muodossa vvvv-kk."]}
    assert api_client("lead").post(reverse("api:actualcost-list"), body, format="json").status_code == 403


def test_a_report_is_requested_followed_and_downloaded(
    api_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = api_client("steering")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("api:export-list"), {"programme": programme().pk, "kind": "measures_xlsx"}, format="json"
        )
    assert response.status_code == 201, response.json()
    assert len(callbacks) == 1  # the task is sent once the row is committed
    export = response.json()
    assert (export["status"], export["progress"], export["download_url"]) == ("queued", 0, None)
    detail = reverse("api:export-detail", args=[export["id"]])
    assert client.get(reverse("api:export-download", args=[export["id"]])).status_code == 404
    export_generate(export["id"])
    done = client.get(detail).json()
    assert (done["status"], done["progress"]) == ("done", 100)
    assert done["download_url"].endswith(reverse("api:export-download", args=[export["id"]]))
    download = client.get(reverse("api:export-download", args=[export["id"]]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert content.startswith(b"PK")
    assert Export.objects.get(pk=export["id"]).sha256 == done["sha256"]


def test_docs_are_served_from_vendored_assets(client):
    from tests.portfolio.test_editing import make_user

    client.force_login(make_user("steering"))
    for name in ("api:docs", "api:redoc"):
        html = client.get(reverse(name)).content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "cdn" not in html.lower()
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "toimenpide" in schema.content.decode()


def test_docs_send_an_anonymous_browser_to_login(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_monthly_pdf_is_requested_with_its_period_over_the_api(api_client, settings, tmp_path):
    from tests.reports.month import popdigi_october

    settings.MEDIA_ROOT = tmp_path
    client = api_client("office")
    october = popdigi_october(None)
    url = reverse("api:export-list")
    response = client.post(url, {"programme": programme().pk, "kind": "monthly_pdf"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"period": ["Valitse raportointikausi."]}
    response = client.post(
        url, {"programme": programme().pk, "kind": "monthly_pdf", "period": october.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    export = response.json()
    assert (export["kind"], export["period"], export["node"], export["version"]) == (
        "monthly_pdf",
        october.pk,
        None,
        None,
    )
    export_generate(export["id"])
    done = client.get(reverse("api:export-detail", args=[export["id"]])).json()
    assert (done["status"], done["version"]) == ("done", 1)
    assert len(done["data_state"]["updates"]) == 2
    download = client.get(reverse("api:export-download", args=[export["id"]]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
