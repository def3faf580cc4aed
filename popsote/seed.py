"""The POPsote seed loader: the plans transcribed in fixtures/popsote/*.yaml, into every app's models.

Every row it writes names the plan document and the section it comes from. Run again, it brings an
existing database to what the fixtures say: it updates what differs and removes what the fixtures no
longer hold, each change in the row's history with ``REASON``. It never touches a row someone has
edited in Salkku (any history record with a user), nor the demo accounts' people.
"""

from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from budgets.models import BudgetLine, CostCategory, NodeBudget, PlanVersion
from indicators.models import Indicator, IndicatorTarget
from milestones.models import Milestone, Phase
from portfolio.models import (
    Background,
    Body,
    Evaluation,
    FundingDecision,
    Goal,
    Node,
    Organisation,
    Output,
    Partner,
    Person,
    Responsibility,
    Risk,
    ServiceContract,
    SourceDocument,
    Task,
)
from reports.models import ReportingPeriod, StatusUpdate
from reports.rrf import is_rrf, rrf_targets_derive
from reports.workflow import default_deadline

REASON = "Korjattu suunnitelman mukaiseksi (load_popsote)"


class SeedError(ValueError):
    """The seed data is malformed; the message says where."""


def _money(value, where):
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(" ", ""))
    except InvalidOperation:
        raise SeedError(_("{where}: rahamäärä {value!r} ei ole luku").format(where=where, value=value)) from None
    return amount.quantize(Decimal("0.01"))


def _deadline(text, where):
    """``"2025Q4"`` → ``(2025, 4)``; ``"2030"`` (a year's target) → ``(2030, None)``."""
    text = str(text).upper()
    try:
        if "Q" not in text:
            return int(text), None
        year, quarter = text.split("Q")
        return int(year), int(quarter)
    except ValueError:
        raise SeedError(
            _("{where}: määräaika {value!r} ei ole muotoa 2025Q4 tai 2030").format(where=where, value=text)
        ) from None


def _text(value):
    return "" if value is None else str(value).strip()


def _plain(value):
    """A lookup's value as the database holds it: a row by its id, a choice by its value."""
    if isinstance(value, models.Model):
        return value.pk
    return value.value if isinstance(value, Enum) else value


def _stored(obj, name):
    """The value of a field as stored, a relation as its id (reading the related row would be a query)."""
    return getattr(obj, obj._meta.pk.attname if name == "pk" else obj._meta.get_field(name).attname)


