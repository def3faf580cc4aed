from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins

from portfolio.api.base import WRITE, ArchiveActions, MoveActions, ReadWrite, Resource, Versioned

from ..models import Indicator, IndicatorTarget
from . import serializers as s


@extend_schema_view(**WRITE)
class IndicatorViewSet(ArchiveActions, MoveActions, ReadWrite):
    """Indikaattorit (indicators) of a node with their targets by quarter; values come with monthly status updates."""

    queryset = Indicator.objects.prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.all()))
    serializer_class = s.IndicatorSerializer
    create_serializer_class = s.IndicatorCreateSerializer
    write_perm = "portfolio.edit_node"
    editable = "indikaattori"
    filterset_fields = ["node", "national"]
    ordering_fields = ["position", "name", "id"]


class IndicatorTargetViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Indikaattorien tavoitteet (indicator targets) and interim targets (välitavoitteet) by quarter."""

    queryset = IndicatorTarget.objects.all()
    serializer_class = s.IndicatorTargetSerializer
    filterset_fields = ["indicator", "year", "quarter", "is_interim"]
    ordering_fields = ["year", "quarter", "id"]
