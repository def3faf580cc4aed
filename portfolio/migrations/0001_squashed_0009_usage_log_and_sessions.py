"""The migrations 0001–0009 in one, for a new database: the models as they stand, then the search's trigram indexes of 0005.
The data step of 0006 is left out: it changes nodes that a new database does not have yet.

The same schema as applying them one by one, in a fraction of the time (each operation renders every
related model anew). A database that has applied some of them goes on with the old files, kept beside.
"""

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import popsote.text
from popsote.migration_operations import CreateModels

_trigram = import_module("portfolio.migrations.0005_search_trigram_indexes")


class Migration(migrations.Migration):
    replaces = [
        ("portfolio", "0001_initial"),
        ("portfolio", "0002_fundingdecision_archived_at_fundingdecision_version_and_more"),
        ("portfolio", "0003_historicalrisk_risk"),
        ("portfolio", "0004_api_token"),
        ("portfolio", "0005_plan_sources"),
        ("portfolio", "0005_search_trigram_indexes"),
        ("portfolio", "0006_node_code_alphabet"),
        ("portfolio", "0006_reports_monthly_from_structure"),
        ("portfolio", "0007_merge_20261201_1313"),
        ("portfolio", "0008_feedback"),
        ("portfolio", "0009_usage_log_and_sessions"),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="SourceDocument",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("key", models.SlugField(max_length=60, unique=True, verbose_name="tunniste")),
                        ("name", models.CharField(max_length=300, verbose_name="nimi")),
                        (
                            "edition",
                            models.CharField(
                                blank=True, help_text="Esim. ”vers. 12.10.2021”.", max_length=100, verbose_name="versio"
                            ),
                        ),
                        ("date", models.DateField(blank=True, null=True, verbose_name="päivätty")),
                        (
                            "date_note",
                            models.TextField(
                                blank=True,
                                help_text="Miten päiväys tiedetään, kun asiakirja ei kerro sitä itse.",
                                verbose_name="päiväyksestä",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lähdeasiakirja",
                        "verbose_name_plural": "lähdeasiakirjat",
                        "ordering": ["date", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="nimi")),
                        (
                            "prefix",
                            models.CharField(
                                help_text="Tunnuksen alku, josta sen tunnistaa.", max_length=16, verbose_name="alkuosa"
                            ),
                        ),
                        ("digest", models.CharField(max_length=64, unique=True, verbose_name="SHA-256")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="luotu")),
                        ("expires_at", models.DateTimeField(verbose_name="vanhenee")),
                        ("last_used_at", models.DateTimeField(blank=True, null=True, verbose_name="käytetty viimeksi")),
                        ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="peruttu")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="käyttäjä",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "API-tunnus",
                        "verbose_name_plural": "API-tunnukset",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Feedback",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("message", models.TextField(verbose_name="palaute")),
                        (
                            "email",
                            models.EmailField(blank=True, max_length=254, verbose_name="sähköposti vastausta varten"),
                        ),
                        ("page", models.CharField(blank=True, max_length=500, verbose_name="sivu")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="saapunut")),
                        ("handled_at", models.DateTimeField(blank=True, null=True, verbose_name="käsitelty")),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="käyttäjä",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "saavutettavuuspalaute",
                        "verbose_name_plural": "saavutettavuuspalautteet",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalSourceDocument",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        ("key", models.SlugField(max_length=60, verbose_name="tunniste")),
                        ("name", models.CharField(max_length=300, verbose_name="nimi")),
                        (
                            "edition",
                            models.CharField(
                                blank=True, help_text="Esim. ”vers. 12.10.2021”.", max_length=100, verbose_name="versio"
                            ),
                        ),
                        ("date", models.DateField(blank=True, null=True, verbose_name="päivätty")),
                        (
                            "date_note",
                            models.TextField(
                                blank=True,
                                help_text="Miten päiväys tiedetään, kun asiakirja ei kerro sitä itse.",
                                verbose_name="päiväyksestä",
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
                        "verbose_name": "historical lähdeasiakirja",
                        "verbose_name_plural": "historical lähdeasiakirjat",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Organisation",
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
                        ("key", models.SlugField(max_length=60, unique=True, verbose_name="tunniste")),
                        ("name", models.CharField(max_length=200, verbose_name="nimi")),
                        ("short_name", models.CharField(blank=True, max_length=60, verbose_name="lyhenne")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("county", "Hyvinvointialue"),
                                    ("municipality", "Kunta"),
                                    ("joint_authority", "Kuntayhtymä"),
                                    ("area", "Alue"),
                                    ("hospital_district", "Sairaanhoitopiiri"),
                                    ("ministry", "Ministeriö"),
                                    ("eu", "Euroopan unioni"),
                                    ("company", "Yritys"),
                                    ("other", "Muu"),
                                ],
                                default="other",
                                max_length=20,
                                verbose_name="tyyppi",
                            ),
                        ),
                        ("business_id", models.CharField(blank=True, max_length=20, verbose_name="Y-tunnus")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="members",
                                to="portfolio.organisation",
                                verbose_name="kuuluu",
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
                        "verbose_name": "organisaatio",
                        "verbose_name_plural": "organisaatiot",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Node",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("programme", "Hanke"),
                                    ("subarea", "Osa-alue"),
                                    ("development_programme", "Kehittämisohjelma"),
                                    ("pillar", "Pilari"),
                                    ("investment", "Investointi"),
                                    ("entity", "Kokonaisuus"),
                                    ("subproject", "Osahanke"),
                                    ("work_package", "Työpaketti"),
                                    ("measure", "Toimenpide"),
                                ],
                                max_length=30,
                                verbose_name="tyyppi",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                max_length=40, validators=[popsote.text.validate_code], verbose_name="tunnus"
                            ),
                        ),
                        ("name", models.CharField(max_length=500, verbose_name="nimi")),
                        ("short_name", models.CharField(blank=True, max_length=200, verbose_name="lyhyt nimi")),
                        ("description", models.TextField(blank=True, verbose_name="kuvaus")),
                        ("start", models.DateField(blank=True, null=True, verbose_name="alkaa")),
                        ("end", models.DateField(blank=True, null=True, verbose_name="päättyy")),
                        (
                            "schedule_text",
                            models.CharField(
                                blank=True,
                                help_text="Esim. ”Kesto 12/2021 saakka”.",
                                max_length=300,
                                verbose_name="aikataulu suunnitelman sanoin",
                            ),
                        ),
                        (
                            "reports_monthly",
                            models.BooleanField(
                                default=False,
                                help_text="Kohteesta kirjoitetaan kuukausittainen tilannekatsaus; muut tasot vain ryhmittelevät.",
                                verbose_name="raportoi kuukausittain",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="portfolio.node",
                                verbose_name="ylätaso",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                blank=True,
                                help_text="Puun juuri; hankkeella itsellään tämä viittaa siihen itseensä.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="programme_nodes",
                                to="portfolio.node",
                                verbose_name="hanke",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="owned_nodes",
                                to="portfolio.organisation",
                                verbose_name="hallinnoija",
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
                        "verbose_name": "hankkeen osa",
                        "verbose_name_plural": "hankkeen osat",
                        "ordering": ["position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Person",
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
                        ("name", models.CharField(max_length=200, unique=True, verbose_name="nimi")),
                        ("title", models.CharField(blank=True, max_length=200, verbose_name="tehtävänimike")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="sähköposti")),
                        ("phone", models.CharField(blank=True, max_length=40, verbose_name="puhelin")),
                        (
                            "is_demo",
                            models.BooleanField(
                                default=False,
                                help_text="Kokeilutunnusten henkilö; ei esiinny hankkeiden suunnitelmissa.",
                                verbose_name="vain kokeilukäyttöön",
                            ),
                        ),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="persons",
                                to="portfolio.organisation",
                                verbose_name="organisaatio",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="person",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="käyttäjätunnus",
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
                        "verbose_name": "henkilö",
                        "verbose_name_plural": "henkilöt",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Body",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("steering", "Ohjaus"),
                                    ("management", "Hankejohto ja hanketoimisto"),
                                    ("group", "Työ-, tuki- tai seurantaryhmä"),
                                    ("role", "Tehtävä"),
                                    ("planned", "Suunniteltu organisaatio"),
                                ],
                                max_length=20,
                                verbose_name="laji",
                            ),
                        ),
                        ("name", models.CharField(max_length=300, verbose_name="nimi")),
                        ("description", models.TextField(blank=True, verbose_name="kuvaus suunnitelman sanoin")),
                        (
                            "presented_by",
                            models.CharField(
                                blank=True,
                                help_text="Kuka valmistelee tai esittelee asiat elimelle.",
                                max_length=300,
                                verbose_name="asiat esittelee",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
                        (
                            "reports_to",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="portfolio.body",
                                verbose_name="valmistelee asiat elimelle",
                            ),
                        ),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="bodies",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "chair",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="chaired_bodies",
                                to="portfolio.person",
                                verbose_name="puheenjohtaja",
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
                        "verbose_name": "hankeorganisaation osa",
                        "verbose_name_plural": "hankeorganisaatio",
                        "ordering": ["node", "position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Output",
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
                        ("text", models.TextField(verbose_name="tuotos")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="outputs",
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
                    ],
                    options={
                        "verbose_name": "tuotos",
                        "verbose_name_plural": "tuotokset",
                        "ordering": ["node", "position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalTask",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("text", models.TextField(verbose_name="tehtävä")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
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
                                verbose_name="toimenpide",
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
                        "verbose_name": "historical tehtävä",
                        "verbose_name_plural": "historical tehtävät",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalServiceContract",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("valid_until", models.DateField(blank=True, null=True, verbose_name="voimassa")),
                        (
                            "valid_text",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="voimassaolo suunnitelman sanoin"
                            ),
                        ),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
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
                            "municipality",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.organisation",
                                verbose_name="kunta",
                            ),
                        ),
                        (
                            "provider",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.organisation",
                                verbose_name="palveluntuottaja",
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
                        "verbose_name": "historical sote-tuotannon ulkoistussopimus",
                        "verbose_name_plural": "historical sote-tuotannon ulkoistussopimukset",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalRisk",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "category",
                            models.CharField(
                                choices=[
                                    ("goal", "Tavoiteriski"),
                                    ("competence", "Osaamiseen liittyvä riski"),
                                    ("ethical", "Eettinen riski"),
                                    ("schedule", "Aikatauluriski"),
                                    ("network", "Verkostoriski"),
                                    ("financial", "Taloudellinen riski"),
                                    ("national_reform", "Kansallisen uudistuksen etenemiseen liittyvä riski"),
                                    ("other", "Muu riski"),
                                ],
                                default="other",
                                max_length=20,
                                verbose_name="luokka",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="otsikko")),
                        ("description", models.TextField(blank=True, verbose_name="kuvaus")),
                        (
                            "likelihood",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="todennäköisyys (1–5)"
                            ),
                        ),
                        (
                            "impact",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="vaikutus (1–5)"),
                        ),
                        ("mitigation", models.TextField(blank=True, verbose_name="riskeihin varautuminen")),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Avoin"), ("closed", "Suljettu")],
                                default="open",
                                max_length=10,
                                verbose_name="tila",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
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
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.person",
                                verbose_name="vastuuhenkilö",
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
                        "verbose_name": "historical riski",
                        "verbose_name_plural": "historical riskit",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalResponsibility",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("lead", "Projektipäällikkö / vetäjä"),
                                    ("responsible", "Vastuuhenkilö"),
                                    ("chair", "Puheenjohtaja"),
                                    ("vice_chair", "Varapuheenjohtaja"),
                                    ("member", "Jäsen"),
                                    ("writer", "Kirjoittaja"),
                                    ("contact", "Yhteyshenkilö"),
                                    ("named", "Mainittu (rooli ei kerrottu)"),
                                ],
                                default="responsible",
                                max_length=20,
                                verbose_name="rooli",
                            ),
                        ),
                        ("title", models.CharField(blank=True, max_length=200, verbose_name="tehtävänimike")),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
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
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Se, jota henkilö tässä tehtävässä edustaa suunnitelman mukaan.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.organisation",
                                verbose_name="organisaatio tai alue",
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.person",
                                verbose_name="henkilö",
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
                        "verbose_name": "historical vastuu",
                        "verbose_name_plural": "historical vastuut",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalPerson",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("name", models.CharField(db_index=True, max_length=200, verbose_name="nimi")),
                        ("title", models.CharField(blank=True, max_length=200, verbose_name="tehtävänimike")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="sähköposti")),
                        ("phone", models.CharField(blank=True, max_length=40, verbose_name="puhelin")),
                        (
                            "is_demo",
                            models.BooleanField(
                                default=False,
                                help_text="Kokeilutunnusten henkilö; ei esiinny hankkeiden suunnitelmissa.",
                                verbose_name="vain kokeilukäyttöön",
                            ),
                        ),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
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
                            "user",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="käyttäjätunnus",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.organisation",
                                verbose_name="organisaatio",
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
                        "verbose_name": "historical henkilö",
                        "verbose_name_plural": "historical henkilöt",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalPartner",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "share",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="osuus (€)"
                            ),
                        ),
                        (
                            "share_text",
                            models.CharField(
                                blank=True,
                                help_text="Kun suunnitelma antaa osuuden pyöristettynä, esim. ”15,39 M€”; ei ole euromäärä.",
                                max_length=100,
                                verbose_name="osuus suunnitelman sanoin",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
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
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.organisation",
                                verbose_name="organisaatio",
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
                        "verbose_name": "historical osatoteuttaja",
                        "verbose_name_plural": "historical osatoteuttajat",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalOutput",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("text", models.TextField(verbose_name="tuotos")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
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
                    ],
                    options={
                        "verbose_name": "historical tuotos",
                        "verbose_name_plural": "historical tuotokset",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalOrganisation",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("key", models.SlugField(max_length=60, verbose_name="tunniste")),
                        ("name", models.CharField(max_length=200, verbose_name="nimi")),
                        ("short_name", models.CharField(blank=True, max_length=60, verbose_name="lyhenne")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("county", "Hyvinvointialue"),
                                    ("municipality", "Kunta"),
                                    ("joint_authority", "Kuntayhtymä"),
                                    ("area", "Alue"),
                                    ("hospital_district", "Sairaanhoitopiiri"),
                                    ("ministry", "Ministeriö"),
                                    ("eu", "Euroopan unioni"),
                                    ("company", "Yritys"),
                                    ("other", "Muu"),
                                ],
                                default="other",
                                max_length=20,
                                verbose_name="tyyppi",
                            ),
                        ),
                        ("business_id", models.CharField(blank=True, max_length=20, verbose_name="Y-tunnus")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
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
                                to="portfolio.organisation",
                                verbose_name="kuuluu",
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
                        "verbose_name": "historical organisaatio",
                        "verbose_name_plural": "historical organisaatiot",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalNode",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("programme", "Hanke"),
                                    ("subarea", "Osa-alue"),
                                    ("development_programme", "Kehittämisohjelma"),
                                    ("pillar", "Pilari"),
                                    ("investment", "Investointi"),
                                    ("entity", "Kokonaisuus"),
                                    ("subproject", "Osahanke"),
                                    ("work_package", "Työpaketti"),
                                    ("measure", "Toimenpide"),
                                ],
                                max_length=30,
                                verbose_name="tyyppi",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                max_length=40, validators=[popsote.text.validate_code], verbose_name="tunnus"
                            ),
                        ),
                        ("name", models.CharField(max_length=500, verbose_name="nimi")),
                        ("short_name", models.CharField(blank=True, max_length=200, verbose_name="lyhyt nimi")),
                        ("description", models.TextField(blank=True, verbose_name="kuvaus")),
                        ("start", models.DateField(blank=True, null=True, verbose_name="alkaa")),
                        ("end", models.DateField(blank=True, null=True, verbose_name="päättyy")),
                        (
                            "schedule_text",
                            models.CharField(
                                blank=True,
                                help_text="Esim. ”Kesto 12/2021 saakka”.",
                                max_length=300,
                                verbose_name="aikataulu suunnitelman sanoin",
                            ),
                        ),
                        (
                            "reports_monthly",
                            models.BooleanField(
                                default=False,
                                help_text="Kohteesta kirjoitetaan kuukausittainen tilannekatsaus; muut tasot vain ryhmittelevät.",
                                verbose_name="raportoi kuukausittain",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
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
                                to="portfolio.node",
                                verbose_name="ylätaso",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Puun juuri; hankkeella itsellään tämä viittaa siihen itseensä.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.node",
                                verbose_name="hanke",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.organisation",
                                verbose_name="hallinnoija",
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
                        "verbose_name": "historical hankkeen osa",
                        "verbose_name_plural": "historical hankkeen osat",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalGoal",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("key", "Keskeinen tavoite"),
                                    ("benefit", "Hyötytavoite"),
                                    ("process", "Prosessitavoite"),
                                ],
                                default="key",
                                max_length=20,
                                verbose_name="tyyppi",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="tavoite")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
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
                    ],
                    options={
                        "verbose_name": "historical tavoite",
                        "verbose_name_plural": "historical tavoitteet",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalFundingDecision",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("number", models.CharField(blank=True, max_length=60, verbose_name="diaarinumero")),
                        ("title", models.TextField(blank=True, verbose_name="otsikko")),
                        ("date", models.DateField(blank=True, null=True, verbose_name="päätöspäivä")),
                        (
                            "amount",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="myönnetty summa"
                            ),
                        ),
                        (
                            "grant_rate",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=5, null=True, verbose_name="avustusprosentti"
                            ),
                        ),
                        (
                            "eligible_start",
                            models.DateField(blank=True, null=True, verbose_name="kustannusten hyväksyttävyys alkaa"),
                        ),
                        (
                            "eligible_end",
                            models.DateField(blank=True, null=True, verbose_name="kustannusten hyväksyttävyys päättyy"),
                        ),
                        (
                            "period_text",
                            models.CharField(
                                blank=True,
                                help_text="Esim. ”vuosille 2023–2025”.",
                                max_length=300,
                                verbose_name="kausi suunnitelman sanoin",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("national", "Kansallinen valtionavustus"),
                                    ("eu_rrf", "EU:n elpymis- ja palautumistukiväline (RRF), NextGenerationEU"),
                                ],
                                max_length=20,
                                verbose_name="rahoituslähde",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
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
                            "funder",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.organisation",
                                verbose_name="rahoittaja",
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
                        "verbose_name": "historical rahoituspäätös",
                        "verbose_name_plural": "historical rahoituspäätökset",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalEvaluation",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        ("stage", models.CharField(blank=True, max_length=200, verbose_name="vaihe tai taso")),
                        (
                            "subject",
                            models.CharField(blank=True, max_length=300, verbose_name="mitä seurataan tai arvioidaan"),
                        ),
                        ("timing", models.CharField(blank=True, max_length=200, verbose_name="milloin")),
                        ("performed_by", models.CharField(blank=True, max_length=300, verbose_name="kuka")),
                        (
                            "published_in",
                            models.CharField(blank=True, max_length=300, verbose_name="missä julkaistaan"),
                        ),
                        ("text", models.TextField(verbose_name="suunnitelman sanamuoto")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
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
                    ],
                    options={
                        "verbose_name": "historical seurannan tai arvioinnin kohta",
                        "verbose_name_plural": "historical seuranta ja arviointi",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalBody",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("steering", "Ohjaus"),
                                    ("management", "Hankejohto ja hanketoimisto"),
                                    ("group", "Työ-, tuki- tai seurantaryhmä"),
                                    ("role", "Tehtävä"),
                                    ("planned", "Suunniteltu organisaatio"),
                                ],
                                max_length=20,
                                verbose_name="laji",
                            ),
                        ),
                        ("name", models.CharField(max_length=300, verbose_name="nimi")),
                        ("description", models.TextField(blank=True, verbose_name="kuvaus suunnitelman sanoin")),
                        (
                            "presented_by",
                            models.CharField(
                                blank=True,
                                help_text="Kuka valmistelee tai esittelee asiat elimelle.",
                                max_length=300,
                                verbose_name="asiat esittelee",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
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
                            "reports_to",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.body",
                                verbose_name="valmistelee asiat elimelle",
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
                            "chair",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="portfolio.person",
                                verbose_name="puheenjohtaja",
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
                        "verbose_name": "historical hankeorganisaation osa",
                        "verbose_name_plural": "historical hankeorganisaatio",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalBackground",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="versio")),
                        (
                            "source_section",
                            models.CharField(blank=True, max_length=300, verbose_name="kohta lähteessä"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("situation", "Lähtötilanne"),
                                    ("assessment", "Arviointi tai selvitys"),
                                    ("discussion", "Keskustelu"),
                                    ("earlier_work", "Aiempi kehittämistyö"),
                                    ("participation", "Mukana olevat"),
                                    ("scope", "Rajaus tai riippuvuus"),
                                ],
                                max_length=20,
                                verbose_name="laji",
                            ),
                        ),
                        ("title", models.CharField(max_length=300, verbose_name="otsikko")),
                        (
                            "date",
                            models.DateField(
                                blank=True,
                                help_text="Kuukauden tai vuoden viimeinen päivä, kun suunnitelma antaa vain sen.",
                                null=True,
                                verbose_name="päivä",
                            ),
                        ),
                        (
                            "date_text",
                            models.CharField(blank=True, max_length=100, verbose_name="ajankohta suunnitelman sanoin"),
                        ),
                        ("text", models.TextField(verbose_name="suunnitelman sanamuoto")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
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
                    ],
                    options={
                        "verbose_name": "historical tausta- tai lähtötilannetieto",
                        "verbose_name_plural": "historical tausta ja lähtötilanne",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Goal",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("key", "Keskeinen tavoite"),
                                    ("benefit", "Hyötytavoite"),
                                    ("process", "Prosessitavoite"),
                                ],
                                default="key",
                                max_length=20,
                                verbose_name="tyyppi",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="tavoite")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="goals",
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
                    ],
                    options={
                        "verbose_name": "tavoite",
                        "verbose_name_plural": "tavoitteet",
                        "ordering": ["node", "kind", "position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="FundingDecision",
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
                        ("number", models.CharField(blank=True, max_length=60, verbose_name="diaarinumero")),
                        ("title", models.TextField(blank=True, verbose_name="otsikko")),
                        ("date", models.DateField(blank=True, null=True, verbose_name="päätöspäivä")),
                        (
                            "amount",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="myönnetty summa"
                            ),
                        ),
                        (
                            "grant_rate",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=5, null=True, verbose_name="avustusprosentti"
                            ),
                        ),
                        (
                            "eligible_start",
                            models.DateField(blank=True, null=True, verbose_name="kustannusten hyväksyttävyys alkaa"),
                        ),
                        (
                            "eligible_end",
                            models.DateField(blank=True, null=True, verbose_name="kustannusten hyväksyttävyys päättyy"),
                        ),
                        (
                            "period_text",
                            models.CharField(
                                blank=True,
                                help_text="Esim. ”vuosille 2023–2025”.",
                                max_length=300,
                                verbose_name="kausi suunnitelman sanoin",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("national", "Kansallinen valtionavustus"),
                                    ("eu_rrf", "EU:n elpymis- ja palautumistukiväline (RRF), NextGenerationEU"),
                                ],
                                max_length=20,
                                verbose_name="rahoituslähde",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
                        (
                            "programme",
                            models.ForeignKey(
                                limit_choices_to={"parent__isnull": True},
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="funding_decisions",
                                to="portfolio.node",
                                verbose_name="hanke",
                            ),
                        ),
                        (
                            "funder",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="funding_decisions",
                                to="portfolio.organisation",
                                verbose_name="rahoittaja",
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
                        "verbose_name": "rahoituspäätös",
                        "verbose_name_plural": "rahoituspäätökset",
                        "ordering": ["date", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Evaluation",
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
                        ("stage", models.CharField(blank=True, max_length=200, verbose_name="vaihe tai taso")),
                        (
                            "subject",
                            models.CharField(blank=True, max_length=300, verbose_name="mitä seurataan tai arvioidaan"),
                        ),
                        ("timing", models.CharField(blank=True, max_length=200, verbose_name="milloin")),
                        ("performed_by", models.CharField(blank=True, max_length=300, verbose_name="kuka")),
                        (
                            "published_in",
                            models.CharField(blank=True, max_length=300, verbose_name="missä julkaistaan"),
                        ),
                        ("text", models.TextField(verbose_name="suunnitelman sanamuoto")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="evaluations",
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
                    ],
                    options={
                        "verbose_name": "seurannan tai arvioinnin kohta",
                        "verbose_name_plural": "seuranta ja arviointi",
                        "ordering": ["node", "position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Background",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("situation", "Lähtötilanne"),
                                    ("assessment", "Arviointi tai selvitys"),
                                    ("discussion", "Keskustelu"),
                                    ("earlier_work", "Aiempi kehittämistyö"),
                                    ("participation", "Mukana olevat"),
                                    ("scope", "Rajaus tai riippuvuus"),
                                ],
                                max_length=20,
                                verbose_name="laji",
                            ),
                        ),
                        ("title", models.CharField(max_length=300, verbose_name="otsikko")),
                        (
                            "date",
                            models.DateField(
                                blank=True,
                                help_text="Kuukauden tai vuoden viimeinen päivä, kun suunnitelma antaa vain sen.",
                                null=True,
                                verbose_name="päivä",
                            ),
                        ),
                        (
                            "date_text",
                            models.CharField(blank=True, max_length=100, verbose_name="ajankohta suunnitelman sanoin"),
                        ),
                        ("text", models.TextField(verbose_name="suunnitelman sanamuoto")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="background",
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
                    ],
                    options={
                        "verbose_name": "tausta- tai lähtötilannetieto",
                        "verbose_name_plural": "tausta ja lähtötilanne",
                        "ordering": ["node", "position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Task",
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
                        ("text", models.TextField(verbose_name="tehtävä")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="tasks",
                                to="portfolio.node",
                                verbose_name="toimenpide",
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
                        "verbose_name": "tehtävä",
                        "verbose_name_plural": "tehtävät",
                        "ordering": ["node", "position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="UsageEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "at",
                            models.DateTimeField(
                                db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="aika"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("sign_in", "kirjautuminen"),
                                    ("sign_in_failed", "epäonnistunut kirjautuminen"),
                                    ("sign_out", "uloskirjautuminen"),
                                    ("report", "raportti tai vienti"),
                                    ("contacts", "yhteystiedot"),
                                    ("account", "käyttäjätunnus ja roolit"),
                                ],
                                editable=False,
                                max_length=20,
                                verbose_name="tapahtuma",
                            ),
                        ),
                        ("target", models.CharField(blank=True, editable=False, max_length=300, verbose_name="kohde")),
                        ("path", models.CharField(blank=True, editable=False, max_length=300, verbose_name="osoite")),
                        (
                            "address",
                            models.GenericIPAddressField(
                                blank=True, editable=False, null=True, verbose_name="IP-osoite"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="usage_events",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="käyttäjä",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "käyttölokin tapahtuma",
                        "verbose_name_plural": "käyttöloki",
                        "ordering": ["-at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="UserSession",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("session_key", models.CharField(max_length=40, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="salkku_sessions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ServiceContract",
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
                        ("valid_until", models.DateField(blank=True, null=True, verbose_name="voimassa")),
                        (
                            "valid_text",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="voimassaolo suunnitelman sanoin"
                            ),
                        ),
                        ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="arkistoitu")),
                        (
                            "municipality",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="outsourcing_contracts",
                                to="portfolio.organisation",
                                verbose_name="kunta",
                            ),
                        ),
                        (
                            "provider",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="provided_contracts",
                                to="portfolio.organisation",
                                verbose_name="palveluntuottaja",
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
                        "verbose_name": "sote-tuotannon ulkoistussopimus",
                        "verbose_name_plural": "sote-tuotannon ulkoistussopimukset",
                        "ordering": ["municipality__name", "pk"],
                        "constraints": [
                            models.UniqueConstraint(fields=("municipality", "provider"), name="service_contract_unique")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Risk",
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
                            "category",
                            models.CharField(
                                choices=[
                                    ("goal", "Tavoiteriski"),
                                    ("competence", "Osaamiseen liittyvä riski"),
                                    ("ethical", "Eettinen riski"),
                                    ("schedule", "Aikatauluriski"),
                                    ("network", "Verkostoriski"),
                                    ("financial", "Taloudellinen riski"),
                                    ("national_reform", "Kansallisen uudistuksen etenemiseen liittyvä riski"),
                                    ("other", "Muu riski"),
                                ],
                                default="other",
                                max_length=20,
                                verbose_name="luokka",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="otsikko")),
                        ("description", models.TextField(blank=True, verbose_name="kuvaus")),
                        (
                            "likelihood",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="todennäköisyys (1–5)"
                            ),
                        ),
                        (
                            "impact",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="vaikutus (1–5)"),
                        ),
                        ("mitigation", models.TextField(blank=True, verbose_name="riskeihin varautuminen")),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Avoin"), ("closed", "Suljettu")],
                                default="open",
                                max_length=10,
                                verbose_name="tila",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="risks",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="risks",
                                to="portfolio.person",
                                verbose_name="vastuuhenkilö",
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
                        "verbose_name": "riski",
                        "verbose_name_plural": "riskit",
                        "ordering": ["node", "position", "pk"],
                        "constraints": [
                            models.CheckConstraint(
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
                                name="risk_scores_one_to_five",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Responsibility",
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
                            "role",
                            models.CharField(
                                choices=[
                                    ("lead", "Projektipäällikkö / vetäjä"),
                                    ("responsible", "Vastuuhenkilö"),
                                    ("chair", "Puheenjohtaja"),
                                    ("vice_chair", "Varapuheenjohtaja"),
                                    ("member", "Jäsen"),
                                    ("writer", "Kirjoittaja"),
                                    ("contact", "Yhteyshenkilö"),
                                    ("named", "Mainittu (rooli ei kerrottu)"),
                                ],
                                default="responsible",
                                max_length=20,
                                verbose_name="rooli",
                            ),
                        ),
                        ("title", models.CharField(blank=True, max_length=200, verbose_name="tehtävänimike")),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="responsibilities",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                help_text="Se, jota henkilö tässä tehtävässä edustaa suunnitelman mukaan.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="responsibilities",
                                to="portfolio.organisation",
                                verbose_name="organisaatio tai alue",
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="responsibilities",
                                to="portfolio.person",
                                verbose_name="henkilö",
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
                        "verbose_name": "vastuu",
                        "verbose_name_plural": "vastuut",
                        "ordering": ["node", "position", "pk"],
                        "constraints": [
                            models.UniqueConstraint(fields=("node", "person", "role"), name="responsibility_unique")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Partner",
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
                            "share",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="osuus (€)"
                            ),
                        ),
                        (
                            "share_text",
                            models.CharField(
                                blank=True,
                                help_text="Kun suunnitelma antaa osuuden pyöristettynä, esim. ”15,39 M€”; ei ole euromäärä.",
                                max_length=100,
                                verbose_name="osuus suunnitelman sanoin",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="huomautus")),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="järjestys")),
                        (
                            "node",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partners",
                                to="portfolio.node",
                                verbose_name="kohde",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="partnerships",
                                to="portfolio.organisation",
                                verbose_name="organisaatio",
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
                        "verbose_name": "osatoteuttaja",
                        "verbose_name_plural": "osatoteuttajat",
                        "ordering": ["node", "position", "pk"],
                        "constraints": [
                            models.UniqueConstraint(fields=("node", "organisation"), name="partner_unique"),
                            models.CheckConstraint(
                                condition=models.Q(("share__isnull", True), ("share__gte", 0), _connector="OR"),
                                name="partner_share_not_negative",
                            ),
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="node",
                    constraint=models.UniqueConstraint(
                        fields=("programme", "code"), name="node_code_unique_in_programme"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="node",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("start__isnull", True),
                            ("end__isnull", True),
                            ("end__gte", models.F("start")),
                            _connector="OR",
                        ),
                        name="node_end_not_before_start",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="node",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "programme"), ("parent__isnull", True)),
                            models.Q(("parent__isnull", False), models.Q(("kind", "programme"), _negated=True)),
                            _connector="OR",
                        ),
                        name="node_programme_is_root",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="fundingdecision",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("grant_rate__isnull", True),
                            models.Q(("grant_rate__gte", 0), ("grant_rate__lte", 100)),
                            _connector="OR",
                        ),
                        name="funding_grant_rate_percent",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="fundingdecision",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("amount__isnull", True), ("amount__gte", 0), _connector="OR"),
                        name="funding_amount_not_negative",
                    ),
                ),
                migrations.AddIndex(
                    model_name="usageevent",
                    index=models.Index(fields=["kind", "-at"], name="usage_kind_at"),
                ),
            ]
        ),
        *_trigram.Migration.operations,
    ]
