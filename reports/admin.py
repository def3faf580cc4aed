from django.contrib import admin

from portfolio.admin import OfficeAdmin

from .models import Export


@admin.register(Export)
class ExportAdmin(OfficeAdmin):
    list_display = ["programme", "kind", "status", "requested_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["sha256", "file", "started_at", "finished_at", "error"]
