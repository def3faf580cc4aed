"""How the pages and jobs grow with the data: the POPsote portfolio copied to 10 and 100 times its size, and
POP-Digi-Hoitotakuu 2 itself grown 10 and 100 times, in a transaction rolled back at the end."""

import html
import statistics
import time
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from budgets.models import ActualCost, BudgetLine, CostCategory, NodeBudget, PlanVersion
from popsote.numbers import format_number
from portfolio.models import Node
from portfolio.views import OVERVIEW_PROGRAMMES
from reports.report_data import monthly_report_rows
from reports.workflow import period_open

PROGRAMME = "POPDIGI2"
TABLES = ("portfolio_node", "budgets_planversion", "budgets_nodebudget", "budgets_budgetline", "budgets_actualcost")
COPIED = ("kind", "name", "short_name", "start", "end", "owner_id", "reports_monthly", "position")


class Rollback(Exception):
    pass


class Sql:
    """Counts the statements and the characters of SQL sent while it is installed."""

    def __init__(self):
        self.count = self.size = 0
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.size += len(sql)
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def explain(queries, slower_than_ms=2.0):
    """The plans of the SELECTs that took longer than ``slower_than_ms`` in the database (EXPLAIN ANALYZE)."""
    plans = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}", params)
            lines = [row[0] for row in cursor.fetchall()]
            took = float(lines[-1].split(":")[1].split()[0])
            if took >= slower_than_ms:
                plans.append((took, sql, lines))
    return plans


def clone_nodes(sources, copies, mark):
    """``copies`` copies of ``sources`` (whole subtrees: a node's parent is among them or is where its copy
    hangs too). A copied programme is a programme of its own; codes get ``-{mark}{copy}``. Written in bulk,
    a level at a time, paths set here (no ``save``). Returns one ``{old pk: new node}`` per copy."""
    by_id = {node.pk: node for node in sources}
    levels = {}
    for node in sources:
        depth, parent = 0, by_id.get(node.parent_id)
        while parent is not None:
            depth, parent = depth + 1, by_id.get(parent.parent_id)
        levels.setdefault(depth, []).append(node)
    outside = {n.parent_id for n in sources if n.parent_id not in by_id and n.parent_id is not None}
    hangs_on = Node.objects.in_bulk(outside)
    maps = [{} for _ in range(copies)]
    for depth in sorted(levels):
        batch = []
        for copy, mapping in enumerate(maps, start=1):
            for node in levels[depth]:
                parent = mapping.get(node.parent_id) or hangs_on.get(node.parent_id)
                programme = mapping.get(node.programme_id)
                clone = Node(
                    **{field: getattr(node, field) for field in COPIED},
                    code=f"{node.code}-{mark}{copy}"[:40],
                    parent=parent,
                    programme_id=programme.pk if programme else (node.programme_id if parent else None),
                    path=parent.descendants_prefix if parent else "",
                )
                batch.append((mapping, node.pk, clone))
        Node.objects.bulk_create([clone for _m, _pk, clone in batch], batch_size=2000)
        for mapping, pk, clone in batch:
            mapping[pk] = clone
    Node.objects.filter(parent__isnull=True, programme__isnull=True).update(programme_id=F("pk"))
    return maps


def clone_budgets(maps, plans):
    """The written budgets and cost lines of the copied nodes in ``plans`` ({old plan: new plan})."""
    for plan, new_plan in plans.items():
        written = list(NodeBudget.objects.filter(plan=plan).order_by().values_list("node_id", "total"))
        lines = list(
            BudgetLine.objects.filter(plan=plan).order_by().values_list("node_id", "category_id", "year", "amount")
        )
        for mapping in maps:
            NodeBudget.objects.bulk_create(
                [NodeBudget(plan=new_plan(mapping), node=mapping[n], total=t) for n, t in written if n in mapping],
                batch_size=2000,
            )
            BudgetLine.objects.bulk_create(
                [
                    BudgetLine(plan=new_plan(mapping), node=mapping[n], category_id=c, year=y, amount=a)
                    for n, c, y, a in lines
                    if n in mapping
                ],
                batch_size=2000,
            )


