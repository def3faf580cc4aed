"""Issue 18: the plans exactly as written. Nothing invented, nothing loaded and hidden, nothing left out.

Each test pins a point with the plans' own words or figures (written here, so the checks run without the
documents; tests/seeds/ checks the same against the documents themselves).
"""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from budgets.models import NodeBudget, PlanVersion
from indicators.models import Indicator
from milestones.models import Milestone
from popsote.seed import REASON, seed_load
from portfolio.models import (
    Background,
    Body,
    Evaluation,
    FundingDecision,
    Goal,
    Node,
    Organisation,
    Partner,
    Person,
    Responsibility,
    ServiceContract,
    Sourced,
    SourceDocument,
)
from reports.models import ReportingPeriod, StatusUpdate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def node(programme, code):
    return Node.objects.get(programme__code=programme, code=code)


def page(client, obj):
    return page_at(client, obj.get_absolute_url())


def page_at(client, url):
    """The page's text as a person reads it: no tags, one space between words."""
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def planned_roles():
    return sorted(
        Responsibility.objects.filter(person__is_demo=False).values_list(
            "node__code", "person__name", "role", "organisation__key", "note"
        )
    )


# --- 1. Nothing invented -------------------------------------------------------------------------


def test_the_demo_logins_change_no_role_the_plans_give(popsote, settings, capsys):
    settings.DEBUG = True
    before = planned_roles()
    call_command("create_demo_users")
    call_command("create_demo_users")
    assert planned_roles() == before
    # The plans name no lead of these sub-projects; the demo lead is a person of its own, marked so.
    lead = Person.objects.get(user__username="vetaja")
    assert lead.is_demo and lead.name == "Kokeilu Vetäjä"
    assert sorted(lead.responsibilities.filter(role="lead").values_list("node__code", flat=True)) == ["LNP", "P4I1-4"]
    assert not Responsibility.objects.filter(person__name="Leena Mämmi-Laukka", role="lead").exists()
    # The lead can walk the monthly cycle: the month after the review is open for a sub-project they lead.
    assert ReportingPeriod.objects.get(programme__code="TSK", month=date(2021, 3, 1)).is_open
    assert Node.objects.reporting_units().filter(pk=node("TSK", "LNP").pk).exists()
    assert seed_load() == {}  # the loader leaves the demo's person alone


def test_the_demo_takes_back_the_lead_role_it_once_gave_a_real_person(popsote, settings):
    settings.DEBUG = True
    leena = Person.objects.get(name="Leena Mämmi-Laukka")
    vetaja = UserFactory(username="vetaja")
    leena.user = vetaja
    leena.save(update_fields=["user"])
    Responsibility.objects.create(node=node("TSK", "LNP"), person=leena, role="lead")
    call_command("create_demo_users")
    leena.refresh_from_db()
    assert leena.user is None
    assert not leena.responsibilities.filter(role="lead").exists()


def test_the_demo_person_is_marked_demo_only_on_the_pages(logged_in, popsote, settings):
    settings.DEBUG = True
    call_command("create_demo_users")
    lead = Person.objects.get(name="Kokeilu Vetäjä")
    assert "vain kokeilukäyttöön" in page(logged_in, lead)
    assert "Kokeilu Vetäjä vain kokeilukäyttöön – Projektipäällikkö / vetäjä" in page(logged_in, node("TSK", "LNP"))


def test_rakenneuudistushanke_has_no_start_and_no_administrator_its_plan_does_not_give(popsote):
    programme = Node.objects.get(code="RAKENNE", parent=None)
    # "Hankeaika 12/2021 saakka": an end, no start; the plan names no administering organisation.
    assert (programme.start, programme.end, programme.owner) == (None, date(2021, 12, 31), None)
    assert programme.schedule_text == "Hankeaika 12/2021 saakka"
    assert not programme.phases.exists()


def test_every_node_date_and_owner_is_written_in_its_plan(popsote):
    dated = Node.objects.exclude(start=None, end=None)
    assert dated.filter(schedule_text="").count() == 0
    # The owners the plans write: the 2021 plan's cover and the grant decision ("myöntää Pohjois-
    # Pohjanmaan hyvinvointialueelle"); the Rakenneuudistushanke's slides name none.
    assert sorted(Node.objects.exclude(owner=None).values_list("code", "owner__key")) == [
        ("POPDIGI2", "pohde"),
        ("TSK", "pohde"),
    ]
    # A work package of the service strategy has no dates of its own ("9/2020-12/2021" is the strategy's).
    assert node("RAKENNE", "OA2-STRAT").schedule_text == "9/2020-12/2021"
    assert node("RAKENNE", "OA2-STRAT-TP-OSALL").start is None
    assert node("RAKENNE", "OA4-OT").start is None  # "Kesto 12/2021 saakka"; the slide starts no node


