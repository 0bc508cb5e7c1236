"""Sharing one case with a person or group beyond their role's reach, and breaking the glass.

Grants are django-guardian object permissions stored in the direct-FK tables
``permissions.CaseUserObjectPermission`` / ``CaseGroupObjectPermission``, with a purpose, the
granting user and an expiry. Nobody holds a model-wide case permission: a grant is the only way
guardian ever says yes. Granting, using (see ``casework.access_log.reveal_child``), revoking and
expiry are timeline events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions.models import CaseGroupObjectPermission, CaseUserObjectPermission
from permissions.roles import Capability

from ..errors import Conflict, NotFound, ValidationError
from ..models import Case
from ..models import CaseEventType as E
from ._core import Actor, commit_change, lock_case, require, require_reason

MAX_GRANT_DAYS = 90
BREAK_GLASS_MINUTES = 60


def _perm(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="casework", codename=codename)


@transaction.atomic
def grant_give(*, actor: Actor, case_id, purpose: str, days: int, user_id: int | None = None, group_id: int | None = None,
               identity: bool = False, expected_version=None) -> list:
    """Share the case with one user or group, for a stated purpose, until an expiry.

    Who: the officer or chairperson of the responsible commune (``case.share``).
    Writes: one guardian row per permission (view_case, and view_case_identity if ``identity``),
    one CaseEvent(GRANT_GIVEN) with the purpose and expiry.
    Raises: CaseNotFound, PermissionDenied, ValidationError (purpose, expiry, grantee), Conflict.
    """
    purpose = require_reason(purpose, "purpose")
    errors = {}
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_GRANT_DAYS:
        errors["days"] = _("A grant lasts from 1 to %(max)s days.") % {"max": MAX_GRANT_DAYS}
    if (user_id is None) == (group_id is None):
        errors["grantee"] = _("Share with one user or one group.")
    grantee: Any = None   # a User or a Group
    if user_id is not None:
        grantee = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    elif group_id is not None:
        grantee = Group.objects.filter(pk=group_id).first()
    if grantee is None and "grantee" not in errors:
        errors["grantee"] = _("Unknown user or group.")
    if errors or grantee is None:
        raise ValidationError(errors)
    access = lock_case(actor, case_id, expected_version=expected_version)
    assignment = require(access, Capability.CASE_SHARE)
    case = access.case
    if not case.is_open:
        raise Conflict(_("The case is closed."), code="closed")
    expires = timezone.now() + dt.timedelta(days=days)
    model, key = (CaseUserObjectPermission, "user") if user_id is not None else (CaseGroupObjectPermission, "group")
    codenames = ["view_case"] + (["view_case_identity"] if identity else [])
    rows = []
    for codename in codenames:
        row, _created = model.objects.update_or_create(
            content_object=case, permission=_perm(codename), **{key: grantee},
            defaults=dict(purpose=purpose, granted_by=actor, expires_at=expires))
        rows.append(row)
    commit_change(access, case, type=E.GRANT_GIVEN, assignment=assignment, reason=purpose,
                  data={key: grantee.pk, "permissions": codenames, "expires_at": expires.isoformat(),
                        "grants": [r.pk for r in rows], "kind": key})
    return rows


@transaction.atomic
def grant_revoke(*, actor: Actor, case_id, grant_id: int, kind: str = "user", reason: str, expected_version=None) -> None:
    """Withdraw a grant before its expiry.

    Who: the officer or chairperson of the responsible commune.
    Writes: deletes the guardian row, one CaseEvent(GRANT_REVOKED) naming grantee and permission.
    Raises: CaseNotFound, NotFound, PermissionDenied, ValidationError.
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    assignment = require(access, Capability.CASE_SHARE)
    model = CaseUserObjectPermission if kind == "user" else CaseGroupObjectPermission
    row = model.objects.filter(pk=grant_id, content_object=access.case).select_related("permission").first()
    if row is None:
        raise NotFound
    data = {kind: getattr(row, f"{kind}_id"), "permission": row.permission.codename, "grant": row.pk}
    row.delete()
    commit_change(access, access.case, type=E.GRANT_REVOKED, assignment=assignment, reason=reason, data=data)


@transaction.atomic
def identity_break_glass(*, actor: Actor, case_id, reason: str) -> CaseUserObjectPermission:
    """A supervisor who must see a child's identity states why; it opens for one hour.

    Who: a supervisor whose area covers the case (``identity.break_glass``).
    Writes: a one-hour view_case_identity grant to the actor, one CaseEvent(IDENTITY_BREAK_GLASS)
    with the reason, visible on the timeline. Each read after it is logged as usual.
    Raises: CaseNotFound, PermissionDenied, ValidationError (no reason).
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id)
    assignment = require(access, Capability.BREAK_GLASS)
    expires = timezone.now() + dt.timedelta(minutes=BREAK_GLASS_MINUTES)
    row, _created = CaseUserObjectPermission.objects.update_or_create(
        content_object=access.case, permission=_perm("view_case_identity"), user=actor,
        defaults=dict(purpose=reason, granted_by=actor, expires_at=expires))
    commit_change(access, access.case, type=E.IDENTITY_BREAK_GLASS, assignment=assignment, reason=reason,
                  data={"grant": row.pk, "expires_at": expires.isoformat()})
    return row


def grants_expire(*, now=None) -> int:
    """Timer: delete grants past their expiry and record each on its case's timeline.

    Who: the system. Writes: per case, deletes rows and one CaseEvent(GRANT_EXPIRED).
    """
    now = now or timezone.now()
    count = 0
    for model, key in ((CaseUserObjectPermission, "user"), (CaseGroupObjectPermission, "group")):
        for case_id in sorted(set(model.objects.filter(expires_at__lte=now).values_list("content_object_id", flat=True))):
            with transaction.atomic():
                case = Case.objects.select_for_update(of=("self",)).select_related("intake", "commune").get(
                    pk=case_id)
                rows = list(model.objects.filter(content_object=case, expires_at__lte=now)
                            .values_list("pk", f"{key}_id", "permission__codename"))
                model.objects.filter(pk__in=[r[0] for r in rows]).delete()
                commit_change(None, case, type=E.GRANT_EXPIRED,
                              data={"kind": key, "grants": [{"grant": pk, key: who, "permission": codename}
                                                            for pk, who, codename in rows]})
                count += len(rows)
    return count
