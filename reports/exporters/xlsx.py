"""Excel exporters: rows in, bytes out. They never touch the database."""

from io import BytesIO

import xlsxwriter
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from popsote.text import printable
from popsote.workbooks import EURO_FORMAT, cost_sheet, form_layout, safe_text, stm_block, workbook_bytes


def measures_workbook(title, rows):
    """The measures list: one row per measure with its place in the tree, tasks, persons and budget.

    ``rows`` are dicts with the keys programme, path, code, name, tasks, persons, start, end, budget;
    with a period's statuses they also have status and percent, shown in two more columns.
    """
    with_status = any("status" in row for row in rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Toimenpiteet")
    headers = [
        "Hanke",
        "Osahanke",
        "Tunnus",
        "Toimenpide",
        "Tehtävät",
        "Vastuuhenkilöt",
        "Alkaa",
        "Päättyy",
        "Budjetti (€)",
    ]
    widths = [30, 50, 14, 50, 80, 40, 12, 12, 16]
    if with_status:
        headers += ["Tila", "Valmiusaste (%)"]
        widths += [16, 10]
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    sheet.append([_bold(sheet, header) for header in headers])
    for row in rows:
        budget = WriteOnlyCell(sheet, row["budget"])
        budget.number_format = EURO_FORMAT
        start = WriteOnlyCell(sheet, row["start"])
        start.number_format = "d.m.yyyy"
        end = WriteOnlyCell(sheet, row["end"])
        end.number_format = "d.m.yyyy"
        sheet.append(
            [
                safe_text(row["programme"]),
                safe_text(row["path"]),
                safe_text(row["code"]),
                safe_text(row["name"]),
                safe_text("\n".join(f"{number}) {task}" for number, task in enumerate(row["tasks"], start=1))),
                safe_text(", ".join(row["persons"])),
                start,
                end,
                budget,
                *([safe_text(row.get("status", "")), WriteOnlyCell(sheet, row.get("percent"))] if with_status else []),
            ]
        )
    return workbook_bytes(workbook, title)


def _bold(sheet, text):
    cell = WriteOnlyCell(sheet, text)
    cell.font = Font(bold=True)
    return cell


def _sheet(workbook, title, widths):
    """A write-only sheet with its column widths and the header row frozen."""
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _cell(sheet, value, number_format=None):
    cell = WriteOnlyCell(sheet, _value(value))
    if number_format:
        cell.number_format = number_format
    return cell


def _value(value):
    """A value written as it is, without a cell object (a long table's plain values)."""
    return safe_text(value) if isinstance(value, str) else value


def _write_table(sheet, headers, rows, count=None):
    """The header row, then ``rows`` (``count`` of them when ``rows`` is a generator: each row is written as it
    is made, so the cells of a long table are never all in memory)."""
    count = len(rows) if count is None else count
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    sheet.append([_bold(sheet, header) for header in headers])
    for row in rows:
        sheet.append(row)


HANKESALKKU_COLUMNS = [
    ("Kausi", 10),
    ("Hanke", 26),
    ("Tunnus", 12),
    ("Osahanke", 40),
    ("Toimenpide", 50),
    ("Tila", 14),
    ("Valmiusaste (%)", 10),
    ("Kokonaistilanne", 12),
    ("Aikataulu", 12),
    ("Talous", 12),
    ("Sisältö ja tuotokset", 12),
    ("Resurssit", 12),
    ("Perustelut", 50),
    ("Tehty tässä kuussa", 60),
    ("Suunnitelmat ensi kuulle", 60),
    ("Ohjausryhmän päätettävät asiat", 50),
    ("Katsaus hyväksytty", 12),
    ("Katsauksen versio", 10),
]


# The row's keys in the columns' order, and the number formats of those that are not text.
HANKESALKKU_FIELDS = (
    "month",
    "programme",
    "code",
    "subproject",
    "measure",
    "status",
    "percent",
    "overall",
    "schedule",
    "budget",
    "scope",
    "resources",
    "reasons",
    "done",
    "next_steps",
    "decisions",
    "approved",
    "revision",
)
HANKESALKKU_NUMBER_FORMATS = {"month": "m/yyyy", "percent": "0", "approved": "d.m.yyyy", "revision": "0"}


def hankesalkku_workbook(title, rows):
    """The monthly report in the shape of Hankesalkku: one row per sub-project, then one per its measure.

    ``rows`` are dicts with month, programme, code, subproject, measure, status, percent, the five
    lights, reasons, done, next_steps, decisions, approved and revision; month and approved are
    dates, percent and revision integers or None, the rest text.

    Written with XlsxWriter in constant_memory mode, each row as it comes: the longest export (100 000 rows
    and more) is written at XlsxWriter's own pace and memory, where openpyxl made a cell object of every
    value first (``bench_exports``). The sheet is the one the other workbooks have: a bold header row,
    frozen, a filter over the table, the same column widths and number formats, inert text.
    """
    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    book.set_properties({"title": printable(title)})
    sheet = book.add_worksheet("Kuukausiraportti")
    bold = book.add_format({"bold": True})
    formats = {name: book.add_format({"num_format": code}) for name, code in HANKESALKKU_NUMBER_FORMATS.items()}
    for index, (header, width) in enumerate(HANKESALKKU_COLUMNS):
        # In pixels, so that the stored width is the width itself (set_column adds Excel's padding to it).
        sheet.set_column_pixels(index, index, width * sheet.max_digit_width)
        sheet.write_string(0, index, header, bold)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(HANKESALKKU_COLUMNS) - 1)
    # Each column's writer chosen once, not per cell; a row's cells may be written in any order.
    write_text = sheet.write_string
    texts = [(column, name) for column, name in enumerate(HANKESALKKU_FIELDS) if name not in formats]
    typed = [
        (column, name, sheet.write_datetime if name in ("month", "approved") else sheet.write_number, formats[name])
        for column, name in enumerate(HANKESALKKU_FIELDS)
        if name in formats
    ]
    for number, row in enumerate(rows, start=1):
        for column, name in texts:
            value = row[name]
            if value is not None:
                write_text(number, column, safe_text(value))
        for column, name, write, number_format in typed:
            value = row[name]
            if value is not None:
                write(number, column, value, number_format)
    book.close()
    return buffer.getvalue()


