from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Raportointi")

    def ready(self):
        from portfolio import extensions

        # The archive enqueues its tasks by name; importing them here registers them with Celery.
        from . import node_page, tasks  # noqa: F401
        from .archive import exports_changed, exports_using_costs

        extensions.cost_reports(extensions.CostReports(exports_using_costs, exports_changed))
        extensions.node_section("reports/_node_exports.html", order=5)
        extensions.node_section("reports/_node_updates.html", node_page.updates, order=50)
