from django.contrib import admin

from portfolio.admin import OfficeAdmin

from .models import Export


@admin.register(Export)
class ExportAdmin(OfficeAdmin):
    """Issued files are immutable: the office may look, never add, change or delete."""

    list_display = ["programme", "kind", "period", "node", "version", "status", "requested_by", "created_at"]
    list_filter = ["kind", "status", "programme"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
