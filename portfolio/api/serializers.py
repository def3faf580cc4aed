from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portfolio.api.base import FormBacked, IdField, ModelSerializer

from .. import extensions, forms
from ..models import FundingDecision, Node, Organisation, Person, Responsibility, Risk, Task, UsageEvent
from ..services import node_create, node_update, tracked_create

# Field descriptions shared by every resource: the domain's Finnish words with their English meaning.
HELP = {
    "id": _("Tunniste (id)."),
    "url": _("Tämän tiedon osoite API:ssa."),
    "version": _("Versio; kasvaa jokaisessa tallennuksessa. Sama kuin ETag."),
    "archived_at": _("Arkistoitu (archived); tyhjä, jos käytössä. Mitään ei poisteta."),
    "position": _("Järjestys (order) saman ylätason sisällä."),
    "node": _("Kohde (node): hanke, osahanke tai toimenpide, jolle tieto kuuluu."),
    "programme": _("Hanke (programme, project): puun juuri."),
    "name": _("Nimi (name)."),
    "short_name": _("Lyhyt nimi (short name)."),
    "description": _("Kuvaus (description)."),
    "start": _("Alkaa (start), ISO 8601 -päivämäärä."),
    "end": _("Päättyy (end), ISO 8601 -päivämäärä."),
    "note": _("Huomautus (note)."),
    "text": _("Teksti (text)."),
}


def described(*names, **extra):
    kwargs = {name: {"help_text": HELP[name]} for name in names}
    for name, text in extra.items():
        kwargs[name] = {"help_text": text}
    return kwargs


class OrganisationSerializer(FormBacked):
    class Meta:
        model = Organisation
        form = forms.OrganisationForm
        fields = ["url", "id", "key", "name", "short_name", "kind", "business_id", "parent", "archived_at", "version"]
        read_only_fields = ["archived_at", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:organisation-detail"},
            **described(
                "name",
                "short_name",
                "archived_at",
                "version",
                key=_("Pysyvä tunniste (key), esim. oulu."),
                kind=_(
                    "Tyyppi: hyvinvointialue (county), kunta (municipality), kuntayhtymä (joint authority), alue (area)…"
                ),
                business_id=_("Y-tunnus (Finnish business ID)."),
                parent=_("Organisaatio, johon tämä kuuluu (parent organisation)."),
            ),
        }


