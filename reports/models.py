from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from milestones.models import Milestone
from popsote.months import last_day
from portfolio.locking import Lockable, Locked, LockedPart, LockedQuerySet
from portfolio.models import Goal, Node, Organisation, Person, Risk, Sourced, Tracked


# The State Treasury keeps an RRF measure's records until the end of 2032 (RRF_RETAIN_UNTIL overrides it).
def rrf_retain_until():
    return settings.SALKKU_RRF_RETAIN_UNTIL


class RetentionRefused(Locked):
    """A record of an RRF programme kept until its retention date: nobody may change or delete it before then."""

    def __init__(self, until=None):
        text = _("Tallenne säilytetään muuttamattomana {date} asti.").format(
            date=f"{until.day}.{until.month}.{until.year}" if until else ""
        )
        super().__init__(text, code="retained")


class RetainedQuerySet(models.QuerySet):
    """Bulk updates and deletes refuse a queryset that holds a row kept until its retention date."""

    def retained(self):
        return self.filter(retain_until__gte=timezone.localdate())

    def update(self, **kwargs):
        if self.retained().exists():
            raise RetentionRefused()
        return super().update(**kwargs)

    def delete(self):
        if self.retained().exists():
            raise RetentionRefused()
        return super().delete()


class Retained(models.Model):
    """A record kept unchanged until ``retain_until`` (empty: not an RRF record), by everyone, the admin included.

    ``mutable_fields`` may still be written once by ``update_fields`` while they are empty in the database
    (an evidence's review); nothing else changes and nothing is deleted.
    """

    retain_until = models.DateField(_("säilytetään asti"), null=True, blank=True, editable=False)

    mutable_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        row = self._retained_row()
        if row is not None and not self.may_write(row, set(kwargs.get("update_fields") or ())):
            raise RetentionRefused(row.retain_until)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        row = self._retained_row()
        if row is not None or self.is_retained:
            raise RetentionRefused(self.retain_until)
        return super().delete(*args, **kwargs)

    @property
    def is_retained(self):
        return self.retain_until is not None and self.retain_until >= timezone.localdate()

    def _retained_row(self):
        if self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk, retain_until__gte=timezone.localdate()).first()

    def may_write(self, row, fields):
        """Whether ``fields`` may be written to the retained ``row`` as it is in the database."""
        return bool(fields) and fields <= set(self.mutable_fields) and not any(getattr(row, f) for f in fields)


class ExportQuerySet(RetainedQuerySet):
    def visible_to(self, user):
        """Every authenticated role reads every programme's reports and exports; anonymous nothing."""
        return self if user.has_perm("reports.read_reports") else self.none()

    def issued(self):
        return self.filter(status=Export.Status.DONE)


