"""The monthly status report PDF read back as a steering-group member reads it (text extracted with pypdf)."""

import json
import re
from datetime import date
from decimal import Decimal
from io import BytesIO
from xml.etree.ElementTree import fromstring

import pytest
from django.db import transaction
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from popsote.months import add_months
from portfolio.models import Node, Risk
from reports.exporters.pdf import RRF_STATEMENT, eu_emblem_svg, monthly_report_pdf, report_html
from reports.models import RiskReport, StatusUpdate
from reports.report_data import monthly_report_rows
from reports.sample import sample_month
from tests.factories import UserFactory

from .month import (
    OCTOBER,
    SEEDED_TSK_UNITS_WITHOUT_AN_UPDATE,
    TSK_DECISION,
    approved,
    period,
    popdigi_october,
    tsk_february,
)

pytestmark = pytest.mark.django_db


def pages(pdf):
    """Each page's text with line breaks and no-break spaces as plain spaces (lines wrap where they will)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


@pytest.fixture
def october(popsote):
    return popdigi_october(UserFactory(username="hanketoimisto"))


def test_report_rows_use_the_latest_approved_revision_and_list_sub_projects_without_one(october):
    report = monthly_report_rows(october)
    units = {unit["code"]: unit for unit in report["units"]}
    assert len(units) == 19
    dental = units["P4I1-3"]
    assert dental["update"]["revision"] == 2
    assert [light.text for light in dental["update"]["lights"]] == [
        "Punainen",
        "Keltainen",
        "Vihreä",
        "Vihreä",
        "Vihreä",
    ]
    assert [row["code"] for row in report["missing"]] == [code for code in units if code not in ("P4I1-2", "P4I1-3")]
    used = StatusUpdate.objects.filter(period=october, node__code__in=["P4I1-2", "P4I1-3"]).order_by("node_id")
    latest = [u for u in used if u.revision == max(x.revision for x in used if x.node_id == u.node_id)]
    assert report["data_state"] == {
        "updates": [{"id": u.pk, "node": u.node_id, "revision": u.revision} for u in latest]
    }
    changes = dental["changes"]
    assert changes["lights"] == [
        {"label": "kokonaistilanne", "old": "Vihreä", "new": "Punainen"},
        {"label": "aikataulu", "old": "Vihreä", "new": "Keltainen"},
    ]
    assert [m["name"] for m in changes["achieved"]] == ["Monihuonemalli kuvattu"]
    assert [m["name"] for m in changes["slipped"]] == ["Liikkuva hammashoitoyksikkö käytössä"]
    assert [r["title"] for r in changes["new_risks"]] == ["Liikkuvan yksikön toimitus viivästyy"]
    assert [r["title"] for r in changes["closed_risks"]] == ["Hammashoitajien saatavuus"]
    assert str(changes["spend_month"]) == "12345.67"
    assert str(changes["spend_previous"]) == "1000.00"


# One render per PDF for the whole module: the tests below only read the bytes. The month is made
# in a transaction that is rolled back, so the other tests still start from the seeded data.
@pytest.fixture(scope="module")
def tsk(django_db_setup, django_db_blocker):
    """The archive variant of Tulevaisuuden sote-keskus 2/2021 with one approved update (of 14)."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = monthly_report_rows(tsk_february(UserFactory(username="toimisto")))
        programme = Node.objects.get(code="TSK", parent=None)
        without = Node.objects.filter(programme=programme).reporting_units().exclude(code="LNP")
        expected = {"missing": [f"{n.code} {n.name}" for n in without], "data_state": report["data_state"]}
        pdf = monthly_report_pdf(report, archive=True)
        transaction.set_rollback(True)
    return pdf, report, expected


@pytest.fixture(scope="module")
def popdigi(django_db_setup, django_db_blocker):
    """POP-Digi-Hoitotakuu 2 (RRF money) 10/2026, yellow and red first, as PDF/UA-1."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = monthly_report_rows(popdigi_october(UserFactory(username="toimisto")), attention_first=True)
        pdf = monthly_report_pdf(report)
        transaction.set_rollback(True)
    return pdf, report


def xmp(reader):
    """Every XMP property as {local name: value}, whether written as an attribute or an element."""
    root = fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    values = {}
    for element in root.iter():
        for key, value in element.attrib.items():
            values[key.rsplit("}", 1)[-1]] = value
        if element.text and element.text.strip():
            values.setdefault(element.tag.rsplit("}", 1)[-1], element.text.strip())
    return values


def outline_titles(reader):
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return titles


def body_use(page, top=20, bottom=20):
    """The share of the page's body height (between the margins, mm) that has text on it, from the top."""
    height = float(page.mediabox.height)
    mm = 72 / 25.4
    upper, lower = height - top * mm, bottom * mm
    lowest = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if lower < y < upper:
                lowest.append(y)

    page.extract_text(visitor_text=visit)
    return (upper - min(lowest)) / (upper - lower) if lowest else 0


