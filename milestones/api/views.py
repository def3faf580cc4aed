from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins

from popsote.api import WRITE, ArchiveActions, MoveActions, ReadWrite, Resource, Versioned

from ..models import Milestone, Phase
from . import serializers as s


@extend_schema_view(**WRITE)
class PhaseViewSet(ArchiveActions, MoveActions, ReadWrite):
    """Vaiheet (phases) of a node's schedule, e.g. "01–04/2023 valmisteluvaihe"."""

    queryset = Phase.objects.all()
    serializer_class = s.PhaseSerializer
    create_serializer_class = s.PhaseCreateSerializer
    filterset_fields = ["node"]
    ordering_fields = ["start", "position", "id"]
    write = "node"
    editable = "vaihe"


class MilestoneViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Välitavoitteet (milestones) of a node. Read only until monthly reporting updates them."""

    queryset = Milestone.objects.all()
    serializer_class = s.MilestoneSerializer
    filterset_fields = ["node", "status"]
    ordering_fields = ["planned_date", "position", "id"]
