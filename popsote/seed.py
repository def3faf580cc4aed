"""The POPsote seed loader: the plans transcribed in fixtures/popsote/*.yaml, into every app's models."""

from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from budgets.models import BudgetLine, CostCategory, NodeBudget, PlanVersion
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
    Task,
)
from reports.models import ReportingPeriod, StatusUpdate
from reports.workflow import default_deadline


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


def _quarter(text, where):
    """``"2025Q4"`` → ``(2025, 4)``."""
    try:
        year, quarter = str(text).upper().split("Q")
        return int(year), int(quarter)
    except ValueError:
        raise SeedError(
            _("{where}: kvartaali {value!r} ei ole muotoa 2025Q4").format(where=where, value=text)
        ) from None


def _text(value):
    return "" if value is None else str(value).strip()


class _Loader:
    """Upserts by natural keys and saves only what differs, so a second run writes nothing."""

    def __init__(self):
        self.stats = Counter()
        self.organisations = {}
        self.persons = {}

    def upsert(self, model, lookup, values):
        obj = model.objects.filter(**lookup).first()
        label = model._meta.model_name
        if obj is None:
            obj = model(**lookup, **values)
            self.validate(obj)
            obj.save()
            self.stats[f"{label}.created"] += 1
            return obj
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            self.validate(obj)
            obj.version += 1
            obj.save(update_fields=[*changed, "version"])
            self.stats[f"{label}.updated"] += 1
        return obj

    @staticmethod
    def validate(obj):
        try:
            obj.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise SeedError(f"{obj._meta.verbose_name} {obj}: {'; '.join(error.messages)}") from None

    def organisation(self, key, where):
        if key is None:
            return None
        try:
            return self.organisations[key]
        except KeyError:
            raise SeedError(_("{where}: tuntematon organisaatio {key!r}").format(where=where, key=key)) from None

    def person(self, name, where):
        try:
            return self.persons[name]
        except KeyError:
            raise SeedError(_("{where}: tuntematon henkilö {name!r}").format(where=where, name=name)) from None

    def load_organisations(self, rows):
        pending = list(rows or [])
        # Parents first: an organisation may name a parent defined later in the list.
        for row in sorted(pending, key=lambda r: r.get("parent") is not None):
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
                },
            )

    def load_persons(self, rows):
        for row in rows or []:
            name = _text(row["name"])
            self.persons[name] = self.upsert(
                Person,
                {"name": name},
                {
                    "title": _text(row.get("title")),
                    "organisation": self.organisation(row.get("organisation"), name),
                    "email": _text(row.get("email")),
                    "phone": _text(row.get("phone")),
                },
            )

    def load_programme(self, data):
        row = data["programme"]
        where = row["code"]
        values = self._node_values(row, where)
        root = Node.objects.filter(parent__isnull=True, code=row["code"]).first()
        if root is None:
            root = Node(code=row["code"], kind=Node.Kind.PROGRAMME, **values)
            self.validate(root)
            root.save()
            root.programme = root
            root.save(update_fields=["programme"])
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
                },
            )

        for decision in row.get("funding_decisions") or []:
            dwhere = f"{where} {decision.get('number')}"
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
                    "source": decision["source"],
                    "note": _text(decision.get("note")),
                },
            )
        self._node_details(root, row, plans, where)
        self._children(root, root, row.get("children") or [], plans)

    # Rows of the seeds' tables that the software computes (subtotals, totals, funding lines).
    COMPUTED_ROWS = {"kustannukset_yhteensa", "valtionavustukseen_oikeuttavat", "haettava_valtionavustus"}
    CATEGORY_ALIASES = {"omarahoitus": "hanketoimijoiden_omarahoitus"}

    def load_budget_lines(self, programme_code, rows):
        categories = {c.key: c for c in CostCategory.objects.all()}
        parents = {c.parent_id for c in categories.values()}
        nodes = {n.code: n for n in Node.objects.filter(programme__code=programme_code, programme__parent=None)}
        plans = {p.key: p for p in PlanVersion.objects.filter(programme__code=programme_code, programme__parent=None)}
        for row in rows or []:
            key = self.CATEGORY_ALIASES.get(row["category"], row["category"])
            where = f"{programme_code}/{row['node']} {key} {row['year']}"
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
                {"amount": _money(row["amount"], where)},
            )

    def _node_values(self, row, where):
        kind = row.get("kind") or Node.Kind.PROGRAMME
        if kind not in Node.Kind.values:
            raise SeedError(_("{where}: tuntematon tyyppi {kind!r}").format(where=where, kind=kind))
        return {
            "name": _text(row["name"]),
            "short_name": _text(row.get("short_name")),
            "description": _text(row.get("description")),
            "start": row.get("start"),
            "end": row.get("end"),
            "owner": self.organisation(row.get("owner"), where),
            "source": _text(row.get("source")),
        }

    def _children(self, programme, parent, rows, plans):
        for position, row in enumerate(rows):
            where = f"{programme.code}/{row.get('code')}"
            if row.get("kind") == Node.Kind.PROGRAMME:
                raise SeedError(_("{where}: hanke ei voi olla toisen alla").format(where=where))
            values = self._node_values(row, where)
            node = self.upsert(
                Node,
                {"programme": programme, "code": row["code"]},
                {**values, "kind": row["kind"], "parent": parent, "position": position},
            )
            self._node_details(node, row, plans, where)
            self._children(programme, node, row.get("children") or [], plans)

    def _node_details(self, node, row, plans, where):
        positions = Counter()
        for goal in row.get("goals") or []:
            kind = goal.get("kind", Goal.Kind.KEY)
            self.upsert(Goal, {"node": node, "kind": kind, "position": positions[kind]}, {"text": _text(goal["text"])})
            positions[kind] += 1
        for position, text in enumerate(row.get("outputs") or []):
            self.upsert(Output, {"node": node, "position": position}, {"text": _text(text)})
        for position, text in enumerate(row.get("tasks") or []):
            self.upsert(Task, {"node": node, "position": position}, {"text": _text(text)})
        for position, item in enumerate(row.get("responsibilities") or []):
            self.upsert(
                Responsibility,
                {
                    "node": node,
                    "person": self.person(_text(item["person"]), where),
                    "role": item.get("role", "responsible"),
                },
                {"note": _text(item.get("note")), "position": position},
            )
        for position, item in enumerate(row.get("partners") or []):
            self.upsert(
                Partner,
                {"node": node, "organisation": self.organisation(item["organisation"], where)},
                {"share": _money(item.get("share"), where), "note": _text(item.get("note")), "position": position},
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
                },
            )
        for position, item in enumerate(row.get("milestones") or []):
            self.upsert(
                Milestone,
                {"node": node, "position": position},
                {"name": _text(item["name"]), "planned_date": item.get("date")},
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
                },
            )
            targets = [(t["value"], t["quarter"], True) for t in item.get("interim_targets") or []]
            if item.get("target") is not None and item.get("target_quarter"):
                targets.append((item["target"], item["target_quarter"], False))
            for value, quarter, interim in targets:
                year, q = _quarter(quarter, where)
                self.upsert(
                    IndicatorTarget,
                    {"indicator": indicator, "year": year, "quarter": q},
                    {"value": _money(value, where), "is_interim": interim},
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
                },
            )

    def load_status_updates(self, code, rows):
        """Status reviews of the plans, as approved updates of closed periods (created once; never changed)."""

        for row in rows or []:
            where = f"{code} status_updates {row.get('node')} {row.get('month')}"
            try:
                month = date.fromisoformat(f"{row['month']}-01")
            except (KeyError, ValueError):
                raise SeedError(_("{where}: kuukausi muodossa VVVV-KK puuttuu").format(where=where)) from None
            node = Node.objects.filter(programme__code=code, programme__parent__isnull=True, code=row["node"]).first()
            if node is None:
                raise SeedError(_("{where}: tuntematon kohde").format(where=where))
            period, created = ReportingPeriod.objects.get_or_create(
                programme=node.programme,
                month=month,
                defaults={"deadline": default_deadline(month), "status": ReportingPeriod.Status.CLOSED},
            )
            if created:
                self.stats["reportingperiod.created"] += 1
            if StatusUpdate.objects.filter(period=period, node=node).exists():
                continue
            presenter = _text(row.get("presenter"))
            update = StatusUpdate(
                period=period,
                node=node,
                status=StatusUpdate.Status.APPROVED,
                **dict.fromkeys(StatusUpdate.LIGHTS, ""),  # the documents give no lights
                done=_text(row.get("done")),
                next_steps=_text(row.get("next_steps")),
                decisions=_text(row.get("decisions")),
                source=_("Hankkeen tilannekatsaus, esittäjä {presenter}").format(presenter=presenter)
                if presenter
                else _("Hankkeen tilannekatsaus"),
            )
            self.validate(update)
            update.save()
            self.stats["statusupdate.created"] += 1


