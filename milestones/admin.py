from django.contrib import admin

from portfolio.admin import OfficeAdmin

from .models import Phase


@admin.register(Phase)
class PhaseAdmin(OfficeAdmin):
    list_display = ["name", "node", "start", "end"]
    list_select_related = ["node"]