def test_the_oulunkaari_review_is_imported_dated_by_inference_and_of_one_area(popsote):
    reviews = StatusUpdate.objects.filter(status=StatusUpdate.Status.IMPORTED)
    assert reviews.count() == 9
    assert not StatusUpdate.objects.filter(status=StatusUpdate.Status.APPROVED).exists()
    assert {(r.period.month, r.created_by, r.decided_by) for r in reviews} == {(date(2021, 2, 1), None, None)}
    lnp = reviews.get(node__code="LNP")
    assert (lnp.area.key, lnp.presenter.name) == ("oulunkaari", "Leena Mämmi-Laukka")
    assert "”Pohjois-Pohjanmaan tukiryhmä aloitti 2/2021” on jo tapahtunut" in lnp.dating
    assert lnp.source_label == "Tilannekatsausdiat, Oulunkaari, Tulevaisuuden sote-keskus – Lapset, nuoret, perheet"
    assert lnp.done.startswith("• Alueelliset kehittämistarpeet on kartoitettu")
    # The OT-keskus slide names no presenter and speaks for the whole centre, not one area.
    ot = reviews.get(node__code="OA4-OT")
    assert (ot.area, ot.presenter) == (None, None)


def test_the_review_page_says_what_the_review_is(logged_in, popsote):
    review = StatusUpdate.objects.get(node__code="MIPA", status=StatusUpdate.Status.IMPORTED)
    text = page(logged_in, review)
    assert "Tuotu asiakirjasta sellaisenaan: kukaan ei ole laatinut eikä hyväksynyt katsausta Salkussa" in text
    assert "Katsaus kuvaa vain aluetta Oulunkaaren kuntayhtymä, ei koko osahanketta." in text
    assert "Kausi 02/2021 on päätelty: Diasarjassa ei ole päiväystä." in text
    assert "Esittäjä: Netta Mursu" in text
    assert "Katsauksen teksti asiakirjan sanoin" in text and "Tehty tässä kuussa" not in text
    assert "Valitse" not in text and "Hyväksy" not in text


def test_an_imported_review_is_not_the_start_of_a_leads_next_update(popsote):
    from reports.workflow import period_open, status_update_start
    from tests.portfolio.test_editing import make_user

    lead = make_user("lead")
    lnp = node("TSK", "LNP")
    Responsibility.objects.create(node=lnp, person=Person.objects.get(user=lead), role="lead")
    march = period_open(programme=lnp.programme, month=date(2021, 3, 1))
    update = status_update_start(period=march, node=lnp, user=lead)
    assert update.done == "" and update.area is None
    review = StatusUpdate.objects.get(node=lnp, status=StatusUpdate.Status.IMPORTED)
    assert review.done.startswith("• Alueelliset kehittämistarpeet on kartoitettu")


def test_slide_presenters_are_presenters_not_contacts(logged_in, popsote):
    for name in ("Hillevi Turpeinen", "Auli Kaleva", "Netta Mursu", "Ritva Väisänen", "Katja Vähäkuopus"):
        person = Person.objects.get(name=name)
        assert not person.responsibilities.exists(), name
        assert person.presented_updates.count() == 1, name
    assert "Esitetyt tilannekatsaukset" in page(logged_in, Person.objects.get(name="Netta Mursu"))
    # "(Yhteyshenkilönä Jouko Luukkonen)" is the one contact the writing groups name; "(Anu Vuorinen)"
    # gives a name without a role.
    contacts = Responsibility.objects.filter(role="contact")
    assert sorted(contacts.values_list("node__code", "person__name")) == [("LNP", "Jouko Luukkonen")]
    assert Responsibility.objects.get(node__code="IKA", person__name="Anu Vuorinen").role == "named"


def test_no_abbreviation_is_expanded_to_a_guessed_name(popsote):
    # The plans write "OE" and never what it stands for.
    assert Organisation.objects.get(key="oe").name == "OE"


