from django.db import migrations

# A starting mapping so that the first import does not fail on every row. No published chart of accounts
# of the wellbeing services counties could be found and cited, so these are an EXAMPLE, marked as one
# (``example``): the office confirms or replaces them on the Tilikartta page before the first import,
# and an import is refused while any of them is unconfirmed. They are not Pohde's accounts.
EXAMPLE = [
    # account, range end, name, cost category
    ("4000", "4299", "Esimerkki: palkat ja henkilösivukulut", "henkilostokulut"),
    ("4300", "4399", "Esimerkki: asiantuntijapalvelut", "asiantuntijapalvelut"),
    ("4400", "4449", "Esimerkki: taloushallintopalvelut", "taloushallintopalvelut"),
    ("4450", "4499", "Esimerkki: viestintäpalvelut", "viestintapalvelut"),
    ("4500", "4599", "Esimerkki: muut palvelujen ostot", "muut_palvelujen_ostot"),
    ("4600", "4699", "Esimerkki: matkakulut", "matkakulut"),
    ("4700", "4799", "Esimerkki: materiaalikulut", "materiaalikulut"),
    ("4800", "4899", "Esimerkki: toimitilakulut", "toimitilakulut"),
    ("4900", "4999", "Esimerkki: muut kulut", "muut_kulut"),
]


def create(apps, schema_editor):
    CostCategory = apps.get_model("budgets", "CostCategory")
    LedgerAccount = apps.get_model("budgets", "LedgerAccount")
    if LedgerAccount.objects.exists():  # an installation that keeps its own table
        return
    for account, end, name, key in EXAMPLE:
        LedgerAccount.objects.create(
            account=account, account_end=end, name=name, category=CostCategory.objects.get(key=key), example=True
        )


def remove(apps, schema_editor):
    apps.get_model("budgets", "LedgerAccount").objects.filter(example=True).delete()


class Migration(migrations.Migration):
    dependencies = [("budgets", "0008_chart_of_accounts_preview_reversal")]
    operations = [migrations.RunPython(create, remove)]
