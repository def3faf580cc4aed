"""The migrations 0001–0009 in one, for a new database: the models as they stand, then the STM cost categories (0004) and
the example chart of accounts (0009).

The same schema as applying them one by one, in a fraction of the time (each operation renders every
related model anew). A database that has applied some of them goes on with the old files, kept beside.
"""

from importlib import import_module

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from popsote.migration_operations import CreateModels

_categories = import_module("budgets.migrations.0004_cost_categories")
_chart = import_module("budgets.migrations.0009_example_chart_of_accounts")


class Migration(migrations.Migration):
    replaces = [
        ("budgets", "0001_initial"),
        ("budgets", "0002_nodebudget_version_planversion_version_and_more"),
        ("budgets", "0003_costcategory_historicalbudgetline_and_more"),
        ("budgets", "0004_cost_categories"),
        ("budgets", "0005_historicalledgeraccount_ledgeraccount_ledgerimport_and_more"),
        ("budgets", "0006_ledger_upload"),
        ("budgets", "0006_sources"),
        ("budgets", "0007_merge_0006_ledger_upload_0006_sources"),
        ("budgets", "0008_chart_of_accounts_preview_reversal"),
        ("budgets", "0009_example_chart_of_accounts"),
    ]

    initial = True

    dependencies = [
        ("portfolio", "0008_feedback"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="CostCategory",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("key", models.SlugField(max_length=60, unique=True, verbose_name="tunniste")),
                        ("name", models.CharField(max_length=200, verbose_name="nimi")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("cost", "Kulu"),
                                    ("income", "Tuotto"),
                                    ("own_funding", "Omarahoitus"),
                                    ("other_public", "Muu julkinen rahoitus"),
                                ],
                                default="cost",
                                max_length=20,
                                verbose_name="laji",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("eligible", models.BooleanField(default=True, verbose_name="valtionavustukseen oikeuttava")),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="budgets.costcategory",
                                verbose_name="yläluokka",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kustannuslaji",
                        "verbose_name_plural": "kustannuslajit",
                        "ordering": ["position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalCostCategory",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("key", models.SlugField(max_length=60, verbose_name="tunniste")),
                        ("name", models.CharField(max_length=200, verbose_name="nimi")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("cost", "Kulu"),
                                    ("income", "Tuotto"),
                                    ("own_funding", "Omarahoitus"),
                                    ("other_public", "Muu julkinen rahoitus"),
                                ],
                                default="cost",
                                max_length=20,
                                verbose_name="laji",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("eligible", models.BooleanField(default=True, verbose_name="valtionavustukseen oikeuttava")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="budgets.costcategory",
                                verbose_name="yläluokka",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical kustannuslaji",
                        "verbose_name_plural": "historical kustannuslajit",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalLedgerAccount",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("account", models.CharField(db_index=True, max_length=20, verbose_name="tili")),
                        (
                            "account_end",
                            models.CharField(
                                blank=True,
                                help_text="Tilialueen viimeinen tili, esim. 4099.",
                                max_length=20,
                                verbose_name="tilialueen loppu",
                            ),
                        ),
                        ("name", models.CharField(blank=True, max_length=200, verbose_name="nimi")),
                        (
                            "example",
                            models.BooleanField(
                                default=False,
                                help_text="Asennuksen mukana tullut esimerkkirivi: ei hyvinvointialueen oma tili ennen vahvistusta.",
                                verbose_name="esimerkki",
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="budgets.costcategory",
                                verbose_name="kustannuslaji",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical kirjanpidon tili",
                        "verbose_name_plural": "historical kirjanpidon tilit",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalPlanVersion",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("key", models.SlugField(max_length=60, verbose_name="tunniste")),
                        ("name", models.CharField(max_length=200, verbose_name="nimi")),
                        ("date", models.DateField(blank=True, null=True, verbose_name="päivätty")),
                        ("is_current", models.BooleanField(default=False, verbose_name="voimassa")),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                limit_choices_to={"parent__isnull": True},
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.node",
                                verbose_name="hanke",
                            ),
                        ),
                        (
                            "source_document",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Tyhjä, kun tieto on kirjattu Salkussa.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.sourcedocument",
                                verbose_name="lähdeasiakirja",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical suunnitelmaversio",
                        "verbose_name_plural": "historical suunnitelmaversiot",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="LedgerAccount",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("account", models.CharField(max_length=20, unique=True, verbose_name="tili")),
                        (
                            "account_end",
                            models.CharField(
                                blank=True,
                                help_text="Tilialueen viimeinen tili, esim. 4099.",
                                max_length=20,
                                verbose_name="tilialueen loppu",
                            ),
                        ),
                        ("name", models.CharField(blank=True, max_length=200, verbose_name="nimi")),
                        (
                            "example",
                            models.BooleanField(
                                default=False,
                                help_text="Asennuksen mukana tullut esimerkkirivi: ei hyvinvointialueen oma tili ennen vahvistusta.",
                                verbose_name="esimerkki",
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="accounts",
                                to="budgets.costcategory",
                                verbose_name="kustannuslaji",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kirjanpidon tili",
                        "verbose_name_plural": "kirjanpidon tilit",
                        "ordering": ["account"],
                    },
                ),
                migrations.CreateModel(
                    name="LedgerImport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("file_name", models.CharField(max_length=255, verbose_name="tiedosto")),
                        ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                        ("imported_at", models.DateTimeField(auto_now_add=True, verbose_name="tuotu")),
                        ("row_count", models.PositiveIntegerField(verbose_name="rivejä")),
                        ("total", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="yhteensä")),
                        ("reversed_at", models.DateTimeField(blank=True, null=True, verbose_name="peruttu")),
                        ("reason", models.TextField(blank=True, verbose_name="perustelu")),
                        (
                            "imported_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="ledger_imports",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="tuoja",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="ledger_imports",
                                to="portfolio.node",
                                verbose_name="hanke",
                            ),
                        ),
                        (
                            "reverses",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reversal",
                                to="budgets.ledgerimport",
                                verbose_name="peruu tuonnin",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kirjanpitoaineiston tuonti",
                        "verbose_name_plural": "kirjanpitoaineiston tuonnit",
                        "ordering": ["-imported_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalActualCost",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("month", models.DateField(help_text="Kuukauden ensimmäinen päivä.", verbose_name="kuukausi")),
                        ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="summa")),
                        ("account", models.CharField(blank=True, max_length=20, verbose_name="tili")),
                        ("cost_centre", models.CharField(blank=True, max_length=40, verbose_name="kustannuspaikka")),
                        ("description", models.CharField(blank=True, max_length=500, verbose_name="selite")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="budgets.costcategory",
                                verbose_name="kustannuslaji",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "node",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "ledger_import",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="budgets.ledgerimport",
                                verbose_name="tuonti",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical toteuma",
                        "verbose_name_plural": "historical toteumat",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="ActualCost",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("month", models.DateField(help_text="Kuukauden ensimmäinen päivä.", verbose_name="kuukausi")),
                        ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="summa")),
                        ("account", models.CharField(blank=True, max_length=20, verbose_name="tili")),
                        ("cost_centre", models.CharField(blank=True, max_length=40, verbose_name="kustannuspaikka")),
                        ("description", models.CharField(blank=True, max_length=500, verbose_name="selite")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="actual_costs",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="actual_costs",
                                to="budgets.costcategory",
                                verbose_name="kustannuslaji",
                            ),
                        ),
                        (
                            "ledger_import",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="costs",
                                to="budgets.ledgerimport",
                                verbose_name="tuonti",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "toteuma",
                        "verbose_name_plural": "toteumat",
                        "ordering": ["month", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="LedgerUpload",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("file", models.FileField(upload_to="ledger/%Y/%m/", verbose_name="tiedosto")),
                        ("file_name", models.CharField(max_length=255, verbose_name="tiedoston nimi")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Jonossa"),
                                    ("running", "Käynnissä"),
                                    ("done", "Tuotu"),
                                    ("rejected", "Hylätty"),
                                    ("failed", "Epäonnistui"),
                                    ("preview", "Odottaa vahvistusta"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="tila",
                            ),
                        ),
                        ("progress", models.PositiveSmallIntegerField(default=0, verbose_name="edistyminen (%)")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="lähetetty")),
                        ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="aloitettu")),
                        (
                            "heartbeat_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="viimeksi käynnissä"),
                        ),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="valmistunut")),
                        ("claimed_by", models.CharField(blank=True, max_length=64, verbose_name="tekijä")),
                        (
                            "errors",
                            models.JSONField(
                                blank=True, default=list, help_text="Rivi, sarake ja syy.", verbose_name="virheet"
                            ),
                        ),
                        ("preview", models.JSONField(blank=True, default=dict, verbose_name="esikatselu")),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="vahvistettu")),
                        (
                            "duplicates",
                            models.CharField(
                                blank=True,
                                help_text="skip: ohitetaan, import: tuodaan.",
                                max_length=10,
                                verbose_name="epäilyttävät rivit",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="ledger_uploads",
                                to="portfolio.node",
                                verbose_name="hanke",
                            ),
                        ),
                        (
                            "result",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="upload",
                                to="budgets.ledgerimport",
                                verbose_name="tuonti",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="ledger_uploads",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="tuoja",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kirjanpidon otteen taustatuonti",
                        "verbose_name_plural": "kirjanpidon otteen taustatuonnit",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="PlanVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("key", models.SlugField(max_length=60, verbose_name="tunniste")),
                        ("name", models.CharField(max_length=200, verbose_name="nimi")),
                        ("date", models.DateField(blank=True, null=True, verbose_name="päivätty")),
                        ("is_current", models.BooleanField(default=False, verbose_name="voimassa")),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        (
                            "programme",
                            models.ForeignKey(
                                limit_choices_to={"parent__isnull": True},
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="plan_versions",
                                to="portfolio.node",
                                verbose_name="hanke",
                            ),
                        ),
                        (
                            "source_document",
                            models.ForeignKey(
                                blank=True,
                                help_text="Tyhjä, kun tieto on kirjattu Salkussa.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="portfolio.sourcedocument",
                                verbose_name="lähdeasiakirja",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "suunnitelmaversio",
                        "verbose_name_plural": "suunnitelmaversiot",
                        "ordering": ["programme", "date", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="NodeBudget",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "total",
                            models.DecimalField(decimal_places=2, max_digits=14, verbose_name="kokonaisbudjetti"),
                        ),
                        (
                            "grant",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="valtionavustus"
                            ),
                        ),
                        (
                            "own_funding",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="omarahoitus"
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="budgets",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "source_document",
                            models.ForeignKey(
                                blank=True,
                                help_text="Tyhjä, kun tieto on kirjattu Salkussa.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="portfolio.sourcedocument",
                                verbose_name="lähdeasiakirja",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="node_budgets",
                                to="budgets.planversion",
                                verbose_name="suunnitelmaversio",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "budjetti",
                        "verbose_name_plural": "budjetit",
                        "ordering": ["plan", "node"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalNodeBudget",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "total",
                            models.DecimalField(decimal_places=2, max_digits=14, verbose_name="kokonaisbudjetti"),
                        ),
                        (
                            "grant",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="valtionavustus"
                            ),
                        ),
                        (
                            "own_funding",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="omarahoitus"
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "node",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "source_document",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Tyhjä, kun tieto on kirjattu Salkussa.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.sourcedocument",
                                verbose_name="lähdeasiakirja",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="budgets.planversion",
                                verbose_name="suunnitelmaversio",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical budjetti",
                        "verbose_name_plural": "historical budjetit",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalBudgetLine",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="vuosi")),
                        ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="summa")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="budgets.costcategory",
                                verbose_name="kustannuslaji",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "node",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "source_document",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Tyhjä, kun tieto on kirjattu Salkussa.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.sourcedocument",
                                verbose_name="lähdeasiakirja",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="budgets.planversion",
                                verbose_name="suunnitelmaversio",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical talousarviorivi",
                        "verbose_name_plural": "historical talousarviorivit",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="BudgetLine",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="vuosi")),
                        ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="summa")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="budget_lines",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "source_document",
                            models.ForeignKey(
                                blank=True,
                                help_text="Tyhjä, kun tieto on kirjattu Salkussa.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="portfolio.sourcedocument",
                                verbose_name="lähdeasiakirja",
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="lines",
                                to="budgets.costcategory",
                                verbose_name="kustannuslaji",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="lines",
                                to="budgets.planversion",
                                verbose_name="suunnitelmaversio",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "talousarviorivi",
                        "verbose_name_plural": "talousarviorivit",
                        "ordering": ["plan", "node", "category__position", "year"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="ledgerimport",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("reversed_at__isnull", True)), fields=("sha256",), name="ledger_import_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="actualcost",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("month__day", 1)), name="actual_cost_month_first_day"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planversion",
                    constraint=models.UniqueConstraint(fields=("programme", "key"), name="plan_version_key_unique"),
                ),
                migrations.AddConstraint(
                    model_name="planversion",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("is_current", True)), fields=("programme",), name="plan_version_one_current"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="nodebudget",
                    constraint=models.UniqueConstraint(fields=("plan", "node"), name="node_budget_unique"),
                ),
                migrations.AddConstraint(
                    model_name="nodebudget",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("total__gte", 0)), name="node_budget_total_not_negative"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="nodebudget",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("grant__isnull", True), ("grant__gte", 0), _connector="OR"),
                        name="node_budget_grant_not_negative",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="nodebudget",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("own_funding__isnull", True), ("own_funding__gte", 0), _connector="OR"),
                        name="node_budget_own_not_negative",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="budgetline",
                    constraint=models.UniqueConstraint(
                        fields=("plan", "node", "category", "year"), name="budget_line_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="budgetline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("amount__gte", 0)), name="budget_line_amount_not_negative"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="budgetline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("year__gte", 2000), ("year__lte", 2100)), name="budget_line_year_sane"
                    ),
                ),
            ]
        ),
        *_categories.Migration.operations,
        *_chart.Migration.operations,
    ]
