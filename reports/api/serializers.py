from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indicators.models import Measurement
from portfolio.api.base import IdField, ModelSerializer, RowIdField
from portfolio.api.serializers import described
from portfolio.models import Node

from ..models import (
    EvaluationRound,
    Export,
    GoalEvaluation,
    Light,
    MeasureReport,
    MilestoneReport,
    PlanUpload,
    ReportingPeriod,
    RiskReport,
    RrfDeclaration,
    RrfEvidence,
    RrfProgress,
    RrfTarget,
    StatusUpdate,
)


class ExportSerializer(ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text=_("Tiedoston latausosoite (download), kun tila on valmis (done); muuten tyhjä.")
    )

    class Meta:
        model = Export
        fields = [
            "url",
            "id",
            "programme",
            "kind",
            "period",
            "node",
            "version",
            "status",
            "progress",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "error",
            "sha256",
            "data_state",
            "download_url",
        ]
        read_only_fields = [
            "version",
            "data_state",
            "status",
            "progress",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "error",
            "sha256",
        ]
        extra_kwargs = {
            "url": {"view_name": "api:export-detail"},
            "programme": {"queryset": Node.objects.programmes().active()},
            "period": {"queryset": ReportingPeriod.objects.all()},
            "node": {"queryset": Node.objects.active()},
            **described(
                "programme",
                kind=_(
                    "Tyyppi (kind): kuukausiraportti (monthly_pdf), Hankesalkun kuukausiraportti (hankesalkku_xlsx), "
                    "kustannusarvio ja toteuma (costs_xlsx), toimenpideluettelo (measures_xlsx), indikaattorit "
                    "(indicators_xlsx)."
                ),
                period=_(
                    "Raportointikausi (reporting period); pakollinen kuukausiraportille ja Hankesalkun raportille."
                ),
                node=_("Vain yksi osahanke (one sub-project only): kuukausiraportti tai kustannusarvio."),
                version=_("Versio (version): sama raportti uudelleen tehtynä saa seuraavan numeron; vanhat säilyvät."),
                data_state=_("Aineiston tila (data state): hyväksyttyjen katsausten tunnisteet ja versiot."),
                status=_("Tila (status): jonossa (queued), käynnissä (running), valmis (done), epäonnistui (failed)."),
                progress=_("Edistyminen (progress), prosenttia."),
                requested_by=_("Pyytäjä (requested by, user id)."),
                created_at=_("Pyydetty (requested at), ISO 8601."),
                started_at=_("Aloitettu (started at)."),
                finished_at=_("Valmistunut (finished at)."),
                error=_("Virhe (error), jos vienti epäonnistui."),
                sha256=_("Tiedoston SHA-256-tarkistussumma (checksum)."),
            ),
        }

    def get_download_url(self, export) -> str | None:
        if export.status != Export.Status.DONE or not export.file:
            return None
        return self.context["request"].build_absolute_uri(reverse("api:export-download", args=[export.pk]))


