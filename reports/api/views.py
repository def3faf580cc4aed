from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from popsote.api import Resource

from ..models import Export
from ..services import export_request
from . import serializers as s


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """Viennit (generated reports): request one, follow its progress, download the file when it is done."""

    queryset = Export.objects.all()
    serializer_class = s.ExportSerializer
    filterset_fields = ["programme", "kind", "status", "requested_by"]
    ordering_fields = ["created_at", "id"]
    write = "signed_in"

    @extend_schema(summary=_("Pyydä vienti (request a report); tehdään taustalla"))
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        export = export_request(
            programme=serializer.validated_data["programme"], kind=serializer.validated_data["kind"], user=request.user
        )
        return Response(self.get_serializer(export).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Lataa valmis tiedosto (download)"),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("Tiedosto; Content-Disposition kertoo nimen.")
            )
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        export = self.get_object()
        if export.status != Export.Status.DONE or not export.file:
            raise exceptions.NotFound(_("Tiedosto ei ole vielä valmis."))
        name = export.file.name.rsplit("/", 1)[-1]
        return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)
