from django.contrib import admin

from portfolio.admin import LockedAdmin, OfficeAdmin, ShownOnly

from .models import (
    Delivery,
    EvaluationRound,
    Export,
    ExportNote,
    GoalEvaluation,
    MeasureReport,
    MilestoneReport,
    PlanUpload,
    Reminder,
    ReportingPeriod,
    RiskReport,
    RrfDeclaration,
    RrfEvidence,
    RrfProgress,
    RrfTarget,
    StatusUpdate,
)


@admin.register(ExportNote)
class ExportNoteAdmin(ShownOnly):
    """Notes beside an archived report: shown, never added, changed or deleted here."""

    list_display = ["export", "made_at", "text"]


@admin.register(Export)
class ExportAdmin(OfficeAdmin):
    """Issued files are immutable: the office may look, never add, change or delete."""

    list_display = ["programme", "kind", "period", "node", "version", "status", "requested_by", "created_at"]
    list_filter = ["kind", "status", "programme"]

    def has_add_permission(self, request, *args):
        return False  # not a question of who: an issued file is never changed

    def has_change_permission(self, request, obj=None):
        return False


class RetainedAdmin(OfficeAdmin):
    """An RRF record kept until its retention date: shown, never changed or deleted here (the model refuses too)."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_retained)

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(RrfEvidence, RetainedAdmin)
admin.site.register(RrfDeclaration, RetainedAdmin)
admin.site.register(RrfProgress, RetainedAdmin)
admin.site.register(RrfTarget, OfficeAdmin)
admin.site.register(EvaluationRound, LockedAdmin)
admin.site.register(GoalEvaluation, LockedAdmin)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(OfficeAdmin):
    list_display = ["programme", "month", "deadline", "status"]
    list_filter = ["status", "programme"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(LockedAdmin):
    list_display = ["node", "period", "revision", "status", "overall", "schedule", "budget", "scope", "resources"]
    list_filter = ["status", "period__programme"]

    def has_change_permission(self, request, obj=None):
        # A review imported from a document is the document's words: read-only, though nobody approved it.
        imported = obj is not None and obj.status == StatusUpdate.Status.IMPORTED
        return super().has_change_permission(request, obj) and not imported

    list_select_related = ["node", "period"]
    readonly_fields = ["status", "revision", "revision_of", "submitted_at", "submitted_by", "decided_at", "decided_by"]


for model in (MeasureReport, MilestoneReport, RiskReport):
    admin.site.register(model, LockedAdmin)


@admin.register(Reminder)
class ReminderAdmin(OfficeAdmin):
    list_display = ["email", "node", "period", "sent_at"]


@admin.register(Delivery)
class DeliveryAdmin(OfficeAdmin):
    """A record of an e-mail already sent: shown, never changed."""

    list_display = ["email", "user", "export", "sent_at"]
    list_select_related = ["user", "export__programme"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlanUpload)
class PlanUploadAdmin(ShownOnly):
    """Plan workbooks sent for import, read only: a worker writes them."""

    list_display = ["file_name", "uploaded_by", "created_at", "status", "progress", "programme"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by", "programme"]
