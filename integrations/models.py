"""Systems that report into the engine (the 111 hotline first): their credentials, the answers
they were given, and the status callbacks sent back to them."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "cpk"


def hash_key(secret: str) -> str:
    # The key is 32 random bytes: a plain SHA-256 is enough (no dictionary to resist), and it
    # lets a request be looked up by its prefix and checked in constant time.
    return hashlib.sha256(secret.encode()).hexdigest()


class IntegrationClient(models.Model):
    """One external system. It acts as its service ``user`` (who holds the 111 hotline role:
    report, and see the status of what it reported) and only through /api/integrations/."""

    name = models.CharField(_("name"), max_length=120)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.PROTECT, related_name="integration_client",
                                verbose_name=_("service account"),
                                help_text=_("The account the system acts as; give it the 111 hotline role."))
    key_prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    webhook_url = models.URLField(_("callback URL"), blank=True,
                                  help_text=_("Where status callbacks are POSTed; empty: none are sent."))
    webhook_secret = models.CharField(_("callback signing secret"), max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    key_rotated_at = models.DateTimeField(_("key issued at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("integration client")
        verbose_name_plural = _("integration clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def issue_key(self) -> str:
        """A new API key; the old one stops working. Returned once, stored only as a hash."""
        prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        self.key_prefix = prefix
        self.key_hash = hash_key(secret)
        self.key_rotated_at = timezone.now()
        if not self.webhook_secret:
            self.webhook_secret = secrets.token_hex(32)
        return f"{KEY_PREFIX}_{prefix}_{secret}"

    def key_matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.key_hash, hash_key(secret))

    def revoke(self) -> None:
        self.active = False
        self.revoked_at = timezone.now()


class AreaSuccession(models.Model):
    """A unit retired by a reorganisation and the unit(s) that took it over (1 July 2025). A
    predecessor with one successor maps to it; one split among several is ambiguous."""

    predecessor = models.ForeignKey("casework.Area", models.CASCADE, related_name="successions",
                                    verbose_name=_("retired area"))
    successor = models.ForeignKey("casework.Area", models.CASCADE, related_name="+",
                                  verbose_name=_("successor area"))

    class Meta:
        verbose_name = _("area succession")
        verbose_name_plural = _("area successions")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="area_succession_once")]


class IdempotentRequest(models.Model):
    """The answer given to one Idempotency-Key of one client, replayed for the same body."""

    client = models.ForeignKey(IntegrationClient, models.PROTECT, related_name="requests")
    key = models.CharField(max_length=128)
    body_sha256 = models.CharField(max_length=64)
    case = models.ForeignKey("casework.Case", models.PROTECT, null=True, related_name="+")
    status_code = models.PositiveSmallIntegerField(default=201)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_once")]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up")


class WebhookDelivery(models.Model):
    """One status callback: what is sent (never the child's identity) and where it stands."""

    client = models.ForeignKey(IntegrationClient, models.PROTECT, related_name="deliveries")
    case = models.ForeignKey("casework.Case", models.PROTECT, related_name="+")
    event = models.ForeignKey("casework.CaseEvent", models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=32)
    payload = models.JSONField()
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status callback")
        verbose_name_plural = _("status callbacks")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["client", "event"], name="webhook_once_per_event")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]