# --- 2. Figures as written -----------------------------------------------------------------------


def test_a_figure_written_in_millions_stays_as_written(logged_in, popsote):
    """ "Josta P-P:n osuus 15,39 M€" is not 15 390 000 euros."""
    share = Partner.objects.get(node__code="RAKENNE", organisation__key="pohjois_pohjanmaa")
    assert (share.share, share.share_text) == (None, "15,39 M€")
    text = page(logged_in, share.node)
    assert "Pohjois-Pohjanmaa: 15,39 M€" in text
    assert "15 390 000" not in text
    # "Tulevaisuuden sote-keskus 4,9 M€" stays words of the first plan, not a euro total.
    tsk = Node.objects.get(code="TSK", parent=None)
    assert not NodeBudget.objects.filter(node=tsk, plan__key="plan2020").exists()
    assert "Tulevaisuuden sote-keskus: 4,9 M€. Ei omarahoitusta." in page(logged_in, tsk)
    assert not NodeBudget.objects.filter(total__in=[Decimal("4900000"), Decimal("15390000"), Decimal("1250000")])


def test_a_persons_roles_keep_the_organisation_each_plan_gives(logged_in, popsote):
    parkkila = Person.objects.get(name="Pasi Parkkila")
    assert (parkkila.organisation, parkkila.title) == (None, "")
    roles = set(parkkila.responsibilities.values_list("node__code", "role", "organisation__key", "title"))
    # 2020 writing groups: "Ilkka Haataja (VPJ sote-ict) ja Pasi Parkkila (PJ tietojoht) (PPSHP)".
    assert ("OA2-TJ", "chair", "ppshp", "") in roles
    # The 2022 plan's cover: "Pasi Parkkila, kehitysjohtaja … Järjestämistoiminto, kehittämisen palvelualue".
    assert ("POPDIGI2", "named", "pohde_kehittaminen", "kehitysjohtaja") in roles
    text = page(logged_in, parkkila)
    assert "Pohjois-Pohjanmaan sairaanhoitopiiri" in text and "Järjestämistoiminto, kehittämisen palvelualue" in text
    peltokorpi = Responsibility.objects.get(node__code="MIPA", person__name="Päivi Peltokorpi")
    assert (peltokorpi.role, peltokorpi.organisation.name, peltokorpi.note) == ("chair", "OE", "PJ")


# --- 3. Everything loaded is on a page -----------------------------------------------------------

TEXT_FIELDS = {
    "name",
    "short_name",
    "description",
    "text",
    "note",
    "mitigation",
    "title",
    "schedule_text",
    "period_text",
    "share_text",
    "valid_text",
    "done",
    "stage",
    "subject",
    "timing",
    "performed_by",
    "published_in",
    "presented_by",
    "date_text",
    "business_id",
    "email",
    "phone",
    "date_note",
    "edition",
}


def _page_of(obj):
    """The page a loaded fact is shown on."""
    if isinstance(obj, (Organisation, ServiceContract)):
        return reverse("portfolio:organisations")
    if isinstance(obj, Person):
        return obj.get_absolute_url()
    if isinstance(obj, StatusUpdate):
        return obj.get_absolute_url()
    if isinstance(obj, PlanVersion):
        return obj.programme.get_absolute_url()
    if isinstance(obj, FundingDecision):
        return obj.programme.get_absolute_url()
    if isinstance(obj, Node):
        return obj.get_absolute_url()
    return obj.node.get_absolute_url()


def _shown(value, text):
    return all(" ".join(html.escape(line).split()) in text for line in value.splitlines() if line.strip())


def test_every_non_empty_loaded_text_is_on_a_page(logged_in, popsote):
    pages = {}
    problems = []
    models = [m for m in apps.get_models() if issubclass(m, Sourced) or m is SourceDocument]
    for model in models:
        fields = [f.name for f in model._meta.concrete_fields if f.name in TEXT_FIELDS and not f.choices]
        rows = model.objects.all() if model is SourceDocument else model.objects.exclude(source_document=None)
        for obj in rows:
            url = _page_of(obj) if model is not SourceDocument else None
            urls = [url] if url else [p.get_absolute_url() for p in Node.objects.programmes()]
            for url in urls:
                if url not in pages:
                    response = logged_in.get(url)
                    assert response.status_code == 200, url
                    pages[url] = " ".join(response.content.decode().split())
            for name in fields:
                value = getattr(obj, name)
                if value and not any(_shown(value, pages[url]) for url in urls):
                    problems.append((model._meta.label, str(obj)[:40], name, value[:60]))
    assert problems == []


