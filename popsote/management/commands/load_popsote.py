from django.core.management.base import BaseCommand, CommandError

from popsote.seed import SeedError, seed_load


class Command(BaseCommand):
    help = "Lataa POPsote-hankkeiden aineisto (fixtures/popsote/*.yaml). Uudelleenajo ei muuta mitään."

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="kansio, jonka *.yaml-tiedostot ladataan")

    def handle(self, *args, directory=None, **options):
        try:
            stats = seed_load(directory=directory)
        except (SeedError, KeyError) as error:
            raise CommandError(f"POPsote-aineiston lataus keskeytyi, mitään ei tallennettu: {error}") from error
        if not stats:
            self.stdout.write("POPsote-aineisto on jo ajan tasalla; mitään ei muutettu.")
            return
        for key in sorted(stats):
            self.stdout.write(f"{key}: {stats[key]}")
        self.stdout.write(self.style.SUCCESS("POPsote-aineisto ladattu."))
