"""A programme's plan in and out of Salkku as the portfolio workbook (``reports.plan_workbook``).

``plan_rows`` reads a programme as the workbook's rows; the export writes them, and the import compares
the workbook's rows with them: what would be created, changed and archived. Every cell is checked with
the rules of the form that edits the same thing (``NodeForm``, ``MilestoneForm``…), every row names
the things it hangs on by code, and an import writes all of it or nothing, in one transaction, every
row in the history as the importing user's. Budgets changed in an existing plan version go into a new
version copied from it; the old one is never changed.

It lives in ``reports`` because a plan is all of the apps below (nodes, budgets, milestones,
indicators) at once.
"""

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from budgets.models import BudgetLine, CostCategory, NodeBudget, PlanVersion
from budgets.selectors import lines_differences
from budgets.services import plan_contents_copy
from indicators.forms import IndicatorForm
from indicators.models import Indicator, IndicatorTarget
from milestones.forms import MilestoneForm, PhaseForm
from milestones.models import Milestone, Phase
from popsote.broker import BrokerUnavailable, heartbeat, send
from popsote.text import printable, validate_line, validate_text
from portfolio.forms import (
    EuroField,
    FundingDecisionForm,
    NodeForm,
    OrganisationForm,
    PersonForm,
    RiskForm,
    TaskForm,
)
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

from . import plan_workbook as wb
from .models import PlanUpload

REASON = "Tuotu suunnitelmatyökirjasta"
MAX_ERRORS = 200
BATCH = 1000


class PlanRejected(wb.WorkbookRejected):
    """The workbook was not imported; ``errors`` are (sheet, row, column, reason)."""


# --- the current data as the workbook's rows -----------------------------------------------------


def categories():
    """(key, name) of the cost categories a cost line may have: the STM template's rows, not its subtotals."""
    return list(
        CostCategory.objects.filter(children__isnull=True).order_by("position", "pk").values_list("key", "name")
    )


def _sourced(obj):
    return {
        "source": obj.source_document.key if obj.source_document_id else "",
        "section": obj.source_section,
        "_pk": obj.pk,
    }


def _node_row(node, codes):
    return {
        "code": node.code,
        "parent": codes.get(node.parent_id, ""),
        "kind": node.kind,
        "name": node.name,
        "short_name": node.short_name,
        "description": node.description,
        "start": node.start,
        "end": node.end,
        "schedule_text": node.schedule_text,
        "owner": node.owner.key if node.owner_id else "",
        "reports_monthly": node.reports_monthly,
        "position": 0,
        **_sourced(node),
    }


def _tree_order(nodes):
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    root = next(node for node in nodes if node.parent_id is None)
    ordered, stack = [], list(reversed(children[root.pk]))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children[node.pk]))
    return root, ordered


def plan_rows(programme):
    """The programme as the workbook's rows ({sheet name: [row]}): what the export writes and an import of
    the same programme is compared with. Archived rows and the demo accounts' people are left out."""
    nodes = list(
        Node.objects.filter(programme=programme)
        .filter(Q(archived_at__isnull=True) | Q(pk=programme.pk))
        .select_related("owner", "source_document")
        .order_by("position", "pk")
    )
    root, ordered = _tree_order(nodes)
    ids = [node.pk for node in nodes]
    codes = {node.pk: node.code for node in nodes}
    rows = defaultdict(list)
    rows[wb.PROGRAMME.name].append(_node_row(root, codes))
    active = set(ids)
    siblings = Counter()
    for node in ordered:
        if node.parent_id in active:
            row = _node_row(node, codes)
            row["position"] = _count(siblings, node.parent_id)
            rows[wb.NODES.name].append(row)
        else:
            active.discard(node.pk)
    order = {pk: index for index, pk in enumerate([root.pk, *(n.pk for n in ordered if n.pk in active)])}

    def by_node(queryset):
        return sorted(
            (item for item in queryset if item.node_id in order),
            key=lambda item: (order[item.node_id], item.position, item.pk),
        )

    organisations, persons, documents = set(), set(), set()
    for node in nodes:
        organisations.add(node.owner_id)
    texts = []
    kinds = [*Goal.Kind.values, wb.OUTPUT, wb.TASK]
    for kind, queryset in (
        *((kind, Goal.objects.filter(node__in=ids, kind=kind)) for kind in Goal.Kind.values),
        (wb.OUTPUT, Output.objects.filter(node__in=ids)),
        (wb.TASK, Task.objects.filter(node__in=ids, archived_at__isnull=True)),
    ):
        for item in by_node(queryset.select_related("source_document")):
            texts.append(
                (
                    order[item.node_id],
                    kinds.index(kind),
                    {"node": codes[item.node_id], "kind": kind, "text": item.text, **_sourced(item)},
                )
            )
    counts = Counter()
    for _order, _kind, row in sorted(texts, key=lambda t: t[:2]):
        row["nth"] = _count(counts, (row["node"], row["kind"]))
        rows[wb.TEXTS.name].append(row)
    for item in by_node(
        Responsibility.objects.filter(node__in=ids, person__is_demo=False).select_related(
            "person", "organisation", "source_document"
        )
    ):
        persons.add(item.person_id)
        organisations.add(item.organisation_id)
        rows[wb.RESPONSIBILITIES.name].append(
            {
                "node": codes[item.node_id],
                "person": item.person.name,
                "role": item.role,
                "organisation": item.organisation.key if item.organisation_id else "",
                "title": item.title,
                "note": item.note,
                "position": _count(siblings, ("responsibility", item.node_id)),
                **_sourced(item),
            }
        )
    for item in by_node(Partner.objects.filter(node__in=ids).select_related("organisation", "source_document")):
        organisations.add(item.organisation_id)
        rows[wb.PARTNERS.name].append(
            {
                "node": codes[item.node_id],
                "organisation": item.organisation.key,
                "share": item.share,
                "share_text": item.share_text,
                "note": item.note,
                "position": _count(siblings, ("partner", item.node_id)),
                **_sourced(item),
            }
        )
    for item in (
        FundingDecision.objects.active().filter(programme=programme).select_related("funder", "source_document")
    ):
        organisations.add(item.funder_id)
        rows[wb.DECISIONS.name].append(
            {
                "number": item.number,
                "date": item.date,
                "funder": item.funder.key,
                "title": item.title,
                "amount": item.amount,
                "grant_rate": item.grant_rate,
                "eligible_start": item.eligible_start,
                "eligible_end": item.eligible_end,
                "period_text": item.period_text,
                "source_of_money": item.source,
                "note": item.note,
                **_sourced(item),
            }
        )
    plans = list(PlanVersion.objects.filter(programme=programme).select_related("source_document"))
    for plan in plans:
        rows[wb.PLANS.name].append(
            {
                "key": plan.key,
                "name": plan.name,
                "date": plan.date,
                "current": plan.is_current,
                "note": plan.note,
                **_sourced(plan),
            }
        )
    plan_order = {plan.pk: index for index, plan in enumerate(plans)}
    for item in sorted(
        NodeBudget.objects.filter(plan__programme=programme, node__in=order).select_related("plan", "source_document"),
        key=lambda b: (plan_order[b.plan_id], order[b.node_id]),
    ):
        rows[wb.BUDGETS.name].append(
            {
                "plan": item.plan.key,
                "node": codes[item.node_id],
                "total": item.total,
                "grant": item.grant,
                "own_funding": item.own_funding,
                "note": item.note,
                **_sourced(item),
            }
        )
    for item in sorted(
        BudgetLine.objects.filter(plan__programme=programme, node__in=order).select_related(
            "plan", "category", "source_document"
        ),
        key=lambda line: (plan_order[line.plan_id], order[line.node_id], line.category.position, line.year),
    ):
        rows[wb.LINES.name].append(
            {
                "plan": item.plan.key,
                "node": codes[item.node_id],
                "category": item.category.key,
                "year": item.year,
                "amount": item.amount,
                **_sourced(item),
            }
        )
    for item in by_node(Phase.objects.filter(node__in=ids, archived_at__isnull=True).select_related("source_document")):
        rows[wb.PHASES.name].append(
            {
                "node": codes[item.node_id],
                "nth": _count(counts, ("phase", item.node_id)),
                "name": item.name,
                "start": item.start,
                "end": item.end,
                "text": item.text,
                **_sourced(item),
            }
        )
    for item in by_node(Milestone.objects.active().filter(node__in=ids).select_related("source_document")):
        rows[wb.MILESTONES.name].append(
            {
                "node": codes[item.node_id],
                "nth": _count(counts, ("milestone", item.node_id)),
                "name": item.name,
                "planned_date": item.planned_date,
                "status": item.status,
                "actual_date": item.actual_date,
                **_sourced(item),
            }
        )
    numbers = {}
    indicators = by_node(
        Indicator.objects.filter(node__in=ids, archived_at__isnull=True).select_related("source_document")
    )
    for item in indicators:
        numbers[item.pk] = _count(counts, ("indicator", item.node_id)) + 1
        rows[wb.INDICATORS.name].append(
            {
                "node": codes[item.node_id],
                "number": numbers[item.pk],
                "name": item.name,
                "national": item.national,
                "unit": item.unit,
                "direction": item.direction,
                "baseline": item.baseline,
                "text": item.text,
                **_sourced(item),
            }
        )
    targets = IndicatorTarget.objects.filter(indicator__in=numbers).select_related("indicator")
    for item in sorted(
        targets, key=lambda t: (order[t.indicator.node_id], numbers[t.indicator_id], t.year, t.quarter or 5)
    ):
        rows[wb.TARGETS.name].append(
            {
                "node": codes[item.indicator.node_id],
                "indicator": numbers[item.indicator_id],
                "deadline": (item.year, item.quarter),
                "value": item.value,
                "text": item.text,
                "interim": item.is_interim,
                "_pk": item.pk,
            }
        )
    for item in by_node(Risk.objects.filter(node__in=ids).select_related("owner", "source_document")):
        persons.add(item.owner_id)
        rows[wb.RISKS.name].append(
            {
                "node": codes[item.node_id],
                "nth": _count(counts, ("risk", item.node_id)),
                "category": item.category,
                "title": item.title,
                "description": item.description,
                "likelihood": item.likelihood,
                "impact": item.impact,
                "mitigation": item.mitigation,
                "owner": item.owner.name if item.owner_id else "",
                "status": item.status,
                **_sourced(item),
            }
        )
    people = list(Person.objects.filter(pk__in=persons - {None}).select_related("organisation", "source_document"))
    organisations |= {person.organisation_id for person in people}
    rows[wb.PERSONS.name] = [_person_row(person) for person in people]
    by_id = {org.pk: org for org in Organisation.objects.select_related("source_document")}
    wanted, stack = set(), [pk for pk in organisations if pk]
    while stack:
        pk = stack.pop()
        if pk not in wanted:
            wanted.add(pk)
            if by_id[pk].parent_id:
                stack.append(by_id[pk].parent_id)
    rows[wb.ORGANISATIONS.name] = [
        _org_row(org, by_id) for org in sorted((by_id[pk] for pk in wanted), key=lambda o: o.key)
    ]
    for sheet in list(rows.values()):
        for row in sheet:
            if row.get("source"):
                documents.add(row["source"])
    rows[wb.SOURCES.name] = [_doc_row(doc) for doc in SourceDocument.objects.filter(key__in=documents).order_by("key")]
    return dict(rows)