class Export(Retained):
    """A generated report or export in the archive: made by a Celery task, then never changed.

    A programme's monthly report (``period``) or one sub-project's (``node``); each issue of the same
    programme, period, kind and node gets the next version number, and the old ones are kept.
    """

    class Kind(models.TextChoices):
        MONTHLY_PDF = "monthly_pdf", _("Kuukausiraportti (PDF)")
        HANKESALKKU_XLSX = "hankesalkku_xlsx", _("Hankesalkun kuukausiraportti (Excel)")
        COSTS_XLSX = "costs_xlsx", _("Kustannusarvio ja toteuma STM:n pohjalla (Excel)")
        MEASURES_XLSX = "measures_xlsx", _("Toimenpideluettelo (Excel)")
        INDICATORS_XLSX = "indicators_xlsx", _("Indikaattorit, tavoitteet ja mittaukset (Excel)")
        RRF_PACK_ZIP = "rrf_pack_zip", _("RRF-todistepaketti tiedostoineen (zip)")

    # Kinds that describe one reporting period and cannot be made without one.
    PERIOD_KINDS = (Kind.MONTHLY_PDF, Kind.HANKESALKKU_XLSX)

    class Status(models.TextChoices):
        QUEUED = "queued", _("Jonossa")
        RUNNING = "running", _("Käynnissä")
        DONE = "done", _("Valmis")
        FAILED = "failed", _("Epäonnistui")

    programme = models.ForeignKey(
        Node, models.PROTECT, related_name="exports", limit_choices_to={"parent__isnull": True}, verbose_name=_("hanke")
    )
    kind = models.CharField(_("tyyppi"), max_length=30, choices=Kind.choices)
    period = models.ForeignKey(
        "ReportingPeriod", models.PROTECT, null=True, blank=True, related_name="exports", verbose_name=_("kausi")
    )
    node = models.ForeignKey(
        Node,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("osahanke"),
        help_text=_("Tyhjä, kun raportti koskee koko hanketta."),
    )
    version = models.PositiveIntegerField(_("versio"), null=True, blank=True)
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("edistyminen (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="exports",
        verbose_name=_("pyytäjä"),
        help_text=_("Tyhjä, kun ajastettu tehtävä teki raportin kauden sulkeuduttua."),
    )
    created_at = models.DateTimeField(_("pyydetty"), auto_now_add=True)
    started_at = models.DateTimeField(_("aloitettu"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("viimeksi käynnissä"), null=True, blank=True)
    claimed_by = models.CharField(_("tekijä"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("yrityksiä"), default=0)
    finished_at = models.DateTimeField(_("valmistunut"), null=True, blank=True)
    error = models.TextField(_("virhe"), blank=True)
    file = models.FileField(_("tiedosto"), upload_to="exports/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    data_state = models.JSONField(
        _("aineiston tila"), default=dict, blank=True, help_text=_("Hyväksytyt tilannekatsaukset ja niiden versiot.")
    )
    attention_first = models.BooleanField(
        _("keltaiset ja punaiset ensin"),
        default=False,
        help_text=_("Kuukausiraportissa keltaiset ja punaiset osahankkeet ensin kunkin tason sisällä."),
    )

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("vienti")
        verbose_name_plural = _("viennit")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period", "kind", "node", "version"],
                condition=Q(status="done"),
                nulls_distinct=False,
                name="export_one_issue_per_version",
            ),
            models.CheckConstraint(
                condition=Q(status="done", version__isnull=False) | (~Q(status="done") & Q(version__isnull=True)),
                name="export_version_on_issue",
            ),
        ]

    def __str__(self):
        parts = [self.get_kind_display(), self.programme.short_name or self.programme.name]
        if self.node_id:
            parts.append(self.node.short_name or self.node.name)
        if self.period_id:
            parts.append(str(self.period))
        if self.version:
            parts.append(_("versio {number}").format(number=self.version))
        return " – ".join(str(part) for part in parts)

    def get_absolute_url(self):
        return reverse("reports:export", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ExportNote(models.Model):
    """What changed in an archived report's figures after it was made (an undone cost import). The entry and its
    file stay as issued (an RRF programme's are kept unchanged until their retention date); the notes are added
    beside it and never changed."""

    export = models.ForeignKey(Export, on_delete=models.PROTECT, related_name="notes", verbose_name=_("raportti"))
    text = models.TextField(_("huomautus"))
    made_at = models.DateTimeField(_("kirjattu"), auto_now_add=True)

    class Meta:
        ordering = ["made_at", "pk"]
        verbose_name = _("raportin huomautus")
        verbose_name_plural = _("raporttien huomautukset")

    def __str__(self):
        return self.text[:80]


class ReportingPeriod(models.Model):
    """A month of a programme for which every sub-project reports its status (open, then closed)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Avoin")
        CLOSED = "closed", _("Suljettu")

    programme = models.ForeignKey(Node, models.PROTECT, related_name="reporting_periods", verbose_name=_("hanke"))
    month = models.DateField(_("kuukausi"), help_text=_("Kuukauden ensimmäinen päivä."))
    deadline = models.DateField(_("määräpäivä"))
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("avattu"), auto_now_add=True)
    closed_at = models.DateTimeField(_("suljettu"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "-month"]
        verbose_name = _("raportointikausi")
        verbose_name_plural = _("raportointikaudet")
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"], name="period_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="period_month_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y}"

    def get_absolute_url(self):
        return reverse("reports:dashboard") + f"?programme={self.programme_id}&period={self.pk}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def last_day(self):
        return last_day(self.month)


class Light(models.TextChoices):
    GREEN = "green", _("Vihreä")
    YELLOW = "yellow", _("Keltainen")
    RED = "red", _("Punainen")


def light_text(value):
    """A light's name for people; an update loaded from a document may have none ("–")."""
    return str(Light(value).label) if value else "–"


class LightState(NamedTuple):
    """One of an update's five lights, in the one shape the form, the pages, the PDF and the workbooks use."""

    name: str  # overall, schedule, budget, scope, resources
    label: str
    value: str  # green, yellow, red, or "" when a loaded document gave none
    reason: str
    proposed: str  # the light the data proposed ("" when none)

    @property
    def text(self):
        return light_text(self.value)


class UpdateLocked(Locked):
    """An approved status update cannot change; a correction is a new revision."""

    def __init__(self):
        super().__init__(_("Hyväksytty tilannekatsaus on lukittu. Tee korjaus uutena versiona."), code="locked")


class StatusUpdateQuerySet(LockedQuerySet):
    def approved(self):
        return self.filter(status=StatusUpdate.Status.APPROVED)


class StatusUpdate(Sourced, Lockable):
    """A sub-project's monthly status update (tilannekatsaus): traffic lights, texts and measures' progress.

    A light is blank only on updates loaded from documents that gave none; the form requires one. A
    review imported from a document was never approved by anyone: it is ``imported``, read-only on
    every page, and says which area it describes and how its month was worked out.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Luonnos")
        SUBMITTED = "submitted", _("Lähetetty")
        RETURNED = "returned", _("Palautettu korjattavaksi")
        APPROVED = "approved", _("Hyväksytty")
        IMPORTED = "imported", _("Tuotu asiakirjasta")

    LIGHTS = ("overall", "schedule", "budget", "scope", "resources")
    # The update's sections, as the form and the review show them; the office comments on each when returning it.
    SECTIONS = {
        "lights": _("Liikennevalot"),
        "texts": _("Kuvaus"),
        "measures": _("Toimenpiteet"),
        "milestones": _("Välitavoitteet"),
        "indicator_values": _("Indikaattorit"),
        "risks": _("Riskit"),
    }
    JSON_KEY_LABELS = {"section_comments": SECTIONS}  # the change log's words for the keys
    # What the sub-project's lead writes (the form, the API and a new month's copy all use this list).
    LEAD_FIELDS = (
        *(field for name in LIGHTS for field in (name, f"{name}_reason")),
        "done",
        "next_steps",
        "decisions",
    )

    period = models.ForeignKey(ReportingPeriod, models.PROTECT, related_name="updates", verbose_name=_("kausi"))
    node = models.ForeignKey(Node, models.PROTECT, related_name="status_updates", verbose_name=_("osahanke"))
    revision = models.PositiveSmallIntegerField(_("versio"), default=1)
    revision_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("korjaa versiota")
    )
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    overall = models.CharField(
        _("kokonaistilanne"), max_length=6, choices=Light.choices, default=Light.GREEN, blank=True
    )
    overall_reason = models.TextField(_("perustelu (kokonaistilanne)"), blank=True)
    schedule = models.CharField(_("aikataulu"), max_length=6, choices=Light.choices, default=Light.GREEN, blank=True)
    schedule_reason = models.TextField(_("perustelu (aikataulu)"), blank=True)
    budget = models.CharField(_("talous"), max_length=6, choices=Light.choices, default=Light.GREEN, blank=True)
    budget_reason = models.TextField(_("perustelu (talous)"), blank=True)
    scope = models.CharField(
        _("sisältö ja tuotokset"), max_length=6, choices=Light.choices, default=Light.GREEN, blank=True
    )
    scope_reason = models.TextField(_("perustelu (sisältö ja tuotokset)"), blank=True)
    resources = models.CharField(_("resurssit"), max_length=6, choices=Light.choices, default=Light.GREEN, blank=True)
    resources_reason = models.TextField(_("perustelu (resurssit)"), blank=True)
    proposed_schedule = models.CharField(
        _("ehdotettu aikataulun valo"), max_length=6, choices=Light.choices, blank=True
    )
    proposed_budget = models.CharField(_("ehdotettu talouden valo"), max_length=6, choices=Light.choices, blank=True)
    done = models.TextField(_("tehty tässä kuussa"), blank=True)
    next_steps = models.TextField(_("suunnitelmat ensi kuulle"), blank=True)
    decisions = models.TextField(_("ohjausryhmän päätettävät asiat"), blank=True)
    return_comment = models.TextField(_("palautuksen syy"), blank=True)
    section_comments = models.JSONField(
        _("palautuksen kommentit osioittain"),
        default=dict,
        blank=True,
        help_text=_("Hanketoimiston kommentit vetäjälle osioittain (osio → teksti)."),
    )
    source = models.CharField(
        _("lähde"), max_length=300, blank=True, help_text=_("Mistä aineistosta katsaus on ladattu, jos ei Salkusta.")
    )
    area = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kuvattu alue"),
        help_text=_("Kun katsaus kuvaa vain yhtä aluetta eikä koko osahanketta."),
    )
    presenter = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="presented_updates", verbose_name=_("esittäjä")
    )
    dating = models.TextField(
        _("ajankohdan päättely"),
        blank=True,
        help_text=_("Päiväämättömän asiakirjan katsauksessa: mistä sen kuukausi on päätelty."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laatija"),
        help_text=_("Tyhjä, kun katsaus on ladattu hankkeen aineistosta."),
    )
    created_at = models.DateTimeField(_("luotu"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("lähetetty"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lähettäjä")
    )
    decided_at = models.DateTimeField(_("käsitelty"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("käsittelijä")
    )

    objects = StatusUpdateQuerySet.as_manager()

    # An approved update is locked with its rows, for everyone (pages, the API, the admin, the model).
    Locked = UpdateLocked

    class Meta:
        ordering = ["period", "node", "revision"]
        verbose_name = _("tilannekatsaus")
        verbose_name_plural = _("tilannekatsaukset")
        constraints = [
            models.UniqueConstraint(fields=["period", "node", "revision"], name="status_update_unique_revision"),
        ]

    def __str__(self):
        name = self.node.short_name or self.node.name
        return f"{name} {self.period}" + (f" ({self.revision})" if self.revision > 1 else "")

    def get_absolute_url(self):
        return reverse("reports:update", args=[self.pk])

    @classmethod
    def locked_rows(cls, prefix=""):
        return Q(**{f"{prefix}status": cls.Status.APPROVED})

    @property
    def is_locked(self):
        return self.status == self.Status.APPROVED

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def lights(self):
        """The five lights (``LightState``), in order."""
        return [
            LightState(
                name,
                str(self._meta.get_field(name).verbose_name),
                getattr(self, name),
                getattr(self, f"{name}_reason"),
                getattr(self, f"proposed_{name}", ""),
            )
            for name in self.LIGHTS
        ]

    def clean(self):
        errors = {}
        for name, _label, light, reason, proposed in self.lights():
            if reason.strip():
                continue
            if light in (Light.YELLOW, Light.RED):
                errors[f"{name}_reason"] = _("Kerro syy, kun valo on keltainen tai punainen.")
            elif proposed and light and light != proposed:
                errors[f"{name}_reason"] = _("Kerro syy, kun valitset eri valon kuin ehdotettu.")
        if errors:
            raise ValidationError(errors)


class MeasureReport(LockedPart):
    """A measure's status, percent complete and note in a status update."""

    locked_with = "update"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Ei aloitettu")
        IN_PROGRESS = "in_progress", _("Käynnissä")
        DONE = "done", _("Valmis")
        DELAYED = "delayed", _("Viivästynyt")
        CANCELLED = "cancelled", _("Peruttu")

    update = models.ForeignKey(StatusUpdate, models.PROTECT, related_name="measures", verbose_name=_("katsaus"))
    measure = models.ForeignKey(Node, models.PROTECT, related_name="+", verbose_name=_("toimenpide"))
    status = models.CharField(_("tila"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(
        _("valmiusaste (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.CharField(_("huomio"), max_length=500, blank=True)

    class Meta:
        ordering = ["update", "measure__position", "measure__pk"]
        verbose_name = _("toimenpiteen tilanne")
        verbose_name_plural = _("toimenpiteiden tilanteet")
        constraints = [
            models.UniqueConstraint(fields=["update", "measure"], name="measure_report_unique"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="measure_report_percent"),
        ]

    def __str__(self):
        return f"{self.measure}: {self.get_status_display()} {self.percent} %"


class MilestoneReport(LockedPart):
    """A milestone's status and actual date as the lead reports it; the register follows on approval."""

    locked_with = "update"

    update = models.ForeignKey(StatusUpdate, models.PROTECT, related_name="milestones", verbose_name=_("katsaus"))
    milestone = models.ForeignKey(
        "milestones.Milestone", models.PROTECT, related_name="reports", verbose_name=_("välitavoite")
    )
    status = models.CharField(_("tila"), max_length=20, choices=Milestone.Status.choices)
    actual_date = models.DateField(_("toteutunut päivä"), null=True, blank=True)

    class Meta:
        ordering = ["update", "milestone__planned_date", "milestone__pk"]
        verbose_name = _("välitavoitteen tilanne")
        verbose_name_plural = _("välitavoitteiden tilanteet")
        constraints = [models.UniqueConstraint(fields=["update", "milestone"], name="milestone_report_unique")]

    def __str__(self):
        return f"{self.milestone}: {self.get_status_display()}"

    def clean(self):
        if self.status == Milestone.Status.ACHIEVED and self.actual_date is None:
            raise ValidationError({"actual_date": _("Anna päivä, jolloin välitavoite saavutettiin.")})


class RiskReport(LockedPart):
    """A risk's assessment in a status update; the register follows on approval."""

    locked_with = "update"

    update = models.ForeignKey(StatusUpdate, models.PROTECT, related_name="risks", verbose_name=_("katsaus"))
    risk = models.ForeignKey(Risk, models.PROTECT, related_name="reports", verbose_name=_("riski"))
    likelihood = models.PositiveSmallIntegerField(
        _("todennäköisyys (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("vaikutus (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    status = models.CharField(_("tila"), max_length=10, choices=Risk.Status.choices)
    mitigation = models.TextField(_("riskeihin varautuminen"), blank=True)

    class Meta:
        ordering = ["update", "risk__position", "risk__pk"]
        verbose_name = _("riskin arvio")
        verbose_name_plural = _("riskien arviot")
        constraints = [
            models.UniqueConstraint(fields=["update", "risk"], name="risk_report_unique"),
            models.CheckConstraint(
                condition=(Q(likelihood__isnull=True) | Q(likelihood__gte=1, likelihood__lte=5))
                & (Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5)),
                name="risk_report_scores_one_to_five",
            ),
        ]

    def __str__(self):
        return str(self.risk)


class Delivery(models.Model):
    """An e-mail telling a steering group member that a monthly report is in the archive; once per report and address."""

    export = models.ForeignKey(Export, models.PROTECT, related_name="deliveries", verbose_name=_("raportti"))
    email = models.EmailField(_("sähköposti"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("käyttäjä")
    )
    sent_at = models.DateTimeField(_("lähetetty"), auto_now_add=True)

    class Meta:
        ordering = ["email", "-sent_at"]
        verbose_name = _("raportin lähetys")
        verbose_name_plural = _("raporttien lähetykset")
        constraints = [models.UniqueConstraint(fields=["export", "email"], name="delivery_once")]

    def __str__(self):
        return f"{self.email} {self.export}"


class Reminder(models.Model):
    """An e-mail reminding a lead of a missing update; one per period, sub-project and address."""

    period = models.ForeignKey(ReportingPeriod, models.CASCADE, related_name="reminders", verbose_name=_("kausi"))
    node = models.ForeignKey(Node, models.CASCADE, related_name="+", verbose_name=_("osahanke"))
    email = models.EmailField(_("sähköposti"))
    sent_at = models.DateTimeField(_("lähetetty"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("muistutus")
        verbose_name_plural = _("muistutukset")
        constraints = [models.UniqueConstraint(fields=["period", "node", "email"], name="reminder_once")]

    def __str__(self):
        return f"{self.email} {self.period}"


class EvaluationLocked(Locked):
    def __init__(self):
        super().__init__(_("Hyväksytty arviointikierros on lukittu. Tee korjaus uutena versiona."), code="locked")


class EvaluationRoundQuerySet(LockedQuerySet):
    def approved(self):
        return self.filter(status=EvaluationRound.Status.APPROVED)


DEFAULT_SCALE = "Ei alkanut\nEtenee\nSaavutettu"


class EvaluationRound(Lockable):
    """A programme's evaluation of its benefit goals for a period (by default a half year): the county's
    self-evaluation and THL's evaluation of every goal, approved by the project office and then locked;
    a correction is a new revision, as for a monthly update."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Luonnos")
        APPROVED = "approved", _("Hyväksytty")

    programme = models.ForeignKey(
        Node,
        models.PROTECT,
        related_name="evaluation_rounds",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("hanke"),
    )
    start = models.DateField(_("alkaa"))
    end = models.DateField(_("päättyy"))
    scale = models.TextField(
        _("arviointiasteikko"), default=DEFAULT_SCALE, help_text=_("Yksi asteikon arvo riviä kohden, esim. 1–5.")
    )
    revision = models.PositiveSmallIntegerField(_("versio"), default=1)
    revision_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("korjaa versiota")
    )
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("laatija")
    )
    created_at = models.DateTimeField(_("luotu"), auto_now_add=True)
    decided_at = models.DateTimeField(_("hyväksytty"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("hyväksyjä")
    )

    objects = EvaluationRoundQuerySet.as_manager()

    Locked = EvaluationLocked

    class Meta:
        ordering = ["programme", "-start", "-revision"]
        verbose_name = _("arviointikierros")
        verbose_name_plural = _("arviointikierrokset")
        constraints = [
            models.UniqueConstraint(fields=["programme", "start", "end", "revision"], name="evaluation_round_revision"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="evaluation_round_dates"),
        ]

    def __str__(self):
        text = f"{self.start.month}/{self.start.year}–{self.end.month}/{self.end.year}"
        return text + (f" ({self.revision})" if self.revision > 1 else "")

    def get_absolute_url(self):
        return reverse("reports:evaluation", args=[self.pk])

    @classmethod
    def locked_rows(cls, prefix=""):
        return Q(**{f"{prefix}status": cls.Status.APPROVED})

    @property
    def is_locked(self):
        return self.status == self.Status.APPROVED

    @property
    def node(self):
        return self.programme

    def scale_values(self):
        return [line.strip() for line in self.scale.splitlines() if line.strip()]


class GoalEvaluation(LockedPart):
    """A goal's self-evaluation and THL's evaluation in a round, with the evidence written or linked."""

    locked_with = "round"

    round = models.ForeignKey(EvaluationRound, models.PROTECT, related_name="rows", verbose_name=_("arviointikierros"))
    goal = models.ForeignKey(Goal, models.PROTECT, related_name="evaluations", verbose_name=_("tavoite"))
    rating = models.CharField(_("oma-arvio"), max_length=60, blank=True)
    assessment = models.TextField(_("sanallinen arvio"), blank=True)
    evidence = models.TextField(
        _("näyttö"), blank=True, help_text=_("Asiakirjat ja linkit, joihin arvio perustuu; yksi riviä kohden.")
    )
    thl_rating = models.CharField(_("THL:n arvio"), max_length=60, blank=True)
    thl_assessment = models.TextField(_("THL:n sanallinen arvio"), blank=True)

    class Meta:
        ordering = ["round", "goal__node__position", "goal__node_id", "goal__kind", "goal__position", "goal_id"]
        verbose_name = _("tavoitteen arvio")
        verbose_name_plural = _("tavoitteiden arviot")
        constraints = [models.UniqueConstraint(fields=["round", "goal"], name="goal_evaluation_once")]

    def __str__(self):
        return f"{self.goal}: {self.rating or '–'}"

    @property
    def node(self):
        return self.goal.node


class RrfTarget(Tracked):
    """A milestone or target (välitavoite tai tavoite) of a programme's RRF measure, as the national plan numbers
    it, with its status; a national indicator of the plan is one, and its baseline and targets are the indicator's."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("Välitavoite")
        TARGET = "target", _("Tavoite")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Ei alkanut")
        IN_PROGRESS = "in_progress", _("Etenee")
        ACHIEVED = "achieved", _("Saavutettu")
        NOT_ACHIEVED = "not_achieved", _("Ei saavutettu")

    programme = models.ForeignKey(
        Node,
        models.PROTECT,
        related_name="rrf_targets",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("hanke"),
    )
    kind = models.CharField(_("tyyppi"), max_length=10, choices=Kind.choices, default=Kind.TARGET)
    number = models.CharField(
        _("numero kansallisessa suunnitelmassa"),
        max_length=40,
        blank=True,
        help_text=_("Tyhjä, kun suunnitelma ei sitä kerro; hanketoimisto täydentää."),
    )
    description = models.TextField(_("kuvaus"))
    indicator = models.OneToOneField(
        "indicators.Indicator",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="rrf_target",
        verbose_name=_("indikaattori"),
    )
    baseline = models.CharField(_("lähtötaso"), max_length=200, blank=True)
    target_value = models.CharField(_("tavoitearvo"), max_length=200, blank=True)
    target_date = models.DateField(_("tavoitepäivä"), null=True, blank=True)
    status = models.CharField(_("tila"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.TextField(_("eteneminen"), blank=True)

    class Meta:
        ordering = ["programme", "number", "pk"]
        verbose_name = _("RRF-välitavoite tai -tavoite")
        verbose_name_plural = _("RRF-välitavoitteet ja -tavoitteet")

    def __str__(self):
        return f"{self.number} {self.description[:70]}".strip()

    @property
    def node(self):
        return self.programme


def evidence_path(instance, filename):
    return f"rrf/{timezone.localdate():%Y/%m}/{filename}"


class RrfEvidenceQuerySet(RetainedQuerySet):
    def visible_to(self, user):
        return self if user.has_perm("portfolio.read") else self.none()


class RrfEvidence(Retained):
    """A document (stored in the archive with its SHA-256) or a link that shows an RRF milestone's or target's
    progress, reviewed once by the project office; kept unchanged until its retention date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Tarkastamatta")
        APPROVED = "approved", _("Hyväksytty")
        REJECTED = "rejected", _("Hylätty")

    target = models.ForeignKey(RrfTarget, models.PROTECT, related_name="evidence", verbose_name=_("tavoite"))
    description = models.CharField(_("kuvaus"), max_length=300)
    file = models.FileField(_("tiedosto"), upload_to=evidence_path, blank=True)
    file_name = models.CharField(_("tiedoston nimi"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("koko (tavua)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    link = models.URLField(_("linkki"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("lisääjä")
    )
    uploaded_at = models.DateTimeField(_("lisätty"), auto_now_add=True)
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tarkastaja")
    )
    reviewed_at = models.DateTimeField(_("tarkastettu"), null=True, blank=True)

    mutable_fields = ("status", "reviewed_by", "reviewed_at")

    history = HistoricalRecords()

    objects = RrfEvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["target", "uploaded_at", "pk"]
        verbose_name = _("RRF-näyttö")
        verbose_name_plural = _("RRF-näytöt")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(file="") & ~Q(sha256="")) | (Q(file="") & ~Q(link="")), name="rrf_evidence_file_or_link"
            ),
        ]

    def __str__(self):
        return self.description

    def may_write(self, row, fields):
        # The review is written once, from pending.
        return bool(fields) and fields <= set(self.mutable_fields) and row.status == self.Status.PENDING


class RrfProgress(Retained):
    """A milestone's or target's progress in a reporting period as the project office records it: the value
    reached, the status and a written account. Evidence for the State Treasury, so never edited: a correction
    is the next version for the same period, and the period's latest version is the one reported."""

    target = models.ForeignKey(RrfTarget, models.PROTECT, related_name="progress_entries", verbose_name=_("tavoite"))
    period = models.ForeignKey(
        ReportingPeriod, models.PROTECT, related_name="rrf_progress", verbose_name=_("raportointikausi")
    )
    version = models.PositiveSmallIntegerField(_("versio"), default=1)
    value = models.CharField(_("saavutettu arvo"), max_length=200, blank=True)
    status = models.CharField(_("tila"), max_length=12, choices=RrfTarget.Status.choices)
    text = models.TextField(_("eteneminen"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("kirjaaja")
    )
    entered_at = models.DateTimeField(_("kirjattu"), auto_now_add=True)

    history = HistoricalRecords()

    objects = RetainedQuerySet.as_manager()

    class Meta:
        ordering = ["target", "period__month", "version"]
        verbose_name = _("RRF-tavoitteen eteneminen")
        verbose_name_plural = _("RRF-tavoitteiden eteneminen")
        constraints = [
            models.UniqueConstraint(fields=["target", "period", "version"], name="rrf_progress_version"),
        ]

    def __str__(self):
        return f"{self.target} {self.period} v{self.version}"


class RrfDeclaration(Retained):
    """A declaration of an RRF programme, with its date and who made it: DNSH self-assessment, double funding,
    or the final recipients and contractors. Never edited: a new declaration is the next version."""

    class Kind(models.TextChoices):
        DNSH = "dnsh", _("Ei merkittävää haittaa (DNSH) -itsearviointi")
        DOUBLE_FUNDING = "double_funding", _("Kaksinkertainen rahoitus")
        RECIPIENTS = "recipients", _("Lopulliset tuensaajat ja toimeksisaajat")

    programme = models.ForeignKey(
        Node,
        models.PROTECT,
        related_name="rrf_declarations",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("hanke"),
    )
    kind = models.CharField(_("ilmoitus"), max_length=20, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("versio"), default=1)
    date = models.DateField(_("päivämäärä"))
    text = models.TextField(_("ilmoitus"))
    other_funding = models.TextField(
        _("muu EU-rahoitus samoihin kustannuksiin"), blank=True, help_text=_("Tyhjä: ei muuta EU-rahoitusta.")
    )
    recipients = models.JSONField(
        _("tuensaajat ja toimeksisaajat"),
        default=list,
        blank=True,
        help_text=_("Nimi, Y-tunnus ja summa (desimaalilukuna merkkijonona)."),
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("tekijä"))
    made_at = models.DateTimeField(_("kirjattu"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RetainedQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "kind", "-version"]
        verbose_name = _("RRF-ilmoitus")
        verbose_name_plural = _("RRF-ilmoitukset")
        constraints = [models.UniqueConstraint(fields=["programme", "kind", "version"], name="rrf_declaration_version")]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version} {self.date.day}.{self.date.month}.{self.date.year}"


class PlanUpload(models.Model):
    """A portfolio workbook sent for import: a worker checks it, the office confirms the preview, a worker imports it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Jonossa")
        RUNNING = "running", _("Käynnissä")
        PREVIEW = "preview", _("Odottaa vahvistusta")
        DONE = "done", _("Tuotu")
        REJECTED = "rejected", _("Hylätty")
        FAILED = "failed", _("Epäonnistui")

    file = models.FileField(_("tiedosto"), upload_to="plans/%Y/%m/")
    file_name = models.CharField(_("tiedoston nimi"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="plan_uploads", verbose_name=_("tuoja")
    )
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("edistyminen (%)"), default=0)
    created_at = models.DateTimeField(_("lähetetty"), auto_now_add=True)
    started_at = models.DateTimeField(_("aloitettu"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("viimeksi käynnissä"), null=True, blank=True)
    finished_at = models.DateTimeField(_("valmistunut"), null=True, blank=True)
    claimed_by = models.CharField(_("tekijä"), max_length=64, blank=True)
    errors = models.JSONField(_("virheet"), default=list, blank=True, help_text=_("Välilehti, rivi, sarake ja syy."))
    preview = models.JSONField(_("esikatselu"), default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("vahvistettu"), null=True, blank=True)
    merges = models.JSONField(_("yhdistettävät henkilöt"), default=list, blank=True)
    programme = models.ForeignKey(
        Node, models.PROTECT, null=True, blank=True, related_name="plan_uploads", verbose_name=_("hanke")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suunnitelmatyökirjan tuonti")
        verbose_name_plural = _("suunnitelmatyökirjan tuonnit")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("reports:plan_upload", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED, self.Status.PREVIEW)