def test_plan_notes_funding_periods_business_id_and_deadlines_without_a_value_are_shown(logged_in, popsote):
    tsk = page(logged_in, Node.objects.get(code="TSK", parent=None))
    assert "Optiorahoitukset 1-10/2022? 2 x 4,9 M€?" in tsk  # option funding
    assert "siirtymässä noin 500.000 - 600.000 euroa ensimmäisen vaiheen rahoitusta" in tsk  # carry-over
    assert "5.250.000 euroa/vuosi" in tsk  # funds for later years
    assert "(”7/2020-12/2021”)" in tsk and "Hankkeen rahoitus varmistui 6/2020." in tsk
    popdigi = page(logged_in, Node.objects.get(code="POPDIGI2", parent=None))
    assert "1.1.2023–31.12.2025 (”vuosille 2023–2025”)" in popdigi
    assert "Y-tunnus 3221326-2" in popdigi
    assert "3221326-2" in page_at(logged_in, reverse("portfolio:organisations"))
    p3 = page(logged_in, node("POPDIGI2", "P3"))
    assert "”ensimmäiset versiot toimintamalleista on laadittu” (sanallinen tavoite) Q4/2023" in p3


# --- 4. What was left out ------------------------------------------------------------------------


def test_the_governance_and_who_presents_to_it(logged_in, popsote):
    tsk = Node.objects.get(code="TSK", parent=None)
    bodies = {body.name: body for body in tsk.bodies.all()}
    assert bodies["Suppea poliittinen ohjausryhmä"].reports_to == bodies["Laaja poliittinen ohjausryhmä"]
    assert bodies["Työvaliokunta"].presented_by == "hankekokonaisuudelle nimettävä hankejohtaja"
    assert bodies["Yhteisrekrytointiyksikkö"].kind == Body.Kind.PLANNED
    sparring = Body.objects.get(node__code="OA4-OT", name="Sparrausryhmä")
    assert sparring.chair.name == "Leena Pimperi-Koivisto"
    assert "Asiat esittelee: hankekokonaisuudelle nimettävä hankejohtaja" in page(logged_in, tsk)
    planned = Body.objects.filter(node__code="RAKENNE", kind=Body.Kind.PLANNED).values_list("name", flat=True)
    assert sorted(planned) == ["Aluejako", "Maakuntavalmisteluorganisaatio"]


def test_the_evaluation_plan(popsote):
    rows = Evaluation.objects.filter(node__code="TSK")
    levels = list(rows.exclude(timing="").values_list("subject", "timing", "performed_by"))
    assert levels[:3] == [
        ("Prosessitavoitteiden toteutumista", "kuukausittain", "valtionhallinnon Hanke-salkku-palvelussa"),
        (
            "Hyötytavoitteiden toteutumista",
            "kaksi kertaa vuodessa",
            "THL:n toteuttamalla arvioinnilla ja maakunnan oma-arvioinnilla",
        ),
        ("Vaikutuksia", "kaksi kertaa ohjelman aikana", "ulkoisella arvioinnilla, jonka STM hankkii"),
    ]
    assert (
        rows.get(stage="Hankkeen aikana").published_in == "hankesalkussa ja Innokylän verkkopalvelussa www.innokyla.fi"
    )
    assert list(rows.values_list("stage", flat=True))[-4:] == [
        "Ennen hanketta",
        "Hankkeen alkaessa",
        "Hankkeen aikana",
        "Hankkeen päätyttyä",
    ]


def test_the_background_with_the_assessments_and_discussions_it_cites_and_their_dates(popsote):
    tsk = Background.objects.filter(node__code="TSK")
    assert tsk.get(kind="assessment").date == date(2019, 8, 31)  # "THL:n arviointiraportissa (8/2019)"
    assert tsk.get(kind="discussion").date == date(2020, 1, 31)  # "keskustelu käytiin Oulussa 31.1.2020"
    assert (
        "Maakunnan alueella on 19 sosiaali- ja terveystalvelujen järjestäjää."
        in tsk.get(kind="situation", position=0).text
    )
    assert tsk.filter(kind="earlier_work").count() == 6  # PoPSTer … Hyvinvointialuevalmistelu
    contracts = sorted(ServiceContract.objects.values_list("municipality__name", "provider__name", "valid_until"))
    assert contracts == [
        ("Kärsämäki", "Terveystalo Oy", date(2021, 6, 30)),
        ("Lumijoki", "Terveystalo Oy", date(2022, 5, 31)),
        ("Siikalatva", "Mehiläinen Oy", date(2026, 12, 31)),
    ]


