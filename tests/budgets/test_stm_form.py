"""The STM workbooks are the ministry's form: header block, the plan's numbers with the subtotals as formulas
whose stored values are the figures, inputs as numbers, borders, print setup, protection; and LibreOffice
prints them one page wide with every label."""

import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from budgets.selectors import form_header, node_figures
from budgets.workbooks import budget_workbook
from portfolio.models import Node
from reports.archive import costs_xlsx

pytestmark = pytest.mark.django_db

# Seed 002, "Kustannusarvio v 2023-2025": 2023, 2024, 2025, Yhteensä, row by row.
SEED_002 = {
    "Henkilöstökulut": (4761037, 6822407, 3010256, 14593700),
    "Vapaaehtoiset henkilöstökulut": (0, 0, 0, 0),
    "Asiantuntijapalvelut": (1528300, 1258850, 571850, 3359000),
    "Taloushallintopalvelut": (6500, 6500, 4000, 17000),
    "Viestintäpalvelut": (5000, 8000, 7000, 20000),
    "Muut palvelujen ostot": (0, 14000, 0, 14000),
    "Palvelujen ostot yhteensä": (1539800, 1287350, 582850, 3410000),
    "Matkakulut": (46000, 60000, 39000, 145000),
    "Materiaalikulut": (0, 0, 0, 0),
    "Toimitilakulut": (54500, 81000, 66500, 202000),
    "Ohjelmistot": (0, 0, 0, 0),
    "Puhelin- ja ICT-laitehankinnat": (113000, 113000, 57000, 283000),
    "Koneet ja kalusto": (162800, 267000, 0, 429800),
    "Muut investointikulut": (0, 0, 0, 0),
    "Investointikulut yhteensä": (275800, 380000, 57000, 712800),
    "Muut kulut": (7000, 7000, 5500, 19500),
    "Kulut yhteensä": (6684137, 8637757, 3761106, 19083000),
    "Hankkeesta saatavat tuotot": (0, 0, 0, 0),
    "Muut hankkeeseen kohdistettavat tuotot": (0, 0, 0, 0),
    "Valtionavustukseen oikeuttavat kustannukset": (6684137, 8637757, 3761106, 19083000),
    "Hanketoimijoiden omarahoitus": (0, 0, 0, 0),
    "Muu hankkeelle kohdistuva julkinen rahoitus": (0, 0, 0, 0),
    "Haettava valtionavustus": (6684137, 8637757, 3761106, 19083000),
}
COMPUTED = {
    "Palvelujen ostot yhteensä",
    "Investointikulut yhteensä",
    "Kulut yhteensä",
    "Valtionavustukseen oikeuttavat kustannukset",
    "Haettava valtionavustus",
}
HEADINGS = ["Palvelujen ostot", "Investointikulut"]