class PeriodSerializer(ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["url", "id", "programme", "month", "deadline", "status", "opened_at", "closed_at"]
        read_only_fields = ["deadline", "status", "opened_at", "closed_at"]
        validators = []  # the page's form says a month is opened once, in its own words
        extra_kwargs = {
            "url": {"view_name": "api:period-detail"},
            "programme": {"queryset": Node.objects.programmes().active()},
            **described(
                "programme",
                month=_("Kuukausi (month): kuukauden ensimmäinen päivä, esim. 2025-11-01."),
                deadline=_("Määräpäivä (deadline) tilannekatsauksille."),
                status=_(
                    "Tila (status): avoin (open) tai suljettu (closed). Suljetun kauden katsauksia ei voi muuttaa."
                ),
                opened_at=_("Avattu (opened at)."),
                closed_at=_("Suljettu (closed at)."),
            ),
        }


class MeasureReportSerializer(ModelSerializer):
    class Meta:
        model = MeasureReport
        fields = ["id", "measure", "status", "percent", "note", "version"]
        read_only_fields = ["measure", "version"]
        extra_kwargs = described(
            "version",
            id=_("Rivin tunniste (row id); PUT/PATCH tunnistaa rivin tästä."),
            measure=_("Toimenpide (measure)."),
            status=_("Tila (status): ei aloitettu, käynnissä, valmis, viivästynyt, peruttu."),
            percent=_("Valmiusaste (percent complete) 0–100."),
            note=_("Huomio (note)."),
        )


class MilestoneReportSerializer(ModelSerializer):
    class Meta:
        model = MilestoneReport
        fields = ["id", "milestone", "status", "actual_date", "version"]
        read_only_fields = ["milestone", "version"]
        extra_kwargs = described(
            "version",
            id=_("Rivin tunniste (row id)."),
            milestone=_("Välitavoite (milestone)."),
            status=_("Tila (status): suunniteltu, saavutettu, myöhässä, peruttu."),
            actual_date=_("Toteutunut päivä (actual date); pakollinen, kun välitavoite on saavutettu."),
        )


class RiskReportSerializer(ModelSerializer):
    class Meta:
        model = RiskReport
        fields = ["id", "risk", "likelihood", "impact", "status", "mitigation", "version"]
        read_only_fields = ["risk", "version"]
        extra_kwargs = described(
            "version",
            id=_("Rivin tunniste (row id)."),
            risk=_("Riski (risk)."),
            likelihood=_("Todennäköisyys (likelihood) 1–5."),
            impact=_("Vaikutus (impact) 1–5."),
            status=_("Tila (status): avoin (open) tai suljettu (closed)."),
            mitigation=_("Riskeihin varautuminen (mitigation)."),
        )


class MeasurementSerializer(ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "indicator", "update", "month", "value", "source", "version"]
        read_only_fields = ["indicator", "update", "month", "version"]
        extra_kwargs = described(
            "version",
            id=_("Rivin tunniste (row id)."),
            indicator=_("Indikaattori (indicator)."),
            update=_("Tilannekatsaus (status update), josta arvo tuli."),
            month=_("Kuukausi (month)."),
            value=_("Arvo (measured value), desimaalimerkkijono; tyhjä, jos ei mitattu."),
            source=_("Lähde (source of the value)."),
        )


UPDATE_HELP = {
    "period": _("Raportointikausi (reporting period)."),
    "node": _("Osahanke (sub-project), jonka kuukausiraportti tämä on."),
    "revision": _("Versio (revision): korjaus hyväksyttyyn katsaukseen on uusi versio."),
    "revision_of": _("Korjaa versiota (corrects revision)."),
    "status": _(
        "Tila (status): luonnos (draft), lähetetty (submitted), palautettu (returned), hyväksytty (approved), "
        "tuotu asiakirjasta (imported from a document, approved by no one, read-only)."
    ),
    "overall": _("Kokonaistilanne (overall), liikennevalo (traffic light): vihreä, keltainen, punainen."),
    "schedule": _("Aikataulu (schedule), liikennevalo."),
    "budget": _("Talous (budget), liikennevalo."),
    "scope": _("Sisältö ja tuotokset (scope and outputs), liikennevalo."),
    "resources": _("Resurssit (resources), liikennevalo."),
    "proposed_schedule": _("Salkun ehdottama aikataulun valo (proposed by Salkku from the milestones)."),
    "proposed_budget": _("Salkun ehdottama talouden valo (proposed by Salkku from the actual costs)."),
    "done": _("Tehty tässä kuussa (done this month)."),
    "next_steps": _("Suunnitelmat ensi kuulle (next steps)."),
    "decisions": _("Ohjausryhmän päätettävät asiat (for the steering group to decide)."),
    "return_comment": _("Palautuksen syy (why the project office returned it)."),
    "source": _("Lähde (source), jos katsaus on ladattu muusta aineistosta."),
    "source_document": _("Lähdeasiakirja (source document) tuodulla katsauksella."),
    "source_section": _("Kohta lähdeasiakirjassa (section of the source document)."),
    "area": _("Kuvattu alue (area): kun katsaus kuvaa vain yhtä aluetta eikä koko osahanketta."),
    "presenter": _("Esittäjä (presenter) tuodulla katsauksella."),
    "dating": _("Ajankohdan päättely (how the month of an undated document was worked out)."),
    "created_by": _("Laatija (author)."),
    "created_at": _("Luotu (created at)."),
    "submitted_at": _("Lähetetty (submitted at)."),
    "submitted_by": _("Lähettäjä (submitted by)."),
    "decided_at": _("Käsitelty (decided at)."),
    "decided_by": _("Käsittelijä (decided by)."),
}
UPDATE_FIELDS = [
    "url",
    "id",
    "period",
    "node",
    "revision",
    "revision_of",
    "status",
    *(field for name in StatusUpdate.LIGHTS for field in (name, f"{name}_reason")),
    "proposed_schedule",
    "proposed_budget",
    "done",
    "next_steps",
    "decisions",
    "return_comment",
    "source",
    "source_document",
    "source_section",
    "area",
    "presenter",
    "dating",
    "created_by",
    "created_at",
    "submitted_at",
    "submitted_by",
    "decided_at",
    "decided_by",
    "version",
]
EDITABLE_FIELDS = list(StatusUpdate.LEAD_FIELDS)


class StatusUpdateSerializer(ModelSerializer):
    """A sub-project's monthly status update (kuukausiraportti, tilannekatsaus), without its rows."""

    # Empty when Salkku had nothing to propose; read-only fields lose the model's blank otherwise.
    proposed_schedule = serializers.ChoiceField(
        choices=Light.choices, allow_blank=True, read_only=True, help_text=UPDATE_HELP["proposed_schedule"]
    )
    proposed_budget = serializers.ChoiceField(
        choices=Light.choices, allow_blank=True, read_only=True, help_text=UPDATE_HELP["proposed_budget"]
    )

    class Meta:
        model = StatusUpdate
        fields = UPDATE_FIELDS
        read_only_fields = [name for name in UPDATE_FIELDS if name not in EDITABLE_FIELDS]
        extra_kwargs = {
            "url": {"view_name": "api:statusupdate-detail"},
            **{name: {"help_text": text} for name, text in UPDATE_HELP.items()},
            **{
                f"{name}_reason": {
                    "help_text": _("Perustelu (reason); pakollinen, kun valo on keltainen tai punainen.")
                }
                for name in StatusUpdate.LIGHTS
            },
        }


class StatusUpdateDetailSerializer(StatusUpdateSerializer):
    """The update with its rows: measures, milestones, risks and indicator values."""

    measures = MeasureReportSerializer(many=True, required=False, help_text=_("Toimenpiteiden tilanteet."))
    milestones = MilestoneReportSerializer(many=True, required=False, help_text=_("Välitavoitteiden tilanteet."))
    risks = RiskReportSerializer(many=True, required=False, help_text=_("Riskien arviot."))
    indicator_values = MeasurementSerializer(many=True, required=False, help_text=_("Indikaattorien arvot."))

    class Meta(StatusUpdateSerializer.Meta):
        fields = [*UPDATE_FIELDS, "measures", "milestones", "risks", "indicator_values"]


def _row(serializer_class):
    """A row as a script sends it: its id and the fields it changes."""

    class Row(serializer_class):
        id = RowIdField(help_text=_("Rivin tunniste (row id) GET-vastauksesta."))

        class Meta(serializer_class.Meta):
            fields = [
                name for name in serializer_class.Meta.fields if name not in serializer_class.Meta.read_only_fields
            ]

    Row.__name__ = Row.__qualname__ = serializer_class.__name__.replace("Serializer", "RowSerializer")
    return Row


class StatusUpdateWriteSerializer(ModelSerializer):
    """The whole monthly update in one request: texts, lights and rows; validated all or nothing."""

    measures = _row(MeasureReportSerializer)(many=True, required=False, help_text=_("Muuttuvat toimenpiderivit."))
    milestones = _row(MilestoneReportSerializer)(many=True, required=False, help_text=_("Muuttuvat välitavoiterivit."))
    risks = _row(RiskReportSerializer)(many=True, required=False, help_text=_("Muuttuvat riskirivit."))
    indicator_values = _row(MeasurementSerializer)(
        many=True, required=False, help_text=_("Muuttuvat indikaattorien arvot.")
    )
    submit = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("true: tallenna ja lähetä hanketoimistolle samalla pyynnöllä (save and submit at once)."),
    )

    class Meta:
        model = StatusUpdate
        fields = [*EDITABLE_FIELDS, "measures", "milestones", "risks", "indicator_values", "submit"]
        extra_kwargs = {
            **{name: {"help_text": UPDATE_HELP[name]} for name in EDITABLE_FIELDS if name in UPDATE_HELP},
            **{
                f"{name}_reason": {
                    "help_text": _("Perustelu (reason); pakollinen, kun valo on keltainen tai punainen.")
                }
                for name in StatusUpdate.LIGHTS
            },
        }


