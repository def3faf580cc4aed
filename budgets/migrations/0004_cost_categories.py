from django.db import migrations

# The STM cost template (valtionavustushankkeen kustannusarvio). Subtotals, "kulut yhteensä",
# "valtionavustukseen oikeuttavat kustannukset" and "haettava valtionavustus" are computed, not stored.
CATEGORIES = [
    # key, name, parent, kind
    ("henkilostokulut", "Henkilöstökulut", None, "cost"),
    ("vapaaehtoiset_henkilostokulut", "Vapaaehtoiset henkilöstökulut", None, "cost"),
    ("palvelujen_ostot", "Palvelujen ostot", None, "cost"),
    ("asiantuntijapalvelut", "Asiantuntijapalvelut", "palvelujen_ostot", "cost"),
    ("taloushallintopalvelut", "Taloushallintopalvelut", "palvelujen_ostot", "cost"),
    ("viestintapalvelut", "Viestintäpalvelut", "palvelujen_ostot", "cost"),
    ("muut_palvelujen_ostot", "Muut palvelujen ostot", "palvelujen_ostot", "cost"),
    ("matkakulut", "Matkakulut", None, "cost"),
    ("materiaalikulut", "Materiaalikulut", None, "cost"),
    ("toimitilakulut", "Toimitilakulut", None, "cost"),
    ("investointikulut", "Investointikulut", None, "cost"),
    ("ohjelmistot", "Ohjelmistot", "investointikulut", "cost"),
    ("ict_laitteet", "Puhelin- ja ICT-laitehankinnat", "investointikulut", "cost"),
    ("koneet_ja_kalusto", "Koneet ja kalusto", "investointikulut", "cost"),
    ("muut_investoinnit", "Muut investointikulut", "investointikulut", "cost"),
    ("muut_kulut", "Muut kulut", None, "cost"),
    ("hankkeesta_saatavat_tuotot", "Hankkeesta saatavat tuotot", None, "income"),
    ("muut_tuotot", "Muut hankkeeseen kohdistettavat tuotot", None, "income"),
    ("hanketoimijoiden_omarahoitus", "Hanketoimijoiden omarahoitus", None, "own_funding"),
    ("muu_julkinen_rahoitus", "Muu hankkeelle kohdistuva julkinen rahoitus", None, "other_public"),
]


def create(apps, schema_editor):
    CostCategory = apps.get_model("budgets", "CostCategory")
    created = {}
    for position, (key, name, parent, kind) in enumerate(CATEGORIES):
        created[key] = CostCategory.objects.update_or_create(
            key=key, defaults={"name": name, "parent": created.get(parent), "kind": kind, "position": position}
        )[0]


class Migration(migrations.Migration):
    dependencies = [("budgets", "0003_costcategory_historicalbudgetline_and_more")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