def evaluate(formula, values):
    """What the form's formulas (SUM of a column range, sums and differences of cells) compute."""
    expression = formula.removeprefix("=")
    if match := re.fullmatch(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", expression):
        first, low, last, high = match.groups()
        if first == last:
            return sum(values[f"{first}{n}"] for n in range(int(low), int(high) + 1))
        columns = [chr(c) for c in range(ord(first), ord(last) + 1)]
        return sum(values[f"{c}{low}"] for c in columns)
    total = 0
    for sign, cell in re.findall(r"([+-]?)([A-Z]+\d+)", expression):
        total += -values[cell] if sign == "-" else values[cell]
    return total


@pytest.fixture(scope="module")
def books(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both workbooks of POP-Digi-Hoitotakuu 2 (made once), and their PDFs made by LibreOffice."""
    folder = tmp_path_factory.mktemp("stm")
    with django_db_blocker.unblock():
        programme = Node.objects.get(code="POPDIGI2", parent=None)
        figures = node_figures(programme)
        contents = {
            "kustannusarvio": budget_workbook(
                form_header(programme, "Kustannusarvio", figures.plan_version.name), *figures.stm_table()
            ),
            "toteuma": costs_xlsx(programme, date(2026, 10, 31)),
        }
    for name, content in contents.items():
        (folder / f"{name}.xlsx").write_bytes(content)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(folder / f"{name}.xlsx") for name in contents),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {name: (content, PdfReader(folder / f"{name}.pdf")) for name, content in contents.items()}


def table(content):
    """The form's sheet with formulas, the same with stored values, and the table's header row."""
    sheet = load_workbook(BytesIO(content)).active
    values = load_workbook(BytesIO(content), data_only=True).active
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "Kustannuslaji")
    return sheet, values, header


def header_block(sheet, header):
    return {sheet.cell(n, 1).value: sheet.cell(n, 2).value for n in range(2, header - 1)}


@pytest.mark.parametrize("name", ["kustannusarvio", "toteuma"])
def test_the_form_reproduces_the_seed_cost_estimate_with_formulas_and_their_values(books, name):
    sheet, values, header = table(books[name][0])
    block = header_block(sheet, header)
    assert block["Hakija"] == "Pohjois-Pohjanmaan hyvinvointialue"
    assert block["Y-tunnus"] == "3221326-2"
    assert block["Hanke"] == "Digitaaliset palvelut hoitotakuun edistäjänä Pohjois-Pohjanmaalla – POP-Digi-Hoitotakuu 2"
    assert block["Rahoituspäätös"] == "VN/27125/2022"
    assert block["Päätöksen päivämäärä"] == datetime(2022, 12, 8)
    assert block["Käyttöaika"] == "1.1.2023–31.12.2025"
    assert block["Suunnitelmaversio"] == "Tarkennettu hankesuunnitelma"
    assert isinstance(block["Päivämäärä"], datetime)
    years = ["2023", "2024", "2025"]
    titles = [f"Vuosi {y}" for y in years] + ["Yhteensä"]
    if name == "toteuma":
        titles = [f"Suunnitelma {y}" for y in years] + ["Suunnitelma yhteensä"]
    assert [c.value for c in sheet[header][:5]] == ["Kustannuslaji", *titles]
    numbers = {
        cell.coordinate: Decimal(str(cell.value))
        for row in values.iter_rows(min_row=header + 1)
        for cell in row
        if isinstance(cell.value, int | float)
    }
    found, labels = {}, []
    for row in sheet.iter_rows(min_row=header + 1, max_row=header + len(SEED_002) + len(HEADINGS)):
        label = row[0].value.strip()
        labels.append(label)
        if label in HEADINGS:
            assert all(cell.value is None for cell in row[1:5])
            continue
        cells = row[1:5]
        for cell in cells[:3]:
            if label in COMPUTED:
                assert cell.data_type == "f" and cell.protection.locked, (label, cell.coordinate)
            else:
                assert cell.data_type == "n" and not cell.protection.locked, (label, cell.coordinate)
        assert cells[3].value == f"=SUM({cells[0].column_letter}{row[0].row}:{cells[2].column_letter}{row[0].row})"
        stored = [values[cell.coordinate].value for cell in cells]
        assert None not in stored, label
        for cell in cells:
            if cell.data_type == "f":
                assert evaluate(cell.value, numbers) == Decimal(str(values[cell.coordinate].value)), cell.coordinate
        found[label] = tuple(Decimal(str(value)) for value in stored)
        assert all(cell.border.left.style == "thin" and cell.number_format == '#,##0.00 "€"' for cell in cells)
    assert found == {label: tuple(Decimal(v) for v in amounts) for label, amounts in SEED_002.items()}
    assert labels == [
        *list(SEED_002)[:2],
        "Palvelujen ostot",
        *list(SEED_002)[2:10],
        "Investointikulut",
        *list(SEED_002)[10:],
    ]
    assert sheet["B2"].protection.locked and sheet.protection.sheet
    assert sheet.auto_filter.ref is None
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${header}:${header}"


@pytest.mark.parametrize("name", ["kustannusarvio", "toteuma"])
def test_libreoffice_prints_the_form_one_page_wide_with_the_header_block_and_every_row(books, name):
    content, pdf = books[name]
    sheet, _values, header = table(content)
    pages = [page.extract_text() for page in pdf.pages]
    assert all(page.mediabox.width > page.mediabox.height for page in pdf.pages)  # A4 landscape
    assert round(pdf.pages[0].mediabox.width) == 842
    # One page wide: every page has the repeated header row, and together they have every row.
    assert all("Kustannuslaji" in text for text in pages)
    for label, value in header_block(sheet, header).items():
        assert label in pages[0]
        shown = value.strftime("%-d.%-m.%Y") if isinstance(value, datetime) else value
        assert shown in pages[0], label
    printed = "\n".join(pages)
    for label in [*SEED_002, *HEADINGS]:
        assert label in printed, label
    # The stored value of Haettava valtionavustus, as LibreOffice shows it; no column too narrow.
    assert "Haettava valtionavustus 6,684,137.00 € 8,637,757.00 € 3,761,106.00 € 19,083,000.00 €" in printed
    assert "###" not in printed
