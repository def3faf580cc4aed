from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from popsote.money import MoneyField
from popsote.text import validate_code


class Tracked(models.Model):
    """Base of everything the office edits: a version for optimistic locking and an audit history."""

    version = models.PositiveIntegerField(_("versio"), default=1, editable=False)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class SourceDocument(Tracked):
    """A plan document the loaded facts come from: its name, version and date as the document gives them."""

    key = models.SlugField(_("tunniste"), max_length=60, unique=True)
    name = models.CharField(_("nimi"), max_length=300)
    edition = models.CharField(_("versio"), max_length=100, blank=True, help_text=_("Esim. ”vers. 12.10.2021”."))
    date = models.DateField(_("päivätty"), null=True, blank=True)
    date_note = models.TextField(
        _("päiväyksestä"), blank=True, help_text=_("Miten päiväys tiedetään, kun asiakirja ei kerro sitä itse.")
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("lähdeasiakirja")
        verbose_name_plural = _("lähdeasiakirjat")

    def __str__(self):
        if self.edition:
            return f"{self.name}, {self.edition}"
        if self.date:
            return f"{self.name} {self.date.day}.{self.date.month}.{self.date.year}"
        return self.name


class Sourced(models.Model):
    """A fact written in a plan document: the document and the section it stands in."""

    source_document = models.ForeignKey(
        SourceDocument,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lähdeasiakirja"),
        help_text=_("Tyhjä, kun tieto on kirjattu Salkussa."),
    )
    source_section = models.CharField(_("kohta lähteessä"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def source_label(self):
        """``Päivitetty hankesuunnitelma 2021, vers. 12.10.2021, 4.2.1``; empty when not from a document."""
        if self.source_document_id is None:
            return ""
        document = str(self.source_document)
        return f"{document}, {self.source_section}" if self.source_section else document


class Organisation(Sourced, Tracked):
    """The county, a municipality, a joint authority, an area or a funder taking part in the work."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("Hyvinvointialue")
        MUNICIPALITY = "municipality", _("Kunta")
        JOINT_AUTHORITY = "joint_authority", _("Kuntayhtymä")
        AREA = "area", _("Alue")
        HOSPITAL_DISTRICT = "hospital_district", _("Sairaanhoitopiiri")
        MINISTRY = "ministry", _("Ministeriö")
        EU = "eu", _("Euroopan unioni")
        COMPANY = "company", _("Yritys")
        OTHER = "other", _("Muu")

    key = models.SlugField(_("tunniste"), max_length=60, unique=True)
    name = models.CharField(_("nimi"), max_length=200)
    short_name = models.CharField(_("lyhenne"), max_length=60, blank=True)
    kind = models.CharField(_("tyyppi"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    business_id = models.CharField(_("Y-tunnus"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("kuuluu")
    )
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisaatio")
        verbose_name_plural = _("organisaatiot")

    def __str__(self):
        return self.short_name or self.name


class Person(Sourced, Tracked):
    """Someone who leads, is responsible for or takes part in the work."""

    name = models.CharField(_("nimi"), max_length=200, unique=True)
    title = models.CharField(_("tehtävänimike"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("organisaatio"),
    )
    email = models.EmailField(_("sähköposti"), blank=True)
    phone = models.CharField(_("puhelin"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("käyttäjätunnus"),
    )
    is_demo = models.BooleanField(
        _("vain kokeilukäyttöön"),
        default=False,
        help_text=_("Kokeilutunnusten henkilö; ei esiinny hankkeiden suunnitelmissa."),
    )
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    # Shown to those who may read contact details (the rules table's portfolio.read_contacts).
    CONTACT_FIELDS = ("email", "phone", "user")

    class Meta:
        ordering = ["name"]
        verbose_name = _("henkilö")
        verbose_name_plural = _("henkilöt")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portfolio:person", args=[self.pk])


class NodeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def programmes(self):
        return self.filter(parent__isnull=True)

    def reporting_units(self):
        """The sub-projects someone reports on every month (the plan says so; the rest is grouping)."""
        return self.active().filter(reports_monthly=True)

    def subtree(self, node):
        """The node and everything under it: one indexed condition, whatever the subtree's size."""
        return self.filter(Q(pk=node.pk) | Q(path__startswith=node.descendants_prefix))

    def around(self, node):
        """The node, its ancestors (named by its path) and everything under it, archived ones too: what a page
        about the node shows, without the rest of its programme."""
        return self.subtree(node) | self.filter(pk__in=node.ancestor_ids)

    def active_subtree(self, node):
        """The node and what is under it, without archived nodes and what hangs on them (their budgets and
        costs are not the node's any more). The archived ones are read first: there are few."""
        archived = self.subtree(node).filter(archived_at__isnull=False).exclude(pk=node.pk).order_by()
        cut = Q()
        for pk, path in archived.values_list("pk", "path"):
            cut |= Q(pk=pk) | Q(path__startswith=f"{path}{pk}/")
        return self.subtree(node).exclude(cut) if cut else self.subtree(node)


class Node(Sourced, Tracked):
    """A programme, a sub-project at any depth (osa-alue, pilari, investointi…) or a measure."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Hanke")
        SUBAREA = "subarea", _("Osa-alue")
        DEVELOPMENT_PROGRAMME = "development_programme", _("Kehittämisohjelma")
        PILLAR = "pillar", _("Pilari")
        INVESTMENT = "investment", _("Investointi")
        ENTITY = "entity", _("Kokonaisuus")
        SUBPROJECT = "subproject", _("Osahanke")
        WORK_PACKAGE = "work_package", _("Työpaketti")
        MEASURE = "measure", _("Toimenpide")

    programme = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_nodes",
        verbose_name=_("hanke"),
        help_text=_("Puun juuri; hankkeella itsellään tämä viittaa siihen itseensä."),
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("ylätaso"),
    )
    kind = models.CharField(_("tyyppi"), max_length=30, choices=Kind.choices)
    code = models.CharField(_("tunnus"), max_length=40, validators=[validate_code])
    name = models.CharField(_("nimi"), max_length=500)
    short_name = models.CharField(_("lyhyt nimi"), max_length=200, blank=True)
    description = models.TextField(_("kuvaus"), blank=True)
    start = models.DateField(_("alkaa"), null=True, blank=True)
    end = models.DateField(_("päättyy"), null=True, blank=True)
    schedule_text = models.CharField(
        _("aikataulu suunnitelman sanoin"), max_length=300, blank=True, help_text=_("Esim. ”Kesto 12/2021 saakka”.")
    )
    owner = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_nodes",
        verbose_name=_("hallinnoija"),
    )
    reports_monthly = models.BooleanField(
        _("raportoi kuukausittain"),
        default=False,
        help_text=_("Kohteesta kirjoitetaan kuukausittainen tilannekatsaus; muut tasot vain ryhmittelevät."),
    )
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)
    # The ids of the node's ancestors from the root down, each followed by "/" ("12/40/" for a node under 40
    # under programme 12, "" for a programme): everything under a node is then one LIKE 'prefix%' on an index.
    path = models.CharField(_("polku"), max_length=255, default="", editable=False)

    objects = NodeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("hankkeen osa")
        verbose_name_plural = _("hankkeen osat")
        indexes = [
            # The lists' order (position, id), with a type filter (the API's measures) or without: a page of
            # them is read from the index in order, not sorted out of every node (EXPLAIN at 100 times).
            models.Index(fields=["kind", "position", "id"], name="node_kind_order"),
            models.Index(fields=["position", "id"], name="node_order"),
            # varchar_pattern_ops: a LIKE 'prefix%' uses the index whatever the database's collation.
            models.Index(fields=["path"], name="node_path_prefix", opclasses=["varchar_pattern_ops"]),
            # The few archived nodes of a subtree, found without reading the whole subtree (``active_subtree``).
            models.Index(
                fields=["path"],
                name="node_archived_path",
                opclasses=["varchar_pattern_ops"],
                condition=Q(archived_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="node_code_unique_in_programme"),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="node_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, kind="programme") | (Q(parent__isnull=False) & ~Q(kind="programme")),
                name="node_programme_is_root",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        # The path follows the parent on every write (the seed, forms, the API, the admin, a move), so no
        # writer can forget it; a move rewrites the descendants' paths in one UPDATE.
        path = f"{self.parent.descendants_prefix}" if self.parent_id is not None else ""
        old_prefix = self.descendants_prefix if self.pk is not None else None
        moved = self.pk is not None and path != self.path
        self.path = path
        update_fields = kwargs.get("update_fields")
        if moved and update_fields is not None and "path" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "path"]
        super().save(*args, **kwargs)
        if moved:
            Node.objects.filter(path__startswith=old_prefix).update(
                path=Concat(Value(self.descendants_prefix), Substr("path", len(old_prefix) + 1))
            )

    def get_absolute_url(self):
        return reverse("portfolio:node", args=[self.pk])

    @cached_property
    def responsible(self):
        """The node's responsibilities in their order, each with its person; a list read of many nodes is
        prefetched into this attribute (``Prefetch(..., to_attr="responsible")``), one node reads its own."""
        return list(self.responsibilities.select_related("person").order_by("position", "pk"))

    @property
    def ancestor_ids(self):
        """The ids of the node's ancestors from the programme down, read from its path (no query)."""
        return [int(pk) for pk in self.path.split("/") if pk]

    @property
    def descendants_prefix(self):
        """The start of the path of every node under this one."""
        return f"{self.path}{self.pk}/"

    @property
    def is_programme(self):
        return self.parent_id is None

    @property
    def is_measure(self):
        return self.kind == self.Kind.MEASURE


class FundingDecisionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def rrf(self):
        return self.filter(source=FundingDecision.Source.EU_RRF)

    def governing(self, programme):
        """The decision a programme's figures belong to (grant rate, period of use, the report's cover).

        The programme's earliest active decision; a later decision that changes the first one is
        entered by editing it or by archiving the first one.
        """
        return self.active().filter(programme=programme).select_related("funder").order_by("date", "pk").first()


class FundingDecision(Sourced, Tracked):
    """A funder's decision granting money to a programme (e.g. STM VN/27125/2022)."""

    class Source(models.TextChoices):
        NATIONAL = "national", _("Kansallinen valtionavustus")
        EU_RRF = "eu_rrf", _("EU:n elpymis- ja palautumistukiväline (RRF), NextGenerationEU")

    programme = models.ForeignKey(
        Node,
        models.PROTECT,
        related_name="funding_decisions",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("hanke"),
    )
    funder = models.ForeignKey(
        Organisation, models.PROTECT, related_name="funding_decisions", verbose_name=_("rahoittaja")
    )
    number = models.CharField(_("diaarinumero"), max_length=60, blank=True)
    title = models.TextField(_("otsikko"), blank=True)
    date = models.DateField(_("päätöspäivä"), null=True, blank=True)
    amount = MoneyField(_("myönnetty summa"), max_digits=14, decimal_places=2, null=True, blank=True)
    grant_rate = models.DecimalField(_("avustusprosentti"), max_digits=5, decimal_places=2, null=True, blank=True)
    eligible_start = models.DateField(_("kustannusten hyväksyttävyys alkaa"), null=True, blank=True)
    eligible_end = models.DateField(_("kustannusten hyväksyttävyys päättyy"), null=True, blank=True)
    period_text = models.CharField(
        _("kausi suunnitelman sanoin"), max_length=300, blank=True, help_text=_("Esim. ”vuosille 2023–2025”.")
    )
    source = models.CharField(_("rahoituslähde"), max_length=20, choices=Source.choices)
    note = models.TextField(_("huomautus"), blank=True)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    objects = FundingDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("rahoituspäätös")
        verbose_name_plural = _("rahoituspäätökset")
        constraints = [
            models.CheckConstraint(
                condition=Q(grant_rate__isnull=True) | Q(grant_rate__gte=0, grant_rate__lte=100),
                name="funding_grant_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="funding_amount_not_negative"
            ),
        ]

    def __str__(self):
        return self.number or self.title or str(self.programme)


class Goal(Sourced, Tracked):
    """A goal text of a node: keskeinen tavoite, hyötytavoite or prosessitavoite."""

    class Kind(models.TextChoices):
        KEY = "key", _("Keskeinen tavoite")
        BENEFIT = "benefit", _("Hyötytavoite")
        PROCESS = "process", _("Prosessitavoite")

    node = models.ForeignKey(Node, models.CASCADE, related_name="goals", verbose_name=_("kohde"))
    kind = models.CharField(_("tyyppi"), max_length=20, choices=Kind.choices, default=Kind.KEY)
    text = models.TextField(_("tavoite"))
    position = models.PositiveIntegerField(_("järjestys"), default=0)

    class Meta:
        ordering = ["node", "kind", "position", "pk"]
        verbose_name = _("tavoite")
        verbose_name_plural = _("tavoitteet")

    def __str__(self):
        return self.text[:80]


class Output(Sourced, Tracked):
    """A planned output (tuotos) of a node."""

    node = models.ForeignKey(Node, models.CASCADE, related_name="outputs", verbose_name=_("kohde"))
    text = models.TextField(_("tuotos"))
    position = models.PositiveIntegerField(_("järjestys"), default=0)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("tuotos")
        verbose_name_plural = _("tuotokset")

    def __str__(self):
        return self.text[:80]


class Task(Sourced, Tracked):
    """An ordered task (tehtävä) of a measure."""

    node = models.ForeignKey(Node, models.CASCADE, related_name="tasks", verbose_name=_("toimenpide"))
    text = models.TextField(_("tehtävä"))
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("tehtävä")
        verbose_name_plural = _("tehtävät")

    def __str__(self):
        return self.text[:80]


class Responsibility(Sourced, Tracked):
    """A person's role in a node (lead, responsible person, chair…) with the organisation the plan gives."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Projektipäällikkö / vetäjä")
        RESPONSIBLE = "responsible", _("Vastuuhenkilö")
        CHAIR = "chair", _("Puheenjohtaja")
        VICE_CHAIR = "vice_chair", _("Varapuheenjohtaja")
        MEMBER = "member", _("Jäsen")
        WRITER = "writer", _("Kirjoittaja")
        CONTACT = "contact", _("Yhteyshenkilö")
        NAMED = "named", _("Mainittu (rooli ei kerrottu)")

    node = models.ForeignKey(Node, models.CASCADE, related_name="responsibilities", verbose_name=_("kohde"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="responsibilities", verbose_name=_("henkilö"))
    role = models.CharField(_("rooli"), max_length=20, choices=Role.choices, default=Role.RESPONSIBLE)
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibilities",
        verbose_name=_("organisaatio tai alue"),
        help_text=_("Se, jota henkilö tässä tehtävässä edustaa suunnitelman mukaan."),
    )
    title = models.CharField(_("tehtävänimike"), max_length=200, blank=True)
    note = models.TextField(_("huomautus"), blank=True)
    position = models.PositiveIntegerField(_("järjestys"), default=0)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("vastuu")
        verbose_name_plural = _("vastuut")
        constraints = [
            models.UniqueConstraint(fields=["node", "person", "role"], name="responsibility_unique"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}"


class Partner(Sourced, Tracked):
    """An organisation or area taking part in a node (osatoteuttaja), with its share if planned."""

    node = models.ForeignKey(Node, models.CASCADE, related_name="partners", verbose_name=_("kohde"))
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="partnerships", verbose_name=_("organisaatio")
    )
    share = MoneyField(_("osuus (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    share_text = models.CharField(
        _("osuus suunnitelman sanoin"),
        max_length=100,
        blank=True,
        help_text=_("Kun suunnitelma antaa osuuden pyöristettynä, esim. ”15,39 M€”; ei ole euromäärä."),
    )
    note = models.TextField(_("huomautus"), blank=True)
    position = models.PositiveIntegerField(_("järjestys"), default=0)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("osatoteuttaja")
        verbose_name_plural = _("osatoteuttajat")
        constraints = [
            models.UniqueConstraint(fields=["node", "organisation"], name="partner_unique"),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0), name="partner_share_not_negative"
            ),
        ]

    def __str__(self):
        return str(self.organisation)


class Risk(Sourced, Tracked):
    """A risk of a node and how it is prepared for (riskit ja niihin varautuminen)."""

    class Category(models.TextChoices):
        GOAL = "goal", _("Tavoiteriski")
        COMPETENCE = "competence", _("Osaamiseen liittyvä riski")
        ETHICAL = "ethical", _("Eettinen riski")
        SCHEDULE = "schedule", _("Aikatauluriski")
        NETWORK = "network", _("Verkostoriski")
        FINANCIAL = "financial", _("Taloudellinen riski")
        NATIONAL_REFORM = "national_reform", _("Kansallisen uudistuksen etenemiseen liittyvä riski")
        OTHER = "other", _("Muu riski")

    class Status(models.TextChoices):
        OPEN = "open", _("Avoin")
        CLOSED = "closed", _("Suljettu")

    node = models.ForeignKey(Node, models.CASCADE, related_name="risks", verbose_name=_("kohde"))
    category = models.CharField(_("luokka"), max_length=20, choices=Category.choices, default=Category.OTHER)
    title = models.CharField(_("otsikko"), max_length=200)
    description = models.TextField(_("kuvaus"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("todennäköisyys (1–5)"), null=True, blank=True)
    impact = models.PositiveSmallIntegerField(_("vaikutus (1–5)"), null=True, blank=True)
    mitigation = models.TextField(_("riskeihin varautuminen"), blank=True)
    owner = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="risks", verbose_name=_("vastuuhenkilö")
    )
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.OPEN)
    position = models.PositiveIntegerField(_("järjestys"), default=0)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("riski")
        verbose_name_plural = _("riskit")
        constraints = [
            models.CheckConstraint(
                condition=(Q(likelihood__isnull=True) | Q(likelihood__gte=1, likelihood__lte=5))
                & (Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5)),
                name="risk_scores_one_to_five",
            ),
        ]

    def __str__(self):
        return self.title


class Body(Sourced, Tracked):
    """A body or role of a programme's organisation: steering groups, the project office, working groups."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Ohjaus")
        MANAGEMENT = "management", _("Hankejohto ja hanketoimisto")
        GROUP = "group", _("Työ-, tuki- tai seurantaryhmä")
        ROLE = "role", _("Tehtävä")
        PLANNED = "planned", _("Suunniteltu organisaatio")

    node = models.ForeignKey(Node, models.CASCADE, related_name="bodies", verbose_name=_("kohde"))
    kind = models.CharField(_("laji"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nimi"), max_length=300)
    description = models.TextField(_("kuvaus suunnitelman sanoin"), blank=True)
    presented_by = models.CharField(
        _("asiat esittelee"), max_length=300, blank=True, help_text=_("Kuka valmistelee tai esittelee asiat elimelle.")
    )
    reports_to = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("valmistelee asiat elimelle")
    )
    chair = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="chaired_bodies", verbose_name=_("puheenjohtaja")
    )
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("hankeorganisaation osa")
        verbose_name_plural = _("hankeorganisaatio")

    def __str__(self):
        return self.name


class Evaluation(Sourced, Tracked):
    """A part of a programme's monitoring and evaluation plan: what is followed, when, by whom, where published."""

    node = models.ForeignKey(Node, models.CASCADE, related_name="evaluations", verbose_name=_("kohde"))
    stage = models.CharField(_("vaihe tai taso"), max_length=200, blank=True)
    subject = models.CharField(_("mitä seurataan tai arvioidaan"), max_length=300, blank=True)
    timing = models.CharField(_("milloin"), max_length=200, blank=True)
    performed_by = models.CharField(_("kuka"), max_length=300, blank=True)
    published_in = models.CharField(_("missä julkaistaan"), max_length=300, blank=True)
    text = models.TextField(_("suunnitelman sanamuoto"))
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("seurannan tai arvioinnin kohta")
        verbose_name_plural = _("seuranta ja arviointi")

    def __str__(self):
        return self.subject or self.stage or self.text[:80]


class Background(Sourced, Tracked):
    """The situation a plan starts from: its baseline, the assessments and discussions it cites, earlier work."""

    class Kind(models.TextChoices):
        SITUATION = "situation", _("Lähtötilanne")
        ASSESSMENT = "assessment", _("Arviointi tai selvitys")
        DISCUSSION = "discussion", _("Keskustelu")
        EARLIER_WORK = "earlier_work", _("Aiempi kehittämistyö")
        PARTICIPATION = "participation", _("Mukana olevat")
        SCOPE = "scope", _("Rajaus tai riippuvuus")

    node = models.ForeignKey(Node, models.CASCADE, related_name="background", verbose_name=_("kohde"))
    kind = models.CharField(_("laji"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("otsikko"), max_length=300)
    date = models.DateField(
        _("päivä"),
        null=True,
        blank=True,
        help_text=_("Kuukauden tai vuoden viimeinen päivä, kun suunnitelma antaa vain sen."),
    )
    date_text = models.CharField(_("ajankohta suunnitelman sanoin"), max_length=100, blank=True)
    text = models.TextField(_("suunnitelman sanamuoto"))
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("tausta- tai lähtötilannetieto")
        verbose_name_plural = _("tausta ja lähtötilanne")

    def __str__(self):
        return self.title


class ServiceContract(Sourced, Tracked):
    """A municipality's contract outsourcing its social and health services, as a plan cites it."""

    municipality = models.ForeignKey(
        Organisation, models.PROTECT, related_name="outsourcing_contracts", verbose_name=_("kunta")
    )
    provider = models.ForeignKey(
        Organisation, models.PROTECT, related_name="provided_contracts", verbose_name=_("palveluntuottaja")
    )
    valid_until = models.DateField(_("voimassa"), null=True, blank=True)
    valid_text = models.CharField(_("voimassaolo suunnitelman sanoin"), max_length=200, blank=True)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    class Meta:
        ordering = ["municipality__name", "pk"]
        verbose_name = _("sote-tuotannon ulkoistussopimus")
        verbose_name_plural = _("sote-tuotannon ulkoistussopimukset")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "provider"], name="service_contract_unique"),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.provider}"


class ApiToken(models.Model):
    """A personal API token for a user's scripts; only its SHA-256 digest is kept, the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("käyttäjä")
    )
    name = models.CharField(_("nimi"), max_length=100)
    prefix = models.CharField(_("alkuosa"), max_length=16, help_text=_("Tunnuksen alku, josta sen tunnistaa."))
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("luotu"), auto_now_add=True)
    expires_at = models.DateTimeField(_("vanhenee"))
    last_used_at = models.DateTimeField(_("käytetty viimeksi"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("peruttu"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API-tunnus")
        verbose_name_plural = _("API-tunnukset")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > timezone.now()


class Feedback(models.Model):
    """Feedback on the service's accessibility, sent from the accessibility statement to the project office."""

    message = models.TextField(_("palaute"))
    email = models.EmailField(_("sähköposti vastausta varten"), blank=True)
    page = models.CharField(_("sivu"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("käyttäjä"),
    )
    created_at = models.DateTimeField(_("saapunut"), auto_now_add=True)
    handled_at = models.DateTimeField(_("käsitelty"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saavutettavuuspalaute")
        verbose_name_plural = _("saavutettavuuspalautteet")

    def __str__(self):
        return self.message[:60]


class UsageLogImmutable(Exception):
    """The log of use is written once and never changed or deleted (only expired by its retention)."""


class UsageEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise UsageLogImmutable(_("Käyttölokia ei voi muuttaa."))

    def delete(self):
        raise UsageLogImmutable(_("Käyttölokia ei voi poistaa."))

    def expire(self, before):
        """Removes the events older than ``before`` (the retention of USAGE_LOG_DAYS); the one way rows go."""
        return self.filter(at__lt=before)._raw_delete(self.db)


class UsageEvent(models.Model):
    """One use of Salkku the law asks to be logged (TiHL §17): a sign-in, a report read, contact details read…"""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("kirjautuminen")
        SIGN_IN_FAILED = "sign_in_failed", _("epäonnistunut kirjautuminen")
        SIGN_OUT = "sign_out", _("uloskirjautuminen")
        REPORT = "report", _("raportti tai vienti")
        CONTACTS = "contacts", _("yhteystiedot")
        ACCOUNT = "account", _("käyttäjätunnus ja roolit")

    at = models.DateTimeField(_("aika"), default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="usage_events",
        verbose_name=_("käyttäjä"),
        editable=False,
    )
    kind = models.CharField(_("tapahtuma"), max_length=20, choices=Kind.choices, editable=False)
    target = models.CharField(_("kohde"), max_length=300, blank=True, editable=False)
    path = models.CharField(_("osoite"), max_length=300, blank=True, editable=False)
    address = models.GenericIPAddressField(_("IP-osoite"), null=True, blank=True, editable=False)

    objects = UsageEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("käyttölokin tapahtuma")
        verbose_name_plural = _("käyttöloki")
        indexes = [models.Index(fields=["kind", "-at"], name="usage_kind_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise UsageLogImmutable(_("Käyttölokia ei voi muuttaa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise UsageLogImmutable(_("Käyttölokia ei voi poistaa."))


class UserSession(models.Model):
    """A signed-in session of a user, so that all of them can be ended at once (sign out everywhere, deactivation)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="salkku_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user_id}: {self.created_at:%Y-%m-%d %H:%M}"
