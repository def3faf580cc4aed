import statistics
import time
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from indicators.models import Indicator
from milestones.models import Milestone
from portfolio.models import Node, Risk
from reports.forms import StatusUpdateForm, row_forms
from reports.models import StatusUpdate
from reports.workflow import (
    period_open,
    status_update_approve,
    status_update_save,
    status_update_start,
    status_update_submit,
)

UNIT = ("POPDIGI2", "P4I1-4")


def _monthly_update(user, times):
    """In the benchmark's rolled-back transaction: a submitted update of a POP-Digi sub-project with last
    month's approved one (what the review compares), and the next month's draft. With ``times`` 10 the
    sub-project first gets nine more of each of its measures, milestones, risks and indicators (at least 9)."""
    unit = Node.objects.get(programme__code=UNIT[0], code=UNIT[1])
    year = 2040 + times
    if times > 1:
        measures = list(unit.children.filter(kind=Node.Kind.MEASURE, archived_at__isnull=True))
        for number in range((times - 1) * len(measures)):
            Node.objects.create(
                parent=unit,
                programme=unit.programme,
                kind=Node.Kind.MEASURE,
                code=f"B-{number}",
                name=f"Mittaus {number}",
            )
        for number in range((times - 1) * max(unit.milestones.count(), 1)):
            Milestone.objects.create(node=unit, name=f"Välitavoite {number}")
        for number in range((times - 1) * max(unit.risks.count(), 1)):
            Risk.objects.create(node=unit, title=f"Riski {number}")
        for number in range((times - 1) * max(unit.indicators.count(), 1)):
            Indicator.objects.create(node=unit, name=f"Mittari {number}")
    updates = []
    for month in (1, 2, 3):
        period = period_open(programme=unit.programme, month=date(year, month, 1))
        update = status_update_start(period=period, node=unit, user=user)
        lights = dict.fromkeys(StatusUpdate.LIGHTS, "green")
        update = status_update_save(update=update, values=lights, version=update.version, user=user)
        if month < 3:
            update = status_update_submit(update=update, user=user)
        if month == 1:
            status_update_approve(update=update, user=user)
        updates.append(update)
    return updates[1], updates[2]


def _autosaves(client, update, url):
    """Posts of the form as an autosave sends them, one text changed each time: every field of the update
    and its rows, built once (outside the timing), with the version each save leaves."""
    update.refresh_from_db()
    data = {}
    form = StatusUpdateForm(instance=update)
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for rows in row_forms(update).values():
        for row in rows:
            for name in row.fields:
                value = row[name].value()
                data[row.add_prefix(name)] = value.isoformat() if hasattr(value, "isoformat") else value or ""
    version = [update.version]

    def post():
        response = client.post(
            url, {**data, "version": version[0], "done": f"Tallennus {version[0]}"}, headers={"HX-Request": "true"}
        )
        version[0] += 1
        return response

    return post


class QueryCounter:
    """Counts SQL statements; with DEBUG on, each request resets connection.queries, so count here."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Mittaa tärkeimpien sivujen vasteajat ja SQL-kyselymäärät nykyisellä aineistolla (ei muuta mitään)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)

    def _time(self, name, repeat, request):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            request()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = request()
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        self.stdout.write(f"{name:<20} {statistics.median(times):>12.1f} {max(times):>8.1f} {counter.count:>8}")

    @override_settings(ALLOWED_HOSTS=["testserver"])
    def handle(self, *args, repeat, **options):
        programme = Node.objects.programmes().order_by("pk").first()
        measure = Node.objects.filter(kind=Node.Kind.MEASURE).order_by("pk").first()
        pages = {
            "yleisnäkymä": reverse("portfolio:overview"),
            "haku 'digi'": reverse("portfolio:overview") + "?q=digi",
            "hankkeen sivu": programme.get_absolute_url(),
            "toimenpiteen sivu": measure.get_absolute_url(),
            "kustannusarvio": reverse("budgets:node", args=[programme.pk]),
            "talous": reverse("budgets:overview"),
            "tilannekuva": reverse("reports:dashboard"),
        }
        self.stdout.write(f"{Node.objects.count()} kohdetta; {repeat} toistoa sivua kohden")
        self.stdout.write(f"{'sivu':<20} {'mediaani ms':>12} {'max ms':>8} {'kyselyt':>8}")
        with transaction.atomic():
            user = get_user_model().objects.create_superuser("bench-user", password=None)
            client = Client()
            client.force_login(user)
            update = StatusUpdate.objects.order_by("-pk").first()
            if update is not None:
                pages["tilannekatsaus"] = update.get_absolute_url()
            for name, url in pages.items():
                self._time(name, repeat, lambda url=url: client.get(url))
            for size, times in (("POPsote", 1), ("10 ×", 10)):
                review, draft = _monthly_update(user, times)
                self._time(f"tarkastus, {size}", repeat, lambda review=review: client.get(review.get_absolute_url()))
                url = reverse("reports:update_edit", args=[draft.pk])
                client.get(url)
                self._time(f"tallennus, {size}", repeat, _autosaves(client, draft, url))
            transaction.set_rollback(True)