def _person_row(person):
    return {
        "name": person.name,
        "title": person.title,
        "organisation": person.organisation.key if person.organisation_id else "",
        "email": person.email,
        "phone": person.phone,
        **_sourced(person),
    }


def _org_row(org, by_id):
    return {
        "key": org.key,
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "business_id": org.business_id,
        "parent": by_id[org.parent_id].key if org.parent_id else "",
        **_sourced(org),
    }


def _doc_row(doc):
    return {
        "key": doc.key,
        "name": doc.name,
        "edition": doc.edition,
        "date": doc.date,
        "date_note": doc.date_note,
        "_pk": doc.pk,
    }


def _count(counts, key):
    counts[key] += 1
    return counts[key] - 1


def programme_workbook(programme):
    """The programme's workbook: .xlsx bytes."""
    return wb.plan_workbook(plan_rows(programme), categories(), programme.short_name or programme.name)


def blank_workbook():
    """The blank template: every sheet's headers, lists and the explanation, no rows."""
    return wb.plan_workbook({}, categories(), "Salkku: suunnitelmatyökirja")


# --- reading and checking a workbook -------------------------------------------------------------


class _Errors(list):
    """The first MAX_ERRORS errors, and a count of the rest."""

    more = 0

    def add(self, sheet, row, column, reason):
        if len(self) < MAX_ERRORS:
            self.append((sheet, row, column, str(reason)))
        else:
            self.more += 1

    def listed(self):
        if not self.more:
            return list(self)
        return [*self, ("", "", "", _("…ja {count} muuta virhettä.").format(count=self.more))]


YES = {"kyllä", "kylla", "k", "x", "true", "1", "yes", "ja", "on"}
NO = {"ei", "e", "false", "0", "no", "nej", "off"}


def _convert(column, value, labels):
    """A raw cell as the column's value; ValueError with the reason when it is not one."""
    if wb.is_blank(value):
        return "" if column.kind in ("line", "text", "code") else False if column.kind == "bool" else None
    if column.kind in ("line", "text", "code"):
        text = str(value).strip() if not isinstance(value, float) or not value.is_integer() else str(int(value))
        if len(text) > wb.MAX_CELL:
            raise ValueError(
                _("Solussa on {length} merkkiä; enintään {limit}.").format(length=len(text), limit=wb.MAX_CELL)
            )
        try:
            (validate_text if column.kind == "text" else validate_line)(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        return text
    if column.kind == "date":
        try:
            return wb.as_date(value)
        except (ValueError, OverflowError):
            raise ValueError(_("Päivämäärä {value} ei kelpaa (esim. 8.12.2022).").format(value=_shown(value))) from None
    if column.kind in ("money", "decimal"):
        if isinstance(value, bool):
            raise ValueError(_("{value} ei ole luku.").format(value=_shown(value)))
        if isinstance(value, float):
            value = f"{value:.2f}" if abs(value - round(value, 2)) < 1e-6 else repr(value)
        field = EuroField() if column.kind == "money" else forms.DecimalField(max_digits=14, decimal_places=2)
        try:
            return field.clean(str(value))
        except ValidationError as error:
            raise ValueError(f"{_shown(value)}: {error.messages[0]}") from None
    if column.kind == "int":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            return forms.IntegerField(min_value=0, max_value=32767).clean(value)
        except ValidationError as error:
            raise ValueError(f"{_shown(value)}: {error.messages[0]}") from None
    if column.kind == "bool":
        text = str(value).strip().casefold() if not isinstance(value, bool) else ("true" if value else "false")
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("{value} ei ole kyllä eikä ei.").format(value=_shown(value)))
    if column.kind == "choice":
        text = str(value).strip().casefold()
        for choice, label in labels[column.choices]:
            if text in (str(choice).casefold(), label.casefold()):
                return choice
        raise ValueError(
            _("{value} ei ole sallittu arvo. Sallitut: {allowed}.").format(
                value=_shown(value), allowed=", ".join(label for _c, label in labels[column.choices])
            )
        )
    if column.kind == "deadline":
        try:
            return wb.parse_deadline(value)
        except (ValueError, TypeError):
            raise ValueError(
                _("Määräaika {value} ei ole muotoa 2025Q4 tai 2030.").format(value=_shown(value))
            ) from None
    raise AssertionError(column.kind)


