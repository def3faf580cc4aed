import hashlib

from django.core.management.base import BaseCommand, CommandError

from reports.models import Export


class Command(BaseCommand):
    help = "Tarkistaa, että jokainen arkistoitu raporttitiedosto on olemassa ja sen SHA-256 on sama kuin arkistossa."

    def handle(self, *args, **options):
        issued = Export.objects.issued().order_by("pk")
        wrong = []
        for export in issued.iterator():
            digest = hashlib.sha256()
            try:
                with export.file.open("rb") as file:
                    while chunk := file.read(2**20):
                        digest.update(chunk)
            except (FileNotFoundError, ValueError):
                wrong.append(f"{export.file.name or export.pk}: tiedosto puuttuu")
                continue
            if digest.hexdigest() != export.sha256:
                wrong.append(f"{export.file.name}: SHA-256 ei täsmää")
        for line in wrong:
            self.stderr.write(line)
        if wrong:
            raise CommandError(f"{len(wrong)} / {issued.count()} arkiston tiedostoa ei täsmää.")
        self.stdout.write(f"Arkiston {issued.count()} tiedostoa täsmäävät SHA-256-summiinsa.")
