from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portfolio.api.base import FormBacked, IdField, ModelSerializer
from portfolio.api.serializers import HELP, described
from portfolio.models import Node

from ..forms import ActualCostForm
from ..models import (
    ActualCost,
    BudgetLine,
    CostCategory,
    LedgerAccount,
    LedgerImport,
    LedgerUpload,
    NodeBudget,
    PlanVersion,
)

MONEY = _('Euroina desimaalimerkkijonona (amount in euros as a decimal string), esim. "1228500.00".')
PLAN = _("Suunnitelmaversio (plan version).")
CATEGORY = _("Kustannuslaji (cost category) STM:n kustannusarviopohjasta.")


class CostCategorySerializer(ModelSerializer):
    class Meta:
        model = CostCategory
        fields = ["id", "key", "name", "parent", "kind", "position", "eligible", "version"]
        extra_kwargs = described(
            "id",
            "name",
            "position",
            "version",
            key=_("Pysyvä tunniste (key), esim. henkilostokulut."),
            parent=_("Yläluokka (parent category), esim. palvelujen ostot."),
            kind=_(
                "Laji: kulu (cost), tuotto (income), omarahoitus (own funding), muu julkinen rahoitus (other public funding)."
            ),
            eligible=_("Valtionavustukseen oikeuttava (eligible for the state grant)."),
        )


class PlanVersionSerializer(ModelSerializer):
    class Meta:
        model = PlanVersion
        fields = ["url", "id", "programme", "key", "name", "date", "is_current", "note", "version"]
        read_only_fields = ["key", "date", "is_current", "note", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:planversion-detail"},
            "programme": {"queryset": Node.objects.programmes().active()},
            **described(
                "programme",
                "name",
                "note",
                "version",
                key=_("Pysyvä tunniste (key)."),
                date=_("Päivätty (date of the plan)."),
                is_current=_("Voimassa (current): hankkeella on yksi voimassa oleva suunnitelmaversio."),
            ),
        }


class NodeBudgetSerializer(ModelSerializer):
    class Meta:
        model = NodeBudget
        fields = ["id", "plan", "node", "total", "grant", "own_funding", "note", "version"]
        extra_kwargs = described(
            "id",
            "node",
            "note",
            "version",
            plan=PLAN,
            total=_("Kokonaisbudjetti (total budget) sellaisena kuin suunnitelma sen kirjoittaa. ") + MONEY,
            grant=_("Valtionavustus (state grant). ") + MONEY,
            own_funding=_("Omarahoitus (own funding). ") + MONEY,
        )


class BudgetLineSerializer(ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "plan", "node", "category", "year", "amount", "version"]
        extra_kwargs = described(
            "id", "node", "version", plan=PLAN, category=CATEGORY, year=_("Vuosi (year)."), amount=MONEY
        )


class GridLineSerializer(serializers.Serializer):
    category = IdField(queryset=CostCategory.objects.filter(children__isnull=True), help_text=CATEGORY)
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text=_("Vuosi (year)."))
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        allow_null=True,
        help_text=MONEY + " " + _("Tyhjä (null) poistaa rivin."),
    )


class BudgetGridSerializer(serializers.Serializer):
    """A node's talousarvio (budget lines) in its programme's current plan version, cost category × year."""

    node = serializers.IntegerField(read_only=True, help_text=_("Kohde (node)."))
    plan = serializers.IntegerField(read_only=True, help_text=PLAN)
    lines = GridLineSerializer(
        many=True, help_text=_("Rivit (lines). PUT muuttaa vain annetut rivit; summa null poistaa rivin.")
    )


class ActualCostSerializer(FormBacked):
    class Meta:
        model = ActualCost
        form = ActualCostForm
        fields = [
            "url",
            "id",
            "node",
            "category",
            "month",
            "amount",
            "account",
            "cost_centre",
            "description",
            "ledger_import",
            "version",
        ]
        read_only_fields = ["account", "cost_centre", "ledger_import", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:actualcost-detail"},
            "node": {"queryset": Node.objects.active()},
            **described(
                "node",
                "version",
                category=CATEGORY,
                month=_("Kuukausi (month): kuukauden ensimmäinen päivä, esim. 2024-05-01."),
                amount=_("Toteuma (actual cost). ") + MONEY,
                account=_("Kirjanpidon tili (ledger account)."),
                cost_centre=_("Kustannuspaikka (cost centre)."),
                description=_("Selite (description)."),
                ledger_import=_(
                    "Kirjanpidon otteen tuonti (ledger import), josta kulu tuli; tyhjä, jos kirjattu käsin."
                ),
            ),
        }

    def form_kwargs(self):
        return {"nodes": Node.objects.active()}


