from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from popsote.money import MoneyField
from portfolio.models import Node, Sourced, Tracked


class PlanVersion(Sourced, Tracked):
    """One version of a programme's plan and budget (plans are revised; every version is kept)."""

    programme = models.ForeignKey(
        Node,
        models.PROTECT,
        related_name="plan_versions",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("hanke"),
    )
    key = models.SlugField(_("tunniste"), max_length=60)
    name = models.CharField(_("nimi"), max_length=200)
    date = models.DateField(_("päivätty"), null=True, blank=True)
    is_current = models.BooleanField(_("voimassa"), default=False)
    note = models.TextField(_("huomautus"), blank=True)

    class Meta:
        ordering = ["programme", "date", "pk"]
        verbose_name = _("suunnitelmaversio")
        verbose_name_plural = _("suunnitelmaversiot")
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="plan_version_key_unique"),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(is_current=True), name="plan_version_one_current"
            ),
        ]

    def __str__(self):
        return self.name


class NodeBudget(Sourced, Tracked):
    """A node's planned budget as written in one plan version: total, and its grant/own split if given.

    Detailed lines by cost category and year come on top of this; the written total stays, so the
    software can show where a plan's own figures disagree.
    """

    plan = models.ForeignKey(
        PlanVersion, models.PROTECT, related_name="node_budgets", verbose_name=_("suunnitelmaversio")
    )
    node = models.ForeignKey(Node, models.PROTECT, related_name="budgets", verbose_name=_("kohde"))
    total = MoneyField(_("kokonaisbudjetti"), max_digits=14, decimal_places=2)
    grant = MoneyField(_("valtionavustus"), max_digits=14, decimal_places=2, null=True, blank=True)
    own_funding = MoneyField(_("omarahoitus"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("huomautus"), blank=True)

    class Meta:
        ordering = ["plan", "node"]
        verbose_name = _("budjetti")
        verbose_name_plural = _("budjetit")
        constraints = [
            models.UniqueConstraint(fields=["plan", "node"], name="node_budget_unique"),
            models.CheckConstraint(condition=Q(total__gte=0), name="node_budget_total_not_negative"),
            models.CheckConstraint(
                condition=Q(grant__isnull=True) | Q(grant__gte=0), name="node_budget_grant_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(own_funding__isnull=True) | Q(own_funding__gte=0), name="node_budget_own_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.node.code} {self.plan}: {self.total}"


class CostCategory(Tracked):
    """A row of the STM cost template (henkilöstökulut, palvelujen ostot › asiantuntijapalvelut…)."""

    class Kind(models.TextChoices):
        COST = "cost", _("Kulu")
        INCOME = "income", _("Tuotto")
        OWN_FUNDING = "own_funding", _("Omarahoitus")
        OTHER_PUBLIC = "other_public", _("Muu julkinen rahoitus")

    key = models.SlugField(_("tunniste"), max_length=60, unique=True)
    name = models.CharField(_("nimi"), max_length=200)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("yläluokka")
    )
    kind = models.CharField(_("laji"), max_length=20, choices=Kind.choices, default=Kind.COST)
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    eligible = models.BooleanField(_("valtionavustukseen oikeuttava"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("kustannuslaji")
        verbose_name_plural = _("kustannuslajit")

    def __str__(self):
        return self.name


class BudgetLine(Sourced, Tracked):
    """A planned amount: node × cost category × year in one plan version."""

    plan = models.ForeignKey(PlanVersion, models.PROTECT, related_name="lines", verbose_name=_("suunnitelmaversio"))
    node = models.ForeignKey(Node, models.PROTECT, related_name="budget_lines", verbose_name=_("kohde"))
    category = models.ForeignKey(CostCategory, models.PROTECT, related_name="lines", verbose_name=_("kustannuslaji"))
    year = models.PositiveSmallIntegerField(_("vuosi"))
    amount = MoneyField(_("summa"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["plan", "node", "category__position", "year"]
        verbose_name = _("talousarviorivi")
        verbose_name_plural = _("talousarviorivit")
        constraints = [
            models.UniqueConstraint(fields=["plan", "node", "category", "year"], name="budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="budget_line_year_sane"),
        ]

    def __str__(self):
        return f"{self.node.code} {self.category} {self.year}: {self.amount}"


class LedgerAccount(Tracked):
    """A ledger account, or a range of them (4000–4099), and the cost category their costs belong to."""

    account = models.CharField(_("tili"), max_length=20, unique=True)
    account_end = models.CharField(
        _("tilialueen loppu"), max_length=20, blank=True, help_text=_("Tilialueen viimeinen tili, esim. 4099.")
    )
    name = models.CharField(_("nimi"), max_length=200, blank=True)
    category = models.ForeignKey(CostCategory, models.PROTECT, related_name="accounts", verbose_name=_("kustannuslaji"))
    example = models.BooleanField(
        _("esimerkki"),
        default=False,
        help_text=_("Asennuksen mukana tullut esimerkkirivi: ei hyvinvointialueen oma tili ennen vahvistusta."),
    )

    class Meta:
        ordering = ["account"]
        verbose_name = _("kirjanpidon tili")
        verbose_name_plural = _("kirjanpidon tilit")

    def __str__(self):
        return f"{self.account}{'–' + self.account_end if self.account_end else ''} {self.name}".strip()

    def covers(self, code):
        """Whether the account ``code`` of an extract is this account or in this range."""
        if not self.account_end:
            return code == self.account
        if code.isdigit() and self.account.isdigit() and self.account_end.isdigit():
            return int(self.account) <= int(code) <= int(self.account_end)
        return self.account <= code <= self.account_end


class LedgerImport(models.Model):
    """One imported ledger extract, or the reversal of one; its checksum keeps the same file from being
    counted twice (while it is not reversed)."""

    programme = models.ForeignKey(Node, models.PROTECT, related_name="ledger_imports", verbose_name=_("hanke"))
    file_name = models.CharField(_("tiedosto"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="ledger_imports", verbose_name=_("tuoja")
    )
    imported_at = models.DateTimeField(_("tuotu"), auto_now_add=True)
    row_count = models.PositiveIntegerField(_("rivejä"))
    total = MoneyField(_("yhteensä"), max_digits=14, decimal_places=2)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversal", verbose_name=_("peruu tuonnin")
    )
    reversed_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    reason = models.TextField(_("perustelu"), blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("kirjanpitoaineiston tuonti")
        verbose_name_plural = _("kirjanpitoaineiston tuonnit")
        constraints = [
            models.UniqueConstraint(fields=["sha256"], condition=Q(reversed_at__isnull=True), name="ledger_import_once")
        ]

    def __str__(self):
        return self.file_name


class ActualCost(Tracked):
    """An actual cost (toteuma) of a node in a month and cost category, typed in or imported."""

    node = models.ForeignKey(Node, models.PROTECT, related_name="actual_costs", verbose_name=_("kohde"))
    category = models.ForeignKey(
        CostCategory, models.PROTECT, related_name="actual_costs", verbose_name=_("kustannuslaji")
    )
    month = models.DateField(_("kuukausi"), help_text=_("Kuukauden ensimmäinen päivä."))
    amount = MoneyField(_("summa"), max_digits=14, decimal_places=2)
    account = models.CharField(_("tili"), max_length=20, blank=True)
    cost_centre = models.CharField(_("kustannuspaikka"), max_length=40, blank=True)
    description = models.CharField(_("selite"), max_length=500, blank=True)
    ledger_import = models.ForeignKey(
        LedgerImport, models.PROTECT, null=True, blank=True, related_name="costs", verbose_name=_("tuonti")
    )

    class Meta:
        ordering = ["month", "pk"]
        verbose_name = _("toteuma")
        verbose_name_plural = _("toteumat")
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="actual_cost_month_first_day")]
        # Costs in their order: the first of a subtree's costs outside the period of use (the cost estimate
        # lists fifty) are found walking it, not by sorting every cost of the subtree (EXPLAIN at 100 times).
        indexes = [models.Index(fields=["month", "id"], name="actual_cost_order")]

    def __str__(self):
        return f"{self.node.code} {self.month:%m/%Y}: {self.amount}"


class LedgerUpload(models.Model):
    """A ledger extract too large to import within a request: a worker imports it, the page shows how far."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Jonossa")
        RUNNING = "running", _("Käynnissä")
        DONE = "done", _("Tuotu")
        REJECTED = "rejected", _("Hylätty")
        FAILED = "failed", _("Epäonnistui")
        PREVIEW = "preview", _("Odottaa vahvistusta")

    programme = models.ForeignKey(Node, models.PROTECT, related_name="ledger_uploads", verbose_name=_("hanke"))
    file = models.FileField(_("tiedosto"), upload_to="ledger/%Y/%m/")
    file_name = models.CharField(_("tiedoston nimi"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="ledger_uploads", verbose_name=_("tuoja")
    )
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("edistyminen (%)"), default=0)
    created_at = models.DateTimeField(_("lähetetty"), auto_now_add=True)
    started_at = models.DateTimeField(_("aloitettu"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("viimeksi käynnissä"), null=True, blank=True)
    finished_at = models.DateTimeField(_("valmistunut"), null=True, blank=True)
    claimed_by = models.CharField(_("tekijä"), max_length=64, blank=True)
    errors = models.JSONField(_("virheet"), default=list, blank=True, help_text=_("Rivi, sarake ja syy."))
    result = models.OneToOneField(
        LedgerImport, models.PROTECT, null=True, blank=True, related_name="upload", verbose_name=_("tuonti")
    )
    preview = models.JSONField(_("esikatselu"), default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("vahvistettu"), null=True, blank=True)
    duplicates = models.CharField(
        _("epäilyttävät rivit"), max_length=10, blank=True, help_text=_("skip: ohitetaan, import: tuodaan.")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kirjanpidon otteen taustatuonti")
        verbose_name_plural = _("kirjanpidon otteen taustatuonnit")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("budgets:ledger_upload_status", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED, self.Status.PREVIEW)
