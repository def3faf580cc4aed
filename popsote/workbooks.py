"""What every Excel workbook of Salkku shares: euro cells, text that is never run as a formula, bytes out."""

import re
import zipfile
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter

from .text import printable

EURO_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "d.m.yyyy"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHADE = PatternFill("solid", fgColor="E7EEF7")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def megabytes(size):
    """A size in bytes as a message gives it in megabytes: ``1,5``."""
    return f"{size / 2**20:.1f}".replace(".", ",")


class UnsafeWorkbook(Exception):
    """Why an uploaded .xlsx is not handed to openpyxl: ``BROKEN`` (not a readable zip), ``UNPACKED`` (it unpacks
    to ``size`` bytes, over the limit) or ``ROWS`` (a sheet has more rows than the limit)."""

    BROKEN, UNPACKED, ROWS = "broken", "unpacked", "rows"

    def __init__(self, kind, size=None):
        super().__init__(kind)
        self.kind, self.size = kind, size


def workbook_bounds_check(content, *, max_unpacked, max_rows):
    """Check an uploaded .xlsx before it is parsed: each part is read no further than the size its header
    declares, so the declared sizes bound what openpyxl can be made to unpack (a few megabytes of zeros
    unpack to gigabytes), and the rows are counted in the sheets' XML. Raises ``UnsafeWorkbook``."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        parts = archive.infolist()
        unpacked = sum(part.file_size for part in parts)
        if unpacked > max_unpacked:
            raise UnsafeWorkbook(UnsafeWorkbook.UNPACKED, unpacked)
        for part in parts:
            if part.filename.startswith("xl/worksheets/") and _rows_in(archive, part) > max_rows + 1:
                raise UnsafeWorkbook(UnsafeWorkbook.ROWS)
    except UnsafeWorkbook:
        raise
    except Exception:  # zipfile and zlib raise many kinds for a broken archive
        raise UnsafeWorkbook(UnsafeWorkbook.BROKEN) from None


def _rows_in(archive, part):
    """How many rows a worksheet has, counted in its XML as it unpacks (far quicker than parsing it)."""
    count, carry = 0, b""
    with archive.open(part) as stream:
        while chunk := stream.read(2**20):
            data = carry + chunk
            count += data.count(b"<row")
            carry = data[-4:]
            count -= carry.count(b"<row")  # counted again with the next chunk
    return count + carry.count(b"<row")


def safe_text(value):
    """Text a spreadsheet must show, never run: a leading formula character is escaped, and characters a
    workbook cannot hold (a control character stored before they were refused) are left out."""
    text = "" if value is None else printable(str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def workbook_bytes(workbook, title, cached=None):
    """The workbook as an .xlsx file's bytes, titled.

    ``cached`` ({coordinate: number}) are the values of the first sheet's formulas: openpyxl writes a
    formula without its value, and a reader that does not calculate (a viewer, a script, a parser)
    would see an empty cell, so the values the formulas compute are stored beside them.
    """
    workbook.properties.title = printable(title)
    buffer = BytesIO()
    workbook.save(buffer)
    if not cached:
        return buffer.getvalue()
    return _with_cached_values(buffer.getvalue(), cached)


def _with_cached_values(content, cached):
    source = zipfile.ZipFile(BytesIO(content))
    out = BytesIO()

    def value(match):
        number = cached.get(match.group(2))
        return match.group(0) if number is None else f"{match.group(1)}<v>{number}</v></c>"

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r'(<c r="([A-Z]+[0-9]+)"[^>]*><f>[^<]*</f>)(?:<v ?/>|<v></v>)?</c>', value, data.decode())
                data = text.encode()
            target.writestr(part, data)
    return out.getvalue()


def cost_sheet(header):
    """A workbook whose one sheet, "Kustannusarvio", starts with the form's header block.

    ``header`` has the title (the form's name), then ``lines``: (label, value) pairs such as the
    applicant, its business ID, the project, the funding decision and the period of use. Returns the
    workbook, the sheet and the first free row.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kustannusarvio"
    sheet["A1"] = safe_text(header["title"])
    sheet["A1"].font = Font(bold=True, size=13)
    number = 2
    for label, value in header["lines"]:
        sheet.cell(number, 1, label).font = Font(bold=True)
        cell = sheet.cell(number, 2, safe_text(value) if isinstance(value, str) else value)
        cell.alignment = Alignment(horizontal="left")
        if not isinstance(value, str):
            cell.number_format = DATE_FORMAT
        number += 1
    return workbook, sheet, number + 1


def stm_block(sheet, first, column, years, rows):
    """The STM template's amounts for ``rows`` (budgets.tables) under ``first``, years then their total,
    from ``column`` on: lines are inputs (numbers, unlocked), subtotals, totals and the funding lines are
    formulas of them. Returns {coordinate: value} of the formulas (the figures the rows carry)."""
    cached = {}
    letters = [get_column_letter(column + offset) for offset in range(len(years) + 1)]
    summed, section, after_total = [], [], []
    for offset, row in enumerate(rows, start=1):
        number = first + offset
        if row.kind == "heading":
            section = []
            continue
        formulas = {}
        if row.kind == "subtotal":
            formulas = {letter: f"=SUM({letter}{section[0]}:{letter}{section[-1]})" for letter in letters[:-1]}
            summed.append(number)
            section = []
        elif row.kind == "total":
            formulas = {letter: "=" + "+".join(f"{letter}{n}" for n in summed) for letter in letters[:-1]}
            after_total = [number]
        elif row.kind == "funding":
            base, *less = after_total
            formulas = {letter: f"={letter}{base}" + "".join(f"-{letter}{n}" for n in less) for letter in letters[:-1]}
            after_total = [number]
        else:
            (section if row.level else summed).append(number)
            if after_total:
                after_total.append(number)
        for letter, year in zip(letters, years, strict=False):
            formula = formulas.get(letter)
            cell = sheet[f"{letter}{number}"]
            cell.value = formula or row.amounts.get(year)
            if formula:
                cached[cell.coordinate] = row.amounts.get(year)
            else:
                cell.protection = Protection(locked=False)
            cell.number_format = EURO_FORMAT
            cell.font = Font(bold=bool(formula))
        total = sheet[f"{letters[-1]}{number}"]
        total.number_format = EURO_FORMAT
        total.font = Font(bold=True)
        total.value = row.total
        if years:
            total.value = f"=SUM({letters[0]}{number}:{letters[-2]}{number})"
            cached[total.coordinate] = row.total
    return cached


def form_layout(sheet, header_row, last_row, last_column, *, widths):
    """The finish of a form: borders and a shaded header row, column widths, A4 landscape one page wide
    with the header rows repeated, and the sheet protected (formulas and labels; inputs stay open)."""
    for row in sheet.iter_rows(min_row=header_row, max_row=last_row, max_col=last_column):
        for cell in row:
            cell.border = BOX
    for cell in sheet[header_row][:last_column]:
        cell.fill = SHADE
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[header_row].height = 30
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 2)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    # Protected without a password: against accidental edits of the formulas, not against anyone.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
