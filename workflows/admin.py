from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from workflows.models import CalendarDay, CalendarDaySource, DeadlinePolicy


class ScopeFilter(admin.SimpleListFilter):
    title = _("scope")
    parameter_name = "scope"

    def lookups(self, request, model_admin):
        return [("national", _("Nationwide")), ("local", _("Local"))]

    def queryset(self, request, queryset):
        if self.value() == "national":
            return queryset.filter(area__isnull=True)
        if self.value() == "local":
            return queryset.filter(area__isnull=False)
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "area_display", "source")
    list_filter = ("kind", ScopeFilter, ("area", admin.RelatedOnlyFieldListFilter), "source")
    search_fields = ("name", "area__name", "area__code")
    date_hierarchy = "date"
    ordering = ("date", "kind")
    raw_id_fields = ("area",)
    list_select_related = ("area",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        from django.utils.formats import date_format

        return date_format(obj.date, "l")

    @admin.display(description=_("area"), ordering="area__path")
    def area_display(self, obj):
        return obj.area if obj.area_id else _("Nationwide")

    def save_model(self, request, obj, form, change):
        # A row edited by hand is the administrator's from now on: seed_calendar leaves it alone.
        obj.source = CalendarDaySource.ADMIN
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request, obj=None):
        return ("source",)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ("kind", "area", "value", "unit_display", "ceiling_display", "warn_before_display")
    list_filter = ("kind", ("area", admin.RelatedOnlyFieldListFilter))
    search_fields = ("area__name", "area__code", "note")
    raw_id_fields = ("area",)
    list_select_related = ("area",)
    fields = (
        "kind",
        "area",
        "value",
        "unit_display",
        "ceiling_display",
        "legal_source",
        "warn_before",
        "note",
    )
    readonly_fields = ("unit_display", "ceiling_display", "legal_source")

    @admin.display(description=_("unit"))
    def unit_display(self, obj):
        return obj.unit.label if obj is not None and obj.unit else "—"

    @admin.display(description=_("statutory ceiling"))
    def ceiling_display(self, obj):
        law = obj.statutory if obj is not None else None
        if law is None:
            return "—"
        if law.ceiling is None:
            return _("none (local rule)")
        return f"{law.ceiling} {law.unit.label}"

    @admin.display(description=_("legal source"))
    def legal_source(self, obj):
        law = obj.statutory if obj is not None else None
        return law.legal_source if law else "—"

    @admin.display(description=_("warn before"))
    def warn_before_display(self, obj):
        if obj.warn_before is not None:
            return obj.warn_before
        law = obj.statutory
        return _("%(n)s (default)") % {"n": law.warn_before} if law else "—"
