"""The cost estimate as an Excel workbook in the STM template layout: rows in, bytes out, no database."""

from openpyxl.styles import Font

from popsote.workbooks import cost_sheet, form_layout, safe_text, stm_block, workbook_bytes


def budget_workbook(header, years, rows):
    """A node's budget as the ministry's form: the header block, then categories as rows, years as columns.

    ``header`` comes from ``budgets.selectors.form_header``; ``rows`` from budgets.tables.
    """
    workbook, sheet, first = cost_sheet(header)
    titles = ["Kustannuslaji", *[f"Vuosi {year}" for year in years], "Yhteensä"]
    for column, title in enumerate(titles, start=1):
        sheet.cell(first, column, title)
    for offset, row in enumerate(rows, start=1):
        bold = row.kind in ("subtotal", "total", "funding", "heading")
        sheet.cell(first + offset, 1, ("   " if row.level else "") + safe_text(row.label)).font = Font(bold=bold)
    cached = stm_block(sheet, first, 2, years, rows)
    form_layout(sheet, first, first + len(rows), len(titles), widths=[48, *[16] * (len(years) + 1)])
    return workbook_bytes(workbook, f"Kustannusarvio – {header['project']}", cached)
