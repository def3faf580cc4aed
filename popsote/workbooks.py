"""What every Excel workbook of Salkku shares: euro cells, text that is never run as a formula, bytes out."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from .text import printable

EURO_FORMAT = '#,##0.00 "€"'
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Text a spreadsheet must show, never run: a leading formula character is escaped, and characters a
    workbook cannot hold (a control character stored before they were refused) are left out."""
    text = "" if value is None else printable(str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def workbook_bytes(workbook, title):
    """The workbook as an .xlsx file's bytes, titled."""
    workbook.properties.title = printable(title)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cost_sheet(header):
    """A workbook whose one sheet, "Kustannusarvio", starts with the project (bold) and the node."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kustannusarvio"
    sheet["A1"] = safe_text(header["project"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = safe_text(header["node"])
    return workbook, sheet
