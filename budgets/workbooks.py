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


def _table(title, headers, rows, widths):
    from openpyxl import Workbook

    from popsote.workbooks import BOX, SHADE

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append([safe_text(value) if isinstance(value, str) else value for value in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.border = BOX
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), SHADE
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(ord("A") + column - 1)].width = width
    sheet.freeze_panes = "A2"
    return workbook


def accounts_workbook(rows):
    """The chart of accounts as a workbook that imports back: account, range end, name, cost category."""
    from .services import ACCOUNT_COLUMNS

    workbook = _table("Tilikartta", list(ACCOUNT_COLUMNS), rows, [12, 16, 48, 36])
    return workbook_bytes(workbook, "Tilikartta")


def ledger_template(rows):
    """The ledger extract's template: its columns and example rows (``rows``: period, cost centre, account,
    node code, amount, description), as an .xlsx."""
    from .services import COLUMNS

    headers = [names[0].capitalize() for names in COLUMNS.values()]
    workbook = _table("Kirjanpidon ote", headers, rows, [12, 18, 10, 16, 14, 48])
    for (cell,) in workbook.active.iter_rows(min_row=2, min_col=5, max_col=5):
        cell.number_format = "#,##0.00"
    return workbook_bytes(workbook, "Kirjanpidon otteen tuontipohja")


def ledger_template_csv(rows):
    """The same template as a .csv: ``;`` between cells, decimal comma, UTF-8 with a BOM (Excel reads it so)."""
    import csv
    import io

    from .services import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([names[0].capitalize() for names in COLUMNS.values()])
    for period, centre, account, node, amount, description in rows:
        writer.writerow([period, centre, account, node, f"{amount:.2f}".replace(".", ","), safe_text(description)])
    return ("\ufeff" + buffer.getvalue()).encode()