class LedgerAccountSerializer(ModelSerializer):
    class Meta:
        model = LedgerAccount
        fields = ["id", "account", "account_end", "name", "category", "example", "version"]
        read_only_fields = ["example", "version"]
        extra_kwargs = described(
            "id",
            account=_("Tili tai tilialueen ensimmäinen tili (account, or the first of a range)."),
            account_end=_("Tilialueen viimeinen tili; tyhjä, kun rivi on yksi tili (the last account of a range)."),
            name=_("Nimi (name)."),
            category=_("Kustannuslaji (cost category), jolle tilin kulut kirjataan."),
            example=_("Asennuksen esimerkkirivi, jota ei ole vahvistettu (an unconfirmed example row)."),
            version=_("Versio (version)."),
        )

    def validate(self, attrs):
        start, end = attrs.get("account", ""), attrs.get("account_end", "")
        if start and end and start.isdigit() and end.isdigit() and int(end) < int(start):
            raise serializers.ValidationError({"account_end": [_("Tilialueen loppu on ennen sen alkua.")]})
        category = attrs.get("category")
        if category is not None and (category.kind != CostCategory.Kind.COST or category.children.exists()):
            raise serializers.ValidationError({"category": [_("Valitse kulujen alin kustannuslaji.")]})
        return attrs


class LedgerImportSerializer(ModelSerializer):
    class Meta:
        model = LedgerImport
        fields = [
            "id",
            "programme",
            "file_name",
            "sha256",
            "imported_by",
            "imported_at",
            "row_count",
            "total",
            "reverses",
            "reversed_at",
            "reason",
        ]
        extra_kwargs = described(
            "id",
            "programme",
            file_name=_("Tiedoston nimi (file name)."),
            sha256=_("Tuotujen rivien SHA-256; sama ote ei tule kahdesti."),
            imported_by=_("Tuoja (user who imported)."),
            imported_at=_("Tuotu (imported at), ISO 8601."),
            row_count=_("Rivejä (rows)."),
            total=_("Yhteensä (total). ") + MONEY,
            reverses=_("Tuonti, jonka tämä peruu (the import this reversal undoes)."),
            reversed_at=_("Milloin tuonti peruttiin (when it was undone), ISO 8601."),
            reason=_("Perumisen syy (why it was undone)."),
        )


class ReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text=_("Miksi tuonti perutaan (why)."))
    confirm_reports = serializers.BooleanField(
        default=False,
        help_text=_("Hanketoimisto hyväksyy, että jo tehtyjen raporttien luvut muuttuvat (project office only)."),
    )


class ConfirmSerializer(serializers.Serializer):
    duplicates = serializers.ChoiceField(
        choices=["skip", "import"],
        required=False,
        help_text=_(
            "Jo tuodun näköiset rivit: skip ohittaa ne, import tuo nekin; pakollinen, kun esikatselussa on niitä."
        ),
    )


class LedgerFileSerializer(serializers.Serializer):
    programme = IdField(
        queryset=Node.objects.programmes().active(), help_text=_("Hanke (programme), johon ote tuodaan.")
    )
    file = serializers.FileField(
        allow_empty_file=True,  # the import says "the file is empty" as a row, like every other refusal
        help_text=_(
            "Kirjanpidon ote (ledger extract), .xlsx tai .csv (;-erotin, desimaalipilkku); sarakkeet Kausi, "
            "Kustannuspaikka, Tili, Kohde, Summa, Selite."
        ),
    )
    duplicates = serializers.ChoiceField(
        choices=["skip", "import"],
        required=False,
        help_text=_("Jo tuodun näköiset rivit (ledger-imports): skip ohittaa ne, import tuo nekin."),
    )


