"""Budget arithmetic and writes: funding split, ledger import."""

import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from popsote.money import parse_euros
from portfolio.models import Node
from portfolio.services import tracked_update

from .models import ActualCost, LedgerAccount, LedgerImport

CENT = Decimal("0.01")


COLUMNS = {
    "kausi": ("kausi", "päivämäärä", "pvm", "period", "date"),
    "kustannuspaikka": ("kustannuspaikka", "cost centre", "cost center"),
    "tili": ("tili", "account"),
    "kohde": ("kohde", "tunnus", "node"),
    "summa": ("summa", "amount"),
    "selite": ("selite", "kuvaus", "description"),
}
REQUIRED = ("kausi", "tili", "kohde", "summa")


class LedgerRejected(Exception):
    """The extract was not imported; ``errors`` lists (row, column, reason) or a file-level reason."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{r} {c}: {m}" for r, c, m in errors))
        self.errors = errors


def _read_rows(name, content):
    import csv
    import io

    from openpyxl import load_workbook

    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise LedgerRejected(
                [("", "", _("Tiedostoa ei voi lukea Excel-tiedostona ({error}).").format(error=error))]
            ) from None
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ";", delimiters=";,\t")
    return list(csv.reader(io.StringIO(text), dialect))


def _month(value):
    import datetime as dt

    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%m/%Y", "%Y-%m", "%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError(text)


@transaction.atomic
def ledger_import(*, programme, name, content, user):
    """Import a ledger extract into ``programme``: all rows or none. Returns the LedgerImport."""
    rows = _read_rows(name, content)
    if not rows:
        raise LedgerRejected([("", "", _("Tiedosto on tyhjä."))])
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    index = {}
    for column, names in COLUMNS.items():
        found = [i for i, title in enumerate(header) if title in names]
        if found:
            index[column] = found[0]
    missing = [column for column in REQUIRED if column not in index]
    if missing:
        raise LedgerRejected([(1, ", ".join(missing), _("Otsikkoriviltä puuttuu sarake."))])
    nodes = {n.code: n for n in Node.objects.active().filter(programme=programme)}
    accounts = {a.account: a for a in LedgerAccount.objects.select_related("category")}
    costs, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        if all(value in (None, "") for value in row):
            continue
        values = {column: row[i] if i < len(row) else None for column, i in index.items()}
        cell = values.get
        try:
            month = _month(cell("kausi"))
        except ValueError:
            errors.append(
                (
                    number,
                    "kausi",
                    _("Päivämäärä tai kausi {value!r} ei kelpaa (esim. 31.5.2023 tai 5/2023).").format(
                        value=cell("kausi")
                    ),
                )
            )
            month = None
        account = accounts.get(str(cell("tili") or "").strip())
        if account is None:
            errors.append(
                (number, "tili", _("Tiliä {value!r} ei ole kustannuslajien tilitaulukossa.").format(value=cell("tili")))
            )
        node = nodes.get(str(cell("kohde") or "").strip())
        if node is None:
            errors.append(
                (number, "kohde", _("Hankkeessa ei ole kohdetta tunnuksella {value!r}.").format(value=cell("kohde")))
            )
        try:
            amount = (
                parse_euros(cell("summa"))
                if not isinstance(cell("summa"), (int, float))
                else Decimal(str(cell("summa")))
            )
            amount = amount.quantize(CENT)
        except ValueError:
            errors.append((number, "summa", _("Summa {value!r} ei ole rahamäärä.").format(value=cell("summa"))))
            amount = None
        if month and account and node and amount is not None:
            costs.append(
                ActualCost(
                    node=node,
                    category=account.category,
                    month=month,
                    amount=amount,
                    account=account.account,
                    cost_centre=str(cell("kustannuspaikka") or "")[:40],
                    description=str(cell("selite") or "")[:500],
                )
            )
    if errors:
        raise LedgerRejected(errors)
    if not costs:
        raise LedgerRejected([("", "", _("Tiedostossa ei ole yhtään kulua."))])
    # The fingerprint is of the rows, not the bytes: the same extract saved again is still recognised.
    fingerprint = "\n".join(
        "|".join(str(v) for v in (c.node.code, c.month, c.amount, c.account, c.cost_centre, c.description))
        for c in costs
    )
    digest = hashlib.sha256(f"{programme.pk}\n{fingerprint}".encode()).hexdigest()
    earlier = LedgerImport.objects.filter(sha256=digest).select_related("imported_by").first()
    if earlier:
        raise LedgerRejected(
            [
                (
                    "",
                    "",
                    _("Tämä aineisto on jo tuotu {date} ({file}); samoja kuluja ei lasketa kahdesti.").format(
                        date=date_format(timezone.localtime(earlier.imported_at), "SHORT_DATETIME_FORMAT"),
                        file=earlier.file_name,
                    ),
                )
            ]
        )
    batch = LedgerImport.objects.create(
        programme=programme,
        file_name=name[:255],
        sha256=digest,
        imported_by=user,
        row_count=len(costs),
        total=sum((c.amount for c in costs), Decimal(0)),
    )
    for cost in costs:
        cost.ledger_import = batch
        cost.save()  # one by one, so that each cost has its audit history row
    return batch


@transaction.atomic
def plan_version_create(*, programme, name):
    """Revise the plan: copy the current version (node totals and lines) into a new current version."""
    from django.utils.text import slugify

    from .models import BudgetLine, NodeBudget, PlanVersion

    current = PlanVersion.objects.select_for_update().filter(programme=programme, is_current=True).first()
    key = slugify(name)[:50] or "versio"
    while PlanVersion.objects.filter(programme=programme, key=key).exists():
        key = f"{key[:45]}-{PlanVersion.objects.filter(programme=programme).count() + 1}"
    if current:
        current.is_current = False
        current.version += 1
        current.save(update_fields=["is_current", "version"])
    plan = PlanVersion.objects.create(
        programme=programme, key=key, name=name, date=timezone.localdate(), is_current=True
    )
    if current:
        for budget in NodeBudget.objects.filter(plan=current):
            NodeBudget.objects.create(
                plan=plan,
                node_id=budget.node_id,
                total=budget.total,
                grant=budget.grant,
                own_funding=budget.own_funding,
                note=budget.note,
            )
        for line in BudgetLine.objects.filter(plan=current):
            BudgetLine.objects.create(
                plan=plan, node_id=line.node_id, category_id=line.category_id, year=line.year, amount=line.amount
            )
    return plan


def budget_lines_stamp(*, plan, node):
    """A fingerprint of a node's lines in a plan: a save based on other lines is stale."""
    from .models import BudgetLine

    lines = BudgetLine.objects.filter(plan=plan, node=node).order_by("category_id", "year")
    text = ";".join(f"{c}:{y}:{a}:{v}" for c, y, a, v in lines.values_list("category_id", "year", "amount", "version"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class StaleLines(Exception):
    """Someone changed the lines after the form was opened."""


@transaction.atomic
def budget_lines_save(*, plan, node, amounts, stamp):
    """Write ``{(category id, year): amount}`` for ``node`` in ``plan``; empty amounts remove the line."""
    from .models import BudgetLine, PlanVersion

    PlanVersion.objects.select_for_update().get(pk=plan.pk)  # serialise saves of one plan
    if budget_lines_stamp(plan=plan, node=node) != stamp:
        raise StaleLines
    existing = {(line.category_id, line.year): line for line in BudgetLine.objects.filter(plan=plan, node=node)}
    for (category_id, year), amount in amounts.items():
        line = existing.get((category_id, year))
        if amount is None:
            if line:
                line.delete()
        elif line is None:
            BudgetLine.objects.create(plan=plan, node=node, category_id=category_id, year=year, amount=amount)
        elif line.amount != amount:
            line.amount = amount
            line.version += 1
            line.save(update_fields=["amount", "version"])


@transaction.atomic
def node_budget_set(*, node, total, user=None):
    """Write the node's total into its programme's current plan version (creating the row); None leaves it."""
    from .models import NodeBudget, PlanVersion

    if total is None:
        return
    plan = PlanVersion.objects.filter(programme=node.programme_id, is_current=True).first()
    if plan is None:
        plan = PlanVersion.objects.create(
            programme=node.programme, key="suunnitelma", name=_("Hankesuunnitelma"), is_current=True
        )
    budget = NodeBudget.objects.filter(plan=plan, node=node).select_for_update().first()
    if budget is None:
        NodeBudget.objects.create(plan=plan, node=node, total=total)
    elif budget.total != total:
        tracked_update(budget, total=total, _user=user)
