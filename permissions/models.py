from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .roles import Capability, RoleCode, Scope


class Role(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True, choices=RoleCode.choices)
    scope = models.CharField(_("which cases"), max_length=20, choices=Scope.choices)
    capabilities = models.JSONField(_("what the role may do"), default=list, blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.get_code_display())

    def clean(self):
        unknown = set(self.capabilities) - set(Capability.values)
        if unknown:
            raise ValidationError({"capabilities": _("Unknown capabilities: %(names)s") % {
                "names": ", ".join(sorted(unknown))}})


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, user__is_active=True)


class RoleAssignment(models.Model):
    """A user holds a role for one organisation, in one area."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="role_assignments",
                             verbose_name=_("user"))
    role = models.ForeignKey(Role, models.PROTECT, related_name="assignments", verbose_name=_("role"))
    organisation = models.ForeignKey("casework.Organisation", models.PROTECT, related_name="role_assignments",
                                     verbose_name=_("organisation"))
    area = models.ForeignKey("casework.Area", models.PROTECT, related_name="role_assignments",
                             verbose_name=_("area"))
    active = models.BooleanField(_("active"), default=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "organisation"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.organisation}"

    def clean(self):
        if self.organisation_id and self.area_id and not self.organisation.area.path.startswith(self.area.path) \
                and not self.area.path.startswith(self.organisation.area.path):
            raise ValidationError(_("The area must contain the organisation, or lie within its area."))


class GrantFields(models.Model):
    """Why, by whom and until when a case was shared (issue: per-case grants)."""

    purpose = models.CharField(_("purpose"), max_length=255)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        abstract = True


class CaseUserObjectPermission(GrantFields, UserObjectPermissionBase):
    """django-guardian's per-object permission for one user, with a real foreign key to the case
    (indexed, unlike guardian's generic text ``object_pk``)."""

    content_object = models.ForeignKey("casework.Case", models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case shared with a user")
        verbose_name_plural = _("cases shared with users")
        indexes = [models.Index(fields=["user", "content_object"], name="case_user_grant")]


class CaseGroupObjectPermission(GrantFields, GroupObjectPermissionBase):
    """The same for a group (e.g. the investigators of a district police unit)."""

    content_object = models.ForeignKey("casework.Case", models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("case shared with a group")
        verbose_name_plural = _("cases shared with groups")
        indexes = [models.Index(fields=["group", "content_object"], name="case_group_grant")]


class AuthEvent(models.Model):
    """Logins, failed logins, lockouts, logouts and second-factor checks (issue: authentication).

    Separate from the case timeline: these are about accounts, not cases. Append-only like it.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKED_OUT = "locked_out", _("Locked out after repeated failures")
        LOGOUT = "logout", _("Logged out")
        OTP_VERIFIED = "otp_verified", _("Second factor verified")
        OTP_FAILED = "otp_failed", _("Wrong second-factor code")
        OTP_DEVICE_ADDED = "otp_device_added", _("Authenticator app registered")
        TOKEN_ISSUED = "token_issued", _("API token issued")

    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    username = models.CharField(_("username"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-at"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Sign-in events are append-only.")
        super().save(*args, **kwargs)
