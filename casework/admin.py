"""Admin for reference data only: areas, organisations, classification terms.

Case data (Case, Child, Intake, CaseEvent and the records of a case) is deliberately not here:
it is read only through ``permissions.access`` and changed only through ``casework.services``,
which check the user's reach, mask the child and write the timeline. The admin would do none of
that.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Area, Organisation, Term


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "parent", "valid_from", "valid_to")
    list_filter = ("kind", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("name", "code", "path")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)
    fields = ("name", "kind", "code", "parent", "path", "valid_from", "valid_to")

    def get_readonly_fields(self, request, obj=None):
        # Cases point at areas and find them by path. When the map changes, a unit gets a
        # valid_to and its successor a new row (see Area); its code and place never change.
        if obj is not None:
            return ("path", "code", "parent", "kind")
        return self.readonly_fields


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "area__name", "area__code")
    list_select_related = ("area",)
    autocomplete_fields = ("area",)


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("code", "label_vi", "label_en", "kind", "legal_article", "protection_level", "order", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "label_vi", "label_en", "legal_article")
    list_editable = ("order", "active")
    ordering = ("kind", "order", "code")
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        # Records keep the term they were classified with; renaming a code would silently
        # reclassify them, so a code is retired (active off) and a new one added instead.
        return ("kind", "code") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # Terms are referenced by cases (PROTECT); retiring is the way out.
        return False


admin.site.site_header = _("Child protection case engine")
admin.site.site_title = _("Case engine administration")