def _shown(value):
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


# Which form checks a sheet's rows, and which of its fields are the workbook's columns (foreign keys are
# resolved by code and checked apart: a row may name something the same workbook creates). A
# responsibility's form adds to its fields' rules only that a person has a role once in a node: the
# workbook's key (node, person, role) says the same.
FORMS = {
    wb.PROGRAMME.name: NodeForm,
    wb.NODES.name: NodeForm,
    wb.ORGANISATIONS.name: OrganisationForm,
    wb.PERSONS.name: PersonForm,
    wb.DECISIONS.name: FundingDecisionForm,
    wb.PHASES.name: PhaseForm,
    wb.MILESTONES.name: MilestoneForm,
    wb.INDICATORS.name: IndicatorForm,
    wb.RISKS.name: RiskForm,
}
FOREIGN = {"owner", "parent", "organisation", "funder", "person", "user"}
RENAMED = {"source_of_money": "source"}  # the column's key : the form's field


def _default(model, name):
    """A model field's default: an empty choice cell (a milestone's status) takes it, as the writer does."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field.get_default() if field.has_default() else None


def _nothing(*args, **kwargs):
    return None


def _form_check(spec, values, errors, number, *, instance, **kwargs):
    """Validate the row's values with the form that edits the same thing; errors go to their columns."""
    form_class = FORMS.get(spec.name)
    if form_class is None:
        return
    data = {}
    for column in spec.columns:
        if column.key in ("source", "section"):
            continue  # the source document: checked by the workbook (a form's field ``source`` is another thing)
        name = RENAMED.get(column.key, column.key)
        value = values.get(column.key)
        if value in (None, "") and column.kind == "choice":
            value = _default(form_class._meta.model, name)
        data[name] = "" if value is None else value
    # What the database holds itself (a code used once, a name once, the check constraints) the workbook
    # checks for all its rows at once; asked row by row of the database it would cost queries by the thousand.
    instance.validate_unique = instance.validate_constraints = _nothing
    form = form_class(data, instance=instance, **kwargs)
    for name in list(form.fields):
        if name in FOREIGN or name not in data or name == "version" or (name == "code" and form_class is NodeForm):
            del form.fields[name]
    if form_class is NodeForm:
        try:
            Node._meta.get_field("code").clean(data["code"], instance)
        except ValidationError as error:
            for message in error.messages:
                errors.add(spec.name, number, spec.column("code").header, message)
    if form.is_valid():
        return
    headers = {RENAMED.get(c.key, c.key): c.header for c in spec.columns}
    for name, messages in form.errors.items():
        for message in messages:
            if name == "code" and "jo käytössä" in message:
                continue  # a code's clash is the workbook's own check (a node revived or moved keeps its code)
            errors.add(spec.name, number, headers.get(name, ""), message)


@dataclass
class Checked:
    """A workbook read and checked against the current data; nothing written."""

    programme: object  # the existing programme of the same code, or None
    rows: dict  # {sheet name: {key: row}}, in the workbook's order
    numbers: dict  # {(sheet name, key): row number}
    merges: dict  # {a person's name in the workbook: the existing person's name it is merged into}
    similar: list  # [(name in the workbook, an existing or other spelling)] not merged
    differences: list = field(default_factory=list)
    present: set = field(default_factory=set)  # the sheets the workbook has: one left out archives nothing


