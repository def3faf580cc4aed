from django.contrib import admin

from portfolio.admin import CleanTextModelForm, LockedAdmin, OfficeAdmin

from .models import Indicator, IndicatorTarget, Measurement


class TargetInline(admin.TabularInline):
    form = CleanTextModelForm
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(OfficeAdmin):
    list_display = ["name", "node", "national", "unit", "direction"]
    list_select_related = ["node"]
    inlines = [TargetInline]


admin.site.register(IndicatorTarget, OfficeAdmin)


@admin.register(Measurement)
class MeasurementAdmin(LockedAdmin):
    list_display = ["indicator", "month", "value", "source", "update"]
    list_select_related = ["indicator", "update"]
