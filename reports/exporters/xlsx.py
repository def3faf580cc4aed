"""Excel exporters: rows in, bytes out. They never touch the database."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

EURO_FORMAT = '#,##0.00 "€"'
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Text a spreadsheet must show, never run: a leading formula character is escaped."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def measures_workbook(title, rows):
    """The measures list: one row per measure with its place in the tree, tasks, persons and budget.

    ``rows`` are dicts with the keys programme, path, code, name, tasks, persons, start, end, budget.
    """
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
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:I{len(rows) + 1}"
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
            ]
        )
    workbook.properties.title = title
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(sheet, text):
    cell = WriteOnlyCell(sheet, text)
    cell.font = Font(bold=True)
    return cell


def budget_workbook(header, years, rows):
    """A node's budget in the STM template layout: categories as rows, years as columns, totals.

    ``header`` has project, node, decision, plan and date; ``rows`` come from budgets.tables.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kustannusarvio"
    sheet["A1"] = safe_text(header["project"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = safe_text(header["node"])
    sheet["A3"] = "Rahoituspäätös"
    sheet["B3"] = safe_text(header["decision"])
    sheet["A4"] = "Suunnitelmaversio"
    sheet["B4"] = safe_text(header["plan"])
    sheet["A5"] = "Päivämäärä"
    sheet["B5"] = header["date"]
    sheet["B5"].number_format = "d.m.yyyy"
    first = 7
    titles = ["Kustannuslaji", *[f"Vuosi {year}" for year in years], "Yhteensä"]
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(first, column, title)
        cell.font = Font(bold=True)
    for offset, row in enumerate(rows, start=1):
        number = first + offset
        label = sheet.cell(number, 1, ("   " if row.level else "") + safe_text(row.label))
        bold = row.kind in ("subtotal", "total", "funding", "heading")
        label.font = Font(bold=bold)
        if row.kind == "heading":
            continue
        for column, year in enumerate(years, start=2):
            cell = sheet.cell(number, column, row.amounts.get(year))
            cell.number_format = EURO_FORMAT
            cell.font = Font(bold=bold)
        cell = sheet.cell(number, len(years) + 2, row.total)
        cell.number_format = EURO_FORMAT
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    for column in range(2, len(years) + 3):
        sheet.column_dimensions[chr(ord("A") + column - 1)].width = 16
    sheet.freeze_panes = sheet.cell(first + 1, 2)
    workbook.properties.title = f"Kustannusarvio – {header['project']}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
