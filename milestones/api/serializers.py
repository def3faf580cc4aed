from django.utils.translation import gettext_lazy as _

from portfolio.api.serializers import NodeChildSerializer, creating, described

from .. import forms
from ..models import Milestone, Phase


class PhaseSerializer(NodeChildSerializer):
    editable = "vaihe"

    class Meta:
        model = Phase
        form = forms.PhaseForm
        fields = ["url", "id", "node", "name", "start", "end", "text", "position", "archived_at", "version"]
        read_only_fields = ["node", "position", "archived_at", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:phase-detail"},
            **described(
                "name",
                "start",
                "end",
                "position",
                "archived_at",
                "version",
                text=_("Suunnitelman sanamuoto (the plan's wording)."),
            ),
        }

    def form_kwargs(self):
        return {"node": self.context.get("parent") or getattr(self.instance, "node", None)}


PhaseCreateSerializer = creating(PhaseSerializer)


class MilestoneSerializer(NodeChildSerializer):
    editable = "valitavoite"

    class Meta:
        model = Milestone
        form = forms.MilestoneForm
        fields = [
            "url",
            "id",
            "node",
            "name",
            "planned_date",
            "actual_date",
            "status",
            "position",
            "archived_at",
            "version",
        ]
        read_only_fields = ["node", "position", "archived_at", "version"]
        extra_kwargs = {
            "url": {"view_name": "api:milestone-detail"},
            **described(
                "node",
                "name",
                "position",
                "archived_at",
                "version",
                planned_date=_("Suunniteltu päivä (planned date)."),
                actual_date=_("Toteutunut päivä (actual date)."),
                status=_(
                    "Tila (status): suunniteltu (planned), saavutettu (achieved), myöhässä (late), peruttu (cancelled)."
                ),
            ),
        }


MilestoneCreateSerializer = creating(MilestoneSerializer)