def copy_portfolio(programmes, copies, mark):
    """``copies`` more copies of the ``programmes`` (ids), with their current plan's budgets."""
    originals = list(Node.objects.filter(programme__in=programmes).active())
    maps = clone_nodes(originals, copies, mark)
    plans = {}
    for plan in PlanVersion.objects.filter(programme__in=programmes, is_current=True):
        made = {}
        for mapping in maps:
            copy = mapping[plan.programme_id]
            made[copy.pk] = PlanVersion(programme=copy, key=plan.key, name=plan.name, date=plan.date, is_current=True)
        PlanVersion.objects.bulk_create(made.values())
        plans[plan] = lambda mapping, plan=plan, made=made: made[mapping[plan.programme_id].pk]
    clone_budgets(maps, plans)


def grow_programme(programme, nodes, copies, mark):
    """``copies`` more copies of ``nodes`` (the programme's first-level subtrees as the seed loaded them) inside
    it, with their budgets, and two actual costs on each new measure (one inside the decision's period of
    use, one before it)."""
    maps = clone_nodes(nodes, copies, mark)
    plan = PlanVersion.objects.get(programme=programme, is_current=True)
    clone_budgets(maps, {plan: lambda mapping: plan})
    category = CostCategory.objects.filter(kind=CostCategory.Kind.COST, children__isnull=True, eligible=True).first()
    measures = [clone for mapping in maps for clone in mapping.values() if clone.kind == Node.Kind.MEASURE]
    ActualCost.objects.bulk_create(
        [
            ActualCost(node=measure, category=category, month=month, amount="100.00")
            for measure in measures
            for month in (date(2024, 3, 1), date(2019, 1, 1))
        ],
        batch_size=2000,
    )


def analyze():
    """Fresh planner statistics after a bulk load, as autovacuum would keep them in a database in use."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(TABLES)}")


def vacuum():
    """The rolled-back rows of a bulk load removed, and fresh statistics (outside a transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {', '.join(TABLES)}")


def overview_floor():
    """The overview's rows as raw SQL and a string join: the same page of programmes, their first level
    with its written budget and the number of children, as table rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH page AS (
                SELECT id FROM portfolio_node WHERE parent_id IS NULL AND archived_at IS NULL
                ORDER BY name, id LIMIT %s
            )
            SELECT n.id, n.parent_id, n.code, n.name, n.kind, n.start, n."end", b.total,
                   (SELECT count(*) FROM portfolio_node c WHERE c.parent_id = n.id AND c.archived_at IS NULL)
            FROM portfolio_node n
            LEFT JOIN budgets_nodebudget b ON b.node_id = n.id
                 AND b.plan_id IN (SELECT id FROM budgets_planversion WHERE is_current)
            WHERE n.archived_at IS NULL AND (n.id IN (SELECT id FROM page) OR n.parent_id IN (SELECT id FROM page))
            ORDER BY n.position, n.id
            """,
            [OVERVIEW_PROGRAMMES],
        )
        rows = cursor.fetchall()
    children = {}
    for row in rows:
        children.setdefault(row[1], []).append(row)
    out = []
    for programme in sorted(children.get(None, []), key=lambda row: (row[3], row[0])):
        for row in [programme, *children.get(programme[0], [])]:
            pk, _parent, code, name, kind, start, end, total, kids = row
            out.append(
                f'<tr id="kohde-{pk}"><th><a href="/kohde/{pk}/">{html.escape(code)} {html.escape(name)}</a>'
                f"{f' <a href=?auki={pk}>+ {kids}</a>' if kids and row is not programme else ''}</th>"
                f"<td>{kind}</td><td>{start or ''}–{end or ''}</td><td>{total or ''}</td></tr>"
            )
    return "\n".join(out).encode()