def _fold(name):
    """A person's name compared loosely: case, accents, spaces and the order of the names ignored."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c) and (c.isalnum() or c.isspace() or c == "-"))
    return " ".join(sorted(text.replace("-", " ").split()))


def _key(spec, row):
    return tuple(row[name] for name in spec.key)


def plan_check(content, *, merges=(), progress=None):
    """Read and check a workbook (all of it, or a PlanRejected with every error's sheet, row, column and
    reason); write nothing. ``merges``: names of persons the user chose to merge into the existing
    spelling the check offered."""
    with translation.override(settings.LANGUAGE_CODE):
        return _check(content, merges=set(merges), progress=progress)


def _check(content, *, merges, progress):
    try:
        raw = wb.read_workbook(content)
    except wb.WorkbookRejected as rejected:
        raise PlanRejected(rejected.errors) from None
    if progress:
        progress(10)
    labels = wb.lists(categories())
    errors = _Errors()
    converted = {}
    for spec in wb.SHEETS:
        converted[spec.name] = []
        for number, cells in raw.get(spec.name, []):
            values, ok = {}, True
            for column in spec.columns:
                try:
                    values[column.key] = _convert(column, cells.get(column.key), labels)
                except ValueError as error:
                    errors.add(spec.name, number, column.header, error.args[0])
                    ok = False
                    continue
                if column.required and values[column.key] in (None, ""):
                    errors.add(spec.name, number, column.header, _("Pakollinen tieto puuttuu."))
                    ok = False
            converted[spec.name].append((number, values, ok))
    programme_rows = converted[wb.PROGRAMME.name]
    if len(programme_rows) != 1:
        raise PlanRejected(
            [
                (
                    wb.PROGRAMME.name,
                    "",
                    "",
                    _("Hanke-välilehdellä pitää olla täsmälleen yksi rivi (nyt {count}).").format(
                        count=len(programme_rows)
                    ),
                )
            ]
        )
    number, head, _ok = programme_rows[0]
    programme = Node.objects.filter(parent__isnull=True, code=head["code"]).first() if head.get("code") else None

    # Ordinals: the nth goal of a node, its nth milestone… (rows keyed by their place), and the order of
    # a node among its siblings and of a node's responsibilities and partners.
    counts = Counter()
    for spec in wb.SHEETS:
        for _number, values, _ok in converted[spec.name]:
            if "nth" in spec.key:
                group = (values.get("node"), values.get("kind")) if spec is wb.TEXTS else values.get("node")
                values["nth"] = _count(counts, (spec.name, group))
            elif spec in (wb.NODES, wb.RESPONSIBILITIES, wb.PARTNERS):
                values["position"] = _count(counts, (spec.name, values.get("parent" if spec is wb.NODES else "node")))
    head["position"] = 0
    if progress:
        progress(20)

    # Forms: every row checked with the rules of the form that edits the same thing.
    existing_nodes = {n.code: n for n in Node.objects.filter(programme=programme)} if programme else {}
    stub = Node(
        programme=programme,
        kind=Node.Kind.PROGRAMME,
        start=head.get("start"),
        end=head.get("end"),
        code=head.get("code") or "",
    )
    if programme is not None:
        stub.pk = programme.pk
    stub.programme = stub
    people = {p.name: p for p in Person.objects.all()}
    orgs = {o.key: o for o in Organisation.objects.annotate(parent_key=F("parent__key"))}
    total = sum(len(rows) for rows in converted.values()) or 1
    done = 0
    for spec in wb.SHEETS:
        for number, values, ok in converted[spec.name]:
            done += 1
            if progress and done % 2000 == 0:
                progress(20 + 50 * done // total)
            if not ok:
                continue
            if spec is wb.PROGRAMME:
                values["kind"] = Node.Kind.PROGRAMME
                _form_check(spec, values, errors, number, instance=programme or Node())
            elif spec is wb.NODES:
                node = existing_nodes.get(values["code"]) or Node(programme=stub)
                _form_check(
                    spec, values, errors, number, instance=node, parent=Node(programme=stub, kind=Node.Kind.ENTITY)
                )
            elif spec is wb.PERSONS:
                _form_check(spec, values, errors, number, instance=people.get(values["name"]) or Person())
            elif spec is wb.ORGANISATIONS:
                _form_check(spec, values, errors, number, instance=orgs.get(values["key"]) or Organisation())
            elif spec in (wb.PHASES,):
                node = stub
                if values["node"] != head.get("code"):
                    # A node under the programme (made or not yet): its period is the programme's, as PhaseForm asks.
                    node = Node(programme=stub, kind=Node.Kind.ENTITY)
                    node.parent_id = 0
                _form_check(spec, values, errors, number, instance=Phase(), node=node)
            elif spec is wb.TEXTS and values["kind"] == wb.TASK:
                form = TaskForm({"text": values["text"]})
                form.is_valid()
                for message in form.errors.get("text", []):
                    errors.add(spec.name, number, spec.column("text").header, message)
            elif spec.name in FORMS:
                _form_check(spec, values, errors, number, instance=FORMS[spec.name]._meta.model())
            if spec in (wb.RISKS,):
                for name in ("likelihood", "impact"):
                    if values.get(name) is not None and not 1 <= values[name] <= 5:
                        errors.add(spec.name, number, spec.column(name).header, _("Anna luku 1–5."))
            if spec is wb.LINES and values.get("year") is not None and not 2000 <= values["year"] <= 2100:
                errors.add(
                    spec.name,
                    number,
                    spec.column("year").header,
                    _("Vuosi {year} ei kelpaa.").format(year=values["year"]),
                )
    if progress:
        progress(70)

    # Keys: each thing once.
    rows, numbers = {}, {}
    for spec in wb.SHEETS:
        rows[spec.name] = {}
        for number, values, ok in converted[spec.name]:
            if not ok:
                continue
            key = _key(spec, values)
            if key in rows[spec.name]:
                errors.add(
                    spec.name,
                    number,
                    ", ".join(spec.column(k).header for k in spec.key if k != "nth"),
                    _("Sama tunniste kuin rivillä {row}.").format(row=numbers[(spec.name, key)]),
                )
                continue
            rows[spec.name][key] = values
            numbers[(spec.name, key)] = number

    # Persons: a new name that looks like one already known is offered for merging, never merged silently.
    similar, merged = [], {}
    known = defaultdict(list)
    for name in people:
        known[_fold(name)].append(name)
    for (name,), _values in rows[wb.PERSONS.name].items():
        if name in people:
            continue
        others = [other for other in known[_fold(name)] if other != name]
        if others:
            if name in merges and others[0] in people:
                merged[name] = others[0]
            else:
                similar.append((name, others[0]))
        known[_fold(name)].append(name)
    for name in merged:
        rows[wb.PERSONS.name].pop((name,), None)

    _references(rows, numbers, errors, head, programme, people, orgs, merged)
    if errors:
        raise PlanRejected(errors.listed())
    checked = Checked(programme, rows, numbers, merged, similar, present=set(raw))
    costs = _cost_keys()
    checked.differences = lines_differences(
        {(r["plan"], r["node"]): r["total"] for r in rows[wb.BUDGETS.name].values()},
        [(r["plan"], r["node"], r["amount"]) for r in rows[wb.LINES.name].values() if r["category"] in costs],
    )
    if progress:
        progress(80)
    return checked


def _cost_keys():
    return set(CostCategory.objects.filter(kind=CostCategory.Kind.COST).values_list("key", flat=True))


def _references(rows, numbers, errors, head, programme, people, orgs, merged):
    """Every code a row names exists (in the workbook or, for the shared directory, in Salkku); the tree has
    no cycle and nothing hangs under a measure."""
    code = head["code"]
    nodes = {key[0]: values for key, values in rows[wb.NODES.name].items()}
    node_codes = {code, *nodes}
    org_keys = set(orgs) | {key[0] for key in rows[wb.ORGANISATIONS.name]}
    person_names = set(people) | {key[0] for key in rows[wb.PERSONS.name]}
    doc_keys = set(SourceDocument.objects.values_list("key", flat=True)) | {key[0] for key in rows[wb.SOURCES.name]}
    plan_keys = {key[0] for key in rows[wb.PLANS.name]}
    if programme is not None:
        plan_keys |= set(PlanVersion.objects.filter(programme=programme).values_list("key", flat=True))
    indicators = {(key[0], key[1]) for key in rows[wb.INDICATORS.name]}

    def missing(spec, key, column, reason):
        errors.add(spec.name, numbers[(spec.name, key)], spec.column(column).header, reason)

    if code in nodes:
        missing(wb.NODES, (code,), "code", _("Tunnus {code} on hankkeen oma tunnus.").format(code=code))
    for spec in wb.SHEETS:
        for key, values in rows[spec.name].items():
            for column in spec.columns:
                value = values.get(column.key)
                if value in (None, ""):
                    continue
                if column.key == "source" and value not in doc_keys:
                    missing(
                        spec,
                        key,
                        "source",
                        _("Lähdettä {value} ei ole Lähteet-välilehdellä.").format(value=_shown(value)),
                    )
                elif (
                    column.key in ("owner", "funder", "organisation")
                    and spec not in (wb.RISKS,)
                    and value not in org_keys
                ):
                    missing(
                        spec,
                        key,
                        column.key,
                        _("Organisaatiota {value} ei ole Organisaatiot-välilehdellä eikä Salkussa.").format(
                            value=_shown(value)
                        ),
                    )
                elif column.key == "parent" and spec is wb.ORGANISATIONS and value not in org_keys:
                    missing(
                        spec,
                        key,
                        "parent",
                        _("Organisaatiota {value} ei ole Organisaatiot-välilehdellä eikä Salkussa.").format(
                            value=_shown(value)
                        ),
                    )
                elif (column.key == "person" or (spec is wb.RISKS and column.key == "owner")) and merged.get(
                    value, value
                ) not in person_names:
                    missing(
                        spec,
                        key,
                        column.key,
                        _("Henkilöä {value} ei ole Henkilöt-välilehdellä eikä Salkussa.").format(value=_shown(value)),
                    )
                elif column.key == "node" and value not in node_codes:
                    missing(
                        spec,
                        key,
                        "node",
                        _("Hankkeessa ei ole kohdetta tunnuksella {value}.").format(value=_shown(value)),
                    )
                elif column.key == "plan" and value not in plan_keys:
                    missing(
                        spec,
                        key,
                        "plan",
                        _("Suunnitelmaversiota {value} ei ole Suunnitelmaversiot-välilehdellä.").format(
                            value=_shown(value)
                        ),
                    )
            if spec is wb.TARGETS and (values["node"], values["indicator"]) not in indicators:
                missing(
                    spec,
                    key,
                    "indicator",
                    _("Kohteella ei ole indikaattoria numero {value}.").format(value=values["indicator"]),
                )
    for key, values in rows[wb.NODES.name].items():
        parent = values["parent"]
        if parent not in node_codes:
            missing(
                wb.NODES, key, "parent", _("Ylätasoa {value} ei ole Rakenne-välilehdellä.").format(value=_shown(parent))
            )
        elif parent != code and nodes[parent]["kind"] == Node.Kind.MEASURE:
            missing(wb.NODES, key, "parent", _("Toimenpiteen alle ei voi lisätä kohteita."))
    # A cycle: following the parents from a node never reaches the programme.
    reached = {code}
    for start in nodes:
        path, current = [], start
        while current not in reached and current in nodes and current not in path:
            path.append(current)
            current = nodes[current]["parent"]
        if current in path:
            missing(
                wb.NODES,
                (start,),
                "parent",
                _("Ylätasot muodostavat kehän: {path}.").format(path=" → ".join([*path, current])),
            )
        elif current in reached:
            reached.update(path)
    parents = {key[0]: values["parent"] for key, values in rows[wb.ORGANISATIONS.name].items()}
    for key in parents:
        current, path = key, set()
        while current and current not in path:
            path.add(current)
            current = parents[current] if current in parents else (orgs[current].parent_key if current in orgs else "")
        if current == key:
            missing(wb.ORGANISATIONS, (key,), "parent", _("Organisaatio ei voi kuulua itseensä."))
    current_plans = [key for key, values in rows[wb.PLANS.name].items() if values["current"]]
    if rows[wb.PLANS.name] and len(current_plans) != 1:
        errors.add(
            wb.PLANS.name,
            "",
            wb.PLANS.column("current").header,
            _("Täsmälleen yhden version pitää olla voimassa (nyt {count}).").format(count=len(current_plans)),
        )


# --- what an import would change -------------------------------------------------------------------

DIRECTORY = (wb.SOURCES, wb.ORGANISATIONS, wb.PERSONS)
BUDGET_SHEETS = (wb.BUDGETS, wb.LINES)


def _compared(spec):
    """The columns whose values are compared: all but the key, and the order where it is a row's own."""
    names = [column.key for column in spec.columns if column.key not in spec.key]
    if spec in (wb.PROGRAMME, wb.NODES, wb.RESPONSIBILITIES, wb.PARTNERS):
        names.append("position")
    return names


