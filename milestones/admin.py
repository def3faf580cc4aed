from django.contrib import admin

from .models import Phase


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "node", "start", "end"]
    list_select_related = ["node"]
