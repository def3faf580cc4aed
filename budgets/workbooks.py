"""The cost estimate as an Excel workbook in the STM template layout: rows in, bytes out, no database."""

from openpyxl.styles import Font

from popsote.workbooks import EURO_FORMAT, cost_sheet, safe_text, workbook_bytes


def budget_workbook(header, years, rows):
    """A node's budget in the STM template layout: categories as rows, years as columns, totals.

    ``header`` has project, node, decision, plan and date; ``rows`` come from budgets.tables.
    """
    workbook, sheet = cost_sheet(header)
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
    return workbook_bytes(workbook, f"Kustannusarvio – {header['project']}")
