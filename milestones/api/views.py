from drf_spectacular.utils import extend_schema_view

from portfolio.api.base import WRITE, ArchiveActions, MoveActions, ReadWrite

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
    write_perm = "portfolio.edit_node"
    editable = "vaihe"


@extend_schema_view(**WRITE)
class MilestoneViewSet(ArchiveActions, ReadWrite):
    """Välitavoitteet (milestones) of a node. An approved monthly status update also updates them."""

    queryset = Milestone.objects.all()
    serializer_class = s.MilestoneSerializer
    create_serializer_class = s.MilestoneCreateSerializer
    write_perm = "portfolio.edit_node"
    filterset_fields = ["node", "status"]
    ordering_fields = ["planned_date", "position", "id"]
