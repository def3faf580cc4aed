"""How long the portfolio workbook's import takes for a large programme, beside the floor of the same work.

Builds a made-up programme of ``--measures`` measures (``reports.plan_workbook.example_rows``: each with
a responsible person, a budget, two cost lines, a task and a milestone), writes its workbook, then in a
transaction it rolls back: checks it (the preview) and imports it as a new programme. Beside that it
prints the floor: reading the same workbook's cells with openpyxl and inserting the same number of
rows with a plain ``bulk_create`` (no checks, no history). It measures, it asserts nothing.
"""

import io
import time
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from openpyxl import load_workbook

from budgets.models import BudgetLine, CostCategory, NodeBudget, PlanVersion
from milestones.models import Milestone
from portfolio.models import Node, Person, Responsibility, Task
from reports.plan_import import categories, plan_import, plan_preview
from reports.plan_workbook import example_rows, plan_workbook


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Times the portfolio workbook's export, check and import of a large programme beside a bulk insert floor."

    def add_arguments(self, parser):
        parser.add_argument("--measures", type=int, default=5000)
        parser.add_argument("--subprojects", type=int, default=250)

    def handle(self, *args, measures, subprojects, **options):
        rows = example_rows(subprojects=subprojects, measures=measures, code="BENCH")
        started = time.perf_counter()
        content = plan_workbook(rows, categories(), "Bench")
        written = time.perf_counter() - started
        counted = sum(len(sheet) for sheet in rows.values())
        self.stdout.write(
            f"{measures} measures, {counted} rows, workbook {len(content) / 2**20:.1f} MB written in {written:.1f} s"
        )

        started = time.perf_counter()
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        cells = sum(1 for sheet in book.worksheets for _row in sheet.iter_rows(values_only=True))
        book.close()
        read = time.perf_counter() - started

        user = get_user_model().objects.filter(is_superuser=True).first() or get_user_model()(username="bench")
        try:
            with transaction.atomic():
                if user.pk is None:
                    user.save()
                started = time.perf_counter()
                plan_preview(content=content)
                checked = time.perf_counter() - started
                started = time.perf_counter()
                plan_import(content=content, user=user)
                imported = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        try:
            with transaction.atomic():
                started = time.perf_counter()
                self.floor(measures, subprojects)
                inserted = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        floor = read + inserted
        self.stdout.write(f"check (preview):         {checked:6.1f} s")
        self.stdout.write(f"import (check + write):  {imported:6.1f} s")
        self.stdout.write(
            f"floor: openpyxl reads {cells} rows {read:.1f} s + plain bulk insert {inserted:.1f} s = {floor:.1f} s"
        )
        self.stdout.write(f"import ÷ floor:          {imported / floor:6.1f}×")

    def floor(self, measures, subprojects):
        root = Node(code="FLOOR", name="Floor", kind=Node.Kind.PROGRAMME)
        root.save()
        Node.objects.filter(pk=root.pk).update(programme=root)
        plan = PlanVersion.objects.create(programme=root, key="floor", name="Floor", is_current=True)
        category = CostCategory.objects.get(key="henkilostokulut")
        subs = Node.objects.bulk_create(
            Node(programme=root, parent=root, code=f"F{s}", name="Osahanke", kind=Node.Kind.SUBPROJECT)
            for s in range(subprojects)
        )
        nodes = Node.objects.bulk_create(
            Node(
                programme=root,
                parent=subs[m % subprojects],
                code=f"F-M{m}",
                name="Toimenpide",
                kind=Node.Kind.MEASURE,
                start=date(2025, 3, 1),
                end=date(2026, 10, 31),
            )
            for m in range(measures)
        )
        people = Person.objects.bulk_create(Person(name=f"Floor {m}") for m in range(measures))
        Responsibility.objects.bulk_create(Responsibility(node=n, person=p) for n, p in zip(nodes, people, strict=True))
        NodeBudget.objects.bulk_create(NodeBudget(plan=plan, node=n, total=100_000) for n in [*subs, *nodes])
        BudgetLine.objects.bulk_create(
            BudgetLine(plan=plan, node=n, category=category, year=year, amount=50_000)
            for n in nodes
            for year in (2025, 2026)
        )
        Task.objects.bulk_create(Task(node=n, text="Nykytilan kartoitus") for n in nodes)
        Milestone.objects.bulk_create(Milestone(node=n, name="Pilotti käynnissä") for n in nodes)
