"""Indicator definitions, age bands and area successions are data an administrator keeps
current (Circular 13's annexes, the July 2025 merger notes). Reports themselves change only
through the services, so the admin shows them read-only."""

from django.contrib import admin

from .models import AgeBand, AreaSuccession, Indicator, Report, ReportEvent, ReportingLine


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "unit", "computation", "source", "active"]
    list_filter = ["active", "unit"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(AgeBand)
class AgeBandAdmin(admin.ModelAdmin):
    list_display = ["code", "label_vi", "min_age", "max_age", "source", "active"]


@admin.register(AreaSuccession)
class AreaSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "effective_on", "source"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(ReportingLine)
class ReportingLineAdmin(admin.ModelAdmin):
    list_display = ["body", "above", "source"]
    raw_id_fields = ["body", "above"]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["type", "actor", "at", "from_state", "to_state", "data"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "period_start", "period_end", "status", "due_on"]
    list_filter = ["status", "kind"]
    inlines = [ReportEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