class PersonSerializer(FormBacked):
    class Meta:
        model = Person
        form = forms.PersonForm
        fields = ["url", "id", "name", "title", "organisation", "email", "phone", "user", "archived_at", "version"]
        read_only_fields = ["archived_at", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:person-detail"},
            **described(
                "name",
                "archived_at",
                "version",
                title=_("Tehtävänimike (job title)."),
                organisation=_("Organisaatio (organisation)."),
                email=_("Sähköposti (e-mail); vain hanketoimistolle ja vetäjille (office and leads only)."),
                phone=_("Puhelin (phone); vain hanketoimistolle ja vetäjille (office and leads only)."),
                user=_(
                    "Käyttäjätunnus (user account id), jos henkilö kirjautuu Salkkuun; vain hanketoimistolle ja "
                    "vetäjille."
                ),
            ),
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not request.user.has_perm("portfolio.read_contacts"):
            for name in Person.CONTACT_FIELDS:
                data.pop(name, None)
        return data


class ResponsibleSerializer(ModelSerializer):
    person_name = serializers.CharField(read_only=True, help_text=_("Henkilön nimi."))  # read by views.with_responsible

    class Meta:
        model = Responsibility
        fields = ["id", "person", "person_name", "role"]
        extra_kwargs = described(
            "id",
            person=_("Henkilö (person)."),
            role=_(
                "Rooli: projektipäällikkö / vetäjä (lead), vastuuhenkilö (responsible person), puheenjohtaja (chair)…"
            ),
        )


NODE_HELP = {
    "kind": _(
        "Tyyppi: hanke (programme), osa-alue (sub-area), kehittämisohjelma (development programme), pilari "
        "(pillar), investointi (investment), kokonaisuus (entity), osahanke (sub-project), työpaketti (work "
        "package), toimenpide (measure)."
    ),
    "code": _("Tunnus (code), yksilöllinen hankkeen sisällä, esim. P4I1-3-M1."),
    "parent": _("Ylätaso (parent node); tyhjä hankkeella."),
    "owner": _("Hallinnoija (owning organisation)."),
    "source_document": _(
        "Lähdeasiakirja (source document): suunnitelma, josta tieto on kirjattu; tyhjä, kun se on kirjattu Salkussa."
    ),
    "source_section": _("Kohta lähdeasiakirjassa (section of the source document)."),
    "reports_monthly": _(
        "Raportoi kuukausittain (reports monthly): kohteesta kirjoitetaan kuukausittainen tilannekatsaus."
    ),
}


def with_node_fields(fields, after, **kwargs):
    """The serializer's fields with those other apps add to nodes (``extensions.node_field``) after ``after``."""
    result = {}
    for name, field in fields.items():
        result[name] = field
        if name == after:
            result.update((extra.name, extra.api_field(**kwargs)) for extra in extensions.node_fields())
    return result


class NodeSerializer(FormBacked):
    """A programme, a sub-project at any depth or a measure (toimenpide)."""

    responsible = ResponsibleSerializer(
        many=True,
        read_only=True,
        help_text=_("Vastuuhenkilöt (responsible persons) rooleineen."),
    )

    class Meta:
        model = Node
        form = forms.NodeForm
        fields = [
            "url",
            "id",
            "programme",
            "parent",
            "kind",
            "code",
            "name",
            "short_name",
            "description",
            "start",
            "end",
            "owner",
            "responsible",
            "position",
            "reports_monthly",
            "source_document",
            "source_section",
            "archived_at",
            "version",
        ]
        read_only_fields = [
            "programme",
            "parent",
            "position",
            "source_document",
            "source_section",
            "archived_at",
            "version",
        ]
        extra_kwargs = {
            "url": {"view_name": "api:node-detail"},
            **described(
                "programme",
                "name",
                "short_name",
                "description",
                "start",
                "end",
                "position",
                "archived_at",
                "version",
                **{
                    key: NODE_HELP[key]
                    for key in (
                        "kind",
                        "code",
                        "parent",
                        "owner",
                        "reports_monthly",
                        "source_document",
                        "source_section",
                    )
                },
            ),
        }

    def get_fields(self):
        return with_node_fields(super().get_fields(), after="owner")

    def form_kwargs(self):
        return {"parent": self.context.get("parent"), "user": self.context["request"].user}

    def create(self, validated_data):
        return node_create(
            values=self.values(),
            parent=self.context.get("parent"),
            extra=self.form.extra_values(),
            user=self.context["request"].user,
        )

    def update(self, instance, validated_data):
        return node_update(
            node=instance,
            values=self.values(),
            version=self.context["version"],
            extra=self.form.extra_values(),
            user=self.context["request"].user,
        )


class NodeCreateSerializer(NodeSerializer):
    parent = IdField(
        queryset=Node.objects.active(), help_text=_("Ylätaso (parent node), jonka alle uusi kohde tehdään.")
    )

    class Meta(NodeSerializer.Meta):
        read_only_fields = ["programme", "position", "source_document", "source_section", "archived_at", "version"]


class TreeNodeSerializer(ModelSerializer):
    """One node of a programme's tree with its children nested."""

    children = serializers.SerializerMethodField(help_text=_("Alatasot (children) samassa muodossa."))

    class Meta:
        model = Node
        fields = [
            "id",
            "parent",
            "kind",
            "code",
            "name",
            "short_name",
            "start",
            "end",
            "archived_at",
            "children",
        ]
        extra_kwargs = described(
            "id",
            "name",
            "short_name",
            "start",
            "end",
            "archived_at",
            **{k: NODE_HELP[k] for k in ("kind", "code", "parent")},
        )

    def get_fields(self):
        return with_node_fields(super().get_fields(), after="end", read_only=True)

    def get_children(self, node) -> list[dict]:
        return [self.to_representation(child) for child in self.context["children"].get(node.pk, [])]


class MoveSerializer(FormBacked):
    class Meta:
        model = Node
        form = forms.MoveForm
        fields = ["parent"]
        extra_kwargs = {
            "parent": {
                "help_text": _("Uusi ylätaso (new parent) saman hankkeen sisällä."),
                "allow_null": False,
                "required": True,
            }
        }

    def form_kwargs(self):
        return {"user": self.context["request"].user}


class FundingDecisionSerializer(FormBacked):
    class Meta:
        model = FundingDecision
        form = forms.FundingDecisionForm
        fields = [
            "url",
            "id",
            "programme",
            "funder",
            "number",
            "title",
            "date",
            "amount",
            "grant_rate",
            "eligible_start",
            "eligible_end",
            "period_text",
            "source",
            "note",
            "archived_at",
            "version",
        ]
        read_only_fields = ["programme", "archived_at", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:fundingdecision-detail"},
            **described(
                "programme",
                "note",
                "archived_at",
                "version",
                funder=_("Rahoittaja (funder), esim. STM."),
                number=_("Diaarinumero (record number), esim. VN/27125/2022."),
                title=_("Otsikko (title)."),
                date=_("Päätöspäivä (decision date)."),
                amount=_("Myönnetty summa (amount granted), euroina."),
                period_text=_(
                    "Kausi suunnitelman sanoin (the period as the plan writes it), esim. ”vuosille 2023–2025”."
                ),
                grant_rate=_("Avustusprosentti (grant rate, %), esim. 80.00."),
                eligible_start=_("Kustannusten hyväksyttävyys alkaa (eligibility of costs starts)."),
                eligible_end=_("Kustannusten hyväksyttävyys päättyy (eligibility of costs ends)."),
                source=_(
                    "Rahoituslähde: kansallinen valtionavustus (national state grant) tai EU:n elpymis- ja "
                    "palautumistukiväline RRF (NextGenerationEU)."
                ),
            ),
        }

    def create(self, validated_data):
        values = {**self.values(), "programme": self.context["parent"]}
        return tracked_create(model=FundingDecision, values=values, user=self.context["request"].user)


class FundingDecisionCreateSerializer(FundingDecisionSerializer):
    programme = IdField(queryset=Node.objects.programmes().active(), help_text=HELP["programme"])

    class Meta(FundingDecisionSerializer.Meta):
        read_only_fields = ["archived_at", "version"]


class NodeChildSerializer(FormBacked):
    """Something hanging on a node in its order (tasks, responsibilities, phases): new ones go last."""

    editable = None  # the kind registered with portfolio.extensions.editable

    def create(self, validated_data):
        node = self.context["parent"]
        siblings = extensions.editable_kind(self.editable).siblings
        return tracked_create(
            model=self.Meta.model,
            values={**self.values(), "node": node},
            last_among=siblings(node.pk) if siblings else None,
            user=self.context["request"].user,
        )


class TaskSerializer(NodeChildSerializer):
    editable = "tehtava"

    class Meta:
        model = Task
        form = forms.TaskForm
        fields = ["url", "id", "node", "text", "position", "archived_at", "version"]
        read_only_fields = ["node", "position", "archived_at", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:task-detail"},
            **described("position", "archived_at", "version", text=_("Tehtävä (task) toimenpiteen tehtävälistassa.")),
        }


class ResponsibilitySerializer(NodeChildSerializer):
    editable = "vastuu"

    class Meta:
        model = Responsibility
        form = forms.ResponsibilityForm
        fields = ["url", "id", "node", "person", "role", "note", "position", "version"]
        read_only_fields = ["node", "position", "version"]
        validators = []  # the form checks that a person has a role in a node once
        extra_kwargs = {
            "url": {"view_name": "api:responsibility-detail"},
            **described(
                "note",
                "position",
                "version",
                person=_("Henkilö (person)."),
                role=_(
                    "Rooli: projektipäällikkö / vetäjä (lead), vastuuhenkilö (responsible person), puheenjohtaja (chair), varapuheenjohtaja, jäsen, yhteyshenkilö."
                ),
            ),
        }

    def form_kwargs(self):
        return {"node": self.context.get("parent") or getattr(self.instance, "node", None)}


def creating(serializer_class, help_text=HELP["node"]):
    """The serializer for POST: the same fields, and the node the new object hangs on is given."""

    class Create(serializer_class):
        node = IdField(queryset=Node.objects.active(), help_text=help_text)

        class Meta(serializer_class.Meta):
            read_only_fields = [name for name in serializer_class.Meta.read_only_fields if name != "node"]

    Create.__name__ = Create.__qualname__ = serializer_class.__name__.replace("Serializer", "CreateSerializer")
    return Create


TaskCreateSerializer = creating(TaskSerializer, _("Toimenpide (measure), jonka tehtävä on."))
ResponsibilityCreateSerializer = creating(ResponsibilitySerializer)


class RiskSerializer(NodeChildSerializer):
    editable = "riski"

    class Meta:
        model = Risk
        form = forms.RiskForm
        fields = [
            "url",
            "id",
            "node",
            "category",
            "title",
            "description",
            "likelihood",
            "impact",
            "mitigation",
            "owner",
            "status",
            "position",
            "version",
        ]
        read_only_fields = ["node", "position", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:risk-detail"},
            **described(
                "node",
                "description",
                "position",
                "version",
                category=_(
                    "Luokka (category): tavoite-, osaamis-, eettinen, aikataulu-, verkosto-, taloudellinen riski…"
                ),
                title=_("Riski (risk), otsikko."),
                likelihood=_("Todennäköisyys (likelihood) 1–5."),
                impact=_("Vaikutus (impact) 1–5."),
                mitigation=_("Riskeihin varautuminen (mitigation)."),
                owner=_("Vastuuhenkilö (owner of the risk)."),
                status=_("Tila (status): avoin (open) tai suljettu (closed)."),
            ),
        }


RiskCreateSerializer = creating(RiskSerializer)


class UsageEventSerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=UsageEvent.Kind.choices, read_only=True)
    username = serializers.SerializerMethodField(help_text=_("Käyttäjätunnus (tyhjä, jos tunnusta ei tunnettu)."))

    class Meta:
        model = UsageEvent
        fields = ["id", "at", "user", "username", "kind", "target", "path", "address"]
        read_only_fields = fields

    def get_username(self, event) -> str:
        return event.user.get_username() if event.user_id else ""
