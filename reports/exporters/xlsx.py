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
