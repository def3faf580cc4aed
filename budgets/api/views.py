from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from portfolio.api.base import IF_MATCH, PreconditionFailed, ReadCreate, Rejected, Resource, Versioned, etag
from portfolio.models import Node

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
from ..selectors import governing_decision, node_figures, plans_for
from ..services import (
    LEDGER_FORM_OVERHEAD,
    LEDGER_INLINE_BYTES,
    LedgerRejected,
    LedgerTooLarge,
    NotPending,
    ReportsUsedCosts,
    StaleLines,
    budget_lines_save,
    budget_lines_stamp,
    ledger_import,
    ledger_import_reverse,
    ledger_size_check,
    ledger_upload_confirm,
    ledger_upload_queue,
    plan_version_create,
)
from ..views import request_size
from . import serializers as s


class CostCategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Kustannuslajit (cost categories): the rows of the STM cost template. The project office keeps them in the admin."""

    queryset = CostCategory.objects.all()
    serializer_class = s.CostCategorySerializer
    filterset_fields = ["kind", "parent", "eligible"]
    ordering_fields = ["position", "id"]


class PlanVersionViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Suunnitelmaversiot (plan versions): every revision of a programme's plan is kept; one is current.

    POST revises the plan: a copy of the current version becomes the new current one (finance, project office).
    """

    queryset = PlanVersion.objects.all()
    serializer_class = s.PlanVersionSerializer
    filterset_fields = ["programme", "is_current"]
    ordering_fields = ["date", "id"]
    write_perm = "budgets.edit_budgets"

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plan_version_create(
            programme=serializer.validated_data["programme"], name=serializer.validated_data["name"], user=request.user
        )
        return self.versioned_response(plan, status.HTTP_201_CREATED)


class NodeBudgetViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Budjetit (node budgets): a node's total as each plan version writes it. Change it with a node's budget field."""

    queryset = NodeBudget.objects.all()
    serializer_class = s.NodeBudgetSerializer
    filterset_fields = ["plan", "node", "plan__is_current"]
    ordering_fields = ["id"]


class BudgetLineViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Talousarviorivit (budget lines): node × cost category × year in a plan version. Change them under /budget-grids/."""

    queryset = BudgetLine.objects.all()
    serializer_class = s.BudgetLineSerializer
    filterset_fields = ["plan", "node", "category", "year", "plan__is_current"]
    ordering_fields = ["year", "id"]


class BudgetGridViewSet(Resource):
    """A node's budget lines in the current plan version as one grid; its ETag covers every line of the node."""

    queryset = Node.objects.active()
    serializer_class = s.BudgetGridSerializer
    write_perm = "budgets.edit_budgets"
    pagination_class = None
    filter_backends = []

    def _grid(self, node):
        plan = get_object_or_404(PlanVersion, programme=node.programme_id, is_current=True)
        lines = (
            BudgetLine.objects.filter(plan=plan, node=node)
            .select_related("category")
            .order_by("category__position", "year")
        )
        data = {
            "node": node.pk,
            "plan": plan.pk,
            "lines": [{"category": line.category, "year": line.year, "amount": line.amount} for line in lines],
        }
        return plan, Response(
            s.BudgetGridSerializer(data).data, headers={"ETag": etag(budget_lines_stamp(plan=plan, node=node))}
        )

    @extend_schema(summary=gettext_lazy("Kohteen talousarvio (a node's budget lines)"))
    def retrieve(self, request, pk=None):
        return self._grid(self.get_object())[1]

    @extend_schema(parameters=[IF_MATCH], summary=gettext_lazy("Tallenna talousarvion rivit (save budget lines)"))
    def update(self, request, pk=None):
        from portfolio.api.base import PreconditionRequired

        node = self.get_object()
        stamp = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
        if not stamp:
            raise PreconditionRequired
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = get_object_or_404(PlanVersion, programme=node.programme_id, is_current=True)
        amounts = {(line["category"].pk, line["year"]): line["amount"] for line in serializer.validated_data["lines"]}
        try:
            budget_lines_save(plan=plan, node=node, amounts=amounts, stamp=stamp)
        except StaleLines:
            raise PreconditionFailed from None
        return self._grid(node)[1]