def fonts(reader):
    """{font name without its subset prefix: the distinct embedded font files} over every page."""
    files = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"]
            stream = next(
                descriptor.raw_get(key) for key in ("/FontFile2", "/FontFile3", "/FontFile") if key in descriptor
            )
            files.setdefault(font["/BaseFont"].split("+", 1)[-1], set()).add(stream.idnum)
    return files


def test_the_seeded_report_with_one_update_is_short_and_lists_the_others_in_one_table(tsk):
    pdf, report, expected = tsk
    text = pages(pdf)
    assert len(expected["missing"]) == SEEDED_TSK_UNITS_WITHOUT_AN_UPDATE
    assert len(text) <= 6
    summary = [page for page in text if "Yhteenveto" in page]
    assert 1 <= len(summary) <= 2
    tables = [page for page in text if "Ilman hyväksyttyä tilannekatsausta" in page]
    assert tables and f"Ilman hyväksyttyä tilannekatsausta ({len(expected['missing'])})" in tables[0]
    whole = " ".join(text)
    assert whole.count("Ilman hyväksyttyä tilannekatsausta") == 1
    for code_and_name in expected["missing"]:
        code, name = code_and_name.split(" ", 1)
        assert re.search(rf"{re.escape(code)} {re.escape(name[:30])}", whole), code_and_name
    # The one sub-project with an update has its section; the others no page of their own.
    assert "LNP Lapset, nuoret ja perheet (sis. LAPE)" in whole
    assert "Perhekeskusmalli otettiin käyttöön kahdessa kunnassa." in whole
    assert "Hyväksytään LAPE-työryhmän kokoonpano." in whole


def test_the_cover_carries_the_decision_the_month_and_the_sources(tsk):
    cover = pages(tsk[0])[0]
    assert "Tulevaisuuden sote-keskus" in cover
    assert f"Rahoituspäätös {TSK_DECISION['number']}" in cover
    assert "Myönnetty summa 4 914 000 €" in cover
    assert "helmikuu 2021 (1.2.2021–28.2.2021)" in cover
    assert "Käyttöaika ”7/2020-12/2021” (suunnitelman sanoin)" in cover  # the plan gives no dates, only this
    assert "Laadittu " in cover and " klo " in cover
    assert "1 / 6 osahankkeelta hyväksytty tilannekatsaus" in cover
    assert "LNP Lapset, nuoret ja perheet (sis. LAPE), versio 2" in cover


def test_no_page_but_the_last_of_a_section_is_nearly_empty(tsk, popdigi):
    for pdf in (tsk[0], popdigi[0]):
        reader = PdfReader(BytesIO(pdf))
        starts = {page for title, page in outline_titles(reader) if title in section_titles(reader)}
        for number, page in enumerate(reader.pages):
            last_of_section = number == len(reader.pages) - 1 or number + 1 in starts
            assert last_of_section or body_use(page) >= 0.25, (number + 1, body_use(page))


def section_titles(reader):
    """The outline entries that begin a section: the cover, the summary and each sub-project."""
    return {title for title, _page in outline_titles(reader) if title == "Yhteenveto" or re.match(r"^\S+ \S", title)}


