"""The monthly status report PDF read back as a steering-group member reads it (text extracted with pypdf)."""

from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from portfolio.models import Node
from reports.exporters.pdf import RRF_STATEMENT, monthly_report_pdf, report_html
from reports.models import StatusUpdate
from reports.report_data import monthly_report_rows
from tests.factories import UserFactory

from .month import OCTOBER, approved, period, popdigi_october

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
    assert [light["text"] for light in dental["update"]["lights"]] == [
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


def test_pdf_shows_the_figures_lights_and_texts_of_the_month(october):
    pdf = monthly_report_pdf(monthly_report_rows(october), processes=2)
    text = pages(pdf)
    whole = " ".join(text)
    cover = text[0]
    assert "Digitaaliset palvelut hoitotakuun" in cover
    assert "VN/27125/2022, 8.12.2022, 19 083 000 €" in cover
    assert "lokakuu 2026 (1.10.2026–31.10.2026)" in cover
    assert "2 / 19 osahankkeelta hyväksytty katsaus" in cover
    # Summary: budget use of the whole programme and what the steering group is asked to decide.
    assert "19 083 000 € 13 345,67 € 19 069 654,33 € 0,1 %" in whole
    assert "Ohjausryhmä päättää 45 000 € siirrosta investointeihin." in whole
    assert "Ei hyväksyttyä tilannekatsausta tältä kaudelta" in whole
    assert "P3-1 Työkyvyn tuki osaksi tulevaisuuden" in whole
    # The sub-project's own section.
    assert any(page.startswith("P4I1-3 Kiireettömän hoidon") for page in text)  # a section starts a page
    start = whole.index("P4I1-3 Kiireettömän hoidon")
    section = whole[start : whole.index("P4I1-4 ", start)]
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
    # Continuous page numbers over the parts rendered in parallel, and the RRF statement everywhere.
    assert len(text) > 20
    for number, page in enumerate(text, start=1):
        assert f"Sivu {number} / {len(text)}" in page
        assert RRF_STATEMENT in page


def test_report_of_one_sub_project_and_no_rrf_statement_without_rrf_money(popsote):
    user = UserFactory()
    programme = Node.objects.get(code="TSK", parent=None)
    october = period(programme, OCTOBER)
    lnp = Node.objects.get(programme=programme, code="LNP")
    approved(october, lnp, user, done="Perhekeskusmalli otettiin käyttöön.")
    report = monthly_report_rows(october, node=lnp)
    assert [unit["code"] for unit in report["units"]] == ["LNP"]
    text = pages(monthly_report_pdf(report, processes=1))
    assert "Osahanke: Lapset, nuoret ja perheet (sis. LAPE)" in text[0]
    assert "Perhekeskusmalli otettiin käyttöön." in "\n".join(text)
    for number, page in enumerate(text, start=1):
        assert "NextGenerationEU" not in page
        assert f"Sivu {number} / {len(text)}" in page


def test_report_html_escapes_text_and_header(october):
    report = monthly_report_rows(october)
    report["programme"]["short"] = 'Koe"</style><script>'
    report["units"][0]["name"] = "<b>lihava</b>"
    html = report_html(report)
    assert "<script>" not in html
    assert "&lt;b&gt;lihava&lt;/b&gt;" in html


def _render_in(report, answers):
    answers.put(len(PdfReader(BytesIO(monthly_report_pdf(report, processes=2))).pages))


def test_parallel_parts_render_inside_a_daemonic_process_like_a_celery_prefork_worker(october):
    import multiprocessing

    report = monthly_report_rows(october)
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    process = context.Process(target=_render_in, args=(report, answers), daemon=True)
    process.start()
    pages_made = answers.get(timeout=300)
    process.join(timeout=30)
    assert pages_made == len(pages(monthly_report_pdf(report, processes=1)))


def test_pdf_of_the_seeded_status_review_of_period_1_2021(popsote):
    """Seed 004: Tulevaisuuden sote-keskus's updates of 1/2021 (texts only, no lights), national money."""
    from datetime import date

    from reports.models import ReportingPeriod

    period = ReportingPeriod.objects.get(programme__code="TSK", month=date(2021, 1, 1))
    report = monthly_report_rows(period)
    assert sorted(unit["code"] for unit in report["units"] if unit["update"]) == ["HT", "IKA", "LNP", "MIPA"]
    # No cost lines in this plan: the budget use is measured against the written totals.
    assert report["summary"]["plan"] == Decimal("4914000.00")
    lnp = next(unit for unit in report["units"] if unit["code"] == "LNP")
    assert lnp["usage_total"]["plan"] == Decimal("1228500.00")
    text = pages(monthly_report_pdf(report, processes=2))
    whole = " ".join(text)
    assert "tammikuu 2021 (1.1.2021–31.1.2021)" in text[0]
    assert "4 / 14 osahankkeelta hyväksytty katsaus" in text[0]
    assert "Osaamiskartoitus on valmistunut, koulutussuunnittelu meneillään." in whole
    assert "Asiakaskokemuskysely lähetetään maaliskuussa, tulokset valmistuvat kevään aikana." in whole
    assert "MIPÄ-osahankkeessa on luotu neljä alatyöryhmää" in whole
    assert "Koti Tv –pilottiin osallistuminen" in whole
    assert "Kokonaistilanne – " in whole  # the seed gives no lights: shown as a dash, not invented
    assert "Ei hyväksyttyä tilannekatsausta kaudelta 1/2021." in whole
    for number, page in enumerate(text, start=1):
        assert f"Sivu {number} / {len(text)}" in page
        assert "NextGenerationEU" not in page
