"""The portfolio workbook: one programme's plan as an Excel file, the one format export and import share.

Sheets with Finnish headers, one row per thing (a node, a responsibility, a budget, a cost line…),
each naming what it hangs on by code (a node's ``Tunnus``, an organisation's ``Tunniste``, a person's
name); lists of allowed values as the cells' data validation; a sheet ``Ohjeet`` that explains every
column. Writing and reading are pure: rows in, bytes out, and bytes in, raw rows out, so the format is
tested without a database and defined once, here.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.models import Indicator
from milestones.models import Milestone
from popsote.workbooks import (
    DATE_FORMAT,
    EURO_FORMAT,
    FORMULA_PREFIXES,
    SHADE,
    UnsafeWorkbook,
    megabytes,
    safe_text,
    workbook_bounds_check,
)
from portfolio.models import FundingDecision, Goal, Node, Organisation, Responsibility, Risk

# Bounds checked before a workbook is parsed: a programme of 5 000 measures is about 30 000 rows.
MAX_BYTES = 20 * 2**20
MAX_UNPACKED = 96 * 2**20
MAX_ROWS = 60_000  # on one sheet
MAX_CELL = 10_000  # characters in one cell (a description of a page or two)


@dataclass(frozen=True)
class Column:
    """A column: its Finnish header, the key of the value, what it holds, and a line for ``Ohjeet``."""

    header: str
    key: str
    kind: str = "line"  # line, text, code, date, money, decimal, int, bool, choice, deadline
    help: str = ""
    choices: str = ""  # the name of a list of LISTS (data validation)
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple
    help: str
    key: tuple = field(default=())

    def column(self, key):
        return next(column for column in self.columns if column.key == key)


def _source():
    return (
        Column("Lähde", "source", "code", "Lähteet-välilehden tunniste: asiakirja, jossa tieto on. Tyhjä, kun ei ole."),
        Column("Kohta lähteessä", "section", help="Luku tai taulukko, esim. ”4.2.1”."),
    )


NODE = Column("Kohde", "node", "code", "Rakenne- tai Hanke-välilehden tunnus, johon rivi kuuluu.", required=True)
PLAN = Column("Suunnitelmaversio", "plan", "code", "Suunnitelmaversiot-välilehden tunniste.", required=True)

SOURCES = Sheet(
    "Lähteet",
    (
        Column(
            "Tunniste", "key", "code", "Lyhyt tunniste, johon muut rivit viittaavat Lähde-sarakkeessa.", required=True
        ),
        Column("Nimi", "name", required=True),
        Column("Versio", "edition", help="Esim. ”vers. 12.10.2021”."),
        Column("Päivätty", "date", "date"),
        Column("Päiväyksestä", "date_note", "text", "Miten päiväys tiedetään, kun asiakirja ei kerro sitä."),
    ),
    "Suunnitelma-asiakirjat, joista tiedot ovat.",
    ("key",),
)
ORGANISATIONS = Sheet(
    "Organisaatiot",
    (
        Column("Tunniste", "key", "code", "Lyhyt tunniste, esim. pohde; muut rivit viittaavat siihen.", required=True),
        Column("Nimi", "name", required=True),
        Column("Lyhenne", "short_name"),
        Column("Tyyppi", "kind", "choice", choices="organisation_kinds"),
        Column("Y-tunnus", "business_id"),
        Column("Kuuluu", "parent", "code", "Sen organisaation tunniste, johon tämä kuuluu."),
        *_source(),
    ),
    "Hyvinvointialue, kunnat, kuntayhtymät, alueet ja rahoittajat.",
    ("key",),
)
PERSONS = Sheet(
    "Henkilöt",
    (
        Column("Nimi", "name", help="Etu- ja sukunimi; muut välilehdet viittaavat henkilöön nimellä.", required=True),
        Column("Tehtävänimike", "title"),
        Column("Organisaatio", "organisation", "code", "Organisaatiot-välilehden tunniste."),
        Column("Sähköposti", "email"),
        Column("Puhelin", "phone"),
        *_source(),
    ),
    "Vastuuhenkilöt, projektipäälliköt ja muut suunnitelmassa mainitut.",
    ("name",),
)
NODE_COLUMNS = (
    Column("Nimi", "name", required=True),
    Column("Lyhyt nimi", "short_name"),
    Column("Kuvaus", "description", "text"),
    Column("Alkaa", "start", "date"),
    Column("Päättyy", "end", "date"),
    Column("Aikataulu suunnitelman sanoin", "schedule_text", help="Esim. ”01–04/2023 valmisteluvaihe”."),
    Column("Hallinnoija", "owner", "code", "Organisaatiot-välilehden tunniste."),
    Column("Raportoi kuukausittain", "reports_monthly", "bool", "kyllä, kun kohteesta kirjoitetaan kuukausikatsaus."),
    *_source(),
)
PROGRAMME = Sheet(
    "Hanke",
    (Column("Tunnus", "code", "code", "Hankkeen tunnus, esim. POPDIGI2.", required=True), *NODE_COLUMNS),
    "Hanke itse: yksi rivi. Tunnus kertoo, tuodaanko uusi hanke vai päivitetäänkö olemassa oleva.",
    ("code",),
)
DECISIONS = Sheet(
    "Rahoituspäätökset",
    (
        Column("Diaarinumero", "number", help="Esim. VN/27125/2022."),
        Column("Päätöspäivä", "date", "date"),
        Column("Rahoittaja", "funder", "code", "Organisaatiot-välilehden tunniste.", required=True),
        Column("Otsikko", "title", "text"),
        Column("Myönnetty summa (€)", "amount", "money"),
        Column("Avustusprosentti", "grant_rate", "decimal", "0–100, esim. 80."),
        Column("Hyväksyttävyys alkaa", "eligible_start", "date"),
        Column("Hyväksyttävyys päättyy", "eligible_end", "date"),
        Column("Kausi suunnitelman sanoin", "period_text"),
        Column("Rahoituslähde", "source_of_money", "choice", choices="funding_sources", required=True),
        Column("Huomautus", "note", "text"),
        *_source(),
    ),
    "Rahoittajien päätökset; diaarinumero ja päivä yksilöivät päätöksen.",
    ("number", "date"),
)
PLANS = Sheet(
    "Suunnitelmaversiot",
    (
        Column(
            "Tunniste",
            "key",
            "code",
            "Lyhyt tunniste, esim. alkuperainen; Budjetit ja Kustannusarvio viittaavat siihen.",
            required=True,
        ),
        Column("Nimi", "name", required=True),
        Column("Päivätty", "date", "date"),
        Column("Voimassa", "current", "bool", "kyllä täsmälleen yhdellä rivillä."),
        Column("Huomautus", "note", "text"),
        *_source(),
    ),
    "Suunnitelman ja talousarvion versiot. Tuonti ei muuta vanhaa versiota: muuttuneet budjetit tulevat uuteen versioon.",
    ("key",),
)
NODES = Sheet(
    "Rakenne",
    (
        Column("Tunnus", "code", "code", "Yksilöi kohteen hankkeessa, esim. P4I1-3.", required=True),
        Column("Ylätaso", "parent", "code", "Ylätason tunnus (osahanke tai hanke itse).", required=True),
        Column("Tyyppi", "kind", "choice", choices="node_kinds", required=True),
        *NODE_COLUMNS,
    ),
    "Osahankkeet ja toimenpiteet puuna: rivi nimeää ylätasonsa. Järjestys on rivien järjestys.",
    ("code",),
)
TEXTS = Sheet(
    "Tavoitteet ja tehtävät",
    (
        NODE,
        Column("Laji", "kind", "choice", choices="text_kinds", required=True),
        Column("Teksti", "text", "text", required=True),
        *_source(),
    ),
    "Tavoitteet, tuotokset ja tehtävät, kukin omalla rivillään, kohteittain järjestyksessä.",
    ("node", "kind", "nth"),
)
RESPONSIBILITIES = Sheet(
    "Vastuut",
    (
        NODE,
        Column("Henkilö", "person", "line", "Henkilöt-välilehden nimi.", required=True),
        Column("Rooli", "role", "choice", choices="roles", required=True),
        Column("Organisaatio", "organisation", "code", "Se, jota henkilö tässä edustaa (tunniste)."),
        Column("Tehtävänimike", "title"),
        Column("Huomautus", "note", "text"),
        *_source(),
    ),
    "Kuka vastaa mistäkin ja missä roolissa.",
    ("node", "person", "role"),
)
PARTNERS = Sheet(
    "Osatoteuttajat",
    (
        NODE,
        Column("Organisaatio", "organisation", "code", "Organisaatiot-välilehden tunniste.", required=True),
        Column("Osuus (€)", "share", "money"),
        Column("Osuus suunnitelman sanoin", "share_text", help="Esim. ”15,39 M€”."),
        Column("Huomautus", "note", "text"),
        *_source(),
    ),
    "Osatoteuttajat ja niiden osuudet.",
    ("node", "organisation"),
)
BUDGETS = Sheet(
    "Budjetit",
    (
        PLAN,
        NODE,
        Column("Kokonaisbudjetti (€)", "total", "money", required=True),
        Column("Valtionavustus (€)", "grant", "money"),
        Column("Omarahoitus (€)", "own_funding", "money"),
        Column("Huomautus", "note", "text"),
        *_source(),
    ),
    "Suunnitelmaan kirjoitetut budjetit kohteittain ja versioittain. Kustannusrivien summa saa poiketa "
    "tästä, kuten suunnitelmissa: ero näytetään.",
    ("plan", "node"),
)
LINES = Sheet(
    "Kustannusarvio",
    (
        PLAN,
        NODE,
        Column("Kustannuslaji", "category", "choice", choices="categories", required=True),
        Column("Vuosi", "year", "int", required=True),
        Column("Summa (€)", "amount", "money", required=True),
        *_source(),
    ),
    "Kustannusarvio STM:n kustannuslajeittain ja vuosittain (välisummat ja rahoitusrivit lasketaan).",
    ("plan", "node", "category", "year"),
)
PHASES = Sheet(
    "Vaiheet",
    (
        NODE,
        Column("Nimi", "name", required=True),
        Column("Alkaa", "start", "date"),
        Column("Päättyy", "end", "date"),
        Column("Suunnitelman sanamuoto", "text", "text"),
        *_source(),
    ),
    "Aikataulun vaiheet, kohteittain järjestyksessä.",
    ("node", "nth"),
)
MILESTONES = Sheet(
    "Välitavoitteet",
    (
        NODE,
        Column("Nimi", "name", required=True),
        Column("Suunniteltu päivä", "planned_date", "date"),
        Column("Tila", "status", "choice", choices="milestone_statuses"),
        Column("Toteutunut päivä", "actual_date", "date"),
        *_source(),
    ),
    "Välitavoitteet ja määräajat, kohteittain järjestyksessä.",
    ("node", "nth"),
)
INDICATORS = Sheet(
    "Indikaattorit",
    (
        NODE,
        Column(
            "Nro", "number", "int", "Kohteen indikaattorin numero 1, 2, 3…; Tavoitearvot viittaa siihen.", required=True
        ),
        Column("Nimi", "name", required=True),
        Column("Kansallinen", "national", "bool"),
        Column("Yksikkö", "unit", help="Esim. %."),
        Column("Suunta", "direction", "choice", choices="directions"),
        Column("Lähtötaso", "baseline", "decimal"),
        Column("Suunnitelman sanamuoto", "text", "text"),
        *_source(),
    ),
    "Kansalliset ja omat indikaattorit.",
    ("node", "number"),
)
TARGETS = Sheet(
    "Tavoitearvot",
    (
        NODE,
        Column("Indikaattori", "indicator", "int", "Indikaattorit-välilehden Nro.", required=True),
        Column("Määräaika", "deadline", "deadline", "Vuosineljännes muodossa 2025Q4 tai vuosi 2030.", required=True),
        Column("Tavoitearvo", "value", "decimal"),
        Column("Tavoite suunnitelman sanoin", "text", help="Kun tavoite ei ole yksi luku, esim. ”14-15%”."),
        Column("Välitavoite", "interim", "bool"),
    ),
    "Indikaattorien tavoite- ja välitavoitearvot.",
    ("node", "indicator", "deadline"),
)
RISKS = Sheet(
    "Riskit",
    (
        NODE,
        Column("Luokka", "category", "choice", choices="risk_categories"),
        Column("Otsikko", "title", required=True),
        Column("Kuvaus", "description", "text"),
        Column("Todennäköisyys (1–5)", "likelihood", "int"),
        Column("Vaikutus (1–5)", "impact", "int"),
        Column("Riskeihin varautuminen", "mitigation", "text"),
        Column("Vastuuhenkilö", "owner", "line", "Henkilöt-välilehden nimi."),
        Column("Tila", "status", "choice", choices="risk_statuses"),
        *_source(),
    ),
    "Riskit ja niihin varautuminen, kohteittain järjestyksessä.",
    ("node", "nth"),
)

SHEETS = (
    PROGRAMME,
    NODES,
    TEXTS,
    PERSONS,
    RESPONSIBILITIES,
    ORGANISATIONS,
    PARTNERS,
    DECISIONS,
    PHASES,
    PLANS,
    BUDGETS,
    LINES,
    MILESTONES,
    INDICATORS,
    TARGETS,
    RISKS,
    SOURCES,
)
HELP_SHEET = "Ohjeet"
LISTS_SHEET = "Listat"

# The texts of a node (the Tavoitteet ja tehtävät sheet's Laji): goals by their kind, outputs, tasks.
OUTPUT, TASK = "output", "task"


def lists(categories):
    """``{list name: [(value, label)]}`` of the workbook's choice columns; ``categories`` are the cost
    categories a line may have, as (key, name)."""
    with translation.override("fi"):
        return {
            "organisation_kinds": [(value, str(label)) for value, label in Organisation.Kind.choices],
            "funding_sources": [(value, str(label)) for value, label in FundingDecision.Source.choices],
            "node_kinds": [(value, str(label)) for value, label in Node.Kind.choices if value != Node.Kind.PROGRAMME],
            "text_kinds": [
                *((value, str(label)) for value, label in Goal.Kind.choices),
                (OUTPUT, "Tuotos"),
                (TASK, "Tehtävä"),
            ],
            "roles": [(value, str(label)) for value, label in Responsibility.Role.choices],
            "categories": list(categories),
            "milestone_statuses": [(value, str(label)) for value, label in Milestone.Status.choices],
            "directions": [(value, str(label)) for value, label in Indicator.Direction.choices],
            "risk_categories": [(value, str(label)) for value, label in Risk.Category.choices],
            "risk_statuses": [(value, str(label)) for value, label in Risk.Status.choices],
            "bool": [(True, "kyllä"), (False, "ei")],
        }


# --- writing ------------------------------------------------------------------------------------


def _cell_value(column, value, labels):
    if value is None or value == "":
        return None
    if column.kind == "choice":
        return labels[column.choices].get(value, value)
    if column.kind == "bool":
        return "kyllä" if value else "ei"
    if column.kind == "deadline":
        return deadline_text(*value)
    if column.kind in ("money", "decimal"):
        return value  # a Decimal: openpyxl writes its digits exactly
    if column.kind in ("date", "int"):
        return value
    return safe_text(value)


def plan_workbook(rows, categories, title):
    """The workbook of ``rows`` ({sheet name: [{column key: value}]}) as .xlsx bytes; empty rows make the
    blank template. ``categories``: (key, name) of the cost categories."""
    choices = lists(categories)
    labels = {name: dict(pairs) for name, pairs in choices.items()}
    book = Workbook()
    help_sheet = book.active
    help_sheet.title = HELP_SHEET
    _write_help(help_sheet)
    list_sheet = book.create_sheet(LISTS_SHEET)
    ranges = {}
    for index, (name, pairs) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        list_sheet.cell(1, index, name)
        for number, (_value, label) in enumerate(pairs, start=2):
            list_sheet.cell(number, index, label)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(2, len(pairs) + 1)}"
    list_sheet.sheet_state = "hidden"
    for spec in SHEETS:
        sheet = book.create_sheet(spec.name)
        for index, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(1, index, column.header)
            cell.font = Font(bold=True)
            cell.fill = SHADE
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            width = 60 if column.kind == "text" else 14 if column.kind in ("date", "money", "int", "bool") else 24
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        body = rows.get(spec.name, [])
        for number, row in enumerate(body, start=2):
            for index, column in enumerate(spec.columns, start=1):
                value = _cell_value(column, row.get(column.key), labels)
                if value is None:
                    continue
                cell = sheet.cell(number, index, value)
                if column.kind == "date":
                    cell.number_format = DATE_FORMAT
                elif column.kind == "money":
                    cell.number_format = EURO_FORMAT
        last = max(len(body) + 1, 500)
        for index, column in enumerate(spec.columns, start=1):
            name = "bool" if column.kind == "bool" else column.choices
            if not name:
                continue
            letter = get_column_letter(index)
            validation = DataValidation(type="list", formula1=f"={ranges[name]}", allow_blank=True)
            validation.error = str(_("Valitse arvo luettelosta."))
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_help(sheet):
    sheet["A1"] = "Salkun suunnitelmatyökirja"
    sheet["A1"].font = Font(bold=True, size=13)
    lines = [
        "Yksi työkirja on yksi hanke. Jokainen välilehti on taulukko: ensimmäinen rivi on otsikot, "
        "jokainen seuraava rivi yksi asia. Rivit viittaavat toisiinsa tunnuksilla (kohteen Tunnus, "
        "organisaation ja lähteen Tunniste, henkilön nimi).",
        "Päivämäärät muodossa 8.12.2022, rahamäärät euroina (1228500 tai 1 228 500,00), kyllä/ei-sarakkeisiin "
        "kyllä tai ei. Valintasarakkeiden sallitut arvot ovat solun pudotusvalikossa.",
        "Kaavat luetaan arvoinaan: tuonti käyttää solun viimeksi laskettua arvoa, ei kaavaa.",
        "Tuonti tarkistaa jokaisen solun samoin säännöin kuin Salkun lomakkeet ja näyttää ennen tallennusta, "
        "mitä luotaisiin, muutettaisiin ja arkistoitaisiin. Virheellisestä työkirjasta ei tallenneta mitään.",
        "Olemassa olevan hankkeen riviltä puuttuva kohde, tehtävä, välitavoite, vaihe tai indikaattori "
        "arkistoidaan; organisaatioita, henkilöitä ja lähteitä ei poisteta.",
    ]
    number = 3
    for line in lines:
        # Across the four columns, as tall as the text (a spreadsheet does not grow a row by itself).
        sheet.cell(number, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=4)
        sheet.row_dimensions[number].height = 15 * (len(line) // 130 + 1)
        number += 1
    number += 1
    for index, header in enumerate(("Välilehti", "Sarake", "Pakollinen", "Selitys"), start=1):
        cell = sheet.cell(number, index, header)
        cell.font = Font(bold=True)
        cell.fill = SHADE
    for spec in SHEETS:
        number += 1
        sheet.cell(number, 1, spec.name).font = Font(bold=True)
        sheet.cell(number, 4, spec.help).alignment = Alignment(wrap_text=True)
        for column in spec.columns:
            number += 1
            sheet.cell(number, 2, column.header)
            sheet.cell(number, 3, "kyllä" if column.required else "")
            sheet.cell(number, 4, column.help).alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCD", (22, 30, 11, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# --- reading ------------------------------------------------------------------------------------


class WorkbookRejected(Exception):
    """The workbook was not read; ``errors`` are (sheet, row, column, reason)."""

    def __init__(self, errors):
        super().__init__("; ".join(" ".join(str(part) for part in error) for error in errors))
        self.errors = errors


def refuse(reason):
    return WorkbookRejected([("", "", "", reason)])


def size_check(size):
    """Refuse a file too large before anything of it is read (an upload's declared size)."""
    if size > MAX_BYTES:
        raise refuse(
            str(_("Tiedosto on {size} Mt; enintään {limit} Mt.")).format(
                size=megabytes(size), limit=megabytes(MAX_BYTES)
            )
        )


def _plain(value):
    """A cell's value as read: text without the mark that kept a formula character as text, dates as dates."""
    if isinstance(value, str):
        # Excel writes a control character as _x000B_; read in read-only mode it is left as written.
        value = unescape(value) if "_x" in value else value
        if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
            return value[1:]
        return value
    if isinstance(value, datetime):
        return value.date() if not (value.hour or value.minute or value.second) else value
    return value


def read_workbook(content):
    """``{sheet name: [(row number, {column key: raw value})]}`` of a portfolio workbook's sheets (a sheet that is
    not there is not in it). Refused (WorkbookRejected) for its size, an unreadable file or a missing column."""
    from openpyxl import load_workbook

    size_check(len(content))
    broken = refuse(str(_("Tiedostoa ei voi lukea Excel-tiedostona: se on rikki tai ei ole .xlsx.")))
    if not content.startswith(b"PK\x03\x04"):
        raise broken
    try:
        workbook_bounds_check(content, max_unpacked=MAX_UNPACKED, max_rows=MAX_ROWS)
    except UnsafeWorkbook as unsafe:
        if unsafe.kind == UnsafeWorkbook.UNPACKED:
            raise refuse(
                str(_("Excel-tiedosto purkautuu {size} megatavuksi; enintään {limit} Mt.")).format(
                    size=megabytes(unsafe.size), limit=megabytes(MAX_UNPACKED)
                )
            ) from None
        if unsafe.kind == UnsafeWorkbook.ROWS:
            raise refuse(str(_("Välilehdellä on yli {limit} riviä.")).format(limit=MAX_ROWS)) from None
        raise broken from None
    book = None
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        found = {}
        for spec in SHEETS:
            if spec.name not in book.sheetnames:
                continue  # a sheet left out: nothing of it is read, nothing of it archived
            found[spec.name] = _read_sheet(book[spec.name], spec)
    except WorkbookRejected:
        raise
    except Exception:  # openpyxl and its XML parser raise many kinds for a broken file
        raise broken from None
    finally:
        if book is not None:
            book.close()
    if not any(found.values()):
        raise refuse(str(_("Työkirjassa ei ole yhtään riviä tuotavaksi.")))
    return found


def _read_sheet(sheet, spec):
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    titles = [str(cell).strip().casefold() if cell is not None else "" for cell in header]
    index, missing = {}, []
    for column in spec.columns:
        if column.header.casefold() in titles:
            index[column.key] = titles.index(column.header.casefold())
        elif column.required:
            missing.append(column.header)
    if missing:
        raise WorkbookRejected([(spec.name, 1, header, str(_("Otsikkoriviltä puuttuu sarake."))) for header in missing])
    found = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise refuse(str(_("Välilehdellä on yli {limit} riviä.")).format(limit=MAX_ROWS))
        values = {key: _plain(row[i]) if i < len(row) else None for key, i in index.items()}
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values.values()):
            continue
        found.append((number, values))
    return found