def test_the_document_is_tagged_in_finnish_with_a_title_and_an_outline_entry_per_sub_project(tsk, popdigi):
    for pdf, report in ((tsk[0], tsk[1]), popdigi):
        reader = PdfReader(BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root
        assert bool(root["/MarkInfo"]["/Marked"])
        assert root["/Lang"] == "fi"
        assert reader.metadata.title.endswith(f"kuukausiraportti {report['period']['month']:%-m/%Y}")
        assert str(root["/ViewerPreferences"]["/DisplayDocTitle"]) in ("True", "true")
        titles = [title for title, _page in outline_titles(reader)]
        for unit in report["units"]:
            assert f"{unit['code']} {unit['name']}" in titles
        assert "Yhteenveto" in titles


def test_pdf_ua_is_declared_and_the_archive_variant_is_pdf_a_with_its_data(tsk, popdigi):
    ua = xmp(PdfReader(BytesIO(popdigi[0])))
    assert ua["part"] == "1"
    assert "conformance" not in ua  # PDF/UA-1 alone: no PDF/A claim
    reader = PdfReader(BytesIO(tsk[0]))
    archive = xmp(reader)
    assert (archive["part"], archive["conformance"]) == ("3", "B")  # pdfaid
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata
    assert "<pdfaSchema:prefix>salkku</pdfaSchema:prefix>" in metadata
    assert json.loads(archive["dataState"]) == tsk[2]["data_state"]
    assert archive["sourceUpdates"].startswith("LNP v2 (#")  # after the imported review (v1)
    attached = json.loads(reader.attachments["aineisto.json"][0])
    assert attached["updates"] == tsk[2]["data_state"]["updates"]
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root
    # PDF/A-3: the attached file is associated with the document and says what it is to it.
    associated = {f.get_object()["/F"]: f.get_object()["/AFRelationship"] for f in root["/AF"]}
    assert associated == {"aineisto.json": "/Data"}
    assert "/ID" in reader.trailer and "/Encrypt" not in reader.trailer


def structure_elements(reader):
    """{structure type: [element, …]} of the whole structure tree."""
    found, stack = {}, [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        element = stack.pop().get_object()
        if not isinstance(element, DictionaryObject):  # a marked-content id
            continue
        if "/S" in element:
            found.setdefault(element["/S"], []).append(element)
        kids = element.get("/K", [])
        stack.extend(kid for kid in (kids if isinstance(kids, list) else [kids]) if hasattr(kid, "get_object"))
    return found


def test_every_chart_has_an_alternative_text_and_lists_keep_their_labelled_markers(tsk, popdigi):
    charts = {"Mitatut arvot kuukausittain", "Suunnitelma ja toteuma kustannuslajeittain"}
    for pdf, drawn in ((tsk[0], set()), (popdigi[0], charts)):
        reader = PdfReader(BytesIO(pdf))
        elements = structure_elements(reader)
        assert {figure.get("/Alt") for figure in elements.get("/Figure", [])} == drawn
        assert len(elements["/Lbl"]) == len(elements["/LI"]) > 0
        assert "• " in " ".join(page.extract_text() for page in reader.pages)


def test_each_font_is_embedded_once(tsk, popdigi):
    for pdf in (tsk[0], popdigi[0]):
        embedded = fonts(PdfReader(BytesIO(pdf)))
        assert "DejaVuSans" in embedded or "DejaVu-Sans" in embedded
        assert all(len(files) == 1 for files in embedded.values()), embedded


def test_an_rrf_report_has_the_statement_and_page_numbers_on_every_page_and_a_national_one_no_statement(tsk, popdigi):
    rrf, national = pages(popdigi[0]), pages(tsk[0])
    for text in (rrf, national):
        for number, page in enumerate(text, start=1):
            assert f"Sivu {number} / {len(text)}" in page
    assert all(RRF_STATEMENT in page for page in rrf)
    assert not any("NextGenerationEU" in page for page in national)


def test_the_eu_emblem_is_drawn_from_its_official_geometry():
    svg = fromstring(eu_emblem_svg())
    ns = "{http://www.w3.org/2000/svg}"
    rect = svg.find(f"{ns}rect")
    width, height = float(rect.get("width")), float(rect.get("height"))
    assert (width / height, rect.get("fill")) == (1.5, "#003399")
    stars = svg.findall(f"{ns}polygon")
    assert len(stars) == 12 and {star.get("fill") for star in stars} == {"#FFCC00"}
    for star in stars:
        points = [tuple(map(float, p.split(","))) for p in star.get("points").split()]
        assert len(points) == 10  # five points, five notches
        cx, cy = sum(x for x, _y in points) / 10, sum(y for _x, y in points) / 10
        # Each star's centre a third of the height from the centre, its points one eighteenth from its own.
        assert abs(((cx - width / 2) ** 2 + (cy - height / 2) ** 2) ** 0.5 - height / 3) < 0.01
        assert abs(cy - points[0][1] - height / 18) < 0.01 and abs(points[0][0] - cx) < 0.01  # upright


def test_pdf_shows_the_figures_lights_and_texts_of_the_month(popdigi):
    text = pages(popdigi[0])
    whole = " ".join(text)
    cover = text[0]
    assert "Digitaaliset palvelut hoitotakuun" in cover
    assert "Rahoituspäätös VN/27125/2022" in cover
    assert "Myönnetty summa 19 083 000 €" in cover
    assert "Avustusprosentti 100 %" in cover
    assert "Käyttöaika 1.1.2023–31.12.2025" in cover
    assert "lokakuu 2026 (1.10.2026–31.10.2026)" in cover
    assert "2 / 19 osahankkeelta hyväksytty katsaus" not in cover
    assert "2 / 19 osahankkeelta hyväksytty tilannekatsaus" in cover
    # Summary: budget use of the whole programme by cost category and what the steering group is asked to decide.
    assert "Kirjattu kokonaisbudjetti: 19 083 000 €" in whole
    assert "Henkilöstökulut 14 593 700 € 13 345,67 €" in whole
    assert "Kulut yhteensä 19 083 000 € 13 345,67 € 19 069 654,33 € 0,1 %" in whole
    assert "Ohjausryhmä päättää 45 000 € siirrosta investointeihin." in whole
    assert "Liikkuvan yksikön toimitus viivästyy" in whole
    assert "Ilman hyväksyttyä tilannekatsausta (17)" in whole
    assert "P3-1 Työkyvyn tuki osaksi tulevaisuuden" in whole
    # The sub-project's own section: red first within its level.
    assert whole.index("P4I1-3 Kiireettömän hoidon") < whole.index("P4I1-2 Paljon palveluita")
    start = whole.index("P4I1-3 Kiireettömän hoidon", whole.index("Ilman hyväksyttyä"))
    section = whole[start : whole.index("P4I1-2 Paljon palveluita", start)]
    assert "Kokonaistilanne Punainen Liikkuvan yksikön hankinta keskeytyi valitukseen." in section
    assert "Aikataulu Keltainen Käyttöönotto siirtyy kaksi kuukautta." in section
    assert "Monihuonemalli kuvattiin ja koulutettiin 12 hammashoitajaa." in section
    assert "Uusi kilpailutus marraskuussa." in section
    assert "Kokonaistilanne: Vihreä → Punainen" in section
    assert "Saavutettu välitavoite: Monihuonemalli kuvattu (12.10.2026)" in section
    assert "Myöhässä oleva välitavoite: Liikkuva hammashoitoyksikkö käytössä (suunniteltu 15.10.2026)" in section
    assert "Uusi riski: Liikkuvan yksikön toimitus viivästyy" in section
    assert "Suljettu riski: Hammashoitajien saatavuus" in section
    assert "Kulut 10/2026: 12 345,67 € (edellinen kuukausi 1 000 €)" in section
    assert "Viivästynyt 40 %" in section
    assert "Suunniteltu – MYÖHÄSSÄ" in section
    assert "Viimeisin arvo 72,5 % (10/2026) · tavoite 80 % 31.12.2025 mennessä · jäljessä tavoitteesta" in section
    assert "Henkilöstökulut 0 € 13 345,67 € −13 345,67 €" in section
    assert "Vanha versio, ei raporttiin." not in whole
    assert "tavoitteen mukaisesti" not in whole


def test_the_report_s_charts_have_machine_coordinates(october):
    html = report_html(monthly_report_rows(october))
    number = r"-?\d+(\.\d+)?"
    polylines = re.findall(r'<polyline [^>]*\bpoints="([^"]*)"', html)
    assert polylines
    for points in polylines:
        assert all(re.fullmatch(f"{number},{number}", pair) for pair in points.split()), points
    coordinates = re.findall(r"<(?:circle|rect|line) [^>]*>", html)
    assert coordinates
    for element in coordinates:
        for value in re.findall(r' (?:cx|cy|x|y|x1|y1|x2|y2|height)="([^"]*)"', element):
            assert re.fullmatch(number, value), element


def test_yellow_and_red_come_first_within_a_level_only_when_asked(october):
    in_tree = [unit["code"] for unit in monthly_report_rows(october)["units"]]
    first = [unit["code"] for unit in monthly_report_rows(october, attention_first=True)["units"]]
    assert in_tree.index("P4I1-2") < in_tree.index("P4I1-3")
    assert first.index("P4I1-3") < first.index("P4I1-2")
    assert sorted(first) == sorted(in_tree)


def test_an_indicator_without_a_target_is_never_on_target(october):
    for unit in monthly_report_rows(october)["units"]:
        for indicator in unit["indicators"]:
            if indicator["target"] is None:
                assert indicator["on_track"] is None


def test_report_of_one_sub_project_and_no_rrf_statement_without_rrf_money(popsote):
    user = UserFactory()
    programme = Node.objects.get(code="TSK", parent=None)
    october = period(programme, OCTOBER)
    lnp = Node.objects.get(programme=programme, code="LNP")
    approved(october, lnp, user, done="Perhekeskusmalli otettiin käyttöön.")
    report = monthly_report_rows(october, node=lnp)
    assert [unit["code"] for unit in report["units"]] == ["LNP"]
    html = report_html(report)
    assert "Osahanke: Lapset, nuoret ja perheet (sis. LAPE)" in html
    assert "Perhekeskusmalli otettiin käyttöön." in html
    assert "NextGenerationEU" not in html


def test_report_html_escapes_text_and_header(october):
    report = monthly_report_rows(october)
    report["programme"]["short"] = 'Koe"</style><script>'
    report["units"][0]["name"] = "<b>lihava</b>"
    html = report_html(report)
    assert "<script>" not in html
    assert "&lt;b&gt;lihava&lt;/b&gt;" in html


def test_pdf_of_february_2021_counts_no_imported_review_as_approved(popsote):
    """The Oulunkaari review (imported, approved by no one) is not the approved update of any sub-project."""
    from datetime import date

    from reports.models import ReportingPeriod

    period = ReportingPeriod.objects.get(programme__code="TSK", month=date(2021, 2, 1))
    report = monthly_report_rows(period)
    assert sorted(unit["code"] for unit in report["units"]) == ["HT", "IKA", "KUN", "LNP", "MIPA", "VPL"]
    assert [unit["code"] for unit in report["units"] if unit["update"]] == []
    # No cost lines in this plan: the budget use is measured against the written totals.
    assert report["summary"].plan == Decimal("4914000.00")
    lnp = next(unit for unit in report["units"] if unit["code"] == "LNP")
    assert lnp["usage_total"].plan == Decimal("1228500.00")
    text = pages(monthly_report_pdf(report))
    whole = " ".join(text)
    assert "helmikuu 2021 (1.2.2021–28.2.2021)" in text[0]
    assert "0 / 6 osahankkeelta hyväksytty tilannekatsaus" in text[0]
    assert "Osaamiskartoitus on valmistunut" not in whole
    for number, page in enumerate(text, start=1):
        assert f"Sivu {number} / {len(text)}" in page
        assert "NextGenerationEU" not in page


@pytest.fixture(scope="module")
def every_unit_approved(django_db_setup, django_db_blocker):
    """A month in which every sub-project of Tulevaisuuden sote-keskus and of POP-Digi-Hoitotakuu 2 has an approved
    update asking the steering group to decide something, after a month of their own: {code: (pdf, report)}."""
    made = {}
    with django_db_blocker.unblock(), transaction.atomic():
        user = UserFactory(username="kaikki")
        for code, month in (("TSK", date(2021, 4, 1)), ("POPDIGI2", date(2026, 4, 1))):
            programme = Node.objects.get(code=code, parent=None)
            sample_month(programme, add_months(month, -1), user)
            period = sample_month(programme, month, user, every_decision=True)
            updates = list(StatusUpdate.objects.filter(period=period).select_related("node"))
            risks = [Risk.objects.create(node=u.node, title=f"Rekrytointi {u.node.code}") for u in updates]
            # Written as the sample's measure rows are: an approved update's rows are locked to the ORM's save.
            RiskReport.objects.bulk_create(
                RiskReport(update=u, risk=r, likelihood=3, impact=2 + i % 3, status=Risk.Status.OPEN)
                for i, (u, r) in enumerate(zip(updates, risks, strict=True))
            )
            report = monthly_report_rows(period)
            made[code] = (monthly_report_pdf(report), report)
        transaction.set_rollback(True)
    return made


def summary_pages(pdf, report):
    """The summary's pages: from its outline entry to the page before the first sub-project's section."""
    reader = PdfReader(BytesIO(pdf))
    titles = outline_titles(reader)
    start = next(page for title, page in titles if title == "Yhteenveto")
    first = next(page for title, page in titles if title.startswith(f"{report['reported'][0]['code']} "))
    return [" ".join(page.extract_text().split()) for page in reader.pages[start:first]]


@pytest.mark.parametrize(("code", "units"), [("TSK", 6), ("POPDIGI2", 19)])
def test_the_summary_is_at_most_two_pages_when_every_sub_project_has_an_approved_update(
    every_unit_approved, code, units
):
    pdf, report = every_unit_approved[code]
    assert len(report["reported"]) == units and not report["missing"]
    summary = summary_pages(pdf, report)
    assert len(summary) <= 2, [len(page) for page in summary]
    whole = " ".join(summary)
    # Nothing a steering group acts on is left out: every light, every decision asked and every change.
    for unit in report["reported"]:
        assert f"{unit['short']} " in whole
        assert f"Päätetään osahankkeen {unit['code']} jatkosta." in whole
    assert whole.count("Hyväksytään seuraavan vaiheen suunnitelma.") == units
    assert f"Ja {units - 5} muuta avointa riskiä osahankkeiden osioissa." in whole
    # Every sub-project is named in what changed: its new risk here.
    assert whole.count("uusi riski Rekrytointi ") == units