def costs_workbook(header, years, plan_rows, actual_rows, summary, funding):
    """The ministry's form: the header block, cost categories × years in the STM template, plan and actual
    side by side with their subtotals as formulas, then the totals and funding.

    ``header`` comes from ``budgets.selectors.form_header``; ``plan_rows`` and ``actual_rows`` from
    ``budgets.tables.budget_table`` over the same years; ``summary`` (plan, actual, remaining,
    utilisation) and ``funding`` are lists of (label, Decimal or None, number format or None).
    """
    workbook, sheet, first = cost_sheet(header)
    span = len(years) + 1
    titles = [
        "Kustannuslaji",
        *[f"Suunnitelma {year}" for year in years],
        "Suunnitelma yhteensä",
        *[f"Toteuma {year}" for year in years],
        "Toteuma yhteensä",
    ]
    for column, title in enumerate(titles, start=1):
        sheet.cell(first, column, title)
    for offset, plan in enumerate(plan_rows, start=1):
        bold = plan.kind in ("subtotal", "total", "funding", "heading")
        sheet.cell(first + offset, 1, ("   " if plan.level else "") + safe_text(plan.label)).font = Font(bold=bold)
    cached = stm_block(sheet, first, 2, years, plan_rows)
    cached.update(stm_block(sheet, first, 2 + span, years, actual_rows))
    number = first + len(plan_rows) + 1
    for title, lines in (("Suunnitelma ja toteuma", summary), ("Rahoitus", funding)):
        number += 1
        sheet.cell(number, 1, title).font = Font(bold=True, size=12)
        for label, value, number_format in lines:
            number += 1
            sheet.cell(number, 1, safe_text(label))
            cell = sheet.cell(number, 2, value)
            cell.number_format = number_format or EURO_FORMAT
    form_layout(sheet, first, first + len(plan_rows), len(titles), widths=[42, *[16] * (2 * span)])
    return workbook_bytes(workbook, f"Kustannusarvio – {header['project']}", cached)


def indicators_workbook(title, indicators, targets, measurements):
    """Indicators, their targets by quarter and their measurements, one sheet each.

    ``indicators``: dicts with programme, node, name, unit, national, direction, baseline, target,
    target_due, latest, latest_month; ``targets``: dicts with indicator, year, quarter, due, value,
    interim; ``measurements``: dicts with indicator, node, month, value, source, approved.
    """
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, "Indikaattorit", [26, 40, 60, 10, 12, 18, 12, 12, 12, 12, 12])
    _write_table(
        sheet,
        [
            "Hanke",
            "Kohde",
            "Indikaattori",
            "Yksikkö",
            "Kansallinen",
            "Suunta",
            "Lähtötaso",
            "Tavoite",
            "Tavoitepäivä",
            "Viimeisin arvo",
            "Mitattu",
        ],
        [
            [
                _cell(sheet, row["programme"]),
                _cell(sheet, row["node"]),
                _cell(sheet, row["name"]),
                _cell(sheet, row["unit"]),
                _cell(sheet, "kyllä" if row["national"] else "ei"),
                _cell(sheet, row["direction"]),
                _cell(sheet, row["baseline"], "0.00"),
                _cell(sheet, row["target"], "0.00"),
                _cell(sheet, row["target_due"], "d.m.yyyy"),
                _cell(sheet, row["latest"], "0.00"),
                _cell(sheet, row["latest_month"], "m/yyyy"),
            ]
            for row in indicators
        ],
    )
    sheet = _sheet(workbook, "Tavoitteet", [60, 8, 10, 12, 12, 12])
    _write_table(
        sheet,
        ["Indikaattori", "Vuosi", "Kvartaali", "Päättyy", "Tavoitearvo", "Välitavoite"],
        [
            [
                _cell(sheet, row["indicator"]),
                _cell(sheet, row["year"]),
                _cell(sheet, row["quarter"]),
                _cell(sheet, row["due"], "d.m.yyyy"),
                _cell(sheet, row["value"], "0.00"),
                _cell(sheet, "kyllä" if row["interim"] else "ei"),
            ]
            for row in targets
        ],
    )
    sheet = _sheet(workbook, "Mittaukset", [60, 40, 10, 12, 40, 14])
    _write_table(
        sheet,
        ["Indikaattori", "Osahanke", "Kuukausi", "Arvo", "Lähde", "Tilannekatsaus"],
        [
            [
                _cell(sheet, row["indicator"]),
                _cell(sheet, row["node"]),
                _cell(sheet, row["month"], "m/yyyy"),
                _cell(sheet, row["value"], "0.00"),
                _cell(sheet, row["source"]),
                _cell(sheet, row["approved"]),
            ]
            for row in measurements
        ],
    )
    return workbook_bytes(workbook, title)