def _current(checked):
    """The current data as {sheet name: {key: row}}: the programme's own rows, and the directory's rows
    that the workbook names (the directory is shared: a row the workbook leaves out is not archived)."""
    rows = plan_rows(checked.programme) if checked.programme else {}
    current = {spec.name: {_key(spec, row): row for row in rows.get(spec.name, [])} for spec in wb.SHEETS}
    by_id = {org.pk: org for org in Organisation.objects.select_related("source_document")}
    orgs = {org.key: org for org in by_id.values()}
    wanted = {key[0] for key in checked.rows[wb.ORGANISATIONS.name]}
    current[wb.ORGANISATIONS.name] = {(k,): _org_row(orgs[k], by_id) for k in wanted if k in orgs}
    names = [key[0] for key in checked.rows[wb.PERSONS.name]]
    current[wb.PERSONS.name] = {
        (p.name,): _person_row(p)
        for p in Person.objects.filter(name__in=names).select_related("organisation", "source_document")
    }
    keys = [key[0] for key in checked.rows[wb.SOURCES.name]]
    current[wb.SOURCES.name] = {(d.key,): _doc_row(d) for d in SourceDocument.objects.filter(key__in=keys)}
    return current


@dataclass
class Changes:
    created: dict  # {sheet name: [key]}
    changed: dict  # {sheet name: [(key, [column key])]}
    archived: dict  # {sheet name: [key]}
    current: dict
    new_versions: list  # keys of the plan versions whose budgets change (a new version is made of each)


def plan_changes(checked):
    """What an import of ``checked`` would create, change and archive, compared with the current data."""
    current = _current(checked)
    created, changed, archived = defaultdict(list), defaultdict(list), defaultdict(list)
    for spec in wb.SHEETS:
        now, wanted = current[spec.name], checked.rows[spec.name]
        compared = _compared(spec)
        for key, row in wanted.items():
            old = now.get(key)
            if old is None:
                created[spec.name].append(key)
                continue
            if spec in DIRECTORY:
                # The directory is shared by every programme: an empty cell leaves what Salkku has (another
                # programme's workbook may name the ministry without its source or business ID).
                for name in compared:
                    if row.get(name) in (None, ""):
                        row[name] = old.get(name)
            differ = [name for name in compared if _differs(old.get(name), row.get(name))]
            if differ:
                changed[spec.name].append((key, differ))
        if spec not in DIRECTORY and spec is not wb.PLANS and spec.name in checked.present:
            archived[spec.name] = [key for key in now if key not in wanted]
    existing_plans = {key[0] for key in current[wb.PLANS.name]}
    new_versions = sorted(
        {
            key[0]
            for spec in BUDGET_SHEETS
            for key in [*created[spec.name], *(k for k, _d in changed[spec.name]), *archived[spec.name]]
            if key[0] in existing_plans
        }
    )
    return Changes(dict(created), dict(changed), dict(archived), current, new_versions)


def _differs(old, new):
    if old in (None, "") and new in (None, ""):
        return False
    return old != new


def _old_versions_changed(checked, changes):
    """Rows that would change a plan version other than the current one: refused (plans are kept as they were)."""
    current = [key[0] for key, row in changes.current[wb.PLANS.name].items() if row["current"]]
    errors = _Errors()
    for spec in BUDGET_SHEETS:
        for key in [*changes.created.get(spec.name, []), *(k for k, _d in changes.changed.get(spec.name, []))]:
            if key[0] in changes.new_versions and key[0] not in current:
                errors.add(
                    spec.name,
                    checked.numbers[(spec.name, key)],
                    wb.PLAN.header,
                    _("Vanhaa suunnitelmaversiota {plan} ei muuteta: muuta voimassa olevan version rivejä.").format(
                        plan=key[0]
                    ),
                )
        for key in changes.archived.get(spec.name, []):
            if key[0] in changes.new_versions and key[0] not in current:
                errors.add(
                    spec.name,
                    "",
                    wb.PLAN.header,
                    _(
                        "Vanhan suunnitelmaversion {plan} rivi {row} puuttuu työkirjasta; vanhaa versiota ei muuteta."
                    ).format(plan=key[0], row=" ".join(str(part) for part in key[1:])),
                )
    return errors


def _people_value(column, value, labels):
    """A value as the preview shows it to people: Finnish dates and euros, choices by their label."""
    from popsote.money import format_euros

    if value in (None, ""):
        return ""
    if column is None:
        return str(value)
    if column.kind == "date":
        return date_format(value, "SHORT_DATE_FORMAT")
    if column.kind == "money":
        return format_euros(value)
    if column.kind == "bool":
        return _("kyllä") if value else _("ei")
    if column.kind == "choice":
        return dict(labels[column.choices]).get(value, str(value))
    if column.kind == "deadline":
        return wb.deadline_text(*value)
    if column.kind == "decimal":
        return f"{value:n}".replace(".", ",") if isinstance(value, Decimal) else str(value)
    text = str(value)
    return text if len(text) <= 120 else text[:120] + "…"


def _label(spec, key, labels):
    parts = []
    for name, part in zip(spec.key, key, strict=True):
        if name == "nth":
            parts.append(f"#{part + 1}")
        else:
            parts.append(_people_value(spec.column(name), part, labels))
    return " · ".join(parts)