def test_quantitative_targets_in_prose_are_indicators_with_target_years(logged_in, popsote):
    """ "75 vuotta täyttäneistä vuonna 2030 94% asuu kotona, … 14-15% säännöllisen kotihoidon palveluissa" """
    indicators = Indicator.objects.filter(node__code="IKA").prefetch_related("targets")
    targets = {i.name: [(t.value, t.text, t.year, t.quarter) for t in i.targets.all()] for i in indicators}
    assert targets["75 vuotta täyttäneistä kotona asuvien osuus"] == [(Decimal("94.00"), "", 2030, None)]
    assert targets["75 vuotta täyttäneistä säännöllisen kotihoidon palveluissa olevien osuus"] == [
        (None, "14-15%", 2030, None)
    ]
    assert all(i.baseline is None for i in indicators)  # the plan gives no baseline
    assert "94 % 2030" in page(logged_in, node("TSK", "IKA"))


def test_dated_events_in_prose_are_milestones(popsote):
    events = dict(Milestone.objects.filter(node__code="TSK").values_list("name", "planned_date"))
    assert events == {
        "Hankkeen rahoitus varmistui 6/2020.": date(2020, 6, 30),
        "Hanketyö käynnistyi vaiheittain elokuusta 2020 alkaen.": date(2020, 8, 1),
    }
    assert Milestone.objects.get(node__code="P4I1-2-M2").planned_date == date(2024, 12, 31)  # "vuonna 24"
    assert Milestone.objects.get(node__code="OA2-TKIO").status == Milestone.Status.ACHIEVED


# --- 5. Only what someone reports on is a reporting unit -----------------------------------------


def test_the_dashboards_units_are_the_ones_leads_report_on(logged_in, popsote):
    """ "Prosessitavoitteiden toteutumista seurataan kuukausittain" (7.3): the development programmes'."""
    tsk = Node.objects.get(code="TSK", parent=None)
    period = ReportingPeriod.objects.get(programme=tsk, month=date(2021, 2, 1))
    response = logged_in.get(reverse("reports:dashboard"), {"programme": tsk.pk, "period": period.pk})
    codes = [row.node.code for row in response.context["rows"]]
    assert codes == ["LNP", "MIPA", "IKA", "HT", "KUN", "VPL"]
    assert [row.node.code for row in response.context["missing"]] == ["KUN", "VPL"]
    assert node("TSK", "TAV1").reports_monthly is False and node("TSK", "YTP1").reports_monthly is False
    counts = {p.code: Node.objects.filter(programme=p).reporting_units().count() for p in Node.objects.programmes()}
    assert counts == {"POPDIGI2": 19, "RAKENNE": 17, "TSK": 6}
    # A grouping level says so on its page.
    assert "ryhmittelevä taso, ei omaa tilannekatsausta" in page(logged_in, node("TSK", "TAV1"))


# --- 6. Where a fact comes from ------------------------------------------------------------------


def test_every_loaded_fact_names_its_document_and_section(popsote):
    for model in [m for m in apps.get_models() if issubclass(m, Sourced)]:
        if model in (Person, Organisation):
            continue  # a name stands in its roles; contact details and business IDs carry sources
        rows = model.objects.all()
        if model is Responsibility:
            rows = rows.exclude(person__is_demo=True)
        assert not rows.filter(source_document=None).exists(), model
    assert (
        Person.objects.get(name="Leena Pimperi-Koivisto").source_label == "Tilannekatsausdiat, Oulunkaari, Kiitokset!"
    )
    assert Organisation.objects.get(key="pohde").source_label.startswith("Tarkennettu hankesuunnitelma")


