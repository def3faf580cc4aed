from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portfolio.api.serializers import described
from portfolio.models import Node

from ..models import Export


class ExportSerializer(serializers.ModelSerializer):
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
            "status",
            "progress",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "error",
            "sha256",
            "download_url",
        ]
        read_only_fields = [
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
            **described(
                "programme",
                kind=_("Tyyppi (kind): toimenpideluettelo (list of measures, Excel)."),
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
