from django.contrib import admin

from portfolio.admin import OfficeAdmin

from .models import Export, MeasureReport, MilestoneReport, Reminder, ReportingPeriod, RiskReport, StatusUpdate


@admin.register(Export)
class ExportAdmin(OfficeAdmin):
    """Issued files are immutable: the office may look, never add, change or delete."""

    list_display = ["programme", "kind", "period", "node", "version", "status", "requested_by", "created_at"]
    list_filter = ["kind", "status", "programme"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class UpdateLockedAdmin(OfficeAdmin):
    """Approved and imported status updates and their rows are read-only here too."""

    def _approved(self, obj):
        update = obj if isinstance(obj, StatusUpdate) else getattr(obj, "update", None)
        return update is not None and update.status in (StatusUpdate.Status.APPROVED, StatusUpdate.Status.IMPORTED)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and self._approved(obj))


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(OfficeAdmin):
    list_display = ["programme", "month", "deadline", "status"]
    list_filter = ["status", "programme"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(UpdateLockedAdmin):
    list_display = ["node", "period", "revision", "status", "overall", "schedule", "budget", "scope", "resources"]
    list_filter = ["status", "period__programme"]
    list_select_related = ["node", "period"]
    readonly_fields = ["status", "revision", "revision_of", "submitted_at", "submitted_by", "decided_at", "decided_by"]


for model in (MeasureReport, MilestoneReport, RiskReport):
    admin.site.register(model, UpdateLockedAdmin)


@admin.register(Reminder)
class ReminderAdmin(OfficeAdmin):
    list_display = ["email", "node", "period", "sent_at"]