def seed_directory():
    return Path(__file__).resolve().parent.parent / "fixtures" / "popsote"


@transaction.atomic
def seed_load(*, directory=None):
    """Load every POPsote seed file of ``directory``; all or nothing. Returns counts of rows written."""
    files = sorted(Path(directory or seed_directory()).glob("*.yaml"))
    if not files:
        raise SeedError(_("Kansiosta {directory} ei löytynyt aineistoja").format(directory=directory))
    documents = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            documents.append((path.name, yaml.safe_load(handle)))
    loader = _Loader()
    # Organisations and persons of every file first (a programme may name people defined in another
    # file), merged so that each row is written once: the first file to give a field wins.
    loader.load_organisations(_merged(documents, "organisations", "key"))
    loader.load_persons(_merged(documents, "persons", "name"))
    for _name, data in documents:
        loader.load_programme(data)
        loader.load_budget_lines(data["programme"]["code"], data.get("budget_lines"))
        loader.load_status_updates(data["programme"]["code"], data.get("status_updates"))
    return loader.stats


def _merged(documents, section, key):
    rows = {}
    for _name, data in documents:
        for row in data.get(section) or []:
            merged = rows.setdefault(_text(row[key]), {})
            for field, value in row.items():
                if merged.get(field) in (None, ""):
                    merged[field] = value
    return list(rows.values())
