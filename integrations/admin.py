from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import AreaSuccession, IntegrationClient, WebhookAttempt, WebhookDelivery


@admin.register(IntegrationClient)
class IntegrationClientAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "key_prefix", "active", "key_rotated_at", "last_used_at", "revoked_at")
    fields = ("name", "user", "webhook_url", "active", "key_prefix", "key_rotated_at", "last_used_at",
              "revoked_at")
    readonly_fields = ("key_prefix", "key_rotated_at", "last_used_at", "revoked_at")
    actions = ["rotate_key", "revoke"]

    def save_model(self, request, obj, form, change):
        key = obj.issue_key() if not change else None
        super().save_model(request, obj, form, change)
        if key:
            self._show_once(request, obj, key)

    def _show_once(self, request, obj, key):
        # Shown once: only the hash is kept, so a lost key is rotated, never recovered.
        messages.warning(request, _("API key of %(name)s (shown only now): %(key)s — callback signing secret: "
                                    "%(secret)s") % {"name": obj.name, "key": key, "secret": obj.webhook_secret})

    @admin.action(description=_("Issue a new API key (the old one stops working)"))
    def rotate_key(self, request, queryset):
        for client in queryset:
            key = client.issue_key()
            client.save(update_fields=["key_prefix", "key_hash", "key_rotated_at", "webhook_secret"])
            self._show_once(request, client, key)

    @admin.action(description=_("Revoke: refuse every request of these clients"))
    def revoke(self, request, queryset):
        for client in queryset:
            client.revoke()
            client.save(update_fields=["active", "revoked_at"])


@admin.register(AreaSuccession)
class AreaSuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor")
    raw_id_fields = ("predecessor", "successor")


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "at", "status_code", "error", "duration_ms")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("client", "kind", "case", "status", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("status", "kind")
    readonly_fields = ("client", "case", "event", "kind", "payload", "status", "attempts", "next_attempt_at",
                       "delivered_at", "created_at")
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False