class _Loader:
    """Upserts by natural keys and saves only what differs, so a second run writes nothing."""

    def __init__(self):
        self.stats = Counter()
        self.organisations = {}
        self.persons = {}
        self.documents = {}
        self.seen = set()
        self._edited = {}
        self._tables = {}

    # --- writing -------------------------------------------------------------------------------

    def edited(self, model):
        """Ids of the model's rows someone changed in Salkku: the loader leaves them as they are."""
        if model not in self._edited:
            self._edited[model] = set(model.history.filter(history_user__isnull=False).values_list("id", flat=True))
        return self._edited[model]

    def find(self, model, lookup):
        """The row ``model.objects.filter(**lookup).first()`` would give, and the table it came from: a model's
        rows are read once per set of key fields, not once per row, in the order ``first()`` takes them."""
        names = tuple(sorted(lookup))
        table = self._tables.get((model, names))
        if table is None:
            table = self._tables[(model, names)] = {}
            for obj in model.objects.order_by(*(model._meta.ordering or ["pk"])):
                table.setdefault(tuple(_stored(obj, name) for name in names), obj)
        return table, table.get(tuple(_plain(lookup[name]) for name in names))

    def upsert(self, model, lookup, values):
        table, obj = self.find(model, lookup)
        label = model._meta.model_name
        if obj is None:
            obj = model(**lookup, **values)
            self.validate(obj)
            obj.save()
            table[tuple(_plain(lookup[name]) for name in sorted(lookup))] = obj
            self.seen.add((model, obj.pk))
            self.stats[f"{label}.created"] += 1
            return obj
        self.seen.add((model, obj.pk))
        changed = [field for field, value in values.items() if _stored(obj, field) != _plain(value)]
        if changed and obj.pk in self.edited(model):
            self.stats[f"{label}.kept_as_edited"] += 1
        elif changed:
            for field in changed:
                setattr(obj, field, values[field])
            self.validate(obj)
            obj.version += 1
            obj._change_reason = REASON
            obj.save(update_fields=[*changed, "version"])
            self.stats[f"{label}.updated"] += 1
        return obj

    def remove_unseen(self, model, queryset):
        """Remove the loader's rows the fixtures no longer hold: archive what can be archived, else delete."""
        edited = self.edited(model)
        for obj in queryset:
            if (model, obj.pk) in self.seen or obj.pk in edited:
                continue
            obj._change_reason = REASON
            label = model._meta.model_name
            if hasattr(obj, "archived_at"):
                if obj.archived_at is None:
                    obj.archived_at = _now()
                    obj.version += 1
                    obj.save(update_fields=["archived_at", "version"])
                    self.stats[f"{label}.archived"] += 1
            else:
                obj.delete()
                self.stats[f"{label}.deleted"] += 1

    @staticmethod
    def validate(obj):
        # A relation to a row the loader holds (read or saved in this run) needs no query to prove that it exists.
        held = [
            f.name for f in obj._meta.fields if f.is_relation and getattr(f.get_cached_value(obj, None), "pk", None)
        ]
        try:
            obj.full_clean(exclude=held, validate_constraints=False)
        except ValidationError as error:
            raise SeedError(f"{obj._meta.verbose_name} {obj}: {'; '.join(error.messages)}") from None

    # --- lookups -------------------------------------------------------------------------------

    def organisation(self, key, where):
        if key is None:
            return None
        try:
            return self.organisations[key]
        except KeyError:
            raise SeedError(_("{where}: tuntematon organisaatio {key!r}").format(where=where, key=key)) from None

    def person(self, name, where):
        if name is None:
            return None
        try:
            return self.persons[_text(name)]
        except KeyError:
            raise SeedError(_("{where}: tuntematon henkilö {name!r}").format(where=where, name=name)) from None

    def source(self, row, inherited, where, required=True):
        """``{"source_document": …, "source_section": …}`` of a row; a row says its own or takes its node's."""
        key = row.get("source", inherited[0])
        section = _text(row["section"]) if "section" in row else inherited[1]
        if key is None and not required:
            return {"source_document": None, "source_section": ""}
        if key is None:
            raise SeedError(_("{where}: lähdeasiakirja puuttuu").format(where=where))
        try:
            document = self.documents[key]
        except KeyError:
            raise SeedError(_("{where}: tuntematon lähdeasiakirja {key!r}").format(where=where, key=key)) from None
        return {"source_document": document, "source_section": section}

    # --- the directory: documents, organisations, persons --------------------------------------

    def load_documents(self, rows):
        for row in rows:
            self.documents[row["key"]] = self.upsert(
                SourceDocument,
                {"key": row["key"]},
                {
                    "name": _text(row["name"]),
                    "edition": _text(row.get("edition")),
                    "date": row.get("date"),
                    "date_note": _text(row.get("date_note")),
                },
            )

    def load_organisations(self, rows):
        # Parents first: an organisation may name a parent defined later in the list.
        for row in sorted(rows, key=lambda r: r.get("parent") is not None):
            where = f"organisation {row.get('key')}"
            self.organisations[row["key"]] = self.upsert(
                Organisation,
                {"key": row["key"]},
                {
                    "name": _text(row["name"]),
                    "short_name": _text(row.get("short_name")),
                    "kind": row.get("kind") or Organisation.Kind.OTHER,
                    "business_id": _text(row.get("business_id")),
                    "parent": self.organisation(row.get("parent"), where),
                    # Where the name (or business ID) is written; an organisation named only as a
                    # role's may have none.
                    **self.source(row, (None, ""), where, required=False),
                },
            )

    def load_persons(self, rows):
        for row in rows:
            name = _text(row["name"])
            self.persons[name] = self.upsert(
                Person,
                {"name": name},
                {
                    # A person's title and organisation are the role's (each plan gives its own).
                    "title": _text(row.get("title")),
                    "organisation": self.organisation(row.get("organisation"), name),
                    "email": _text(row.get("email")),
                    "phone": _text(row.get("phone")),
                    # Only contact details need a source of their own; a name stands in its roles.
                    **self.source(row, (None, ""), name, required=False),
                },
            )

    def load_service_contracts(self, rows):
        for row in rows or []:
            where = f"service_contracts {row.get('municipality')}"
            self.upsert(
                ServiceContract,
                {
                    "municipality": self.organisation(row["municipality"], where),
                    "provider": self.organisation(row["provider"], where),
                },
                {
                    "valid_until": row.get("valid_until"),
                    "valid_text": _text(row.get("valid_text")),
                    "archived_at": None,
                    **self.source(row, (None, ""), where),
                },
            )

    # --- a programme -----------------------------------------------------------------------------

    def load_programme(self, data):
        row = data["programme"]
        where = row["code"]
        inherited = (row.get("source"), _text(row.get("section")))
        values = self._node_values(row, inherited, where)
        root = Node.objects.filter(parent__isnull=True, code=row["code"]).first()
        if root is None:
            root = Node(code=row["code"], kind=Node.Kind.PROGRAMME, **values)
            self.validate(root)
            root.save()
            root.programme = root
            root.save(update_fields=["programme"])
            self.seen.add((Node, root.pk))
            self.stats["node.created"] += 1
        else:
            root = self.upsert(Node, {"pk": root.pk}, {**values, "kind": Node.Kind.PROGRAMME, "programme": root})

        current = [p["key"] for p in row.get("plan_versions") or [] if p.get("current")]
        if len(current) != 1:
            raise SeedError(
                _("{where}: täsmälleen yksi suunnitelmaversio pitää merkitä voimassa olevaksi").format(where=where)
            )
        # Clear the old flag first: one current version per programme is a database constraint.
        PlanVersion.objects.filter(programme=root, is_current=True).exclude(key=current[0]).update(is_current=False)
        plans = {}
        for plan in row.get("plan_versions") or []:
            plans[plan["key"]] = self.upsert(
                PlanVersion,
                {"programme": root, "key": plan["key"]},
                {
                    "name": _text(plan["name"]),
                    "date": plan.get("date"),
                    "note": _text(plan.get("note")),
                    "is_current": plan["key"] == current[0],
                    **self.source(plan, inherited, f"{where} {plan['key']}"),
                },
            )

        for decision in row.get("funding_decisions") or []:
            dwhere = f"{where} {decision.get('title')}"
            self.upsert(
                FundingDecision,
                {"programme": root, "number": _text(decision.get("number")), "date": decision.get("date")},
                {
                    "funder": self.organisation(decision["funder"], dwhere),
                    "title": _text(decision.get("title")),
                    "amount": _money(decision.get("amount"), dwhere),
                    "grant_rate": _money(decision.get("grant_rate"), dwhere),
                    "eligible_start": decision.get("eligible_start"),
                    "eligible_end": decision.get("eligible_end"),
                    "period_text": _text(decision.get("period_text")),
                    "source": decision["source_of_money"],
                    "note": _text(decision.get("note")),
                    "archived_at": None,
                    **self.source(decision, inherited, dwhere),
                },
            )
        self._node_details(root, row, plans, inherited, where)
        self._children(root, root, row.get("children") or [], plans, inherited)
        return root, plans

    def _node_values(self, row, inherited, where):
        kind = row.get("kind") or Node.Kind.PROGRAMME
        if kind not in Node.Kind.values:
            raise SeedError(_("{where}: tuntematon tyyppi {kind!r}").format(where=where, kind=kind))
        return {
            "name": _text(row["name"]),
            "short_name": _text(row.get("short_name")),
            "description": _text(row.get("description")),
            "start": row.get("start"),
            "end": row.get("end"),
            "schedule_text": _text(row.get("schedule_text")),
            "owner": self.organisation(row.get("owner"), where),
            "reports_monthly": bool(row.get("reports_monthly")),
            "archived_at": None,
            **self.source(row, inherited, where),
        }

    def _children(self, programme, parent, rows, plans, inherited):
        for position, row in enumerate(rows):
            where = f"{programme.code}/{row.get('code')}"
            if row.get("kind") == Node.Kind.PROGRAMME:
                raise SeedError(_("{where}: hanke ei voi olla toisen alla").format(where=where))
            values = self._node_values(row, inherited, where)
            node = self.upsert(
                Node,
                {"programme": programme, "code": row["code"]},
                {**values, "kind": row["kind"], "parent": parent, "position": position},
            )
            own = (values["source_document"].key, values["source_section"])
            self._node_details(node, row, plans, own, where)
            self._children(programme, node, row.get("children") or [], plans, own)

    def _node_details(self, node, row, plans, inherited, where):
        def source(item, what):
            return self.source(item, inherited, f"{where} {what}")

        positions = Counter()
        for goal in row.get("goals") or []:
            kind = goal.get("kind", Goal.Kind.KEY)
            self.upsert(
                Goal,
                {"node": node, "kind": kind, "position": positions[kind]},
                {"text": _text(goal["text"]), **source(goal, "goals")},
            )
            positions[kind] += 1
        for position, item in enumerate(row.get("outputs") or []):
            item = item if isinstance(item, dict) else {"text": item}
            self.upsert(
                Output, {"node": node, "position": position}, {"text": _text(item["text"]), **source(item, "outputs")}
            )
        for position, item in enumerate(row.get("tasks") or []):
            item = item if isinstance(item, dict) else {"text": item}
            self.upsert(
                Task,
                {"node": node, "position": position},
                {"text": _text(item["text"]), "archived_at": None, **source(item, "tasks")},
            )
        for position, item in enumerate(row.get("responsibilities") or []):
            self.upsert(
                Responsibility,
                {"node": node, "person": self.person(item["person"], where), "role": item.get("role", "responsible")},
                {
                    "organisation": self.organisation(item.get("organisation"), where),
                    "title": _text(item.get("title")),
                    "note": _text(item.get("note")),
                    "position": position,
                    **source(item, "responsibilities"),
                },
            )
        for position, item in enumerate(row.get("partners") or []):
            self.upsert(
                Partner,
                {"node": node, "organisation": self.organisation(item["organisation"], where)},
                {
                    "share": _money(item.get("share"), where),
                    "share_text": _text(item.get("share_text")),
                    "note": _text(item.get("note")),
                    "position": position,
                    **source(item, "partners"),
                },
            )
        for item in row.get("budgets") or []:
            if item["plan"] not in plans:
                raise SeedError(
                    _("{where}: tuntematon suunnitelmaversio {plan!r}").format(where=where, plan=item["plan"])
                )
            self.upsert(
                NodeBudget,
                {"plan": plans[item["plan"]], "node": node},
                {
                    "total": _money(item["total"], where),
                    "grant": _money(item.get("grant"), where),
                    "own_funding": _money(item.get("own"), where),
                    "note": _text(item.get("note")),
                    **source(item, "budgets"),
                },
            )
        for position, item in enumerate(row.get("milestones") or []):
            self.upsert(
                Milestone,
                {"node": node, "position": position},
                {
                    "name": _text(item["name"]),
                    "planned_date": item.get("date"),
                    "status": item.get("status") or Milestone.Status.PLANNED,
                    "actual_date": item.get("actual_date"),
                    "archived_at": None,
                    **source(item, "milestones"),
                },
            )
        for position, item in enumerate(row.get("risks") or []):
            self.upsert(
                Risk,
                {"node": node, "position": position},
                {
                    "category": item.get("category") or Risk.Category.OTHER,
                    "title": _text(item.get("title")),
                    "description": _text(item.get("description")),
                    "mitigation": _text(item.get("mitigation")),
                    **source(item, "risks"),
                },
            )
        for position, item in enumerate(row.get("indicators") or []):
            indicator = self.upsert(
                Indicator,
                {"node": node, "position": position},
                {
                    "name": _text(item["name"]),
                    "national": bool(item.get("national")),
                    "unit": _text(item.get("unit")),
                    "direction": item.get("direction") or Indicator.Direction.INCREASE,
                    "baseline": _money(item.get("baseline"), where),
                    "text": _text(item.get("text")),
                    "archived_at": None,
                    **source(item, "indicators"),
                },
            )
            for target in item.get("targets") or []:
                year, quarter = _deadline(target["deadline"], where)
                self.upsert(
                    IndicatorTarget,
                    {"indicator": indicator, "year": year, "quarter": quarter},
                    {
                        "value": _money(target.get("value"), where),
                        "text": _text(target.get("text")),
                        "is_interim": bool(target.get("interim")),
                    },
                )
        for position, item in enumerate(row.get("phases") or []):
            self.upsert(
                Phase,
                {"node": node, "position": position},
                {
                    "name": _text(item["name"]),
                    "start": item.get("start"),
                    "end": item.get("end"),
                    "text": _text(item.get("text")),
                    "archived_at": None,
                    **source(item, "phases"),
                },
            )
        bodies = {}
        for position, item in enumerate(row.get("bodies") or []):
            bodies[item["name"]] = self.upsert(
                Body,
                {"node": node, "position": position},
                {
                    "kind": item["kind"],
                    "name": _text(item["name"]),
                    "description": _text(item.get("description")),
                    "presented_by": _text(item.get("presented_by")),
                    "reports_to": bodies[item["reports_to"]] if item.get("reports_to") else None,
                    "chair": self.person(item.get("chair"), where),
                    "archived_at": None,
                    **source(item, "bodies"),
                },
            )
        for position, item in enumerate(row.get("evaluation") or []):
            self.upsert(
                Evaluation,
                {"node": node, "position": position},
                {
                    "stage": _text(item.get("stage")),
                    "subject": _text(item.get("subject")),
                    "timing": _text(item.get("timing")),
                    "performed_by": _text(item.get("performed_by")),
                    "published_in": _text(item.get("published_in")),
                    "text": _text(item["text"]),
                    "archived_at": None,
                    **source(item, "evaluation"),
                },
            )
        for position, item in enumerate(row.get("background") or []):
            self.upsert(
                Background,
                {"node": node, "position": position},
                {
                    "kind": item["kind"],
                    "title": _text(item["title"]),
                    "date": item.get("date"),
                    "date_text": _text(item.get("date_text")),
                    "text": _text(item["text"]),
                    "archived_at": None,
                    **source(item, "background"),
                },
            )

    # Rows of the seeds' tables that the software computes (subtotals, totals, funding lines).
    COMPUTED_ROWS = {"kustannukset_yhteensa", "valtionavustukseen_oikeuttavat", "haettava_valtionavustus"}
    CATEGORY_ALIASES = {"omarahoitus": "hanketoimijoiden_omarahoitus"}

    def load_budget_lines(self, programme, plans, rows, inherited):
        categories = {c.key: c for c in CostCategory.objects.all()}
        parents = {c.parent_id for c in categories.values()}
        nodes = {n.code: n for n in Node.objects.filter(programme=programme)}
        for row in rows or []:
            key = self.CATEGORY_ALIASES.get(row["category"], row["category"])
            where = f"{programme.code}/{row['node']} {key} {row['year']}"
            if key in self.COMPUTED_ROWS or (key in categories and categories[key].pk in parents):
                continue
            if key not in categories:
                raise SeedError(_("{where}: tuntematon kustannuslaji").format(where=where))
            node, plan = nodes.get(row["node"]), plans.get(row["plan"])
            if node is None or plan is None:
                raise SeedError(_("{where}: tuntematon kohde tai suunnitelmaversio").format(where=where))
            self.upsert(
                BudgetLine,
                {"plan": plan, "node": node, "category": categories[key], "year": int(row["year"])},
                {"amount": _money(row["amount"], where), **self.source(row, inherited, where)},
            )

    def load_status_updates(self, programme, rows, inherited):
        """Status reviews of the documents: imported updates (approved by no one), read-only on every page."""
        for row in rows or []:
            where = f"{programme.code} status_updates {row.get('node')} {row.get('month')}"
            try:
                month = date.fromisoformat(f"{row['month']}-01")
            except (KeyError, ValueError):
                raise SeedError(_("{where}: kuukausi muodossa VVVV-KK puuttuu").format(where=where)) from None
            node = Node.objects.filter(programme=programme, code=row["node"]).first()
            if node is None:
                raise SeedError(_("{where}: tuntematon kohde").format(where=where))
            period, created = ReportingPeriod.objects.get_or_create(
                programme=programme,
                month=month,
                defaults={"deadline": default_deadline(month), "status": ReportingPeriod.Status.CLOSED},
            )
            if created:
                self.stats["reportingperiod.created"] += 1
            source = self.source(row, inherited, where)
            values = {
                "period": period,
                **dict.fromkeys(StatusUpdate.LIGHTS, ""),  # the documents give no lights
                "done": _text(row.get("text")),
                "next_steps": "",
                "decisions": "",
                "source": "",
                "area": self.organisation(row.get("area"), where),
                "presenter": self.person(row.get("presenter"), where),
                "dating": _text(row.get("dating", source["source_document"].date_note)),
                **source,
            }
            existing = StatusUpdate.objects.filter(
                node=node, status=StatusUpdate.Status.IMPORTED, created_by__isnull=True
            ).first()
            clash = StatusUpdate.objects.filter(period=period, node=node)
            if existing is not None:
                clash = clash.exclude(pk=existing.pk)
            if clash.exists():
                raise SeedError(_("{where}: kohteella on jo katsaus tällä kaudella").format(where=where))
            self.upsert(
                StatusUpdate,
                {"node": node, "status": StatusUpdate.Status.IMPORTED, "created_by": None},
                values,
            )

    def remove_unseen_of(self, programme):
        """What the fixtures no longer hold of one programme, removed (children before parents)."""
        nodes = Node.objects.filter(programme=programme)
        demo = Responsibility.objects.filter(person__is_demo=True)
        for model, rows in (
            (Goal, Goal.objects.filter(node__in=nodes)),
            (Output, Output.objects.filter(node__in=nodes)),
            (Task, Task.objects.filter(node__in=nodes, archived_at__isnull=True)),
            (Responsibility, Responsibility.objects.filter(node__in=nodes).exclude(pk__in=demo)),
            (Partner, Partner.objects.filter(node__in=nodes)),
            (Risk, Risk.objects.filter(node__in=nodes, reports__isnull=True)),
            (Milestone, Milestone.objects.filter(node__in=nodes, archived_at__isnull=True)),
            (Phase, Phase.objects.filter(node__in=nodes, archived_at__isnull=True)),
            (IndicatorTarget, IndicatorTarget.objects.filter(indicator__node__in=nodes)),
            (Indicator, Indicator.objects.filter(node__in=nodes, archived_at__isnull=True)),
            (Body, Body.objects.filter(node__in=nodes, archived_at__isnull=True)),
            (Evaluation, Evaluation.objects.filter(node__in=nodes, archived_at__isnull=True)),
            (Background, Background.objects.filter(node__in=nodes, archived_at__isnull=True)),
            (BudgetLine, BudgetLine.objects.filter(node__in=nodes)),
            (NodeBudget, NodeBudget.objects.filter(node__in=nodes)),
            (PlanVersion, PlanVersion.objects.filter(programme=programme, lines=None, node_budgets=None)),
            (FundingDecision, FundingDecision.objects.filter(programme=programme, archived_at__isnull=True)),
            (
                StatusUpdate,
                StatusUpdate.objects.filter(node__in=nodes, status=StatusUpdate.Status.IMPORTED, created_by=None),
            ),
            (Node, nodes.filter(archived_at__isnull=True).exclude(pk=programme.pk).order_by("-pk")),
        ):
            self.remove_unseen(model, rows.distinct())


