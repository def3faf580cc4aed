from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portfolio.models import Node, Person, Responsibility
from portfolio.permissions import Role
from reports.workflow import period_open

DEMO_PASSWORD = "salkku-demo"
# The demo lead is a person of its own, marked demo-only: the plans name no lead of these sub-projects,
# and no login may give a real person a role the plans do not give.
DEMO_LEAD = "Kokeilu Vetäjä"
DEMO_NOTE = "Kokeilutunnus: ei suunnitelmissa"
# username, role, the account's name, the demo person of the login, the nodes a lead leads.
DEMO_USERS = [
    ("demo", Role.OFFICE, ("Hanna", "Hanketoimisto"), None, []),
    ("vetaja", Role.LEAD, ("", ""), DEMO_LEAD, [("POPDIGI2", "P4I1-4"), ("TSK", "LNP")]),
    ("talous", Role.FINANCE, ("Taina", "Talous"), None, []),
    ("ohjausryhma", Role.STEERING, ("Olli", "Ohjausryhmä"), None, []),
    ("tarkastaja", Role.AUDITOR, ("Tiina", "Tarkastaja"), None, []),
]
# Earlier versions of this command made a real person the demo lead; those roles are taken back.
FORMER_DEMO_LEAD = "Leena Mämmi-Laukka"
# The month after the Oulunkaari status review (2/2021) is open, so a lead can report from it.
DEMO_PERIOD = ("TSK", date(2021, 3, 1))


class Command(BaseCommand):
    help = "Luo paikallista kokeilua varten demotunnukset, yksi kullekin roolille (vain DEBUG-tilassa)."

    @transaction.atomic
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
                self.link_demo_person(user, person_name, led)
            self.stdout.write(f"  {username} / {DEMO_PASSWORD}  ({role.label})")
        code, month = DEMO_PERIOD
        programme = Node.objects.get(code=code, parent__isnull=True)
        period = period_open(programme=programme, month=month)
        self.stdout.write(f"  Avoin raportointikausi: {programme.short_name or programme.name} {period}")
        self.stdout.write(self.style.SUCCESS("Demotunnukset valmiina: kirjaudu osoitteessa http://127.0.0.1:8000/"))

    def link_demo_person(self, user, name, led):
        nodes = [Node.objects.get(programme__code=programme, code=code) for programme, code in led]
        Person.objects.filter(user=user).exclude(name=name).update(user=None)
        Responsibility.objects.filter(
            person__name=FORMER_DEMO_LEAD, role=Responsibility.Role.LEAD, node__in=nodes, source_document=None
        ).delete()
        person, _created = Person.objects.get_or_create(name=name, defaults={"is_demo": True, "title": DEMO_NOTE})
        if not person.is_demo:
            raise CommandError(f"{name} on suunnitelmien henkilö; demotunnus ei voi käyttää sitä.")
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
        for node in nodes:
            # After the plan's own roles, so the page lists those as the plan does.
            last = node.responsibilities.count()
            Responsibility.objects.get_or_create(
                node=node, person=person, role=Responsibility.Role.LEAD, defaults={"note": DEMO_NOTE, "position": last}
            )
