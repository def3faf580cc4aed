"""A ledger extract is bounded before it is parsed, every malformed file gets the row-by-row answer (never a 500),
a large extract is imported by a worker with progress.

Time and memory are measured by ``manage.py bench_uploads``, not asserted here."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from budgets import services
from budgets.models import ActualCost, LedgerImport, LedgerUpload
from budgets.services import ledger_upload_run
from tests.api import conftest as api_fixtures
from tests.budgets import test_ledger_import as ledger_fixtures
from tests.budgets.test_ledger_import import GOOD_ROWS, HEADER, programme, user_with

pytestmark = pytest.mark.django_db
api_client = api_fixtures.api_client
accounts = ledger_fixtures.accounts


def xlsx(rows=(), sheet_xml=None, extra_parts=()):
    """A workbook of ``rows`` (header first), or one whose sheet is ``sheet_xml`` as written."""
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if sheet_xml is None and not extra_parts:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            if part.filename == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
                with target.open(part.filename, "w") as stream:
                    for chunk in [sheet_xml] if isinstance(sheet_xml, bytes) else sheet_xml:
                        stream.write(chunk)
            else:
                target.writestr(part, source.read(part.filename))
        for name, content in extra_parts:
            with target.open(name, "w") as stream:
                for chunk in content:
                    stream.write(chunk)
    return out.getvalue()


def sheet(*cells_rows):
    rows = "".join(f"<row>{''.join(cells)}</row>" for cells in cells_rows)
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{rows}</sheetData></worksheet>"
    ).encode()


def text(value):
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def number(value):
    return f"<c><v>{value}</v></c>"


HEADER_CELLS = [text(name) for name in HEADER]
GOOD_CELLS = [text("5/2023"), text("7100"), text("4000"), text("P3-1-M1")]


def csv(*lines, encoding="utf-8"):
    return ("\n".join([";".join(HEADER), *lines]) + "\n").encode(encoding)


LINE = "5/2023;7100;4000;P3-1-M1;{amount};Selite"

MALFORMED = {
    # Files that are not extracts at all
    "empty.csv": b"",
    "only-header.csv": csv(),
    "missing-columns.csv": b"Kausi;Summa\n5/2023;100\n",
    "not-utf8-nor-cp1252.csv": csv() + b"5/2023;7100;4000;P3-1-M1;100;\x81\x8d\x8f\n",
    "utf-16.csv": csv(LINE.format(amount="100"), encoding="utf-16"),
    "binary.csv": bytes(range(256)) * 4,
    "pdf.csv": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
    "xls.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    "text.xlsx": b"Kausi;Tili\n",
    "only-delimiters.csv": b";;;;;\n;;;;;\n",
    # Rows that are wrong
    "amount-1e30.csv": csv(LINE.format(amount="1e30")),
    "amount-1e999.csv": csv(LINE.format(amount="1e999")),
    "amount-nan.csv": csv(LINE.format(amount="NaN")),
    "amount-infinity.csv": csv(LINE.format(amount="-Infinity")),
    "amount-10e20.csv": csv(LINE.format(amount="100000000000000000000")),
    "amount-commas.csv": csv(LINE.format(amount="12,3,4")),
    "amount-empty.csv": csv(LINE.format(amount="")),
    "nul-in-a-cell.csv": csv("5/2023;7100;4000;P3-1-M1;100;Se\x00lite"),
    "vertical-tab.csv": csv("5/2023;7100;4000;P3-1-M1;100;Sel\x0bite"),
    "control-in-account.csv": csv("5/2023;7100;40\x0700;P3-1-M1;100;Selite"),
    "line-break-in-code.csv": csv('5/2023;7100;4000;"P3-1\r\nM1";100;Selite'),
    "field-over-128kb.csv": csv("5/2023;7100;4000;P3-1-M1;100;" + "x" * 140_000),
    "cell-over-limit.csv": csv("5/2023;7100;4000;P3-1-M1;100;" + "x" * 5_000),
    "month-9999.csv": csv("9999-12;7100;4000;P3-1-M1;100;Selite"),
    "month-zero.csv": csv("0/2023;7100;4000;P3-1-M1;100;Selite"),
    "month-13.csv": csv("13/2023;7100;4000;P3-1-M1;100;Selite"),
    "month-31-2.csv": csv("31.2.2023;7100;4000;P3-1-M1;100;Selite"),
    "month-empty.csv": csv(";7100;4000;P3-1-M1;100;Selite"),
    "unknown-node.csv": csv("5/2023;7100;4000;EI-OLE;100;Selite"),
    "unknown-account.csv": csv("5/2023;7100;9999;P3-1-M1;100;Selite"),
    "a-thousand-bad-rows.csv": csv(*["5/2023;7100;9999;EI;x;" + "y" * 300] * 1000),
    "total-too-large.csv": csv(*[LINE.format(amount="999999999999")] * 2),
    # Workbooks that are broken or wrong
    "xlsx-named.csv": xlsx([["5/2023", "7100", "4000", "EI-OLE", 1, ""]]),
    "truncated.xlsx": xlsx(GOOD_ROWS)[:2000],
    "zip-of-something-else.xlsx": (lambda b: (zipfile.ZipFile(b, "w").writestr("readme.txt", "hei"), b.getvalue())[1])(
        io.BytesIO()
    ),
    "empty-zip.xlsx": (lambda b: (zipfile.ZipFile(b, "w").close(), b.getvalue())[1])(io.BytesIO()),
    "broken-sheet-xml.xlsx": xlsx(sheet_xml=b"<worksheet><sheetData><row><c><v>1</v></row>"),
    "illegal-xml-character.xlsx": xlsx(sheet_xml=sheet(HEADER_CELLS, [*GOOD_CELLS, number(1), text("&#11;")])),
    "cell-1e999.xlsx": xlsx(sheet_xml=sheet(HEADER_CELLS, [*GOOD_CELLS, number("1e999")])),
    "cell-10e20.xlsx": xlsx(sheet_xml=sheet(HEADER_CELLS, [*GOOD_CELLS, number("1e20")])),
    "error-cell.xlsx": xlsx(sheet_xml=sheet(HEADER_CELLS, [*GOOD_CELLS, '<c t="e"><v>#DIV/0!</v></c>'])),
    "boolean-amount.xlsx": xlsx(sheet_xml=sheet(HEADER_CELLS, [*GOOD_CELLS, '<c t="b"><v>1</v></c>'])),
    "formula-without-value.xlsx": xlsx(sheet_xml=sheet(HEADER_CELLS, [*GOOD_CELLS, "<c><f>1/0</f></c>"])),
    "date-year-9999.xlsx": xlsx([["31.12.9999", "7100", "4000", "P3-1-M1", 1, ""]]),
    # Built when used: tens of megabytes unpacked.
    "unpacks-too-large.xlsx": lambda: xlsx(extra_parts=[("xl/padding.xml", [b" " * 2**20] * 70)]),
    "a-million-rows.xlsx": lambda: xlsx(sheet_xml=million_rows()),
}


def million_rows():
    head, tail = sheet(HEADER_CELLS).split(b"</sheetData>")
    yield head
    for _ in range(10):
        yield b"<row><c><v>1</v></c></row>" * 100_000
    yield b"</sheetData>" + tail


def malformed(name):
    content = MALFORMED[name]
    return content() if callable(content) else content


def test_the_corpus_is_large_enough():
    assert len(MALFORMED) >= 40


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_every_malformed_file_gets_the_row_by_row_answer(api_client, accounts, name):
    response = api_client("finance").post(
        reverse("api:ledgerimport-list"),
        {"programme": programme().pk, "file": SimpleUploadedFile(name, malformed(name))},
        format="multipart",
    )
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "rejected" and body["rows"]
    assert all(set(row) == {"row", "column", "reason"} and row["reason"] for row in body["rows"])
    assert len(response.content) < 40_000  # the rows are listed, not the cells: a 300 KB file gave 300 MB
    assert ActualCost.objects.count() == 0 and LedgerUpload.objects.count() == 0


def test_the_answers_say_what_is_wrong(client, accounts):
    client.force_login(user_with("talous"))

    def reasons(name):
        upload = SimpleUploadedFile(name, malformed(name))
        response = client.post(reverse("budgets:ledger_upload", args=[programme().pk]), {"file": upload})
        assert response.status_code == 400
        return [reason for _row, _column, reason in response.context["errors"]]

    assert reasons("amount-1e999.csv") == ["Summa '1e999' ei ole rahamäärä."]
    assert reasons("unpacks-too-large.xlsx") == ["Excel-tiedosto purkautuu 70,0 megatavuksi; enintään 64,0 Mt."]
    assert reasons("a-million-rows.xlsx") == [
        "Tiedostossa on yli 100000 riviä. Jaa ote osiin, esimerkiksi kuukausittain."
    ]
    assert reasons("vertical-tab.csv") == [
        "Tekstissä on näkymätön ohjausmerkki U+000B, esimerkiksi Wordista kopioituna. Poista se."
    ]
    many = reasons("a-thousand-bad-rows.csv")
    # Each row has three faults; the account missing from the chart is one fault, named first with its rows.
    assert len(many) == 101 and many[-1] == "…ja 1901 muuta virhettä."
    assert many[0].startswith("Tiliä '9999' ei ole tilikartassa (1000 riviä: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …).")
    assert reasons("not-utf8-nor-cp1252.csv") == [
        "Tiedoston merkistö ei ole UTF-8 eikä Windows-1252: tallenna se CSV UTF-8 -muodossa."
    ]


def test_a_file_larger_than_any_import_is_refused_before_it_is_read(api_client, accounts, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(services, "_read_rows", never)
    big = b"x" * (services.LEDGER_MAX_BYTES + 1)
    response = api_client("finance").post(
        reverse("api:ledgerimport-list"),
        {"programme": programme().pk, "file": SimpleUploadedFile("ote.csv", big)},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["rows"][0]["reason"].startswith("Tiedosto on 20,0 Mt; enintään 20,0 Mt.")


def test_a_big_csv_on_the_page_is_refused_with_a_message(client, accounts):
    client.force_login(user_with("talous"))
    big = SimpleUploadedFile("ote.csv", b"5/2023;7100;4000;P3-1-M1;1;x\n" * (50 * 2**20 // 29))
    response = client.post(reverse("budgets:ledger_upload", args=[programme().pk]), {"file": big})
    assert response.status_code == 413
    assert "Jaa ote osiin" in response.context["errors"][0][2]


def test_a_large_extract_is_imported_by_a_worker_and_its_progress_is_shown(
    client, accounts, settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    sent = []
    monkeypatch.setattr(services, "send", lambda task, pk: sent.append(pk))
    client.force_login(user_with("talous"))
    rows = [
        f"{month}/2023;7100;4000;P3-1-M1;{index},50;Rivi {index}"
        for index in range(20_000)
        for month in [index % 12 + 1]
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("budgets:ledger_upload", args=[programme().pk]),
            {"file": SimpleUploadedFile("vuosi.csv", csv(*rows))},
        )
    upload = LedgerUpload.objects.get()
    assert response["Location"] == upload.get_absolute_url()
    assert sent == [upload.pk]
    waiting = client.get(upload.get_absolute_url())
    assert "Jonossa" in waiting.content.decode() and 'hx-trigger="every 2s"' in waiting.content.decode()

    assert ledger_upload_run(upload.pk, claim="task-0") is False  # checked: its preview waits for a confirmation
    upload.refresh_from_db()
    assert (upload.status, upload.preview["rows"], ActualCost.objects.count()) == (
        LedgerUpload.Status.PREVIEW,
        20_000,
        0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("budgets:ledger_confirm", args=[upload.pk]))
    assert confirmed["Location"] == upload.get_absolute_url() and sent == [upload.pk, upload.pk]
    assert ledger_upload_run(upload.pk, claim="task-1") is True
    assert ledger_upload_run(upload.pk, claim="task-2") is False  # run twice, imported once
    upload.refresh_from_db()
    assert (upload.status, upload.progress, upload.result.row_count) == (LedgerUpload.Status.DONE, 100, 20_000)
    assert ActualCost.objects.count() == 20_000
    assert ActualCost.objects.filter(description="Rivi 19999").get().amount == Decimal("19999.50")
    assert ActualCost.history.filter(history_user__username="tuoja-talous").count() == 20_000
    done = client.get(upload.get_absolute_url(), headers={"HX-Request": "true"})
    assert "Tuotiin 20000 kulua" in done.content.decode() and "hx-trigger" not in done.content.decode()


def test_over_the_api_a_large_extract_answers_202_and_its_job(api_client, accounts, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "send", lambda task, pk: None)
    rows = [LINE.format(amount=index) for index in range(1, 20_000)]
    response = api_client("finance").post(
        reverse("api:ledgerimport-list"),
        {"programme": programme().pk, "file": SimpleUploadedFile("vuosi.csv", csv(*rows))},
        format="multipart",
    )
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["progress"], job["rows"]) == ("queued", 0, [])
    assert response["Location"] == job["url"]
    ledger_upload_run(job["id"])
    again = api_client("finance").get(job["url"])
    assert again.json()["status"] == "done" and again.json()["result"] == LedgerImport.objects.get().pk
