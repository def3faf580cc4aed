from collections import defaultdict

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from portfolio.api.base import IF_MATCH, WRITE, ArchiveActions, MoveActions, ReadWrite, Resource, Versioned

from .. import extensions
from ..accounts import usage_record
from ..filters import NodeFilter
from ..models import FundingDecision, Node, Organisation, Person, Responsibility, Risk, Task, UsageEvent
from . import serializers as s

# The organisation filter works through a method; tell the schema it takes an organisation's id.
extend_schema_field(OpenApiTypes.INT)(NodeFilter.base_filters["organisation"])


@extend_schema_view(**WRITE)
class OrganisationViewSet(ArchiveActions, ReadWrite):
    """Organisaatiot (organisations): the county, municipalities, joint authorities, areas, funders."""

    queryset = Organisation.objects.all()
    serializer_class = s.OrganisationSerializer
    filterset_fields = ["kind", "parent"]
    ordering_fields = ["name", "key", "id"]
    write_perm = "portfolio.edit_directory"
    parent_field = None


@extend_schema_view(**WRITE)
class PersonViewSet(ArchiveActions, ReadWrite):
    """Henkilöt (persons): everyone named in the plans, leads and responsible persons."""

    queryset = Person.objects.all()
    serializer_class = s.PersonSerializer
    filterset_fields = ["organisation"]
    ordering_fields = ["name", "id"]
    write_perm = "portfolio.edit_directory"
    parent_field = None

    def finalize_response(self, request, response, *args, **kwargs):
        # Contact details read are in the log of use: who read whose, when.
        if request.method == "GET" and response.status_code == 200 and request.user.has_perm("portfolio.read_contacts"):
            rows = response.data.get("results", [response.data])
            names = ", ".join(str(row.get("name", "")) for row in rows)
            usage_record(kind=UsageEvent.Kind.CONTACTS, request=request, target=_("API: {names}").format(names=names))
        return super().finalize_response(request, response, *args, **kwargs)


def with_responsible(nodes):
    """The nodes as a list, each with its responsible persons in ``responsible``, in one query for all of them and
    with only what ResponsibleSerializer shows (a prefetch of the whole rows and persons was a fifth of a list)."""
    nodes = list(nodes)
    rows = (
        Responsibility.objects.filter(node__in=[node.pk for node in nodes])
        .only("id", "node_id", "person_id", "role")
        .annotate(person_name=F("person__name"))
        .order_by("position", "pk")
    )
    listed = defaultdict(list)
    for row in rows:
        listed[row.node_id].append(row)
    for node in nodes:
        node.responsible = listed[node.pk]
    return nodes


class WithFigures:
    """Nodes answered carry their responsible persons and the figures other apps put on listed nodes
    (``extensions.node_figures``)."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return self.answered(page) if page is not None else None

    def get_object(self):
        return self.answered([super().get_object()])[0]

    def reread(self, obj):
        return self.answered([super().reread(obj)])[0]

    @staticmethod
    def answered(nodes):
        return extensions.add_figures(with_responsible(nodes))


@extend_schema_view(**WRITE)
class NodeViewSet(WithFigures, ArchiveActions, ReadWrite):
    """Hankkeen osat (nodes): programmes, sub-projects at any depth (osa-alue, pilari…) and measures.

    Filters are the portfolio page's: a word, programme, responsible person, organisation or area,
    funding source, type.
    """

    queryset = Node.objects.all()
    serializer_class = s.NodeSerializer
    create_serializer_class = s.NodeCreateSerializer
    filterset_class = NodeFilter
    ordering_fields = ["code", "name", "start", "end", "position", "id"]
    write_perm = "portfolio.edit_node"
    action_perms = {"archive": "portfolio.archive_node", "restore": "portfolio.archive_node"}
    parent_field = "parent"

    @extend_schema(request=s.MoveSerializer, parameters=[IF_MATCH], summary=_("Siirrä toisen ylätason alle (move)"))
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        node = self.get_object()
        if node.is_programme:
            self.permission_denied(request, message=_("Hanketta ei voi siirtää."))
        version = self.check_version(node)
        serializer = s.MoveSerializer(node, data=request.data, context={"request": request, "version": version})
        serializer.is_valid(raise_exception=True)
        return self.versioned_response(serializer.save())


class MeasureViewSet(WithFigures, Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Toimenpiteet (measures): the nodes of type measure, with the same filters. Change them under /nodes/."""

    queryset = Node.objects.filter(kind=Node.Kind.MEASURE)
    serializer_class = s.NodeSerializer
    filterset_class = NodeFilter
    ordering_fields = ["code", "name", "start", "end", "position", "id"]