def deadline_text(year, quarter):
    """A target's deadline as the workbook writes it: ``2025Q4``, or ``2030`` for a year."""
    return f"{year}Q{quarter}" if quarter else str(year)


def parse_deadline(value):
    """``"2025Q4"`` → ``(2025, 4)``, ``2030`` → ``(2030, None)``; ValueError otherwise."""
    text = str(value).strip().upper().replace(" ", "").replace("/", "")
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if "Q" in text:
        year, _q, quarter = text.partition("Q")
        if len(quarter) == 4 and len(year) == 1:  # Q4/2025 written the other way round
            year, quarter = quarter, year
        year, quarter = int(year), int(quarter)
    else:
        year, quarter = int(text), None
    if not 2000 <= year <= 2100 or quarter not in (None, 1, 2, 3, 4):
        raise ValueError(value)
    return year, quarter


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def as_date(value):
    """A date cell, or text as people write dates (8.12.2022, 2022-12-08); ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def example_rows(*, subprojects=5, measures=20, code="ESIM", county="Esimerkin hyvinvointialue"):
    """A made-up programme in the workbook's rows: ``subprojects`` sub-projects with ``measures`` measures among
    them, each with a responsible person, a budget, cost lines, a task, a milestone; one indicator with an
    interim target, one risk. For the benchmark and the tests, never loaded as data of its own."""
    key = "esim"
    rows = {
        SOURCES.name: [{"key": f"{key}-suunnitelma", "name": "Hankesuunnitelma", "date": date(2025, 1, 15)}],
        ORGANISATIONS.name: [
            {"key": key, "name": county, "short_name": county.split()[0], "kind": "county", "business_id": "1234567-8"},
            {"key": "stm", "name": "Sosiaali- ja terveysministeriö", "short_name": "STM", "kind": "ministry"},
        ],
        PROGRAMME.name: [
            {
                "code": code,
                "name": f"Kehittämishanke: {county}",
                "short_name": f"{code} 2025–2026",
                "start": date(2025, 1, 1),
                "end": date(2026, 12, 31),
                "owner": key,
                "source": f"{key}-suunnitelma",
                "section": "1",
            }
        ],
        DECISIONS.name: [
            {
                "number": "VN/1/2025",
                "date": date(2025, 1, 10),
                "funder": "stm",
                "amount": Decimal(measures) * 100_000,
                "grant_rate": Decimal(80),
                "eligible_start": date(2025, 1, 1),
                "eligible_end": date(2026, 12, 31),
                "source_of_money": "national",
            }
        ],
        PLANS.name: [
            {"key": "alkuperainen", "name": "Alkuperäinen suunnitelma", "date": date(2025, 1, 15), "current": True}
        ],
        NODES.name: [],
        TEXTS.name: [],
        PERSONS.name: [],
        RESPONSIBILITIES.name: [],
        BUDGETS.name: [{"plan": "alkuperainen", "node": code, "total": Decimal(measures) * 100_000}],
        LINES.name: [],
        MILESTONES.name: [],
        INDICATORS.name: [
            {
                "node": code,
                "number": 1,
                "name": "Hoitoon pääsy 7 vuorokaudessa",
                "unit": "%",
                "direction": "increase",
                "baseline": Decimal(60),
            }
        ],
        TARGETS.name: [
            {"node": code, "indicator": 1, "deadline": (2025, 4), "value": Decimal(70), "interim": True},
            {"node": code, "indicator": 1, "deadline": (2026, 4), "value": Decimal(80)},
        ],
        RISKS.name: [
            {"node": code, "category": "schedule", "title": "Rekrytoinnit viivästyvät", "likelihood": 3, "impact": 3}
        ],
    }
    per = -(-measures // subprojects)
    made = 0
    for s in range(1, subprojects + 1):
        sub = f"{code}-{s}"
        rows[NODES.name].append(
            {"code": sub, "parent": code, "kind": "subproject", "name": f"Osahanke {s}", "reports_monthly": True}
        )
        rows[BUDGETS.name].append({"plan": "alkuperainen", "node": sub, "total": Decimal(per) * 100_000})
        for m in range(1, per + 1):
            if made == measures:
                break
            made += 1
            measure = f"{sub}-M{m}"
            person = f"Vastuuhenkilö {s}.{m}"
            rows[NODES.name].append(
                {
                    "code": measure,
                    "parent": sub,
                    "kind": "measure",
                    "name": f"Toimenpide {s}.{m}",
                    "description": "Palvelumallin kehittäminen ja käyttöönotto.",
                    "start": date(2025, 3, 1),
                    "end": date(2026, 10, 31),
                }
            )
            rows[TEXTS.name].append({"node": measure, "kind": "task", "text": "Nykytilan kartoitus"})
            rows[PERSONS.name].append({"name": person, "title": "Projektipäällikkö", "organisation": key})
            rows[RESPONSIBILITIES.name].append({"node": measure, "person": person, "role": "responsible"})
            rows[BUDGETS.name].append({"plan": "alkuperainen", "node": measure, "total": Decimal(100_000)})
            for year, amount in ((2025, 60_000), (2026, 40_000)):
                rows[LINES.name].append(
                    {
                        "plan": "alkuperainen",
                        "node": measure,
                        "category": "henkilostokulut",
                        "year": year,
                        "amount": Decimal(amount),
                    }
                )
            rows[MILESTONES.name].append(
                {"node": measure, "name": "Pilotti käynnissä", "planned_date": date(2025, 9, 30)}
            )
    return rows
