from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = _("Indikaattorit")

    def ready(self):
        from portfolio import extensions
        from portfolio.extensions import Editable

        from . import forms, node_page
        from .models import Indicator

        extensions.node_section("indicators/_node_indicators.html", node_page.indicators, order=70)
        extensions.node_history(Indicator)
        extensions.editable(
            "indikaattori",
            Editable(
                Indicator,
                forms.IndicatorForm,
                _("indikaattori"),
                node_of=lambda obj: obj.node,
                siblings=lambda node_id: Indicator.objects.filter(node=node_id, archived_at__isnull=True),
                parent_kwarg="node",
                add_label=_("Lisää indikaattori"),
                order=40,
            ),
        )
