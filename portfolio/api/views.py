from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from portfolio.api.base import IF_MATCH, WRITE, ArchiveActions, MoveActions, ReadWrite, Resource, Versioned

from ..filters import NodeFilter
from ..models import FundingDecision, Node, Organisation, Person, Responsibility, Risk, Task
from ..permissions import can_edit_directory, can_edit_node
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
    write = "directory"
    parent_field = None


@extend_schema_view(**WRITE)
class PersonViewSet(ArchiveActions, ReadWrite):
    """Henkilöt (persons): everyone named in the plans, leads and responsible persons."""

    queryset = Person.objects.all()
    serializer_class = s.PersonSerializer
    filterset_fields = ["organisation"]
    ordering_fields = ["name", "id"]
    write = "directory"
    parent_field = None


def _nodes():
    responsible = Responsibility.objects.select_related("person").order_by("position", "pk")
    return Node.objects.with_budget().prefetch_related(Prefetch("responsibilities", queryset=responsible))


@extend_schema_view(**WRITE)
class NodeViewSet(ArchiveActions, ReadWrite):
    """Hankkeen osat (nodes): programmes, sub-projects at any depth (osa-alue, pilari…) and measures.

    Filters are the portfolio page's: a word, programme, responsible person, organisation or area,
    funding source, type.
    """

    queryset = Node.objects.all()
    serializer_class = s.NodeSerializer
    create_serializer_class = s.NodeCreateSerializer
    filterset_class = NodeFilter
    ordering_fields = ["code", "name", "start", "end", "position", "id"]
    write = "node"

    def get_queryset(self):
        return _nodes()

    def node_of(self, obj):
        return obj

    def may_write(self, user, obj=None):
        if obj is not None and obj.is_programme and self.action in ("archive", "restore"):
            return can_edit_directory(user)
        return super().may_write(user, obj)

    parent_field = "parent"

    @extend_schema(request=s.MoveSerializer, parameters=[IF_MATCH], summary=_("Siirrä toisen ylätason alle (move)"))
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        node = self.get_object()
        if node.is_programme:
            self.permission_denied(request, message=_("Hanketta ei voi siirtää."))
        version = self.check_version(node)
        nodes = list(Node.objects.active().filter(programme=node.programme_id).exclude(kind=Node.Kind.MEASURE))
        by_id = {item.pk: item for item in nodes}
        allowed = [item for item in nodes if item.pk != node.pk and can_edit_node(request.user, item, by_id)]
        serializer = s.MoveSerializer(
            node, data=request.data, context={"request": request, "allowed_parents": allowed, "version": version}
        )
        serializer.is_valid(raise_exception=True)
        return self.versioned_response(serializer.save())


class MeasureViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Toimenpiteet (measures): the nodes of type measure, with the same filters. Change them under /nodes/."""

    queryset = Node.objects.filter(kind=Node.Kind.MEASURE)
    serializer_class = s.NodeSerializer
    filterset_class = NodeFilter
    ordering_fields = ["code", "name", "start", "end", "position", "id"]

    def get_queryset(self):
        return _nodes().filter(kind=Node.Kind.MEASURE)


@extend_schema_view(**WRITE)
class ProgrammeViewSet(ArchiveActions, ReadWrite):
    """Hankkeet (programmes): the roots of the portfolio, e.g. POP-Digi-Hoitotakuu 2. New ones: the project office."""

    queryset = Node.objects.programmes()
    serializer_class = s.NodeSerializer
    filterset_class = NodeFilter
    ordering_fields = ["code", "name", "start", "end", "id"]
    write = "directory"
    parent_field = None

    def get_queryset(self):
        return _nodes().programmes()

    def may_write(self, user, obj=None):
        if obj is not None and self.action in ("update", "partial_update"):
            return can_edit_node(user, obj)  # as on the page: a programme's own lead edits it
        return super().may_write(user, obj)

    @extend_schema(
        responses=s.TreeNodeSerializer,
        summary=_("Koko hankkeen puu yhdellä pyynnöllä (the whole tree of a programme)"),
    )
    @action(detail=True, methods=["get"])
    def tree(self, request, pk=None):
        programme = get_object_or_404(Node.objects.programmes(), pk=pk)
        nodes = Node.objects.active().filter(programme=programme).with_budget().order_by("position", "pk")
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
    write = "directory"
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
    write = "node"
    editable = "tehtava"


@extend_schema_view(**WRITE, destroy=extend_schema(parameters=[IF_MATCH]))
class ResponsibilityViewSet(MoveActions, ReadWrite, mixins.DestroyModelMixin):
    """Vastuut (responsibilities): a person's role in a node (lead, responsible person, chair…)."""

    queryset = Responsibility.objects.select_related("person")
    serializer_class = s.ResponsibilitySerializer
    create_serializer_class = s.ResponsibilityCreateSerializer
    filterset_fields = ["node", "person", "role"]
    ordering_fields = ["position", "id"]
    write = "node"
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
    write = "node"
    editable = "riski"
    filterset_fields = ["node", "category", "status", "owner"]
    ordering_fields = ["position", "id"]
