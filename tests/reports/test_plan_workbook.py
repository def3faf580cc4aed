"""The portfolio workbook: a programme out and back in, a bulk edit, and workbooks that must be refused."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from openpyxl import load_workbook

from budgets.models import BudgetLine, NodeBudget, PlanVersion
from indicators.models import Indicator, IndicatorTarget
from milestones.models import Milestone, Phase
from portfolio.models import (
    FundingDecision,
    Goal,
    Node,
    Organisation,
    Output,
    Partner,
    Person,
    Responsibility,
    Risk,
    SourceDocument,
    Task,
)
from reports import plan_workbook as wb
from reports.plan_import import PlanRejected, plan_import, plan_preview, programme_workbook
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMPARED = [
    Node,
    FundingDecision,
    PlanVersion,
    NodeBudget,
    BudgetLine,
    Goal,
    Output,
    Task,
    Responsibility,
    Partner,
    Phase,
    Milestone,
    Indicator,
    IndicatorTarget,
    Risk,
]
# A node's path is its ancestors' ids: its parent, compared by what it is, says the same without ids.
SKIPPED_FIELDS = {"id", "version", "user", "is_demo", "path"}


def office(name="tuoja"):
    user = UserFactory(username=name)
    user.groups.add(Group.objects.get_or_create(name="hanketoimisto")[0])
    return user


def natural(obj):
    """What a row is and holds, its relations by what they are (a person by everything about them), never by id."""
    if obj is None:
        return None
    if isinstance(obj, Node):
        return ("node", obj.programme.code, obj.code)
    if isinstance(obj, PlanVersion):
        return ("plan", obj.programme.code, obj.key)
    if isinstance(obj, Indicator):
        return ("indicator", natural(obj.node), obj.position)
    if hasattr(obj, "key") and not isinstance(obj, (Organisation, SourceDocument)):
        return obj.key  # a cost category: the installation's own
    return fields_of(obj)


def fields_of(obj):
    values = []
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        value = getattr(obj, field.name)
        values.append((field.name, natural(value) if field.is_relation else value))
    return tuple(values)


def everything():
    return {model.__name__: sorted(map(repr, map(fields_of, model.objects.all()))) for model in COMPARED}


def empty_the_database():
    """Every row of the apps gone, but the installation's cost categories and chart of accounts (a rolled-back
    TRUNCATE: the next test finds the data again)."""
    kept = {"budgets_costcategory", "budgets_ledgeraccount"}
    tables = [
        model._meta.db_table
        for name in ("portfolio", "budgets", "milestones", "indicators", "reports")
        for model in apps.get_app_config(name).get_models(include_auto_created=True)
        if model._meta.db_table not in kept and not model._meta.proxy
    ]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables))


def test_each_seeded_programme_exported_imports_into_an_empty_database_with_everything_equal(popsote):
    before = everything()
    workbooks = [programme_workbook(programme) for programme in Node.objects.programmes().order_by("code")]
    assert len(workbooks) == 3
    assert sum(len(rows) for rows in before.values()) > 1000
    empty_the_database()
    assert (Node.objects.count(), Person.objects.count(), Organisation.objects.count()) == (0, 0, 0)
    user = office()
    for content in workbooks:
        plan_import(content=content, user=user)
    after = everything()
    for model in COMPARED:
        assert after[model.__name__] == before[model.__name__], model.__name__
    # Each imported node under its parent's path: the subtree of a node is found by it.
    paths = {node.pk: (node.parent_id, node.path) for node in Node.objects.all()}
    wrong = [pk for pk, (parent, path) in paths.items() if path != (f"{paths[parent][1]}{parent}/" if parent else "")]
    assert wrong == []
    assert Node.history.filter(history_user=user).count() >= Node.objects.count()
    assert not NodeBudget.history.exclude(history_user=user).exists()
    assert Responsibility.history.filter(history_user=user).count() == Responsibility.objects.count()


def edited(content, change):
    book = load_workbook(BytesIO(content))
    change(book)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def column(sheet, header):
    return next(cell.column for cell in sheet[1] if cell.value == header)


def cells(sheet, header):
    index = column(sheet, header)
    return [row[index - 1] for row in sheet.iter_rows(min_row=2)]


def test_a_bulk_edit_of_ten_measures_shows_exactly_those_ten_in_the_preview_and_the_history(popsote):
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    plan = PlanVersion.objects.get(programme=programme, is_current=True)
    chosen = sorted(
        {
            r.node.code
            for r in Responsibility.objects.filter(
                node__programme=programme, node__kind="measure", node__budgets__plan=plan
            ).select_related("node")
        }
    )[:10]
    assert len(chosen) == 10
    stranger = Person.objects.exclude(responsibilities__node__code__in=chosen).order_by("name").first()
    old_totals = dict(NodeBudget.objects.filter(plan=plan, node__code__in=chosen).values_list("node__code", "total"))
    replaced = {}

    def change(book):
        budgets = book["Budjetit"]
        for plan_cell, node_cell, total in zip(
            cells(budgets, "Suunnitelmaversio"),
            cells(budgets, "Kohde"),
            cells(budgets, "Kokonaisbudjetti (€)"),
            strict=True,
        ):
            if plan_cell.value == plan.key and node_cell.value in chosen:
                total.value = Decimal(str(total.value)) + 1000
        people = book["Vastuut"]
        for node_cell, person in zip(cells(people, "Kohde"), cells(people, "Henkilö"), strict=True):
            if node_cell.value in chosen and node_cell.value not in replaced:
                replaced[node_cell.value] = person.value
                person.value = stranger.name

    content = edited(programme_workbook(programme), change)
    preview = plan_preview(content=content)
    entries = preview["entries"]
    assert {e["sheet"] for e in entries} == {"Budjetit", "Vastuut"}
    budgets = [e for e in entries if e["sheet"] == "Budjetit"]
    assert sorted(e["label"].split(" · ")[1] for e in budgets) == chosen
    assert {e["action"] for e in budgets} == {"changed"}
    first = next(e for e in budgets if e["label"].endswith(chosen[0]))
    assert first["fields"][0][0] == "Kokonaisbudjetti (€)"
    people = [e for e in entries if e["sheet"] == "Vastuut"]
    assert sorted((e["action"], e["label"].split(" · ")[0]) for e in people) == sorted(
        [("created", code) for code in chosen] + [("archived", code) for code in chosen]
    )
    assert preview["new_versions"] == [plan.key]

    user = office()
    plan_import(content=content, user=user)
    new = PlanVersion.objects.get(programme=programme, is_current=True)
    assert new != plan and "tuonti" in new.name
    assert (
        dict(NodeBudget.objects.filter(plan=plan, node__code__in=chosen).values_list("node__code", "total"))
        == old_totals
    )
    changed = NodeBudget.history.filter(history_user=user, history_type="~")
    assert sorted(changed.values_list("node__code", flat=True)) == chosen
    assert {r.node.code: r.total for r in changed} == {code: total + 1000 for code, total in old_totals.items()}
    history = Responsibility.history.filter(history_user=user)
    assert sorted(history.filter(history_type="+").values_list("node__code", "person__name")) == [
        (code, stranger.name) for code in chosen
    ]
    assert sorted(history.filter(history_type="-").values_list("node__code", "person__name")) == sorted(
        replaced.items()
    )
    assert not Node.history.filter(history_user=user).exists()
    assert not Person.history.filter(history_user=user).exists()


def test_the_same_workbook_again_changes_nothing(popsote):
    programme = Node.objects.get(code="RAKENNE", parent=None)
    preview = plan_preview(content=programme_workbook(programme))
    assert (preview["counts"], preview["entries"], preview["new_versions"]) == ([], [], [])


def test_an_old_plan_versions_budgets_are_never_changed(popsote):
    programme = Node.objects.get(code="TSK", parent=None)
    old = PlanVersion.objects.filter(programme=programme, is_current=False).first()
    assert old is not None

    def change(book):
        sheet = book["Budjetit"]
        for plan_cell, total in zip(
            cells(sheet, "Suunnitelmaversio"), cells(sheet, "Kokonaisbudjetti (€)"), strict=True
        ):
            if plan_cell.value == old.key:
                total.value = 1
                return

    with pytest.raises(PlanRejected) as rejected:
        plan_preview(content=edited(programme_workbook(programme), change))
    assert rejected.value.errors[0][0] == "Budjetit"
    assert "Vanhaa suunnitelmaversiota" in rejected.value.errors[0][3]


def small(**kwargs):
    return wb.example_rows(**kwargs)


def workbook_of(rows):
    from reports.plan_import import categories

    return wb.plan_workbook(rows, categories(), "Koe")


def test_a_new_county_imports_its_small_programme_and_cost_lines_above_a_budget_are_shown(popsote):
    rows = small(code="KOE", county="Koekunnan hyvinvointialue")
    rows["Kustannusarvio"].append(
        {"plan": "alkuperainen", "node": "KOE-1-M1", "category": "matkakulut", "year": 2025, "amount": Decimal(5000)}
    )
    content = workbook_of(rows)
    preview = plan_preview(content=content)
    assert preview["programme"] == {
        "code": "KOE",
        "name": "Kehittämishanke: Koekunnan hyvinvointialue",
        "exists": False,
    }
    assert {c["sheet"]: c["created"] for c in preview["counts"]}["Rakenne"] == 25
    assert [
        (d["plan"], d["node"], Decimal(d["total"]), Decimal(d["lines"]), Decimal(d["difference"]))
        for d in preview["differences"]
    ] == [("alkuperainen", "KOE-1-M1", Decimal(100000), Decimal(105000), Decimal(-5000))]
    user = office()
    programme = plan_import(content=content, user=user)
    assert Node.objects.filter(programme=programme, kind="measure").count() == 20
    assert Node.objects.filter(programme=programme, kind="subproject", reports_monthly=True).count() == 5
    assert programme.owner.name == "Koekunnan hyvinvointialue" and programme.owner.business_id == "1234567-8"
    measure = Node.objects.get(programme=programme, code="KOE-1-M1")
    assert NodeBudget.objects.get(node=measure).total == Decimal(100000)
    assert sorted(BudgetLine.objects.filter(node=measure).values_list("year", "amount")) == [
        (2025, Decimal(5000)),
        (2025, Decimal(60000)),
        (2026, Decimal(40000)),
    ]
    assert measure.responsibilities.get().person.name == "Vastuuhenkilö 1.1"
    assert IndicatorTarget.objects.filter(indicator__node=programme, is_interim=True).get().value == Decimal(70)
    assert Node.history.filter(history_user=user).count() >= 26


def test_a_person_written_another_way_is_offered_for_merging_never_merged_silently(popsote):
    rows = small(code="KOE")
    rows["Henkilöt"].append({"name": "päivi  LAURI"})
    rows["Vastuut"].append({"node": "KOE-1-M1", "person": "päivi  LAURI", "role": "lead"})
    content = workbook_of(rows)
    preview = plan_preview(content=content)
    assert preview["similar_persons"] == [{"name": "päivi  LAURI", "like": "Päivi Lauri"}]
    merged = plan_preview(content=content, merges=["päivi  LAURI"])
    assert merged["similar_persons"] == [] and merged["merged_persons"] == [
        {"name": "päivi  LAURI", "into": "Päivi Lauri"}
    ]
    plan_import(content=content, user=office())
    assert Person.objects.get(name="päivi  LAURI").responsibilities.get().node.code == "KOE-1-M1"
    assert not Person.objects.get(name="Päivi Lauri").responsibilities.filter(node__code="KOE-1-M1").exists()


def test_merging_a_person_links_the_existing_one(popsote):
    rows = small(code="KOE")
    rows["Henkilöt"].append({"name": "Paivi Lauri"})
    rows["Vastuut"].append({"node": "KOE-1-M1", "person": "Paivi Lauri", "role": "lead"})
    programme = plan_import(content=workbook_of(rows), user=office(), merges=["Paivi Lauri"])
    lead = Responsibility.objects.get(node__programme=programme, role="lead")
    assert lead.person.name == "Päivi Lauri" and not Person.objects.filter(name="Paivi Lauri").exists()


def rows_with(change):
    rows = small(code="VIRHE", subprojects=2, measures=3)
    change(rows)
    return workbook_of(rows)


def node_row(rows, code):
    return next(row for row in rows["Rakenne"] if row["code"] == code)


def raw(change):
    """The small workbook changed cell by cell, as a person could in Excel (values the exporter never writes)."""

    def build():
        return edited(rows_with(lambda rows: None), change)

    return build


def set_cell(sheet, header, row, value):
    def change(book):
        book[sheet].cell(row, column(book[sheet], header), value)

    return raw(change)


def with_rows(change):
    return lambda: rows_with(change)


def patched(content, old, new):
    """The workbook with bytes of its XML replaced (what openpyxl would not write)."""
    import zipfile

    source, out = zipfile.ZipFile(BytesIO(content)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            target.writestr(part, source.read(part.filename).replace(old, new))
    return out.getvalue()


def zip_bomb():
    import zipfile

    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (wb.MAX_UNPACKED + 1))
    return out.getvalue()


BAD = {
    "a pdf": (lambda: b"%PDF-1.7 not a workbook", "", "", "ei voi lukea Excel"),
    "a broken zip": (lambda: b"PK\x03\x04" + b"\x00" * 500, "", "", "ei voi lukea Excel"),
    "too large": (lambda: b"PK\x03\x04" + b"\x00" * (wb.MAX_BYTES + 1), "", "", "enintään 20,0 Mt"),
    "a zip bomb": (zip_bomb, "", "", "purkautuu"),
    "no programme row": (with_rows(lambda rows: rows["Hanke"].clear()), "Hanke", "", "täsmälleen yksi rivi"),
    "two programme rows": (
        with_rows(lambda rows: rows["Hanke"].append(dict(rows["Hanke"][0], code="TOINEN"))),
        "Hanke",
        "",
        "täsmälleen yksi rivi (nyt 2)",
    ),
    "a required column missing": (
        raw(lambda book: book["Rakenne"].delete_cols(column(book["Rakenne"], "Ylätaso"))),
        "Rakenne",
        "Ylätaso",
        "puuttuu sarake",
    ),
    # Excel writes a control character as _x000B_; openpyxl reads it back as the character.
    "a control character": (
        lambda: patched(set_cell("Rakenne", "Nimi", 2, "OsaQQhanke")(), b"QQ", b"_x000B_"),
        "Rakenne",
        "Nimi",
        "U+000B",
    ),
    "a cell too long": (
        set_cell("Rakenne", "Kuvaus", 2, "x" * (wb.MAX_CELL + 1)),
        "Rakenne",
        "Kuvaus",
        "enintään 10000",
    ),
    "a formula is not run": (set_cell("Rakenne", "Nimi", 2, '=HYPERLINK("http://x")'), "Rakenne", "Nimi", "Pakollinen"),
    "a duplicate code": (
        with_rows(lambda rows: rows["Rakenne"].append(dict(node_row(rows, "VIRHE-1")))),
        "Rakenne",
        "Tunnus",
        "Sama tunniste kuin rivillä 2",
    ),
    "a parent that does not exist": (
        with_rows(lambda rows: node_row(rows, "VIRHE-1-M1").update(parent="EI-OLE")),
        "Rakenne",
        "Ylätaso",
        "Ylätasoa 'EI-OLE' ei ole",
    ),
    "a cycle": (
        with_rows(lambda rows: node_row(rows, "VIRHE-1").update(parent="VIRHE-1-M1", kind="entity")),
        "Rakenne",
        "Ylätaso",
        "kehän",
    ),
    "a node under a measure": (
        with_rows(lambda rows: node_row(rows, "VIRHE-1-M2").update(parent="VIRHE-1-M1")),
        "Rakenne",
        "Ylätaso",
        "Toimenpiteen alle",
    ),
    "a code with a space": (
        with_rows(lambda rows: rows["Rakenne"].append(dict(node_row(rows, "VIRHE-1"), code="VIRHE 9"))),
        "Rakenne",
        "Tunnus",
        "Tunnuksessa saa olla vain",
    ),
    "a date that does not exist": (set_cell("Rakenne", "Alkaa", 3, "31.2.2025"), "Rakenne", "Alkaa", "ei kelpaa"),
    "a month far away": (set_cell("Rakenne", "Päättyy", 3, "9999-12"), "Rakenne", "Päättyy", "ei kelpaa"),
    "an end before the start": (
        set_cell("Rakenne", "Päättyy", 3, "1.1.2025"),
        "Rakenne",
        "Päättyy",
        "ennen alkamispäivää",
    ),
    "outside the programme's period": (
        set_cell("Rakenne", "Päättyy", 3, "31.12.2030"),
        "Rakenne",
        "Päättyy",
        "aikataulun",
    ),
    "a negative budget": (
        set_cell("Budjetit", "Kokonaisbudjetti (€)", 2, -5),
        "Budjetit",
        "Kokonaisbudjetti (€)",
        "negatiivinen",
    ),
    "money that is not money": (
        set_cell("Kustannusarvio", "Summa (€)", 2, "paljon"),
        "Kustannusarvio",
        "Summa (€)",
        "rahamäärä",
    ),
    "a huge amount": (set_cell("Kustannusarvio", "Summa (€)", 2, 1e20), "Kustannusarvio", "Summa (€)", "14"),
    "an unknown kind": (set_cell("Rakenne", "Tyyppi", 2, "Alaprojekti"), "Rakenne", "Tyyppi", "Sallitut: "),
    "a yes that is not one": (
        set_cell("Rakenne", "Raportoi kuukausittain", 2, "ehkä"),
        "Rakenne",
        "Raportoi kuukausittain",
        "kyllä eikä ei",
    ),
    "an unknown person": (
        set_cell("Vastuut", "Henkilö", 2, "Ei Kukaan"),
        "Vastuut",
        "Henkilö",
        "Henkilöä 'Ei Kukaan' ei ole",
    ),
    "an unknown organisation": (
        set_cell("Hanke", "Hallinnoija", 2, "ei-ole"),
        "Hanke",
        "Hallinnoija",
        "Organisaatiota",
    ),
    "an unknown plan version": (
        set_cell("Budjetit", "Suunnitelmaversio", 2, "toinen"),
        "Budjetit",
        "Suunnitelmaversio",
        "Suunnitelmaversiota",
    ),
    "two current plan versions": (
        with_rows(lambda rows: rows["Suunnitelmaversiot"].append(dict(rows["Suunnitelmaversiot"][0], key="toinen"))),
        "Suunnitelmaversiot",
        "Voimassa",
        "Täsmälleen yhden",
    ),
    "a milestone achieved without its date": (
        set_cell("Välitavoitteet", "Tila", 2, "Saavutettu"),
        "Välitavoitteet",
        "Toteutunut päivä",
        "jolloin välitavoite saavutettiin",
    ),
    "a risk's likelihood of seven": (
        set_cell("Riskit", "Todennäköisyys (1–5)", 2, 7),
        "Riskit",
        "Todennäköisyys (1–5)",
        "1–5",
    ),
    "a fifth quarter": (
        set_cell("Tavoitearvot", "Määräaika", 2, "2025Q5"),
        "Tavoitearvot",
        "Määräaika",
        "muotoa 2025Q4",
    ),
    "a target of an indicator that is not there": (
        set_cell("Tavoitearvot", "Indikaattori", 2, 9),
        "Tavoitearvot",
        "Indikaattori",
        "indikaattoria numero 9",
    ),
    "an unknown source": (set_cell("Hanke", "Lähde", 2, "ei-lahde"), "Hanke", "Lähde", "Lähdettä"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_workbook_is_refused_row_by_row_and_nothing_is_written(popsote, case):
    build, sheet, header, reason = BAD[case]
    content = build()
    nodes, persons, history = Node.objects.count(), Person.objects.count(), Node.history.count()
    with pytest.raises(PlanRejected) as rejected:
        plan_import(content=content, user=office())
    errors = rejected.value.errors
    assert any(e[0] == sheet and e[2] == header and reason in e[3] for e in errors), errors
    assert (Node.objects.count(), Person.objects.count(), Node.history.count()) == (nodes, persons, history)


def test_too_many_rows_are_refused_before_they_are_parsed(popsote, monkeypatch):
    monkeypatch.setattr(wb, "MAX_ROWS", 5)
    with pytest.raises(PlanRejected) as rejected:
        plan_import(content=rows_with(lambda rows: None), user=office())
    assert "yli 5 riviä" in rejected.value.errors[0][3]


def test_the_office_sends_a_workbook_a_worker_checks_it_the_office_confirms_and_a_worker_imports_it(
    client, popsote, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from reports import plan_import
    from reports.models import PlanUpload

    sent = []
    monkeypatch.setattr(plan_import, "send", lambda task, pk: sent.append((task, pk)))
    user = office()
    client.force_login(user)
    page = client.get(reverse("reports:plan_upload_create"))
    assert page.status_code == 200 and reverse("reports:plan_template") in page.content.decode()
    template = client.get(reverse("reports:plan_template"))
    assert load_workbook(BytesIO(template.content)).sheetnames[:3] == ["Ohjeet", "Listat", "Hanke"]

    content = workbook_of(small(code="UUSI", county="Uusimaan hyvinvointialue"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:plan_upload_create"), {"file": SimpleUploadedFile("uusi.xlsx", content)}
        )
    upload = PlanUpload.objects.get()
    assert response["Location"] == upload.get_absolute_url()
    assert sent == [("reports.tasks.run_plan_upload", upload.pk)]
    waiting = client.get(upload.get_absolute_url()).content.decode()
    assert "Jonossa" in waiting and 'hx-trigger="every 2s"' in waiting

    assert plan_import.plan_upload_run(upload.pk, claim="task-1") is False  # checked: the preview waits
    upload.refresh_from_db()
    assert upload.status == PlanUpload.Status.PREVIEW and not Node.objects.filter(code="UUSI").exists()
    preview = client.get(upload.get_absolute_url()).content.decode()
    assert "Esikatselu: uusi hanke UUSI" in preview and "Vahvista tuonti" in preview

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("reports:plan_upload_confirm", args=[upload.pk]))
    assert confirmed["Location"] == upload.get_absolute_url() and len(sent) == 2
    assert plan_import.plan_upload_run(upload.pk, claim="task-2") is True
    assert plan_import.plan_upload_run(upload.pk, claim="task-3") is False  # run twice, imported once
    upload.refresh_from_db()
    programme = Node.objects.get(code="UUSI", parent=None)
    assert (upload.status, upload.progress, upload.programme) == (PlanUpload.Status.DONE, 100, programme)
    assert Node.history.filter(history_user=user, code="UUSI-1-M1").exists()
    done = client.get(upload.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "Suunnitelma tuotiin." in done and "hx-trigger" not in done


def test_a_refused_workbook_lists_its_errors_on_the_page(client, popsote, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from reports import plan_import
    from reports.models import PlanUpload

    monkeypatch.setattr(plan_import, "send", lambda task, pk: None)
    client.force_login(office())
    content = BAD["a parent that does not exist"][0]()
    client.post(reverse("reports:plan_upload_create"), {"file": SimpleUploadedFile("virhe.xlsx", content)})
    upload = PlanUpload.objects.get()
    plan_import.plan_upload_run(upload.pk)
    upload.refresh_from_db()
    assert upload.status == PlanUpload.Status.REJECTED
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Työkirjaa ei tuotu" in page and "Ylätasoa &#x27;EI-OLE&#x27; ei ole" in page


def test_a_workbook_too_large_is_refused_before_it_is_read(client, popsote):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(office())
    big = SimpleUploadedFile("iso.xlsx", b"PK\x03\x04" + b"\0" * (wb.MAX_BYTES + 1))
    response = client.post(reverse("reports:plan_upload_create"), {"file": big})
    assert response.status_code == 413
    assert "enintään 20,0 Mt" in response.content.decode()


def test_a_second_countys_installation_shows_its_own_name_and_business_id(client, popsote, settings):
    from django.core import mail
    from django.urls import reverse

    from reports.archive import report_deliver
    from tests.factories import ExportFactory

    settings.COUNTY_NAME, settings.COUNTY_SHORT_NAME, settings.COUNTY_BUSINESS_ID = (
        "Keski-Suomen hyvinvointialue",
        "Keski-Suomi",
        "3221318-2",
    )
    client.force_login(office())
    for url in (reverse("portfolio:overview"), reverse("accessibility")):
        page = client.get(url).content.decode()
        assert "Keski-Suomen hyvinvointialue · Y-tunnus 3221318-2" in page
        assert "Pohde" not in page.split("<main")[0] and "Pohjois-Pohjanmaan hyvinvointialue" not in page
    assert (
        'Salkku <span class="fs-6 fw-normal">· Keski-Suomi</span>'
        in client.get(reverse("accessibility")).content.decode()
    )
    steering = UserFactory(username="ohjaaja", email="ohjaaja@example.org")
    steering.groups.add(Group.objects.get_or_create(name="ohjausryhma")[0])
    export = ExportFactory(programme=Node.objects.get(code="POPDIGI2", parent=None), status="done", version=1)
    report_deliver(export.pk)
    assert mail.outbox and mail.outbox[-1].body.rstrip().endswith("Salkku · Keski-Suomen hyvinvointialue")


def test_an_empty_cell_of_the_shared_directory_leaves_what_salkku_has(popsote):
    stm = Organisation.objects.get(key="stm")
    assert stm.source_document_id is not None and stm.short_name == "STM"
    rows = small(code="KOE")
    rows["Organisaatiot"] = [
        row if row["key"] != "stm" else {"key": "stm", "name": stm.name} for row in rows["Organisaatiot"]
    ]
    preview = plan_preview(content=workbook_of(rows))
    assert not [e for e in preview["entries"] if e["sheet"] == "Organisaatiot" and e["action"] == "changed"]
    plan_import(content=workbook_of(rows), user=office())
    stm.refresh_from_db()
    assert stm.source_document_id is not None and stm.short_name == "STM"


def test_a_sheet_left_out_of_the_workbook_archives_nothing_of_it(popsote):
    programme = Node.objects.get(code="RAKENNE", parent=None)
    assert Task.objects.filter(node__programme=programme).exists()
    assert Milestone.objects.filter(node__programme=programme).exists()
    content = edited(programme_workbook(programme), lambda book: book.remove(book["Tavoitteet ja tehtävät"]))
    removed = edited(programme_workbook(programme), lambda book: book["Välitavoitteet"].delete_rows(2, 1))
    assert plan_preview(content=content)["entries"] == []
    assert [e["action"] for e in plan_preview(content=removed)["entries"]][-1:] == ["archived"]


def test_a_file_name_with_a_control_character_is_kept_without_it(popsote, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports import plan_import

    monkeypatch.setattr(plan_import, "send", lambda task, pk: None)
    upload = plan_import.plan_upload_queue(
        file=SimpleUploadedFile("suunni\x00telma\x0b.xlsx", workbook_of(small())), user=office()
    )
    upload.refresh_from_db()
    assert upload.file_name == "suunnitelma.xlsx"