class StartSerializer(serializers.Serializer):
    period = IdField(queryset=ReportingPeriod.objects.all(), help_text=_("Raportointikausi (reporting period)."))
    node = IdField(queryset=Node.objects.active(), help_text=_("Osahanke (sub-project), joka raportoi."))


class ReturnSerializer(serializers.Serializer):
    return_comment = serializers.CharField(help_text=_("Mitä pitää korjata (what the lead must fix)."))


class EvaluationRoundSerializer(ModelSerializer):
    class Meta:
        model = EvaluationRound
        fields = [
            "id",
            "programme",
            "start",
            "end",
            "scale",
            "revision",
            "revision_of",
            "status",
            "created_by",
            "created_at",
            "decided_by",
            "decided_at",
            "version",
        ]
        read_only_fields = fields


class GoalEvaluationSerializer(ModelSerializer):
    class Meta:
        model = GoalEvaluation
        fields = ["id", "round", "goal", "rating", "assessment", "evidence", "thl_rating", "thl_assessment", "version"]
        read_only_fields = fields


class RrfTargetSerializer(ModelSerializer):
    class Meta:
        model = RrfTarget
        fields = [
            "id",
            "programme",
            "kind",
            "number",
            "description",
            "indicator",
            "baseline",
            "target_value",
            "target_date",
            "status",
            "progress",
            "version",
        ]
        read_only_fields = fields