class Command(BaseCommand):
    help = (
        "Mittaa sivujen ja töiden kasvun: koko salkku 1, 10 ja 100 kertaa sekä POP-Digi-Hoitotakuu 2 1, 10 ja 100 "
        "kertaa kokoisena (tapahtuma perutaan lopuksi)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--sizes", default="1,10,100")
        parser.add_argument(
            "--explain", action="store_true", help="EXPLAIN ANALYZE kyselyistä, jotka kestävät yli 2 ms"
        )

    def _measure(self, label, name, run, repeat):
        sql = Sql()
        with connection.execute_wrapper(sql):
            result = run()
        if hasattr(result, "status_code"):
            assert result.status_code == 200, (name, result.status_code)
            size = len(result.content)
        else:
            size = len(result) if isinstance(result, bytes) else None
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        self.results[(name, label)] = median
        if self.explain and connection.vendor == "postgresql":
            for took, query, lines in explain(sql.queries):
                self.explained.append(
                    f"{label} · {name}: {format_number(took, 1)} ms\n  {query[:300]}\n    " + "\n    ".join(lines)
                )
        size_text = f"{format_number(size / 1000, 0)} kB" if size is not None else "–"
        self.stdout.write(
            f"{label:<22} {name:<26} {format_number(median, 1):>10} {sql.count:>8} {format_number(sql.size / 1000, 1):>9} kB {size_text:>10}"
        )
        self.stdout.flush()

    @override_settings(ALLOWED_HOSTS=["testserver"])
    def handle(self, *args, repeat, sizes, explain, **options):
        sizes = [int(size) for size in sizes.split(",")]
        self.results, self.explain, self.explained = {}, explain, []
        self.stdout.write(
            f"{'aineisto':<22} {'sivu tai työ':<26} {'mediaani ms':>10} {'kyselyt':>8} {'SQL':>12} {'vastaus':>10}"
        )
        for part in (self.portfolio, self.programme):
            # Each part starts from a vacuumed database, as autovacuum keeps one in use: the rows an earlier
            # part (or run) rolled back would otherwise stay in the tables, read by every scan of them.
            vacuum()
            try:
                with transaction.atomic():
                    user = get_user_model().objects.create_superuser("bench-scale", password=None)
                    client = Client()
                    client.force_login(user)
                    part(client, sizes, repeat)
                    raise Rollback
            except Rollback:
                pass
        self.summary(sizes)
        for plan in self.explained:
            self.stdout.write(plan)

    def portfolio(self, client, sizes, repeat):
        with transaction.atomic():
            made, originals = 1, list(Node.objects.programmes().values_list("pk", flat=True))
            for times in sizes:
                if times > made:
                    copy_portfolio(originals, times - made, f"x{times}-")
                    analyze()
                    made = times
                label = f"salkku {times} × ({Node.objects.count()})"
                pages = {
                    "yleisnäkymä": reverse("portfolio:overview"),
                    "API /measures/": reverse("api:measure-list"),
                    "talous": reverse("budgets:overview"),
                }
                self._measure(label, "yleisnäkymän lattia (SQL)", overview_floor, repeat)
                for name, url in pages.items():
                    self._measure(
                        label, name, lambda url=url: client.get(url, secure=True), max(1, repeat if times < 100 else 3)
                    )
            transaction.set_rollback(True)

    def programme(self, client, sizes, repeat):
        programme = Node.objects.get(code=PROGRAMME, parent=None)
        area = Node.objects.get(programme=programme, code="P4I1")
        period = period_open(programme=programme, month=date(2025, 11, 1))
        made, nodes = 1, list(Node.objects.filter(programme=programme).active().exclude(pk=programme.pk))
        for times in sizes:
            if times > made:
                grow_programme(programme, nodes, times - made, f"g{times}-")
                analyze()
                made = times
            label = f"{PROGRAMME} {times} × ({Node.objects.filter(programme=programme).count()})"
            pages = {
                "hankkeen sivu": (programme.get_absolute_url(), {}),
                "kustannusarvio": (reverse("budgets:node", args=[programme.pk]), {}),
                "alatasot auki (P4I1)": (reverse("portfolio:subtree", args=[area.pk]), {"HX-Request": "true"}),
            }
            for name, (url, headers) in pages.items():
                self._measure(
                    label, name, lambda url=url, headers=headers: client.get(url, headers=headers, secure=True), repeat
                )
            self._measure(label, "kuukausiraportin rivit", lambda: monthly_report_rows(period) and None, repeat)

    def summary(self, sizes):
        self.stdout.write("")
        for name in ("yleisnäkymä", "API /measures/", "talous"):
            figures = {label: ms for (page, label), ms in self.results.items() if page == name}
            floors = {label: ms for (page, label), ms in self.results.items() if page == "yleisnäkymän lattia (SQL)"}
            for label, ms in figures.items():
                self.stdout.write(f"{name}, {label}: {format_number(ms / floors[label], 1)} × lattia")
        for name in ("hankkeen sivu", "kustannusarvio", "alatasot auki (P4I1)", "kuukausiraportin rivit"):
            figures = [ms for (page, _label), ms in self.results.items() if page == name]
            if len(figures) > 1:
                ratios = ", ".join(f"{format_number(ms / figures[0], 1)} ×" for ms in figures[1:])
                self.stdout.write(f"{name}: {ratios} (1 × = {format_number(figures[0], 0)} ms)")
