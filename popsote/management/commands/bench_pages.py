import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from portfolio.models import Node
from reports.models import StatusUpdate


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
                counter = QueryCounter()
                with connection.execute_wrapper(counter):
                    client.get(url)
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
                self.stdout.write(f"{name:<20} {statistics.median(times):>12.1f} {max(times):>8.1f} {counter.count:>8}")
            transaction.set_rollback(True)