class LedgerUploadSerializer(ModelSerializer):
    """A large extract imported in the background: follow ``status`` and ``progress``; ``rows`` when refused."""

    url = serializers.HyperlinkedIdentityField(view_name="api:ledgerupload-detail", help_text=HELP["url"])
    rows = serializers.SerializerMethodField(help_text=_("Hylätyt rivit: rivi, sarake ja syy (row, column, reason)."))

    class Meta:
        model = LedgerUpload
        fields = [
            "url",
            "id",
            "programme",
            "file_name",
            "uploaded_by",
            "status",
            "progress",
            "created_at",
            "finished_at",
            "rows",
            "result",
            "preview",
        ]
        extra_kwargs = described(
            "id",
            "programme",
            file_name=_("Tiedoston nimi (file name)."),
            uploaded_by=_("Tuoja (user who uploaded)."),
            status=_(
                "Tila: jonossa, käynnissä, tuotu, hylätty, epäonnistui (queued, running, done, rejected, failed)."
            ),
            progress=_("Edistyminen prosentteina (progress, %)."),
            created_at=_("Lähetetty (uploaded at), ISO 8601."),
            finished_at=_("Valmistunut (finished at), ISO 8601."),
            result=_("Valmis tuonti (the ledger import), kun tila on tuotu."),
            preview=_(
                "Esikatselu, kun tila on preview: rows, total, totals (kohde, kustannuslaji, kuukausi, summa) ja "
                "duplicates (jo tuodun näköiset rivit)."
            ),
        )

    def get_rows(self, upload) -> list[dict]:
        return [{"row": row, "column": column, "reason": reason} for row, column, reason in upload.errors]


class UsageSerializer(serializers.Serializer):
    """Plan against actual on one line (a cost category, a year, or the total)."""

    label = serializers.CharField(help_text=_("Rivi (label): kustannuslaji, vuosi tai yhteensä."))
    plan = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=_("Suunnitelma (plan). ") + MONEY)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=_("Toteuma (actual). ") + MONEY)
    remaining = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Jäljellä (remaining = plan − actual). ") + MONEY
    )
    utilisation = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        allow_null=True,
        help_text=_("Käyttöaste % (utilisation); null ilman suunnitelmaa."),
    )
    over = serializers.BooleanField(help_text=_("Ylittyy (overspend): toteuma on suurempi kuin suunnitelma."))


class BudgetFiguresSerializer(serializers.Serializer):
    """A node's budget figures (the node and everything under it), exactly as the cost estimate page shows them."""

    node = serializers.IntegerField(help_text=_("Kohde (node)."))
    plan_version = serializers.IntegerField(allow_null=True, help_text=PLAN)
    plan_source = serializers.ChoiceField(
        choices=["lines", "written"],
        allow_null=True,
        help_text=_(
            "Mistä suunnitelma tulee (plan source): lines = kustannuslajeittaiset rivit, written = kirjattu "
            "kokonaisbudjetti (kun rivejä ei ole)."
        ),
    )
    written = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=_("Kirjattu kokonaisbudjetti (written). ") + MONEY
    )
    lines_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=_("Riveistä laskettu (lines total). ") + MONEY
    )
    difference = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("Kirjattu − riveistä laskettu, kun ne eroavat (difference). ") + MONEY,
    )
    total = UsageSerializer(help_text=_("Koko hankeajan suunnitelma ja toteuma (total)."))
    by_category = UsageSerializer(many=True, help_text=_("Kustannuslajeittain (by cost category)."))
    by_year = UsageSerializer(many=True, help_text=_("Vuosittain (by year)."))
    grant = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("Valtionavustus suunnitelmasta rahoituspäätöksen avustusprosentilla (grant). ") + MONEY,
    )
    own_funding = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=_("Omarahoitus (own funding). ") + MONEY
    )
    eligible_actual = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("Valtionavustukseen oikeuttavat toteutuneet kulut (eligible actual costs). ") + MONEY,
    )
    grant_max = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("Valtionavustusta niistä enintään (grant maximum). ") + MONEY,
    )
