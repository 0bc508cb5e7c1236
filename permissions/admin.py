"""Admin for roles and who holds them. A change applies from the user's next request (the
assignments are loaded once per request by ``permissions.access.assignments_of``)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Delegation, Role, RoleAssignment
from .roles import Capability


class RoleForm(forms.ModelForm):
    # Stored as a JSON list; edited as ticks, so only known capabilities can be saved.
    capabilities = forms.MultipleChoiceField(
        label=_("what the role may do"), choices=Capability.choices, required=False,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Role
        fields = ("code", "scope", "capabilities")

    def clean_capabilities(self):
        # Keep the order of the Capability list, so the stored value is stable.
        chosen = set(self.cleaned_data["capabilities"])
        return [c for c in Capability.values if c in chosen]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    form = RoleForm
    list_display = ("code", "scope", "capability_count")
    list_filter = ("scope",)
    search_fields = ("code",)

    @admin.display(description=_("capabilities"))
    def capability_count(self, obj):
        return len(obj.capabilities or [])

    def has_delete_permission(self, request, obj=None):
        # Role assignments point at roles (PROTECT), and audit events name them by code.
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "area", "active")
    list_filter = ("role", "active")
    search_fields = ("user__username", "user__first_name", "user__last_name", "organisation__name", "area__name")
    list_select_related = ("user", "role", "organisation", "area")
    autocomplete_fields = ("user", "organisation", "area")


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """Who decides for the chairperson, for which commune, from when until when (issue 8)."""

    list_display = ("delegate", "commune", "starts_at", "ends_at", "reference", "recorded_by", "revoked_at")
    list_filter = ("commune",)
    search_fields = ("delegate__username", "delegate__first_name", "reference")
    autocomplete_fields = ("delegate", "commune")
    fields = ("delegate", "commune", "starts_at", "ends_at", "reference", "revoked_at")
    list_select_related = ("delegate", "commune", "recorded_by")

    def save_model(self, request, obj, form, change):
        # Recorded by whoever enters it, never typed in.
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # A delegation decisions were taken under stays on file; it is revoked, not deleted.
        return False


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "organisation", "area", "active")
    autocomplete_fields = ("organisation", "area")
    verbose_name_plural = _("roles")


User = get_user_model()
# django.contrib.auth (listed first in INSTALLED_APPS) registered the plain user admin.
admin.site.unregister(User)


@admin.register(User)
class CaseworkUserAdmin(UserAdmin):
    inlines = (*UserAdmin.inlines, RoleAssignmentInline)
