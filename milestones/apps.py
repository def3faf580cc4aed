from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilestonesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "milestones"
    verbose_name = _("Aikataulut ja välitavoitteet")

    def ready(self):
        from portfolio import extensions
        from portfolio.extensions import Editable

        from . import forms, node_page
        from .models import Milestone, Phase

        extensions.node_section("milestones/_node_phases.html", node_page.phases, order=40)
        extensions.node_section("milestones/_node_milestones.html", node_page.milestones, order=60)
        extensions.node_history(Phase)
        extensions.node_history(Milestone)
        extensions.editable(
            "vaihe",
            Editable(
                Phase,
                forms.PhaseForm,
                _("vaihe"),
                node_of=lambda obj: obj.node,
                siblings=lambda node_id: Phase.objects.filter(node=node_id, archived_at__isnull=True),
                parent_kwarg="node",
                add_label=_("Lisää vaihe"),
                order=20,
            ),
        )
        extensions.editable(
            "valitavoite",
            Editable(
                Milestone,
                forms.MilestoneForm,
                _("välitavoite"),
                node_of=lambda obj: obj.node,
                parent_kwarg="node",
                add_label=_("Lisää välitavoite"),
                order=30,
            ),
        )
