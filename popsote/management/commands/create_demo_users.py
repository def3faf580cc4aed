from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from portfolio.models import Node, Person, Responsibility
from portfolio.permissions import Role
from reports.workflow import period_open

DEMO_PASSWORD = "salkku-demo"
# username, role, the account's name or the real person of the plans it belongs to, the nodes a lead leads.
DEMO_USERS = [
    ("demo", Role.OFFICE, ("Hanna", "Hanketoimisto"), None, []),
    ("vetaja", Role.LEAD, ("", ""), "Leena Mämmi-Laukka", [("POPDIGI2", "P4I1-4"), ("TSK", "LNP")]),
    ("talous", Role.FINANCE, ("Taina", "Talous"), None, []),
    ("ohjausryhma", Role.STEERING, ("Olli", "Ohjausryhmä"), None, []),
]


class Command(BaseCommand):
    help = "Luo paikallista kokeilua varten demotunnukset, yksi kullekin roolille (vain DEBUG-tilassa)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demotunnuksia luodaan vain kehitysympäristöön (DEBUG=1).")
        for username, role, (first_name, last_name), person_name, led in DEMO_USERS:
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={
                    "is_staff": role == Role.OFFICE,
                    "is_superuser": role == Role.OFFICE,
                    "first_name": first_name,
                    "last_name": last_name,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            if person_name:
                person = Person.objects.get(name=person_name)
                if person.user_id is None:
                    person.user = user
                    person.save(update_fields=["user"])
                for programme, code in led:
                    node = Node.objects.get(programme__code=programme, code=code)
                    Responsibility.objects.get_or_create(node=node, person=person, role=Responsibility.Role.LEAD)
            self.stdout.write(f"  {username} / {DEMO_PASSWORD}  ({role.label})")
        # The month after the plans' own status review (1/2021) is open, so a lead can report from it.
        tsk = Node.objects.get(code="TSK", parent__isnull=True)
        period = period_open(programme=tsk, month=date(2021, 2, 1))
        self.stdout.write(f"  Avoin raportointikausi: {tsk.short_name or tsk.name} {period}")
        self.stdout.write(self.style.SUCCESS("Demotunnukset valmiina: kirjaudu osoitteessa http://127.0.0.1:8000/"))