class BudgetFiguresViewSet(Resource):
    """Talousluvut (budget figures): a node's plan, actual, remaining, utilisation and funding, from the one
    place every page, report and workbook takes them. ``?versio=`` names another plan version than the current one.
    """

    queryset = Node.objects.active()
    serializer_class = s.BudgetFiguresSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary=gettext_lazy("Kohteen talousluvut (a node's budget figures)"),
        parameters=[
            OpenApiParameter("versio", str, description=gettext_lazy("Suunnitelmaversion tunniste (plan version key)."))
        ],
    )
    def retrieve(self, request, pk=None):
        node = self.get_object()
        key = request.query_params.get("versio")
        plans = plans_for(node.programme_id)
        plan = next((p for p in plans if p.key == key), None) if key else next((p for p in plans if p.is_current), None)
        if key and plan is None:
            raise NotFound(_("Hankkeella ei ole suunnitelmaversiota {key}.").format(key=key))
        figures = node_figures(node, plan)
        usage, total = figures.usage()
        decision = governing_decision(node.programme_id)
        split = figures.split(decision)
        eligibility = figures.eligibility(decision)
        data = {
            "node": node.pk,
            "plan_version": plan.pk if plan else None,
            "plan_source": figures.plan_source,
            "written": figures.written,
            "lines_total": figures.lines_total,
            "difference": figures.difference,
            "total": total,
            "by_category": usage,
            "by_year": figures.by_year(),
            "grant": split[0] if split else None,
            "own_funding": split[1] if split else None,
            "eligible_actual": eligibility.eligible_total if eligibility else None,
            "grant_max": eligibility.grant_max if eligibility else None,
        }
        return Response(s.BudgetFiguresSerializer(data).data)


class ActualCostViewSet(ReadCreate):
    """Toteumat (actual costs) by node, month and cost category: typed in by finance or imported from the ledger."""

    queryset = ActualCost.objects.all()
    serializer_class = s.ActualCostSerializer
    filterset_fields = {
        "node": ["exact"],
        "node__programme": ["exact"],
        "category": ["exact"],
        "month": ["exact", "gte", "lte"],
        "ledger_import": ["exact", "isnull"],
    }
    ordering_fields = ["month", "amount", "id"]
    write_perm = "budgets.edit_budgets"
    parent_field = None


class LedgerImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Kirjanpidon otteen tuonnit (ledger imports). POST a file (multipart): all rows or none, as on the page."""

    queryset = LedgerImport.objects.all()
    serializer_class = s.LedgerImportSerializer
    filterset_fields = ["programme", "imported_by"]
    ordering_fields = ["imported_at", "id"]
    write_perm = "budgets.edit_budgets"

    def get_parsers(self):
        if getattr(self, "action", None) == "create" or self.request is not None and self.request.method == "POST":
            return [MultiPartParser()]
        return super().get_parsers()

    @extend_schema(
        request={"multipart/form-data": s.LedgerFileSerializer},
        responses={
            201: s.LedgerImportSerializer,
            202: s.LedgerUploadSerializer,
            400: OpenApiResponse(
                description=gettext_lazy(
                    "Otetta ei tuotu. rows luettelee jokaisen hylätyn rivin: rivi, sarake ja syy (row, column, reason)."
                )
            ),
            413: OpenApiResponse(description=gettext_lazy("Tiedosto on liian suuri tuotavaksi.")),
        },
        description=gettext_lazy(
            "Pieni ote tuodaan heti (201). Suurempi tuodaan taustalla (202): seuraa sen tilaa ledger-uploads-osoitteessa."
        ),
    )
    def create(self, request):
        try:
            upload = _received_extract(request)
            file, programme = upload.validated_data["file"], upload.validated_data["programme"]
            if file.size > LEDGER_INLINE_BYTES:
                job = ledger_upload_queue(
                    programme=programme,
                    file=file,
                    user=request.user,
                    duplicates=upload.validated_data.get("duplicates", ""),
                )
                data = s.LedgerUploadSerializer(job, context=self.get_serializer_context()).data
                return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})
            with transaction.atomic():
                batch = ledger_import(
                    programme=programme,
                    name=file.name,
                    content=file.read(),
                    user=request.user,
                    duplicates=upload.validated_data.get("duplicates", ""),
                )
        except LedgerRejected as rejected:
            raise _refusal(rejected) from None
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ReverseSerializer,
        responses={201: s.LedgerImportSerializer, 409: OpenApiResponse(description=gettext_lazy("Ei peruttu."))},
        description=gettext_lazy(
            "Peru tuonti: sen kulut kirjataan vastakirjauksina (201, peruutus). 409, kun tuonti on jo peruttu "
            "tai kun kuukausiraportti on jo käyttänyt kuluja eikä hanketoimisto ole hyväksynyt muutosta."
        ),
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        batch = self.get_object()
        serializer = s.ReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirm = serializer.validated_data["confirm_reports"]
        if confirm and not request.user.has_perm("budgets.confirm_report_change"):
            raise PermissionDenied(_("Vain hanketoimisto voi hyväksyä, että raporttien luvut muuttuvat."))
        try:
            reversal = ledger_import_reverse(
                batch=batch, user=request.user, reason=serializer.validated_data["reason"], confirm_reports=confirm
            )
        except ReportsUsedCosts as used:
            refusal = Rejected(
                _(
                    "Kuukausiraportti on jo käyttänyt näitä kuluja: {reports}. Hanketoimiston on hyväksyttävä muutos."
                ).format(reports=", ".join(str(report) for report in used.reports)),
                [],
            )
            refusal.status_code, refusal.default_code = status.HTTP_409_CONFLICT, "reported"
            raise refusal from None
        except LedgerRejected as rejected:
            refusal = _refusal(rejected)
            refusal.status_code = status.HTTP_409_CONFLICT
            raise refusal from None
        return Response(self.get_serializer(reversal).data, status=status.HTTP_201_CREATED)


def _received_extract(request):
    """The posted extract's validated serializer. A body larger than any import may be is refused before it is
    read (LedgerRejected), and the file itself once it is received."""
    ledger_size_check(request_size(request._request) - LEDGER_FORM_OVERHEAD)
    upload = s.LedgerFileSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    ledger_size_check(upload.validated_data["file"].size)
    return upload


def _refusal(rejected):
    rows = [{"row": str(row), "column": str(column), "reason": str(reason)} for row, column, reason in rejected.errors]
    refusal = Rejected(_("Otetta ei tuotu: siinä on virheitä. Mitään ei tallennettu."), rows)
    if isinstance(rejected, LedgerTooLarge):
        refusal.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    return refusal


class LedgerAccountViewSet(ReadCreate, mixins.UpdateModelMixin):
    """Tilikartta (the chart of accounts): ledger accounts and ranges and their cost categories.

    Every role reads it; finance and the project office add and change rows (PUT/PATCH with If-Match).
    """

    queryset = LedgerAccount.objects.all()
    serializer_class = s.LedgerAccountSerializer
    filterset_fields = ["category", "example"]
    ordering_fields = ["account", "id"]
    write_perm = "budgets.edit_budgets"
    parent_field = None

    def perform_update(self, serializer):
        self.check_version(serializer.instance)
        serializer.save(version=serializer.instance.version + 1, example=False)


class LedgerUploadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Kirjanpidon otteen esikatselut ja taustatuonnit (ledger uploads). POST a file (multipart): its preview,
    nothing imported (201; 202 while a worker checks a large one); then POST ``confirm``."""

    queryset = LedgerUpload.objects.all()
    serializer_class = s.LedgerUploadSerializer
    write_perm = "budgets.edit_budgets"

    def get_parsers(self):
        # A file is posted to the list (multipart); ``confirm`` takes JSON. The action is not known yet here.
        if self.request is not None and self.request.method == "POST" and "pk" not in self.kwargs:
            return [MultiPartParser()]
        return super().get_parsers()

    @extend_schema(
        request={"multipart/form-data": s.LedgerFileSerializer},
        responses={201: s.LedgerUploadSerializer, 202: s.LedgerUploadSerializer},
    )
    def create(self, request):
        try:
            upload = _received_extract(request)
            file, programme = upload.validated_data["file"], upload.validated_data["programme"]
            job = ledger_upload_queue(programme=programme, file=file, user=request.user)
        except LedgerRejected as rejected:
            raise _refusal(rejected) from None
        data = self.get_serializer(job).data
        code = status.HTTP_201_CREATED if job.status == LedgerUpload.Status.PREVIEW else status.HTTP_202_ACCEPTED
        return Response(data, status=code, headers={"Location": data["url"]})

    @extend_schema(
        request=s.ConfirmSerializer, responses={201: s.LedgerImportSerializer, 202: s.LedgerUploadSerializer}
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        upload = self.get_object()
        serializer = s.ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        choice = serializer.validated_data.get("duplicates", "")
        if upload.preview.get("duplicates") and not choice:
            raise Rejected(
                _("Esikatselussa on jo tuodun näköisiä rivejä: valitse duplicates = skip tai import."),
                [
                    {"row": str(d["row"]), "column": "selite", "reason": d["earlier_description"]}
                    for d in upload.preview["duplicates"][:100]
                ],
            )
        try:
            batch = ledger_upload_confirm(upload=upload, user=request.user, duplicates=choice)
        except NotPending:
            refusal = Rejected(_("Tämä tuonti on jo vahvistettu tai hylätty."), [])
            refusal.status_code = status.HTTP_409_CONFLICT
            raise refusal from None
        except LedgerRejected as rejected:
            raise _refusal(rejected) from None
        if batch is None:
            upload.refresh_from_db()
            return Response(self.get_serializer(upload).data, status=status.HTTP_202_ACCEPTED)
        return Response(
            s.LedgerImportSerializer(batch, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    filterset_fields = ["programme", "status", "uploaded_by"]
    ordering_fields = ["created_at", "id"]
