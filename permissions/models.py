from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .roles import Capability, RoleCode, Scope

# Decree 56/2017 art. 27.2, 28.4, 30.1.b–c, 31, 32: these are the commune chairperson's decisions.
DECISION_CAPABILITIES_MESSAGE = _(
    "Only the commune chairperson decides this (Decree 56/2017/NĐ-CP, art. 28.4, 31, 32); a deputy "
    "decides it under a recorded delegation. It cannot be given to another role: %(names)s.")


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
        from .roles import decision_caps_refused

        unknown = set(self.capabilities) - set(Capability.values)
        if unknown:
            raise ValidationError({"capabilities": _("Unknown capabilities: %(names)s") % {
                "names": ", ".join(sorted(unknown))}})
        refused = decision_caps_refused(self.code, self.capabilities)
        if refused:
            raise ValidationError({"capabilities": DECISION_CAPABILITIES_MESSAGE % {
                "names": ", ".join(str(Capability(c).label) for c in refused)}})


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
        from casework.models import AreaKind

        from .roles import COMMUNE_ONLY_ROLES

        if self.organisation_id and self.area_id and not self.organisation.area.path.startswith(self.area.path) \
                and not self.area.path.startswith(self.organisation.area.path):
            raise ValidationError(_("The area must contain the organisation, or lie within its area."))
        # The chairperson of the People's Committee of one commune (art. 26.2, 28.4): never a
        # province or a village.
        if self.role_id and self.area_id and self.role.code in COMMUNE_ONLY_ROLES \
                and self.area.kind != AreaKind.COMMUNE:
            raise ValidationError({"area": _("A commune chairperson or deputy chairperson is assigned to a commune "
                                             "or ward, not to a province or a village.")})


class Delegation(models.Model):
    """A deputy chairperson decides for the commune chairperson for a recorded period.

    Decree 56/2017 gives the decisions to "Chủ tịch Ủy ban nhân dân cấp xã"; a Phó Chủ tịch signs
    them "KT. CHỦ TỊCH" only when the chairperson has delegated it. Who, for which commune, from
    when, until when, on which document, and who recorded it.
    """

    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="delegations",
                                 verbose_name=_("deputy chairperson"))
    commune = models.ForeignKey("casework.Area", models.PROTECT, related_name="delegations",
                                verbose_name=_("commune"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reference = models.CharField(_("delegation document"), max_length=255,
                                 help_text=_("The chairperson's decision or letter that delegates, with its number."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation of the chairperson's decisions")
        verbose_name_plural = _("delegations of the chairperson's decisions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["delegate", "commune"], name="delegation_lookup")]

    def __str__(self) -> str:
        return f"{self.delegate} · {self.commune} · {self.starts_at:%d/%m/%Y}–{self.ends_at:%d/%m/%Y}"

    def clean(self):
        from casework.models import AreaKind

        from .roles import RoleCode

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The delegation must end after it starts.")
        if self.commune_id and self.commune.kind != AreaKind.COMMUNE:
            errors["commune"] = _("A delegation is for one commune or ward.")
        if self.delegate_id and self.commune_id and not RoleAssignment.objects.active().filter(
                user_id=self.delegate_id, role__code=RoleCode.DEPUTY_CHAIR, area_id=self.commune_id).exists():
            errors["delegate"] = _("The delegate must be a deputy chairperson of this commune.")
        if errors:
            raise ValidationError(errors)


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