class RrfEvidenceSerializer(ModelSerializer):
    class Meta:
        model = RrfEvidence
        fields = [
            "id",
            "target",
            "description",
            "file_name",
            "size",
            "sha256",
            "link",
            "uploaded_by",
            "uploaded_at",
            "status",
            "reviewed_by",
            "reviewed_at",
            "retain_until",
        ]
        read_only_fields = fields


class RrfDeclarationSerializer(ModelSerializer):
    class Meta:
        model = RrfDeclaration
        fields = [
            "id",
            "programme",
            "kind",
            "version",
            "date",
            "text",
            "other_funding",
            "recipients",
            "made_by",
            "made_at",
            "retain_until",
        ]
        read_only_fields = fields


class RrfProgressSerializer(ModelSerializer):
    class Meta:
        model = RrfProgress
        fields = [
            "id",
            "target",
            "period",
            "version",
            "value",
            "status",
            "text",
            "entered_by",
            "entered_at",
            "retain_until",
        ]
        read_only_fields = ["id", "version", "entered_by", "entered_at", "retain_until"]

    def get_validators(self):
        return []  # the service numbers the versions; the page's form judges the values


class RrfEvidenceUploadSerializer(serializers.Serializer):
    target = IdField(queryset=RrfTarget.objects.all())
    description = serializers.CharField()
    file = serializers.FileField(required=False)
    link = serializers.CharField(required=False, allow_blank=True)


# What a review may decide (named in the schema by ENUM_NAME_OVERRIDES).
REVIEW_CHOICES = [(status.value, status.label) for status in (RrfEvidence.Status.APPROVED, RrfEvidence.Status.REJECTED)]


class RrfEvidenceReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=REVIEW_CHOICES)


class RrfDeclarationCreateSerializer(serializers.Serializer):
    programme = IdField(queryset=Node.objects.programmes())
    kind = serializers.CharField()
    date = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    other_funding = serializers.CharField(required=False, allow_blank=True)
    recipients = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Yksi riviä kohden: nimi; Y-tunnus; summa, kuten sivulla.")
    )


class EvaluationRoundCreateSerializer(serializers.Serializer):
    programme = IdField(queryset=Node.objects.programmes())
    start = serializers.CharField()
    end = serializers.CharField()
    scale = serializers.CharField(required=False)


class GoalEvaluationRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.CharField(required=False, allow_blank=True)
    assessment = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True)
    thl_rating = serializers.CharField(required=False, allow_blank=True)
    thl_assessment = serializers.CharField(required=False, allow_blank=True)


class EvaluationRowsSerializer(serializers.Serializer):
    rows = GoalEvaluationRowSerializer(many=True)


class PlanUploadSerializer(ModelSerializer):
    """A portfolio workbook sent for import: follow ``status`` and ``progress``; ``preview`` to confirm,
    ``rows`` when refused."""

    url = serializers.HyperlinkedIdentityField(view_name="api:planupload-detail")
    rows = serializers.SerializerMethodField(
        help_text=_("Hylätyt rivit: välilehti, rivi, sarake ja syy (sheet, row, column, reason).")
    )

    class Meta:
        model = PlanUpload
        fields = [
            "url",
            "id",
            "file_name",
            "uploaded_by",
            "status",
            "progress",
            "created_at",
            "finished_at",
            "rows",
            "preview",
            "programme",
        ]
        read_only_fields = fields

    def get_rows(self, upload) -> list[dict]:
        return [dict(zip(("sheet", "row", "column", "reason"), error, strict=False)) for error in upload.errors]


class PlanFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text=_("Suunnitelmatyökirja (.xlsx) Salkun tyhjän pohjan muodossa.")
    )


class PlanConfirmSerializer(serializers.Serializer):
    merge = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=1000,
        help_text=_("Esikatselun similar_persons-luettelon nimet, jotka yhdistetään Salkussa jo olevaan henkilöön."),
    )