def plan_preview(*, content, merges=(), progress=None):
    """What an import would do, as the page and the API show it before it is confirmed; writes nothing."""
    with translation.override(settings.LANGUAGE_CODE):
        checked = _check(content, merges=set(merges), progress=progress)
        changes = plan_changes(checked)
        errors = _old_versions_changed(checked, changes)
        if errors:
            raise PlanRejected(errors.listed())
        return _preview(checked, changes)


def _preview(checked, changes):
    labels = wb.lists(categories())
    entries, counts = [], []
    for spec in wb.SHEETS:
        headers = {c.key: c for c in spec.columns}
        sheet_entries = []
        for key in changes.created.get(spec.name, []):
            sheet_entries.append(
                {
                    "sheet": spec.name,
                    "action": "created",
                    "label": _label(spec, key, labels),
                    "row": checked.numbers[(spec.name, key)],
                    "fields": [],
                }
            )
        for key, names in changes.changed.get(spec.name, []):
            old, new = changes.current[spec.name][key], checked.rows[spec.name][key]
            sheet_entries.append(
                {
                    "sheet": spec.name,
                    "action": "changed",
                    "label": _label(spec, key, labels),
                    "row": checked.numbers[(spec.name, key)],
                    "fields": [
                        [
                            headers[name].header if name in headers else _("järjestys"),
                            _people_value(headers.get(name), old.get(name), labels),
                            _people_value(headers.get(name), new.get(name), labels),
                        ]
                        for name in names
                    ],
                }
            )
        for key in changes.archived.get(spec.name, []):
            sheet_entries.append(
                {"sheet": spec.name, "action": "archived", "label": _label(spec, key, labels), "row": "", "fields": []}
            )
        counts.append(
            {
                "sheet": spec.name,
                "created": len(changes.created.get(spec.name, [])),
                "changed": len(changes.changed.get(spec.name, [])),
                "archived": len(changes.archived.get(spec.name, [])),
            }
        )
        entries.extend(sheet_entries)
    head = checked.rows[wb.PROGRAMME.name]
    (code,), programme = next(iter(head.items()))
    return {
        "programme": {"code": code, "name": programme["name"], "exists": checked.programme is not None},
        "counts": [c for c in counts if c["created"] or c["changed"] or c["archived"]],
        "entries": entries,
        "new_versions": changes.new_versions,
        "similar_persons": [{"name": name, "like": like} for name, like in checked.similar],
        "merged_persons": [{"name": name, "into": into} for name, into in checked.merges.items()],
        "differences": [
            {"plan": plan, "node": node, "total": str(total), "lines": str(lines), "difference": str(difference)}
            for plan, node, total, lines, difference in checked.differences
        ],
    }


# --- writing -------------------------------------------------------------------------------------


@transaction.atomic
def plan_import(*, content, user, merges=(), progress=None):
    """Import a programme from the workbook: all of it or nothing (PlanRejected). Returns the programme.

    Two imports of the same programme wait for one another (a lock on its code), so that the second one
    is compared with what the first one wrote.
    """
    with translation.override(settings.LANGUAGE_CODE):
        raw_code = _programme_code(content)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"salkku-plan-import:{raw_code}"])
        checked = _check(content, merges=set(merges), progress=progress)
        changes = plan_changes(checked)
        errors = _old_versions_changed(checked, changes)
        if errors:
            raise PlanRejected(errors.listed())
        programme = _Writer(checked, changes, user).run()
        if progress:
            progress(100)
        return programme


def _programme_code(content):
    try:
        rows = wb.read_workbook(content).get(wb.PROGRAMME.name, [])
    except wb.WorkbookRejected as rejected:
        raise PlanRejected(rejected.errors) from None
    return str(rows[0][1].get("code") or "").strip() if rows else ""


