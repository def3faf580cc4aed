from django.db.models import Prefetch
from rest_framework import mixins

from popsote.api import Resource, Versioned

from ..models import Indicator, IndicatorTarget
from . import serializers as s


class IndicatorViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Indikaattorit (indicators) of a node with their targets by quarter. Read only until monthly reporting."""

    queryset = Indicator.objects.prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.all()))
    serializer_class = s.IndicatorSerializer
    filterset_fields = ["node", "national"]
    ordering_fields = ["position", "name", "id"]


class IndicatorTargetViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Indikaattorien tavoitteet (indicator targets) and interim targets (välitavoitteet) by quarter."""

    queryset = IndicatorTarget.objects.all()
    serializer_class = s.IndicatorTargetSerializer
    filterset_fields = ["indicator", "year", "quarter", "is_interim"]
    ordering_fields = ["year", "quarter", "id"]