def test_the_source_is_shown_cleanly_and_no_internal_note_is(logged_in, popsote):
    lnp = page(logged_in, node("TSK", "LNP"))
    assert "Lähde: Päivitetty hankesuunnitelma 2021, vers. 12.10.2021, 3.2" in lnp
    assert "Lähde: Yhteenveto hankekokonaisuudesta, " in lnp
    for obj in (node("TSK", "LNP"), node("RAKENNE", "OA2-TKIO"), Node.objects.get(code="RAKENNE", parent=None)):
        text = page(logged_in, obj)
        assert not re.search(r"\bseed\b|\(00[0-4]|\b00[0-4]\)|Kirjoittajaryhmät\)", text, re.IGNORECASE), obj


def test_the_change_history_shows_the_plans_value_as_the_first(logged_in, popsote):
    goal = Goal.objects.filter(node__code="LNP", kind="process").first()
    planned = goal.text
    logged_in.post(
        reverse("admin:portfolio_goal_change", args=[goal.pk]),
        {"node": goal.node_id, "kind": goal.kind, "text": "Muutettu teksti", "position": goal.position},
    )
    goal.text = "Muutettu teksti"
    goal._history_user = UserFactory()
    goal.version += 1
    goal.save()
    response = logged_in.get(reverse("portfolio:node_history", args=[goal.node_id]))
    entries = [entry for entry in response.context["history"] if entry.label in (planned[:80], "Muutettu teksti")]
    created, changed = entries[-1], entries[0]
    assert created.source == "Päivitetty hankesuunnitelma 2021, vers. 12.10.2021, 3.2"
    assert changed.changes == [("tavoite", planned, "Muutettu teksti")]
    assert "Suunnitelma: Päivitetty hankesuunnitelma 2021" in response.content.decode()


# --- The data of an existing database is migrated, not silently reloaded --------------------------


def test_the_loader_brings_an_old_database_to_the_plans_and_says_so(popsote):
    programme = Node.objects.get(code="RAKENNE", parent=None)
    pohde = Organisation.objects.get(key="pohde")
    Node.objects.filter(pk=programme.pk).update(start=date(2020, 9, 1), owner=pohde)
    Partner.objects.filter(node=programme).update(share=Decimal("15390000"), share_text="")
    invented = Responsibility.objects.create(
        node=node("TSK", "LNP"), person=Person.objects.get(name="Leena Mämmi-Laukka"), role="lead"
    )
    stats = seed_load()
    programme.refresh_from_db()
    assert (programme.start, programme.owner) == (None, None)
    assert Partner.objects.get(node=programme).share_text == "15,39 M€"
    assert not Responsibility.objects.filter(pk=invented.pk).exists()
    assert stats["node.updated"] == 1 and stats["responsibility.deleted"] == 1
    assert programme.history.first().history_change_reason == REASON
    assert seed_load() == {}


def test_the_loader_leaves_alone_what_someone_edited_in_salkku(popsote):
    goal = Goal.objects.filter(node__code="LNP").first()
    goal.text = "Toimiston oma sanamuoto"
    goal._history_user = UserFactory()
    goal.save()
    stats = seed_load()
    goal.refresh_from_db()
    assert goal.text == "Toimiston oma sanamuoto"
    assert stats == {"goal.kept_as_edited": 1}


def test_the_migration_turns_a_loaded_approved_review_into_an_imported_one_of_february(popsote):
    import importlib

    migration = importlib.import_module("reports.migrations.0005_loaded_reviews_are_imported")
    state = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False).project_state(
        ("reports", "0005_loaded_reviews_are_imported")
    )
    from django.db import connection

    with connection.cursor() as cursor:  # a column a later migration adds: the migration's models don't know it
        for table in ("reports_statusupdate", "reports_historicalstatusupdate"):
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN section_comments SET DEFAULT '{{}}'::jsonb")
    review = StatusUpdate.objects.get(node__code="LNP", status=StatusUpdate.Status.IMPORTED)
    january = ReportingPeriod.objects.create(
        programme=review.period.programme, month=date(2021, 1, 1), deadline=date(2021, 2, 5), status="closed"
    )
    StatusUpdate._base_manager.filter(pk=review.pk).update(
        status="approved", period=january, source="Hankkeen tilannekatsaus, esittäjä Leena Mämmi-Laukka"
    )
    migration.forwards(state.apps, None)
    review.refresh_from_db()
    assert (review.status, review.period.month) == ("imported", date(2021, 2, 1))
    assert not ReportingPeriod.objects.filter(pk=january.pk).exists()
    assert review.history.first().history_change_reason.startswith("Tuotu asiakirjasta, ei hyväksytty")