class _Writer:
    """Writes the changes in the order things hang on one another; every row with its history as the user's."""

    def __init__(self, checked, changes, user):
        self.checked, self.changes, self.user = checked, changes, user
        self.rows = checked.rows
        self.now = timezone.now()

    # helpers

    def create(self, model, objs, reason=REASON):
        for start in range(0, len(objs), BATCH):
            bulk_create_with_history(
                objs[start : start + BATCH], model, default_user=self.user, default_change_reason=reason
            )
        return objs

    def save(self, obj, values):
        fields = [name for name, value in values.items() if getattr(obj, name) != value]
        if not fields:
            return
        for name in fields:
            setattr(obj, name, values[name])
        obj.version += 1
        obj._history_user, obj._change_reason = self.user, REASON
        obj.save(update_fields=[*fields, "version"])

    def archive(self, obj):
        obj._history_user, obj._change_reason = self.user, REASON
        if hasattr(obj, "archived_at"):
            obj.archived_at = self.now
            obj.version += 1
            obj.save(update_fields=["archived_at", "version"])
        elif isinstance(obj, Risk):
            if obj.status != Risk.Status.CLOSED:
                obj.status = Risk.Status.CLOSED
                obj.version += 1
                obj.save(update_fields=["status", "version"])
        else:
            obj.delete()

    def existing(self, spec, model, keys):
        pks = {self.changes.current[spec.name][key]["_pk"]: key for key in keys}
        return {pks[obj.pk]: obj for obj in model.objects.filter(pk__in=pks)}

    def sheet(self, spec, model, values, *, extra=None, only=None):
        """Create, change and archive one sheet's rows (those ``only`` accepts): ``values(row)`` are the model's
        fields of a row, ``extra(key)`` those its key gives."""

        def mine(keys):
            return [key for key in keys if only is None or only(key)]

        keys = mine(self.changes.created.get(spec.name, []))
        created = [model(**values(self.rows[spec.name][key]), **(extra(key) if extra else {})) for key in keys]
        self.create(model, created)
        changed = mine(key for key, _names in self.changes.changed.get(spec.name, []))
        objects = self.existing(spec, model, changed)
        for key in changed:
            self.save(objects[key], values(self.rows[spec.name][key]))
        for obj in self.existing(spec, model, mine(self.changes.archived.get(spec.name, []))).values():
            self.archive(obj)
        return dict(zip(keys, created, strict=True)) | objects

    def source(self, row):
        return {
            "source_document": self.docs.get(row.get("source")) if row.get("source") else None,
            "source_section": row.get("section", ""),
        }

    def org(self, key):
        return self.orgs[key] if key else None

    def person(self, name):
        return self.persons[self.checked.merges.get(name, name)] if name else None

    # the order of writing

    def run(self):
        self.directory()
        root = self.programme()
        self.nodes(root)
        self.texts()
        self.people_and_partners()
        self.decisions(root)
        self.schedules()
        self.budgets(root)
        self.indicators()
        return root

    def directory(self):
        self.sheet(
            wb.SOURCES,
            SourceDocument,
            lambda r: {k: r[k] for k in ("name", "edition", "date", "date_note")},
            extra=lambda key: {"key": key[0]},
        )
        self.docs = {d.key: d for d in SourceDocument.objects.all()}
        parents = {}

        def org_values(row):
            parents[row["key"]] = row["parent"]
            return (
                {k: row[k] for k in ("name", "short_name", "business_id")}
                | {"kind": row["kind"] or Organisation.Kind.OTHER}
                | self.source(row)
            )

        self.sheet(wb.ORGANISATIONS, Organisation, org_values, extra=lambda key: {"key": key[0]})
        self.orgs = {o.key: o for o in Organisation.objects.all()}
        for key, parent in parents.items():
            self.save(self.orgs[key], {"parent": self.orgs.get(parent) if parent else None})
        self.sheet(
            wb.PERSONS,
            Person,
            lambda r: (
                {k: r[k] for k in ("title", "email", "phone")}
                | {"organisation": self.org(r["organisation"])}
                | self.source(r)
            ),
            extra=lambda key: {"name": key[0]},
        )
        self.persons = {p.name: p for p in Person.objects.all()}

    def node_values(self, row):
        return {
            **{
                k: row[k]
                for k in ("name", "short_name", "description", "start", "end", "schedule_text", "reports_monthly")
            },
            "owner": self.org(row["owner"]),
            **self.source(row),
        }

    def programme(self):
        (code,), row = next(iter(self.rows[wb.PROGRAMME.name].items()))
        root = self.checked.programme
        if root is None:
            root = Node(code=code, kind=Node.Kind.PROGRAMME, **self.node_values(row))
            root._history_user, root._change_reason = self.user, REASON
            root.save()
            root.programme = root
            root._history_user = self.user
            root.save(update_fields=["programme"])
        else:
            root = Node.objects.select_for_update().get(pk=root.pk)
            self.save(root, self.node_values(row) | {"archived_at": None})
        return root

    def nodes(self, root):
        spec = wb.NODES
        self.by_code = {n.code: n for n in Node.objects.filter(programme=root)}
        self.by_code[root.code] = root
        rows = self.rows[spec.name]
        depth = {}

        def depth_of(code):
            # Iteratively: a tree may be deep (the check has ruled out cycles).
            path = []
            while code != root.code and code not in depth:
                path.append(code)
                code = rows[(code,)]["parent"]
            level = 0 if code == root.code else depth[code]
            for item in reversed(path):
                level += 1
                depth[item] = level
            return level

        created = self.changes.created.get(spec.name, [])
        revived = [key for key in created if key[0] in self.by_code]  # archived before, in the workbook again
        for level in sorted({depth_of(key[0]) for key in created}):
            batch = []
            for key in created:
                if depth_of(key[0]) != level:
                    continue
                row = rows[key]
                values = self.node_values(row) | {
                    "kind": row["kind"],
                    "parent": self.by_code[row["parent"]],
                    "position": row["position"],
                    "programme": root,
                    "archived_at": None,
                }
                if key in revived:
                    self.save(self.by_code[key[0]], values)
                else:
                    # A bulk insert skips Node.save, which writes the path: the parent's is known here.
                    batch.append(Node(code=key[0], path=values["parent"].descendants_prefix, **values))
            self.create(Node, batch)
            self.by_code.update({node.code: node for node in batch})
        for key, _names in self.changes.changed.get(spec.name, []):
            row = rows[key]
            self.save(
                self.by_code[key[0]],
                self.node_values(row)
                | {"kind": row["kind"], "parent": self.by_code[row["parent"]], "position": row["position"]},
            )
        for key in self.changes.archived.get(spec.name, []):
            self.archive(self.by_code[key[0]])

    def texts(self):
        for model, kinds in ((Goal, set(Goal.Kind.values)), (Output, {wb.OUTPUT}), (Task, {wb.TASK})):
            self.sheet(
                wb.TEXTS,
                model,
                lambda r: {"text": r["text"], **self.source(r)},
                extra=lambda key, model=model: (
                    {"node": self.by_code[key[0]], "position": key[2]} | ({"kind": key[1]} if model is Goal else {})
                ),
                only=lambda key, kinds=kinds: key[1] in kinds,
            )

    def people_and_partners(self):
        self.sheet(
            wb.RESPONSIBILITIES,
            Responsibility,
            lambda r: {
                "organisation": self.org(r["organisation"]),
                "title": r["title"],
                "note": r["note"],
                "position": r["position"],
                **self.source(r),
            },
            extra=lambda key: {"node": self.by_code[key[0]], "person": self.person(key[1]), "role": key[2]},
        )
        self.sheet(
            wb.PARTNERS,
            Partner,
            lambda r: {
                "share": r["share"],
                "share_text": r["share_text"],
                "note": r["note"],
                "position": r["position"],
                **self.source(r),
            },
            extra=lambda key: {"node": self.by_code[key[0]], "organisation": self.org(key[1])},
        )
        self.sheet(
            wb.RISKS,
            Risk,
            lambda r: {
                "category": r["category"] or Risk.Category.OTHER,
                **{k: r[k] for k in ("title", "description", "likelihood", "impact", "mitigation")},
                "owner": self.person(r["owner"]),
                "status": r["status"] or Risk.Status.OPEN,
                **self.source(r),
            },
            extra=lambda key: {"node": self.by_code[key[0]], "position": key[1]},
        )

    def decisions(self, root):
        self.sheet(
            wb.DECISIONS,
            FundingDecision,
            lambda r: {
                **{
                    k: r[k]
                    for k in ("title", "amount", "grant_rate", "eligible_start", "eligible_end", "period_text", "note")
                },
                "funder": self.org(r["funder"]),
                "source": r["source_of_money"],
                **self.source(r),
            },
            extra=lambda key: {"programme": root, "number": key[0], "date": key[1]},
        )

    def schedules(self):
        self.sheet(
            wb.PHASES,
            Phase,
            lambda r: {k: r[k] for k in ("name", "start", "end", "text")} | self.source(r),
            extra=lambda key: {"node": self.by_code[key[0]], "position": key[1]},
        )
        self.sheet(
            wb.MILESTONES,
            Milestone,
            lambda r: (
                {k: r[k] for k in ("name", "planned_date", "actual_date")}
                | {"status": r["status"] or Milestone.Status.PLANNED}
                | self.source(r)
            ),
            extra=lambda key: {"node": self.by_code[key[0]], "position": key[1]},
        )

    def indicators(self):
        made = self.sheet(
            wb.INDICATORS,
            Indicator,
            lambda r: (
                {k: r[k] for k in ("name", "national", "unit", "baseline", "text")}
                | {"direction": r["direction"] or Indicator.Direction.INCREASE}
                | self.source(r)
            ),
            extra=lambda key: {"node": self.by_code[key[0]], "position": key[1] - 1},
        )
        by_number = {
            (n.node.code, n.position + 1): n
            for n in Indicator.objects.filter(
                node__programme=self.by_code[next(iter(self.rows[wb.PROGRAMME.name]))[0]], archived_at__isnull=True
            ).select_related("node")
        }
        by_number.update(made)
        self.sheet(
            wb.TARGETS,
            IndicatorTarget,
            lambda r: {"value": r["value"], "text": r["text"], "is_interim": r["interim"] or False},
            extra=lambda key: {"indicator": by_number[(key[0], key[1])], "year": key[2][0], "quarter": key[2][1]},
        )

    def budgets(self, root):
        spec = wb.PLANS
        new_versions = self.changes.new_versions
        # One current version at a time (a constraint): the flag is cleared before it is set again.
        wants_current = [key[0] for key, row in self.rows[spec.name].items() if row["current"]]
        plans = {p.key: p for p in PlanVersion.objects.filter(programme=root)}
        if (
            new_versions
            or (wants_current and wants_current[0] not in plans)
            or any("current" in names for _key, names in self.changes.changed.get(spec.name, []))
        ):
            for plan in plans.values():
                if plan.is_current:
                    self.save(plan, {"is_current": False})
        created = [
            PlanVersion(
                programme=root,
                key=key[0],
                name=row["name"],
                date=row["date"],
                note=row["note"],
                is_current=bool(row["current"]) and not new_versions,
                **self.source(row),
            )
            for key in self.changes.created.get(spec.name, [])
            for row in [self.rows[spec.name][key]]
        ]
        self.create(PlanVersion, created)
        plans.update({p.key: p for p in created})
        for key, _names in self.changes.changed.get(spec.name, []):
            row = self.rows[spec.name][key]
            self.save(
                plans[key[0]],
                {
                    "name": row["name"],
                    "date": row["date"],
                    "note": row["note"],
                    "is_current": bool(row["current"]) and not new_versions,
                    **self.source(row),
                },
            )
        # A plan version whose budgets change is copied into a new current version; the changes go there.
        target = {key: plans[key] for key in plans}
        for key in new_versions:
            old = plans[key]
            today = timezone.localdate()
            new_key = f"{key[:40]}-{today:%Y%m%d}"
            taken = set(PlanVersion.objects.filter(programme=root).values_list("key", flat=True))
            suffix = 2
            while new_key in taken:
                new_key, suffix = f"{key[:40]}-{today:%Y%m%d}-{suffix}", suffix + 1
            plan = PlanVersion(
                programme=root,
                key=new_key,
                name=_("{name}, tuonti {date}").format(name=old.name, date=date_format(today, "SHORT_DATE_FORMAT"))[
                    :200
                ],
                date=today,
                is_current=True,
                note=_("Suunnitelmatyökirjan tuonti muutti version {name} budjetteja.").format(name=old.name),
            )
            self.create(PlanVersion, [plan])
            plan_contents_copy(old=old, new=plan, user=self.user, batch=BATCH)
            target[key] = plan
        categories_by_key = {c.key: c for c in CostCategory.objects.all()}
        for sheet, model, key_fields in (
            (wb.BUDGETS, NodeBudget, lambda key: {"plan": target[key[0]], "node": self.by_code[key[1]]}),
            (
                wb.LINES,
                BudgetLine,
                lambda key: {
                    "plan": target[key[0]],
                    "node": self.by_code[key[1]],
                    "category": categories_by_key[key[2]],
                    "year": key[3],
                },
            ),
        ):
            values = (
                (
                    lambda r: {
                        "total": r["total"],
                        "grant": r["grant"],
                        "own_funding": r["own_funding"],
                        "note": r["note"],
                        **self.source(r),
                    }
                )
                if model is NodeBudget
                else (lambda r: {"amount": r["amount"], **self.source(r)})
            )
            created = [
                model(**key_fields(key), **values(self.rows[sheet.name][key]))
                for key in self.changes.created.get(sheet.name, [])
            ]
            self.create(model, created)
            for key, _names in self.changes.changed.get(sheet.name, []):
                self.save(model.objects.get(**key_fields(key)), values(self.rows[sheet.name][key]))
            for key in self.changes.archived.get(sheet.name, []):
                if key[0] in new_versions:  # taken out of the new version; the old one keeps it
                    obj = model.objects.get(**key_fields(key))
                    obj._history_user, obj._change_reason = self.user, REASON
                    obj.delete()


