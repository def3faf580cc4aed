from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "salkku-demo"


class Command(BaseCommand):
    help = "Luo paikallista kokeilua varten demotunnuksen (vain DEBUG-tilassa) ja tulostaa sen."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demotunnuksia luodaan vain kehitysympäristöön (DEBUG=1).")
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"first_name": "Demo", "last_name": "Hanketoimisto", "is_staff": True, "is_superuser": True},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Kirjaudu osoitteessa http://127.0.0.1:8000/ tunnuksella {DEMO_USERNAME} / {DEMO_PASSWORD}"
            )
        )