@extend_schema_view(**WRITE)
class ProgrammeViewSet(WithFigures, ArchiveActions, ReadWrite):
    """Hankkeet (programmes): the roots of the portfolio, e.g. POP-Digi-Hoitotakuu 2. New ones: the project office."""

    queryset = Node.objects.programmes()
    serializer_class = s.NodeSerializer
    filterset_class = NodeFilter
    ordering_fields = ["code", "name", "start", "end", "id"]
    write_perm = "portfolio.edit_directory"
    # As on the page (and under /nodes/): a programme's own lead edits it.
    action_perms = {"update": "portfolio.edit_node", "partial_update": "portfolio.edit_node"}
    parent_field = None

    @extend_schema(
        responses=s.TreeNodeSerializer,
        summary=_("Koko hankkeen puu yhdellä pyynnöllä (the whole tree of a programme)"),
    )
    @action(detail=True, methods=["get"])
    def tree(self, request, pk=None):
        programme = get_object_or_404(Node.objects.programmes(), pk=pk)
        nodes = extensions.add_figures(Node.objects.active().filter(programme=programme).order_by("position", "pk"))
        children = {}
        root = programme
        for node in nodes:
            if node.pk == programme.pk:
                root = node
            else:
                children.setdefault(node.parent_id, []).append(node)
        return Response(s.TreeNodeSerializer(root, context={"children": children}).data)


@extend_schema_view(**WRITE)
class FundingDecisionViewSet(ArchiveActions, ReadWrite):
    """Rahoituspäätökset (funding decisions): a funder's grant to a programme, e.g. STM VN/27125/2022."""

    queryset = FundingDecision.objects.all()
    serializer_class = s.FundingDecisionSerializer
    create_serializer_class = s.FundingDecisionCreateSerializer
    filterset_fields = ["programme", "source", "funder"]
    ordering_fields = ["date", "amount", "id"]
    write_perm = "portfolio.edit_directory"
    parent_field = "programme"

    def check_parent(self, parent):
        pass  # the project office's, checked already


@extend_schema_view(**WRITE)
class TaskViewSet(ArchiveActions, MoveActions, ReadWrite):
    """Tehtävät (tasks): the ordered task list of a measure (toimenpide)."""

    queryset = Task.objects.all()
    serializer_class = s.TaskSerializer
    create_serializer_class = s.TaskCreateSerializer
    filterset_fields = ["node"]
    ordering_fields = ["position", "id"]
    write_perm = "portfolio.edit_node"
    editable = "tehtava"


@extend_schema_view(**WRITE, destroy=extend_schema(parameters=[IF_MATCH]))
class ResponsibilityViewSet(MoveActions, ReadWrite, mixins.DestroyModelMixin):
    """Vastuut (responsibilities): a person's role in a node (lead, responsible person, chair…)."""

    queryset = Responsibility.objects.select_related("person")
    serializer_class = s.ResponsibilitySerializer
    create_serializer_class = s.ResponsibilityCreateSerializer
    filterset_fields = ["node", "person", "role"]
    ordering_fields = ["position", "id"]
    write_perm = "portfolio.edit_node"
    editable = "vastuu"

    def perform_destroy(self, instance):
        self.check_version(instance)
        instance.delete()  # as on the page: a responsibility is removed, not archived


@extend_schema_view(**WRITE)
class RiskViewSet(MoveActions, ReadWrite):
    """Riskit (risks) of a node and how they are prepared for; an approved monthly status update also updates them."""

    queryset = Risk.objects.all()
    serializer_class = s.RiskSerializer
    create_serializer_class = s.RiskCreateSerializer
    write_perm = "portfolio.edit_node"
    editable = "riski"
    filterset_fields = ["node", "category", "status", "owner"]
    ordering_fields = ["position", "id"]


class UsageEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Käyttöloki (the log of use): sign-ins, reports and contact details read, account changes. Read only,
    for the project office and the auditor; no method changes it."""

    queryset = UsageEvent.objects.select_related("user")
    serializer_class = s.UsageEventSerializer
    filterset_fields = ["kind", "user"]
    ordering_fields = ["at", "id"]

    def check_permissions(self, request):
        super().check_permissions(request)
        if not request.user.has_perm("portfolio.read_usage_log"):
            self.permission_denied(request, message=_("Käyttölokia lukevat hanketoimisto ja tarkastaja."))