# --- the background job ----------------------------------------------------------------------------


def plan_upload_queue(*, file, user):
    """Keep an uploaded workbook (its size checked before it is read) and have a worker check it; the task
    is sent once the row is committed. Raises WorkbookRejected for the size, BrokerUnavailable (keeping
    nothing) when the task queue does not answer."""
    wb.size_check(file.size)
    with transaction.atomic():
        upload = PlanUpload(file_name=printable(file.name or "")[:255] or "suunnitelma.xlsx", uploaded_by=user)
        upload.file.save("suunnitelma.xlsx", file, save=False)
        upload.save()
        transaction.on_commit(partial(_send, upload.pk))
    return upload


class NotPending(Exception):
    """The upload is not waiting for a confirmation."""


def plan_upload_confirm(*, upload, merges=()):
    """Import a previewed workbook: a worker does it, the upload shows how far."""
    with transaction.atomic():
        claimed = PlanUpload.objects.filter(pk=upload.pk, status=PlanUpload.Status.PREVIEW).update(
            status=PlanUpload.Status.QUEUED, confirmed_at=timezone.now(), merges=list(merges), progress=0
        )
        if not claimed:
            raise NotPending
        transaction.on_commit(partial(_send, upload.pk))


def _send(upload_id):
    try:
        send("reports.tasks.run_plan_upload", upload_id)
    except BrokerUnavailable:
        for upload in PlanUpload.objects.filter(
            pk=upload_id, status=PlanUpload.Status.QUEUED, confirmed_at__isnull=True
        ):
            upload.file.delete(save=False)
            upload.delete()
        PlanUpload.objects.filter(pk=upload_id, status=PlanUpload.Status.QUEUED).update(
            status=PlanUpload.Status.PREVIEW, confirmed_at=None
        )
        raise


def _lost():
    lost = timezone.now() - timedelta(seconds=settings.JOB_LOST_AFTER)
    return Q(status=PlanUpload.Status.RUNNING) & (
        Q(heartbeat_at__lt=lost) | Q(heartbeat_at__isnull=True, started_at__lt=lost)
    )


def plan_upload_run(upload_id, *, claim=""):
    """Check (before a confirmation) or import (after one) an upload's workbook. Safe to run twice: only the
    run that claims the row works."""
    now = timezone.now()
    claimed = PlanUpload.objects.filter(Q(status=PlanUpload.Status.QUEUED) | _lost(), pk=upload_id).update(
        status=PlanUpload.Status.RUNNING, started_at=now, heartbeat_at=now, claimed_by=claim, progress=5
    )
    if not claimed:
        return False
    upload = PlanUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    mine = PlanUpload.objects.filter(pk=upload_id, status=PlanUpload.Status.RUNNING, claimed_by=claim)

    def progress(percent):
        mine.update(progress=percent, heartbeat_at=timezone.now())

    with upload.file.open("rb") as file:
        content = file.read()
    try:
        with heartbeat(lambda: mine.update(heartbeat_at=timezone.now())):
            if upload.confirmed_at is None:
                preview = plan_preview(content=content, progress=progress)
                mine.update(status=PlanUpload.Status.PREVIEW, preview=preview, progress=100, finished_at=timezone.now())
                return False
            programme = plan_import(content=content, user=upload.uploaded_by, merges=upload.merges, progress=progress)
    except wb.WorkbookRejected as rejected:
        mine.update(
            status=PlanUpload.Status.REJECTED,
            errors=[[str(part) for part in error] for error in rejected.errors],
            finished_at=timezone.now(),
        )
        return False
    except Exception:
        mine.update(
            status=PlanUpload.Status.FAILED,
            errors=[
                ["", "", "", _("Tuonti keskeytyi odottamattomaan virheeseen; mitään ei tallennettu. Yritä uudelleen.")]
            ],
            finished_at=timezone.now(),
        )
        raise
    mine.update(status=PlanUpload.Status.DONE, programme=programme, progress=100, finished_at=timezone.now())
    return True


def plan_uploads_requeue():
    """Send again the uploads whose task was lost: queued for long, or whose worker died."""
    lost = list(
        PlanUpload.objects.filter(
            Q(status=PlanUpload.Status.QUEUED, created_at__lt=timezone.now() - timedelta(minutes=10)) | _lost()
        ).values_list("pk", flat=True)
    )
    for pk in lost:
        send("reports.tasks.run_plan_upload", pk)
    return lost