WRAPPED = Alignment(wrap_text=True, vertical="top")


def _columns_sheet(workbook, name, columns, rows):
    """A sheet of ``rows`` (dicts) under ``columns``: (header, key, width, number format or None); text of the
    wide columns wraps, so that a printed sheet shows it whole."""
    sheet = _sheet(workbook, name, [width for _header, _key, width, _format in columns])

    def cell(value, width, number_format):
        written = _cell(sheet, value, number_format)
        if width >= 40 and isinstance(value, str):
            written.alignment = WRAPPED
        return written

    _write_table(
        sheet,
        [header for header, _key, _width, _format in columns],
        [[cell(row[key], width, number_format) for _header, key, width, number_format in columns] for row in rows],
    )


EVALUATION_COLUMNS = [
    ("Tunnus", "code", 10, None),
    ("Kohde", "node", 30, None),
    ("Tyyppi", "kind", 16, None),
    ("Tavoite", "goal", 70, None),
    ("Oma-arvio", "rating", 14, None),
    ("Sanallinen arvio", "assessment", 50, None),
    ("Näyttö", "evidence", 40, None),
    ("Indikaattorit jaksolla", "indicators", 50, None),
    ("THL:n arvio", "thl_rating", 14, None),
    ("THL:n sanallinen arvio", "thl_assessment", 50, None),
]


def evaluation_workbook(title, rows):
    """A benefit-goal evaluation round: one row per goal with the self-evaluation, evidence and THL's evaluation."""
    workbook = Workbook(write_only=True)
    _columns_sheet(workbook, "Arviointi", EVALUATION_COLUMNS, rows)
    return workbook_bytes(workbook, title)


RRF_TARGET_COLUMNS = [
    ("Numero", "number", 10, None),
    ("Tyyppi", "kind", 12, None),
    ("Kuvaus", "description", 60, None),
    ("Indikaattori", "indicator", 40, None),
    ("Lähtötaso", "baseline", 12, None),
    ("Tavoitearvo", "target_value", 14, None),
    ("Tavoitepäivä", "target_date", 12, "d.m.yyyy"),
    ("Välitavoitteet", "interim", 24, None),
    ("Viimeisin mittaus", "latest", 18, None),
    ("Tila", "status", 14, None),
    ("Eteneminen", "progress", 50, None),
    ("Viimeksi raportoitu", "reported", 24, None),
    ("Näyttöjä", "evidence", 10, None),
]
RRF_PROGRESS_COLUMNS = [
    ("Tavoite", "target", 40, None),
    ("Kausi", "period", 10, None),
    ("Versio", "version", 8, None),
    ("Voimassa", "current", 10, None),
    ("Saavutettu arvo", "value", 18, None),
    ("Tila", "status", 14, None),
    ("Eteneminen", "text", 60, None),
    ("Kirjaaja", "entered_by", 24, None),
    ("Kirjattu", "entered_at", 16, "d.m.yyyy h:mm"),
]
RRF_EVIDENCE_COLUMNS = [
    ("Tavoite", "target", 40, None),
    ("Näyttö", "description", 50, None),
    ("Tiedosto", "file", 30, None),
    ("Paketissa", "in_pack", 36, None),
    ("SHA-256", "sha256", 66, None),
    ("Linkki", "link", 40, None),
    ("Lisätty", "uploaded_at", 16, "d.m.yyyy h:mm"),
    ("Lisääjä", "uploaded_by", 24, None),
    ("Tila", "status", 14, None),
    ("Tarkastaja", "reviewed_by", 24, None),
    ("Säilytetään asti", "retain_until", 14, "d.m.yyyy"),
]


def rrf_pack_workbook(title, targets, progress, evidence):
    """The RRF evidence pack: the milestones and targets with their status, their progress per reporting period,
    and the list of evidence."""
    workbook = Workbook(write_only=True)
    _columns_sheet(workbook, "Tavoitteet", RRF_TARGET_COLUMNS, targets)
    _columns_sheet(workbook, "Eteneminen kausittain", RRF_PROGRESS_COLUMNS, progress)
    _columns_sheet(workbook, "Näytöt", RRF_EVIDENCE_COLUMNS, evidence)
    return workbook_bytes(workbook, title)
