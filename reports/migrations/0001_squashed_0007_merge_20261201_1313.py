"""The migrations 0001–0007 in one, for a new database: the models as they stood at 0007. The data steps of 0003 and 0005
are left out: they change exports and reviews that a new database does not have yet.

The same schema as applying them one by one, in a fraction of the time (each operation renders every
related model anew). A database that has applied some of them goes on with the old files, kept beside.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from popsote.migration_operations import CreateModels


class Migration(migrations.Migration):
    replaces = [
        ("reports", "0001_initial"),
        ("reports", "0002_reporting"),
        ("reports", "0003_export_archive"),
        ("reports", "0004_imported_reviews"),
        ("reports", "0004_report_delivery"),
        ("reports", "0005_export_heartbeat"),
        ("reports", "0005_loaded_reviews_are_imported"),
        ("reports", "0006_section_comments"),
        ("reports", "0007_merge_20261201_1313"),
    ]

    initial = True

    dependencies = [
        ("milestones", "0003_historicalmilestone_milestone"),
        ("portfolio", "0005_plan_sources"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="ReportingPeriod",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("month", models.DateField(help_text="Kuukauden ensimmäinen päivä.", verbose_name="kuukausi")),
                        ("deadline", models.DateField(verbose_name="määräpäivä")),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Avoin"), ("closed", "Suljettu")],
                                default="open",
                                max_length=10,
                                verbose_name="tila",
                            ),
                        ),
                        ("opened_at", models.DateTimeField(auto_now_add=True, verbose_name="avattu")),
                        ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="suljettu")),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reporting_periods",
                                to="portfolio.node",
                                verbose_name="hanke",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "raportointikausi",
                        "verbose_name_plural": "raportointikaudet",
                        "ordering": ["programme", "-month"],
                    },
                ),
                migrations.CreateModel(
                    name="Reminder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("email", models.EmailField(max_length=254, verbose_name="sähköposti")),
                        ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="lähetetty")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="portfolio.node",
                                verbose_name="osahanke",
                            ),
                        ),
                        (
                            "period",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminders",
                                to="reports.reportingperiod",
                                verbose_name="kausi",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "muistutus",
                        "verbose_name_plural": "muistutukset",
                        "ordering": ["-sent_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Export",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("monthly_pdf", "Kuukausiraportti (PDF)"),
                                    ("hankesalkku_xlsx", "Hankesalkun kuukausiraportti (Excel)"),
                                    ("costs_xlsx", "Kustannusarvio ja toteuma STM:n pohjalla (Excel)"),
                                    ("measures_xlsx", "Toimenpideluettelo (Excel)"),
                                    ("indicators_xlsx", "Indikaattorit, tavoitteet ja mittaukset (Excel)"),
                                ],
                                max_length=30,
                                verbose_name="tyyppi",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Jonossa"),
                                    ("running", "Käynnissä"),
                                    ("done", "Valmis"),
                                    ("failed", "Epäonnistui"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="tila",
                            ),
                        ),
                        ("progress", models.PositiveSmallIntegerField(default=0, verbose_name="edistyminen (%)")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="pyydetty")),
                        ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="aloitettu")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="valmistunut")),
                        ("error", models.TextField(blank=True, verbose_name="virhe")),
                        ("file", models.FileField(blank=True, upload_to="exports/%Y/%m/", verbose_name="tiedosto")),
                        ("sha256", models.CharField(blank=True, max_length=64, verbose_name="SHA-256")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="yrityksiä")),
                        ("claimed_by", models.CharField(blank=True, max_length=64, verbose_name="tekijä")),
                        (
                            "data_state",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="Hyväksytyt tilannekatsaukset ja niiden versiot.",
                                verbose_name="aineiston tila",
                            ),
                        ),
                        ("version", models.PositiveIntegerField(blank=True, null=True, verbose_name="versio")),
                        (
                            "attention_first",
                            models.BooleanField(
                                default=False,
                                help_text="Kuukausiraportissa keltaiset ja punaiset osahankkeet ensin kunkin tason sisällä.",
                                verbose_name="keltaiset ja punaiset ensin",
                            ),
                        ),
                        (
                            "heartbeat_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="viimeksi käynnissä"),
                        ),
                        (
                            "node",
                            models.ForeignKey(
                                blank=True,
                                help_text="Tyhjä, kun raportti koskee koko hanketta.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="portfolio.node",
                                verbose_name="osahanke",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                limit_choices_to={"parent__isnull": True},
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="exports",
                                to="portfolio.node",
                                verbose_name="hanke",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                blank=True,
                                help_text="Tyhjä, kun ajastettu tehtävä teki raportin kauden sulkeuduttua.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="exports",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="pyytäjä",
                            ),
                        ),
                        (
                            "period",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="exports",
                                to="reports.reportingperiod",
                                verbose_name="kausi",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "vienti",
                        "verbose_name_plural": "viennit",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="StatusUpdate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("revision", models.PositiveSmallIntegerField(default=1, verbose_name="versio")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Luonnos"),
                                    ("submitted", "Lähetetty"),
                                    ("returned", "Palautettu korjattavaksi"),
                                    ("approved", "Hyväksytty"),
                                    ("imported", "Tuotu asiakirjasta"),
                                ],
                                default="draft",
                                max_length=10,
                                verbose_name="tila",
                            ),
                        ),
                        (
                            "overall",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="kokonaistilanne",
                            ),
                        ),
                        ("overall_reason", models.TextField(blank=True, verbose_name="perustelu (kokonaistilanne)")),
                        (
                            "schedule",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="aikataulu",
                            ),
                        ),
                        ("schedule_reason", models.TextField(blank=True, verbose_name="perustelu (aikataulu)")),
                        (
                            "budget",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="talous",
                            ),
                        ),
                        ("budget_reason", models.TextField(blank=True, verbose_name="perustelu (talous)")),
                        (
                            "scope",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="sisältö ja tuotokset",
                            ),
                        ),
                        ("scope_reason", models.TextField(blank=True, verbose_name="perustelu (sisältö ja tuotokset)")),
                        (
                            "resources",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="resurssit",
                            ),
                        ),
                        ("resources_reason", models.TextField(blank=True, verbose_name="perustelu (resurssit)")),
                        (
                            "proposed_schedule",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                max_length=6,
                                verbose_name="ehdotettu aikataulun valo",
                            ),
                        ),
                        (
                            "proposed_budget",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                max_length=6,
                                verbose_name="ehdotettu talouden valo",
                            ),
                        ),
                        ("done", models.TextField(blank=True, verbose_name="tehty tässä kuussa")),
                        ("next_steps", models.TextField(blank=True, verbose_name="suunnitelmat ensi kuulle")),
                        ("decisions", models.TextField(blank=True, verbose_name="ohjausryhmän päätettävät asiat")),
                        ("return_comment", models.TextField(blank=True, verbose_name="palautuksen syy")),
                        (
                            "source",
                            models.CharField(
                                blank=True,
                                help_text="Mistä aineistosta katsaus on ladattu, jos ei Salkusta.",
                                max_length=300,
                                verbose_name="lähde",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="luotu")),
                        ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="lähetetty")),
                        ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="käsitelty")),
                        (
                            "section_comments",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="Hanketoimiston kommentit vetäjälle osioittain (osio → teksti).",
                                verbose_name="palautuksen kommentit osioittain",
                            ),
                        ),
                        (
                            "dating",
                            models.TextField(
                                blank=True,
                                help_text="Päiväämättömän asiakirjan katsauksessa: mistä sen kuukausi on päätelty.",
                                verbose_name="ajankohdan päättely",
                            ),
                        ),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "area",
                            models.ForeignKey(
                                blank=True,
                                help_text="Kun katsaus kuvaa vain yhtä aluetta eikä koko osahanketta.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="portfolio.organisation",
                                verbose_name="kuvattu alue",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                help_text="Tyhjä, kun katsaus on ladattu hankkeen aineistosta.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="laatija",
                            ),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="käsittelijä",
                            ),
                        ),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="status_updates",
                                to="portfolio.node",
                                verbose_name="osahanke",
                            ),
                        ),
                        (
                            "period",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="updates",
                                to="reports.reportingperiod",
                                verbose_name="kausi",
                            ),
                        ),
                        (
                            "presenter",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="presented_updates",
                                to="portfolio.person",
                                verbose_name="esittäjä",
                            ),
                        ),
                        (
                            "revision_of",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="corrections",
                                to="reports.statusupdate",
                                verbose_name="korjaa versiota",
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
                            "submitted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="lähettäjä",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "tilannekatsaus",
                        "verbose_name_plural": "tilannekatsaukset",
                        "ordering": ["period", "node", "revision"],
                    },
                ),
                migrations.CreateModel(
                    name="RiskReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "likelihood",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="todennäköisyys (1–5)",
                            ),
                        ),
                        (
                            "impact",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="vaikutus (1–5)",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Avoin"), ("closed", "Suljettu")], max_length=10, verbose_name="tila"
                            ),
                        ),
                        ("mitigation", models.TextField(blank=True, verbose_name="riskeihin varautuminen")),
                        (
                            "risk",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reports",
                                to="portfolio.risk",
                                verbose_name="riski",
                            ),
                        ),
                        (
                            "update",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="risks",
                                to="reports.statusupdate",
                                verbose_name="katsaus",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "riskin arvio",
                        "verbose_name_plural": "riskien arviot",
                        "ordering": ["update", "risk__position", "risk__pk"],
                    },
                ),
                migrations.CreateModel(
                    name="MilestoneReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("planned", "Suunniteltu"),
                                    ("achieved", "Saavutettu"),
                                    ("late", "Myöhässä"),
                                    ("cancelled", "Peruttu"),
                                ],
                                max_length=20,
                                verbose_name="tila",
                            ),
                        ),
                        ("actual_date", models.DateField(blank=True, null=True, verbose_name="toteutunut päivä")),
                        (
                            "milestone",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reports",
                                to="milestones.milestone",
                                verbose_name="välitavoite",
                            ),
                        ),
                        (
                            "update",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="milestones",
                                to="reports.statusupdate",
                                verbose_name="katsaus",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "välitavoitteen tilanne",
                        "verbose_name_plural": "välitavoitteiden tilanteet",
                        "ordering": ["update", "milestone__planned_date", "milestone__pk"],
                    },
                ),
                migrations.CreateModel(
                    name="MeasureReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("not_started", "Ei aloitettu"),
                                    ("in_progress", "Käynnissä"),
                                    ("done", "Valmis"),
                                    ("delayed", "Viivästynyt"),
                                    ("cancelled", "Peruttu"),
                                ],
                                default="not_started",
                                max_length=12,
                                verbose_name="tila",
                            ),
                        ),
                        (
                            "percent",
                            models.PositiveSmallIntegerField(
                                default=0,
                                validators=[
                                    django.core.validators.MinValueValidator(0),
                                    django.core.validators.MaxValueValidator(100),
                                ],
                                verbose_name="valmiusaste (%)",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=500, verbose_name="huomio")),
                        (
                            "measure",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="portfolio.node",
                                verbose_name="toimenpide",
                            ),
                        ),
                        (
                            "update",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="measures",
                                to="reports.statusupdate",
                                verbose_name="katsaus",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "toimenpiteen tilanne",
                        "verbose_name_plural": "toimenpiteiden tilanteet",
                        "ordering": ["update", "measure__position", "measure__pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalStatusUpdate",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("revision", models.PositiveSmallIntegerField(default=1, verbose_name="versio")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Luonnos"),
                                    ("submitted", "Lähetetty"),
                                    ("returned", "Palautettu korjattavaksi"),
                                    ("approved", "Hyväksytty"),
                                    ("imported", "Tuotu asiakirjasta"),
                                ],
                                default="draft",
                                max_length=10,
                                verbose_name="tila",
                            ),
                        ),
                        (
                            "overall",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="kokonaistilanne",
                            ),
                        ),
                        ("overall_reason", models.TextField(blank=True, verbose_name="perustelu (kokonaistilanne)")),
                        (
                            "schedule",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="aikataulu",
                            ),
                        ),
                        ("schedule_reason", models.TextField(blank=True, verbose_name="perustelu (aikataulu)")),
                        (
                            "budget",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="talous",
                            ),
                        ),
                        ("budget_reason", models.TextField(blank=True, verbose_name="perustelu (talous)")),
                        (
                            "scope",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="sisältö ja tuotokset",
                            ),
                        ),
                        ("scope_reason", models.TextField(blank=True, verbose_name="perustelu (sisältö ja tuotokset)")),
                        (
                            "resources",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                default="green",
                                max_length=6,
                                verbose_name="resurssit",
                            ),
                        ),
                        ("resources_reason", models.TextField(blank=True, verbose_name="perustelu (resurssit)")),
                        (
                            "proposed_schedule",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                max_length=6,
                                verbose_name="ehdotettu aikataulun valo",
                            ),
                        ),
                        (
                            "proposed_budget",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Vihreä"), ("yellow", "Keltainen"), ("red", "Punainen")],
                                max_length=6,
                                verbose_name="ehdotettu talouden valo",
                            ),
                        ),
                        ("done", models.TextField(blank=True, verbose_name="tehty tässä kuussa")),
                        ("next_steps", models.TextField(blank=True, verbose_name="suunnitelmat ensi kuulle")),
                        ("decisions", models.TextField(blank=True, verbose_name="ohjausryhmän päätettävät asiat")),
                        ("return_comment", models.TextField(blank=True, verbose_name="palautuksen syy")),
                        (
                            "source",
                            models.CharField(
                                blank=True,
                                help_text="Mistä aineistosta katsaus on ladattu, jos ei Salkusta.",
                                max_length=300,
                                verbose_name="lähde",
                            ),
                        ),
                        ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="luotu")),
                        ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="lähetetty")),
                        ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="käsitelty")),
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
                            "section_comments",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="Hanketoimiston kommentit vetäjälle osioittain (osio → teksti).",
                                verbose_name="palautuksen kommentit osioittain",
                            ),
                        ),
                        (
                            "dating",
                            models.TextField(
                                blank=True,
                                help_text="Päiväämättömän asiakirjan katsauksessa: mistä sen kuukausi on päätelty.",
                                verbose_name="ajankohdan päättely",
                            ),
                        ),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "area",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Kun katsaus kuvaa vain yhtä aluetta eikä koko osahanketta.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.organisation",
                                verbose_name="kuvattu alue",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Tyhjä, kun katsaus on ladattu hankkeen aineistosta.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="laatija",
                            ),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="käsittelijä",
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
                                verbose_name="osahanke",
                            ),
                        ),
                        (
                            "presenter",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.person",
                                verbose_name="esittäjä",
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
                            "submitted_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="lähettäjä",
                            ),
                        ),
                        (
                            "period",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="reports.reportingperiod",
                                verbose_name="kausi",
                            ),
                        ),
                        (
                            "revision_of",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="reports.statusupdate",
                                verbose_name="korjaa versiota",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical tilannekatsaus",
                        "verbose_name_plural": "historical tilannekatsaukset",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalRiskReport",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "likelihood",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="todennäköisyys (1–5)",
                            ),
                        ),
                        (
                            "impact",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="vaikutus (1–5)",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Avoin"), ("closed", "Suljettu")], max_length=10, verbose_name="tila"
                            ),
                        ),
                        ("mitigation", models.TextField(blank=True, verbose_name="riskeihin varautuminen")),
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
                            "risk",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.risk",
                                verbose_name="riski",
                            ),
                        ),
                        (
                            "update",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="reports.statusupdate",
                                verbose_name="katsaus",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical riskin arvio",
                        "verbose_name_plural": "historical riskien arviot",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalMilestoneReport",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("planned", "Suunniteltu"),
                                    ("achieved", "Saavutettu"),
                                    ("late", "Myöhässä"),
                                    ("cancelled", "Peruttu"),
                                ],
                                max_length=20,
                                verbose_name="tila",
                            ),
                        ),
                        ("actual_date", models.DateField(blank=True, null=True, verbose_name="toteutunut päivä")),
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
                            "milestone",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="milestones.milestone",
                                verbose_name="välitavoite",
                            ),
                        ),
                        (
                            "update",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="reports.statusupdate",
                                verbose_name="katsaus",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical välitavoitteen tilanne",
                        "verbose_name_plural": "historical välitavoitteiden tilanteet",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalMeasureReport",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("not_started", "Ei aloitettu"),
                                    ("in_progress", "Käynnissä"),
                                    ("done", "Valmis"),
                                    ("delayed", "Viivästynyt"),
                                    ("cancelled", "Peruttu"),
                                ],
                                default="not_started",
                                max_length=12,
                                verbose_name="tila",
                            ),
                        ),
                        (
                            "percent",
                            models.PositiveSmallIntegerField(
                                default=0,
                                validators=[
                                    django.core.validators.MinValueValidator(0),
                                    django.core.validators.MaxValueValidator(100),
                                ],
                                verbose_name="valmiusaste (%)",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=500, verbose_name="huomio")),
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
                            "measure",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.node",
                                verbose_name="toimenpide",
                            ),
                        ),
                        (
                            "update",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="reports.statusupdate",
                                verbose_name="katsaus",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical toimenpiteen tilanne",
                        "verbose_name_plural": "historical toimenpiteiden tilanteet",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Delivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("email", models.EmailField(max_length=254, verbose_name="sähköposti")),
                        ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="lähetetty")),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="käyttäjä",
                            ),
                        ),
                        (
                            "export",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="deliveries",
                                to="reports.export",
                                verbose_name="raportti",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "raportin lähetys",
                        "verbose_name_plural": "raporttien lähetykset",
                        "ordering": ["email", "-sent_at"],
                        "constraints": [models.UniqueConstraint(fields=("export", "email"), name="delivery_once")],
                    },
                ),
                migrations.AddConstraint(
                    model_name="reportingperiod",
                    constraint=models.UniqueConstraint(fields=("programme", "month"), name="period_unique_month"),
                ),
                migrations.AddConstraint(
                    model_name="reportingperiod",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("month__day", 1)), name="period_month_first_day"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="reminder",
                    constraint=models.UniqueConstraint(fields=("period", "node", "email"), name="reminder_once"),
                ),
                migrations.AddConstraint(
                    model_name="export",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("status", "done")),
                        fields=("programme", "period", "kind", "node", "version"),
                        name="export_one_issue_per_version",
                        nulls_distinct=False,
                    ),
                ),
                migrations.AddConstraint(
                    model_name="export",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "done"), ("version__isnull", False)),
                            models.Q(models.Q(("status", "done"), _negated=True), ("version__isnull", True)),
                            _connector="OR",
                        ),
                        name="export_version_on_issue",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="statusupdate",
                    constraint=models.UniqueConstraint(
                        fields=("period", "node", "revision"), name="status_update_unique_revision"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="riskreport",
                    constraint=models.UniqueConstraint(fields=("update", "risk"), name="risk_report_unique"),
                ),
                migrations.AddConstraint(
                    model_name="riskreport",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("likelihood__isnull", True),
                                models.Q(("likelihood__gte", 1), ("likelihood__lte", 5)),
                                _connector="OR",
                            ),
                            models.Q(
                                ("impact__isnull", True),
                                models.Q(("impact__gte", 1), ("impact__lte", 5)),
                                _connector="OR",
                            ),
                        ),
                        name="risk_report_scores_one_to_five",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="milestonereport",
                    constraint=models.UniqueConstraint(fields=("update", "milestone"), name="milestone_report_unique"),
                ),
                migrations.AddConstraint(
                    model_name="measurereport",
                    constraint=models.UniqueConstraint(fields=("update", "measure"), name="measure_report_unique"),
                ),
                migrations.AddConstraint(
                    model_name="measurereport",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("percent__lte", 100)), name="measure_report_percent"
                    ),
                ),
            ]
        ),
    ]
