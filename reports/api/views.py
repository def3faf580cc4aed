from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from indicators.models import Measurement
from popsote.broker import BrokerUnavailable
from portfolio.accounts import usage_record
from portfolio.api.base import IF_MATCH, Conflict, Rejected, Resource, Versioned, etag, if_match_version
from portfolio.forms import initial_values, model_values
from portfolio.models import UsageEvent

from .. import plan_workbook as wb
from ..archive import ExportRefused, export_request
from ..evaluations import (
    evaluation_approve,
    evaluation_revise,
    evaluation_round_create,
    evaluation_rows,
    evaluation_save,
)
from ..forms import (
    PARTS,
    EvaluationRoundForm,
    ExportRequestForm,
    GoalEvaluationForm,
    PeriodForm,
    RrfDeclarationForm,
    RrfEvidenceForm,
    RrfProgressForm,
    StatusUpdateForm,
)
from ..models import (
    DEFAULT_SCALE,
    EvaluationRound,
    Export,
    GoalEvaluation,
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
    UpdateLocked,
)
from ..plan_import import NotPending, plan_upload_confirm, plan_upload_queue
from ..plan_views import FORM_OVERHEAD, request_size
from ..rrf import (
    EVIDENCE_MAX_BYTES,
    is_rrf,
    rrf_declaration_make,
    rrf_evidence_add,
    rrf_evidence_review,
    rrf_progress_record,
)
from ..workflow import (
    ReportingError,
    period_close,
    period_open,
    status_update_approve,
    status_update_return,
    status_update_revise,
    status_update_save,
    status_update_start,
    status_update_submit,
)
from . import serializers as s


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Viennit (generated reports): request one, follow its progress, download the file when it is done."""

    queryset = Export.objects.all()
    serializer_class = s.ExportSerializer

    def get_queryset(self):
        return Export.objects.visible_to(self.request.user).select_related("programme", "period", "node")

    filterset_fields = ["programme", "kind", "period", "node", "status", "requested_by"]
    ordering_fields = ["created_at", "id"]
    write_perm = "reports.request_reports"

    @extend_schema(summary=_("Pyydä vienti (request a report); tehdään taustalla"))
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        programme = data["programme"]
        # The page's form holds the rules (a period for monthly kinds, one sub-project only where it makes sense).
        form = ExportRequestForm(
            {"kind": data["kind"], "period": data.get("period"), "node": data.get("node")}, programme=programme
        )
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        try:
            export = export_request(
                programme=programme,
                kind=form.cleaned_data["kind"],
                period=form.cleaned_data["period"],
                node=form.cleaned_data["node"],
                user=request.user,
            )
        except ExportRefused as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from None
        return Response(self.get_serializer(export).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Lataa valmis tiedosto (download)"),
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("Tiedosto; Content-Disposition kertoo nimen.")
            ),
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("Tiedosto; Content-Disposition kertoo nimen.")
            ),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        export = self.get_object()
        if export.status != Export.Status.DONE or not export.file:
            raise exceptions.NotFound(_("Tiedosto ei ole vielä valmis."))
        name = export.file.name.rsplit("/", 1)[-1]
        usage_record(kind=UsageEvent.Kind.REPORT, request=request, target=_("ladattu: {export}").format(export=export))
        return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)


@contextmanager
def refusals():
    """The reporting services' refusals (closed period, locked update…) as 409, field errors as 400."""
    try:
        yield
    except UpdateLocked as error:
        raise Conflict(error.messages[0], code="locked") from None
    except ReportingError as error:
        if hasattr(error, "error_dict"):
            raise
        raise Conflict(" ".join(error.messages), code=error.code or "conflict") from None


class PeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Raportointikaudet (reporting periods): a programme's month for monthly status updates. Opened and closed by
    the project office; a closed period refuses every write to its updates."""

    queryset = ReportingPeriod.objects.all()
    serializer_class = s.PeriodSerializer
    filterset_fields = {"programme": ["exact"], "status": ["exact"], "month": ["exact", "gte", "lte"]}
    ordering_fields = ["month", "id"]
    conflicts = True
    write_perm = "reports.review"

    @extend_schema(summary=_("Avaa raportointikausi (open a period)"))
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme, month = serializer.validated_data["programme"], serializer.validated_data["month"]
        form = PeriodForm({"month": month}, programme=programme)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        period = period_open(programme=programme, month=form.cleaned_data["month"])
        return Response(self.get_serializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, summary=_("Sulje kausi (close the period)"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return Response(self.get_serializer(period_close(period=self.get_object(), closed=True)).data)

    @extend_schema(request=None, summary=_("Avaa kausi uudelleen (reopen the period)"))
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return Response(self.get_serializer(period_close(period=self.get_object(), closed=False)).data)


def _validated(update, body):
    """The request judged by the page's forms, each row's form given the row's saved values and the changes sent.

    Returns the values for ``status_update_save``; errors are keyed as the request sent them:
    ``measures.0.percent`` is the first measure row sent (``id:<id>`` a row not sent).
    """
    changed = {name: body[name] for name in s.EDITABLE_FIELDS if name in body}
    form = StatusUpdateForm({**initial_values(StatusUpdateForm(instance=update)), **changed}, instance=update)
    errors = {} if form.is_valid() else _errors(form)
    rows = {}
    for part, (form_class, _subject) in PARTS.items():
        sent = [row["id"] for row in body.get(part, [])]
        changes = {row["id"]: {k: v for k, v in row.items() if k != "id"} for row in body.get(part, [])}
        saved = list(getattr(update, part).all())
        unknown = sorted(set(changes) - {row.pk for row in saved})
        if unknown:
            errors[part] = [_("Katsauksessa ei ole riviä {ids}.").format(ids=", ".join(str(pk) for pk in unknown))]
            continue
        rows[part], part_errors = {}, {}
        for row in saved:
            row_form = form_class({**initial_values(form_class(instance=row)), **changes.get(row.pk, {})}, instance=row)
            if not row_form.is_valid():
                part_errors[str(sent.index(row.pk)) if row.pk in sent else f"id:{row.pk}"] = _errors(row_form)
            elif row.pk in changes:
                rows[part][row.pk] = model_values(row_form)
        if part_errors:
            errors[part] = part_errors
    if errors:
        raise serializers.ValidationError(errors)
    return model_values(form), rows


@contextmanager
def _rows_named_as_sent(body):
    """A refused submission's row errors keyed as the request sent the rows (``milestones.0.actual_date``);
    the draft itself is saved all the same."""
    try:
        yield
    except ReportingError as error:
        if not hasattr(error, "error_dict"):
            raise
        sent = {part: [row["id"] for row in body.get(part, [])] for part in PARTS}
        named = {}
        for key, messages in error.message_dict.items():
            part, _sep, rest = key.partition("-")
            pk, _sep, field = rest.partition("-")
            if part in sent and pk.isdigit() and field:
                position = str(sent[part].index(int(pk))) if int(pk) in sent[part] else f"id:{pk}"
                key = f"{part}.{position}.{field}"
            named[key] = messages
        raise ReportingError(named) from None


def _errors(form):
    return {
        ("non_field_errors" if name == "__all__" else name): list(messages) for name, messages in form.errors.items()
    }


WORKFLOW = extend_schema(request=None, parameters=[IF_MATCH], responses=s.StatusUpdateDetailSerializer)


@extend_schema_view(
    create=extend_schema(
        request=s.StartSerializer,
        summary=_("Aloita osahankkeen katsaus kaudelle (start the sub-project's update for a period)"),
    ),
    update=extend_schema(
        request=s.StatusUpdateWriteSerializer,
        parameters=[IF_MATCH],
        summary=_("Koko kuukausiraportti yhdellä pyynnöllä (the whole monthly update at once)"),
    ),
    partial_update=extend_schema(request=s.StatusUpdateWriteSerializer, parameters=[IF_MATCH]),
)
class StatusUpdateViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Tilannekatsaukset (monthly status updates) of sub-projects: lights, texts, and rows for measures,
    milestones, risks and indicator values. Workflow: submit (lead), return and approve (project office),
    revise (a correction of an approved update). An approved update and a closed period refuse every write."""

    queryset = StatusUpdate.objects.all()
    serializer_class = s.StatusUpdateSerializer
    filterset_fields = ["period", "node", "status", "period__programme"]
    ordering_fields = ["period__month", "revision", "id"]
    write_perm = "reports.report"
    action_perms = {"return_update": "reports.review", "approve": "reports.review"}
    conflicts = True

    def get_queryset(self):
        queryset = StatusUpdate.objects.select_related("period")
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("measures", queryset=MeasureReport.objects.all()),
                Prefetch("milestones", queryset=MilestoneReport.objects.all()),
                Prefetch("risks", queryset=RiskReport.objects.all()),
                Prefetch("indicator_values", queryset=Measurement.objects.all()),
            )
        return queryset

    def get_serializer_class(self):
        return s.StatusUpdateSerializer if self.action == "list" else s.StatusUpdateDetailSerializer

    def create(self, request):
        serializer = s.StartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period, node = serializer.validated_data["period"], serializer.validated_data["node"]
        if not request.user.has_perm("reports.report", node):
            self.permission_denied(request, message=_("Et raportoi tästä osahankkeesta."))
        with refusals():
            update = status_update_start(period=period, node=node, user=request.user)
        return self.versioned_response(update, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        update = self.get_object()
        version = self.check_version(update)
        body = s.StatusUpdateWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        values, rows = _validated(update, body.validated_data)
        with refusals(), _rows_named_as_sent(body.validated_data):
            status_update_save(
                update=update,
                values=values,
                rows=rows,
                version=version,
                user=request.user,
                submit=body.validated_data.get("submit", False),
            )
        return self.versioned_response(update)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _step(self, service, **kwargs):
        update = self.get_object()
        version = self.check_version(update)
        with refusals():
            result = service(update=update, user=self.request.user, version=version, **kwargs)
        return self.versioned_response(result)

    @WORKFLOW
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Lähetä hanketoimistolle (submit): luonnos tai palautettu → lähetetty."""
        return self._step(status_update_submit)

    @extend_schema(request=s.ReturnSerializer, parameters=[IF_MATCH], responses=s.StatusUpdateDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_update(self, request, pk=None):
        """Palauta korjattavaksi (return): lähetetty → palautettu, syy vetäjälle."""
        body = s.ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step(status_update_return, comment=body.validated_data["return_comment"])

    @WORKFLOW
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Hyväksy (approve): lähetetty → hyväksytty ja lukittu; välitavoite- ja riskirekisteri päivittyvät."""
        return self._step(status_update_approve)

    @WORKFLOW
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """Korjaa uutena versiona (revise): hyväksytystä katsauksesta uusi luonnosversio."""
        update = self.get_object()
        self.check_version(update)
        with refusals():
            revision = status_update_revise(update=update, user=request.user)
        return self.versioned_response(revision, status.HTTP_201_CREATED)


class MeasurementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Mittaukset (indicator values) by month: from status updates, or entered by the project office."""

    queryset = Measurement.objects.all()
    serializer_class = s.MeasurementSerializer
    filterset_fields = {"indicator": ["exact"], "update": ["exact"], "month": ["exact", "gte", "lte"]}
    ordering_fields = ["month", "id"]


def _form_errors(form):
    return serializers.ValidationError(
        {("non_field_errors" if name == "__all__" else name): errors for name, errors in form.errors.items()}
    )


@contextmanager
def rrf_refusals():
    """A refusal of the RRF and evaluation services: with fields 400, a step not allowed now (a closed period, an
    approved round, evidence already reviewed) 409, a stale If-Match 412."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise Conflict(" ".join(error.messages), code=error.code or "conflict") from None


class EvaluationRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Hyötytavoitteiden arviointikierrokset (benefit-goal evaluation rounds), every revision. The project office
    starts a round, approves it (then it is locked) and starts a revision; the goals' rows are written with
    ``evaluate``, each by whom the page lets write them (If-Match: the round's ETag)."""

    queryset = EvaluationRound.objects.all()
    serializer_class = s.EvaluationRoundSerializer
    filterset_fields = ["programme", "status", "start", "end"]
    ordering_fields = ["start", "revision", "id"]
    write_perm = "reports.review"
    action_perms = {"evaluate": "reports.evaluate"}

    def retrieve(self, request, *args, **kwargs):
        evaluation = self.get_object()
        return Response(self.get_serializer(evaluation).data, headers={"ETag": etag(evaluation.version)})

    @extend_schema(request=s.EvaluationRoundCreateSerializer, summary=_("Aloita arviointikierros (start a round)"))
    def create(self, request):
        body = s.EvaluationRoundCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {"scale": DEFAULT_SCALE, **body.validated_data}
        programme = data.pop("programme")
        form = EvaluationRoundForm(data)
        if not form.is_valid():
            raise _form_errors(form)
        with rrf_refusals():
            evaluation = evaluation_round_create(programme=programme, user=request.user, **form.cleaned_data)
        return Response(self.get_serializer(evaluation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.EvaluationRowsSerializer,
        parameters=[IF_MATCH],
        summary=_("Tallenna tavoitteiden arviot (write the goals' evaluations)"),
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        # Not asked of the round itself: a lead writes the rows of their own sub-projects, each row checked below.
        evaluation = get_object_or_404(self.get_queryset(), pk=pk)
        version = if_match_version(request)
        if evaluation.is_locked:
            raise Conflict(evaluation.locked_error().messages[0], code="locked")
        body = s.EvaluationRowsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = {row.pk: row for row in evaluation_rows(evaluation)}
        may_thl = request.user.has_perm("reports.review") and not evaluation.is_locked
        changes, errors = {}, {}
        for index, sent in enumerate(body.validated_data["rows"]):
            row = rows.get(sent.pop("id"))
            if row is None:
                errors[f"rows.{index}.id"] = [_("Arvioinnissa ei ole tätä riviä.")]
                continue
            may_self = not evaluation.is_locked and request.user.has_perm("reports.evaluate", row)
            form = GoalEvaluationForm(
                {f"g{row.pk}-{name}": value for name, value in {**initial_of(row), **sent}.items()},
                row=row,
                scale=evaluation.scale_values(),
                may_self=may_self,
                may_thl=may_thl,
            )
            if any(form.fields[name].disabled for name in sent):
                raise exceptions.PermissionDenied(_("Sinulla ei ole oikeutta kirjoittaa näitä arvioita."))
            if not form.is_valid():
                errors.update({f"rows.{index}.{name}": errs for name, errs in form.errors.items()})
            elif form.changes():
                changes[row.pk] = form.changes()
        if errors:
            raise serializers.ValidationError(errors)
        with rrf_refusals():
            evaluation_save(evaluation=evaluation, rows=changes, version=version, user=request.user)
        evaluation.refresh_from_db()
        return Response(self.get_serializer(evaluation).data, headers={"ETag": etag(evaluation.version)})

    @extend_schema(request=None, parameters=[IF_MATCH], summary=_("Hyväksy ja lukitse (approve and lock)"))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        evaluation = self.get_object()
        with rrf_refusals():
            evaluation = evaluation_approve(evaluation=evaluation, user=request.user, version=if_match_version(request))
        return Response(self.get_serializer(evaluation).data, headers={"ETag": etag(evaluation.version)})

    @extend_schema(request=None, summary=_("Aloita korjausversio (start a revision)"))
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        with rrf_refusals():
            revision = evaluation_revise(evaluation=self.get_object(), user=request.user)
        return Response(self.get_serializer(revision).data, status=status.HTTP_201_CREATED)


def initial_of(row):
    return {name: getattr(row, name) for name in GoalEvaluationForm.base_fields}


class GoalEvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Tavoitteiden arviot (a goal's self-evaluation and THL's evaluation in a round); written through the round's
    ``evaluate``."""

    queryset = GoalEvaluation.objects.all()
    serializer_class = s.GoalEvaluationSerializer
    filterset_fields = ["round", "goal", "rating"]
    ordering_fields = ["id"]


class RrfTargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """RRF-välitavoitteet ja -tavoitteet (milestones and targets of a programme's RRF measure)."""

    queryset = RrfTarget.objects.all()
    serializer_class = s.RrfTargetSerializer
    filterset_fields = ["programme", "kind", "status", "indicator"]
    ordering_fields = ["number", "id"]


class RrfProgressViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """RRF-tavoitteiden eteneminen kausittain (a target's progress per reporting period): recorded by the project
    office while the period is open, never changed; a correction is the next version for the same period."""

    queryset = RrfProgress.objects.all()
    serializer_class = s.RrfProgressSerializer
    filterset_fields = ["target", "target__programme", "period"]
    ordering_fields = ["period__month", "version", "id"]
    write_perm = "reports.manage_rrf"

    @extend_schema(summary=_("Kirjaa eteneminen (record a target's progress in a period)"))
    def create(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        target, period = data["target"], data["period"]
        self.check_node(target.programme)
        form = RrfProgressForm(
            {
                "period": period.pk,
                "value": data.get("value", ""),
                "status": data["status"],
                "text": data.get("text", ""),
            },
            periods=[period],
        )
        if not form.is_valid():
            raise _form_errors(form)
        with rrf_refusals():
            entry = rrf_progress_record(target=target, user=request.user, **form.cleaned_data)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


class RrfEvidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """RRF-näytöt (evidence of a milestone or target: a stored document with its SHA-256, or a link). The project
    office adds evidence (multipart: a file of at most 20 MB, or a link) and reviews it once."""

    queryset = RrfEvidence.objects.all()
    serializer_class = s.RrfEvidenceSerializer
    filterset_fields = ["target", "target__programme", "status"]
    ordering_fields = ["uploaded_at", "id"]
    write_perm = "reports.manage_rrf"

    def get_parsers(self):
        # A file comes as multipart; the parsers are chosen before the action is known.
        return [MultiPartParser(), FormParser(), *super().get_parsers()]

    @extend_schema(
        request={"multipart/form-data": s.RrfEvidenceUploadSerializer},
        responses={201: s.RrfEvidenceSerializer, 413: OpenApiResponse(description=_("Tiedosto on yli 20 Mt."))},
        summary=_("Lisää näyttö (add evidence: a file or a link)"),
    )
    def create(self, request):
        # Refused from its Content-Length, before the body is read.
        if request_size(request._request) > EVIDENCE_MAX_BYTES + 64 * 1024:
            raise TooLarge()
        body = s.RrfEvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target = body.validated_data["target"]
        self.check_node(target.programme)
        form = RrfEvidenceForm(
            {"description": body.validated_data["description"], "link": body.validated_data.get("link", "")},
            {"file": body.validated_data["file"]} if "file" in body.validated_data else {},
        )
        if not form.is_valid():
            raise _form_errors(form)
        data = form.cleaned_data
        with rrf_refusals():
            evidence = rrf_evidence_add(
                target=target,
                description=data["description"],
                user=request.user,
                upload=data["file"],
                link=data["link"],
            )
        return Response(self.get_serializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RrfEvidenceReviewSerializer, summary=_("Hyväksy tai hylkää näyttö (review, once)"))
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        evidence = self.get_object()
        body = s.RrfEvidenceReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with rrf_refusals():
            evidence = rrf_evidence_review(evidence=evidence, status=body.validated_data["status"], user=request.user)
        return Response(self.get_serializer(evidence).data)


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = _("Tiedosto on yli 20 Mt. Mitään ei tallennettu.")


class RrfDeclarationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """RRF-ilmoitukset (DNSH, double funding, final recipients and contractors), every version; the project office
    makes a new one, the next version of its kind."""

    queryset = RrfDeclaration.objects.all()
    serializer_class = s.RrfDeclarationSerializer
    filterset_fields = ["programme", "kind"]
    ordering_fields = ["date", "version", "id"]
    write_perm = "reports.manage_rrf"

    @extend_schema(request=s.RrfDeclarationCreateSerializer, summary=_("Kirjaa ilmoitus (make a declaration)"))
    def create(self, request):
        body = s.RrfDeclarationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        programme = data.pop("programme")
        if not is_rrf(programme):
            raise exceptions.NotFound()
        self.check_node(programme)
        form = RrfDeclarationForm(data)
        if not form.is_valid():
            raise _form_errors(form)
        declaration = rrf_declaration_make(programme=programme, user=request.user, **form.cleaned_data)
        return Response(self.get_serializer(declaration).data, status=status.HTTP_201_CREATED)


class PlanUploadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Suunnitelmatyökirjan tuonnit (plan uploads), the project office's: POST a workbook (multipart); a worker
    checks it (202): follow ``status`` until ``preview`` (what would be created, changed and archived) or
    ``rows`` (the errors); then POST ``confirm``, and a worker imports it (202)."""

    queryset = PlanUpload.objects.all()
    serializer_class = s.PlanUploadSerializer
    write_perm = "reports.import_plans"
    filterset_fields = ["status"]
    ordering_fields = ["created_at", "id"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Its previews carry the plan's contacts: only those who import read them.
        if not request.user.has_perm("reports.import_plans"):
            raise exceptions.PermissionDenied

    def get_parsers(self):
        if self.request is not None and self.request.method == "POST" and "pk" not in self.kwargs:
            return [MultiPartParser()]
        return super().get_parsers()

    @extend_schema(request={"multipart/form-data": s.PlanFileSerializer}, responses={202: s.PlanUploadSerializer})
    def create(self, request):
        try:
            wb.size_check(request_size(request._request) - FORM_OVERHEAD)
            received = s.PlanFileSerializer(data=request.data)
            received.is_valid(raise_exception=True)
            job = plan_upload_queue(file=received.validated_data["file"], user=request.user)
        except wb.WorkbookRejected as rejected:
            refusal = Rejected(
                _("Työkirjaa ei tuotu."),
                [dict(zip(("sheet", "row", "column", "reason"), map(str, e), strict=False)) for e in rejected.errors],
            )
            refusal.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
            raise refusal from None
        except BrokerUnavailable:
            raise ServiceUnavailable from None
        data = self.get_serializer(job).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    @extend_schema(request=s.PlanConfirmSerializer, responses={202: s.PlanUploadSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        upload = self.get_object()
        serializer = s.PlanConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offered = {item["name"] for item in upload.preview.get("similar_persons", [])}
        merges = [name for name in serializer.validated_data.get("merge", []) if name in offered]
        try:
            plan_upload_confirm(upload=upload, merges=merges)
        except NotPending:
            refusal = Rejected(_("Tämä tuonti ei odota vahvistusta: se on jo vahvistettu tai hylätty."), [])
            refusal.status_code = status.HTTP_409_CONFLICT
            raise refusal from None
        except BrokerUnavailable:
            raise ServiceUnavailable from None
        upload.refresh_from_db()
        return Response(self.get_serializer(upload).data, status=status.HTTP_202_ACCEPTED)


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Taustatöiden jono ei vastaa juuri nyt. Yritä hetken päästä uudelleen.")
