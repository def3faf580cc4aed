from django.contrib import admin

from portfolio import extensions
from portfolio.admin import CleanTextModelForm, OfficeAdmin

from .models import Milestone, Phase


class PhaseInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Phase
    extra = 0


extensions.node_inline(PhaseInline)


@admin.register(Phase)
class PhaseAdmin(OfficeAdmin):
    list_display = ["name", "node", "start", "end"]
    list_select_related = ["node"]


@admin.register(Milestone)
class MilestoneAdmin(OfficeAdmin):
    list_display = ["name", "node", "planned_date", "actual_date", "status"]
    list_select_related = ["node"]