def _now():
    from django.utils import timezone

    return timezone.now()


def seed_directory():
    return Path(__file__).resolve().parent.parent / "fixtures" / "popsote"


def read_fixtures(directory=None):
    """``[(file name, its data)]`` of every seed file of ``directory``."""
    files = sorted(Path(directory or seed_directory()).glob("*.yaml"))
    if not files:
        raise SeedError(_("Kansiosta {directory} ei löytynyt aineistoja").format(directory=directory))
    documents = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            # libyaml's parser (PyYAML's wheels carry it) reads the same data in an eighth of the time.
            documents.append((path.name, yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))))
    return documents


@transaction.atomic
def seed_load(*, directory=None):
    """Load every POPsote seed file of ``directory``; all or nothing. Returns counts of rows written."""
    documents = read_fixtures(directory)
    loader = _Loader()
    # The directory of every file first (a programme may name people defined in another file),
    # merged so that each row is written once; two files giving one field different values is an error.
    loader.load_documents(merged(documents, "documents", "key"))
    loader.load_organisations(merged(documents, "organisations", "key"))
    loader.load_persons(merged(documents, "persons", "name"))
    for _name, data in documents:
        loader.load_service_contracts(data.get("service_contracts"))
    for _name, data in documents:
        programme, plans = loader.load_programme(data)
        inherited = (data["programme"].get("source"), "")
        loader.load_budget_lines(programme, plans, data.get("budget_lines"), inherited)
        loader.load_status_updates(programme, data.get("status_updates"), inherited)
        loader.remove_unseen_of(programme)
        # The national indicators of an RRF programme's plan are its measure's targets (once each).
        if is_rrf(programme):
            rrf_targets_derive(programme)
    return loader.stats


def merged(documents, section, key):
    rows = {}
    for name, data in documents:
        for row in data.get(section) or []:
            merged_row = rows.setdefault(_text(row[key]), {})
            for field, value in row.items():
                if merged_row.get(field) in (None, ""):
                    merged_row[field] = value
                elif value not in (None, "") and value != merged_row[field]:
                    raise SeedError(
                        _("{name}: {section} {key}: {field} on toisessa tiedostossa {other!r}").format(
                            name=name, section=section, key=row[key], field=field, other=merged_row[field]
                        )
                    )
    return list(rows.values())
