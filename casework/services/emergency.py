"""Emergency measures (art. 31.3–31.5) and temporary isolation orders (art. 32, form 07)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions import rules
from permissions.roles import Capability
from workflows.flows import EmergencyMeasureFlow, IsolationOrderFlow
from workflows.policy import DeadlineKind, limit_for
from workflows.states import CaseStatus, EmergencyMeasureStatus, IsolationStatus

from ..errors import Conflict, NotFound, ValidationError
from ..models import CaseEventType as E
from ..models import EmergencyMeasure, IsolationOrder, Organisation, Term, TermKind
from ._core import (
    Actor,
    check_not_before,
    check_not_future,
    commit_change,
    fire,
    lock_case,
    require,
    require_reason,
)


@transaction.atomic
def emergency_measure_order(*, actor: Actor, case_id, kind: str, organisation_id: int, note: str = "",
                            expected_version=None) -> EmergencyMeasure:
    """Order an emergency measure: stop the act, first aid, safe shelter, keep evidence
    (art. 31.3.a, 31.4, 31.5; shelter art. 32.2).

    Who: the chairperson of the responsible commune (or a deputy under a delegation), while the
    case is in its emergency phase (art. 31.3–31.5: the officer, police and health station act).
    Writes: EmergencyMeasure (ordered), one CaseEvent(EMERGENCY_MEASURE_ORDERED).
    After commit: notifies the members of the body that must act.
    Raises: CaseNotFound, PermissionDenied, ValidationError, Conflict.
    """
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    assignment = require(access, Capability.EMERGENCY_ORDER)
    errors: dict[str, Any] = {}
    term = Term.objects.of(TermKind.EMERGENCY_MEASURE).filter(code=kind).first()
    if term is None:
        errors["kind"] = _("Unknown emergency measure.")
    body = Organisation.objects.filter(pk=organisation_id, active=True).first() \
        if rules.may_address(case, organisation_id) else None
    if body is None:
        errors["organisation_id"] = rules.NOT_ADDRESSABLE
    if errors or term is None or body is None:
        raise ValidationError(errors)
    if case.status != CaseStatus.EMERGENCY:
        raise Conflict(_("Emergency measures are ordered once the emergency has been declared."), code="state")
    measure = EmergencyMeasure.objects.create(case=case, author=actor, kind=term, responsible=body,
                                              ordered_at=timezone.now(), note=note)
    commit_change(access, case, type=E.EMERGENCY_MEASURE_ORDERED, assignment=assignment,
                  from_state=case.status, to_state=case.status,
                  data={"measure": measure.pk, "kind": term.code, "organisation": body.pk})
    return measure


MEASURE_OUTCOMES = {
    EmergencyMeasureStatus.TAKEN: ("record_taken", E.EMERGENCY_MEASURE_TAKEN),
    EmergencyMeasureStatus.NOT_POSSIBLE: ("record_not_possible", E.EMERGENCY_MEASURE_NOT_POSSIBLE),
    EmergencyMeasureStatus.CANCELLED: ("cancel", E.EMERGENCY_MEASURE_CANCELLED),
}


@transaction.atomic
def emergency_measure_record(*, actor: Actor, case_id, measure_id, outcome: str, note: str = "", done_at=None,
                             expected_version=None) -> EmergencyMeasure:
    """Record that an ordered measure was carried out, could not be, or is cancelled.

    Who: carried out / not possible — the officer, or a member of the responsible body (police,
    health station); cancelled — the chairperson.
    Writes: EmergencyMeasure.status/done_at/note, one CaseEvent; the 12-hour clock is met by the
    first measure carried out.
    Raises: CaseNotFound, NotFound (measure), PermissionDenied, ValidationError, Conflict.
    """
    if outcome not in MEASURE_OUTCOMES:
        raise ValidationError({"outcome": _("Choose carried out, not possible or cancelled.")})
    if outcome != EmergencyMeasureStatus.TAKEN:
        note = require_reason(note, "note")
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    measure = case.emergencymeasures.filter(pk=measure_id).first()
    if measure is None:
        raise NotFound
    done_at = done_at or timezone.now()
    # Art. 31: an outcome is dated between the order and now.
    check_not_future(done_at, "done_at")
    check_not_before(done_at, measure.ordered_at, "done_at", _("the measure was ordered"))
    transition, event = MEASURE_OUTCOMES[EmergencyMeasureStatus(outcome)]
    # Only members of the responsible body, or the commune's officers, report the outcome.
    caps = rules.measure_caps(access, measure)
    flow = EmergencyMeasureFlow(measure, caps=caps)
    before = measure.status
    assignment = fire(access, getattr(flow, transition))
    if transition != "cancel":
        assignment = rules.measure_recorder(access, measure) or assignment
    measure.note = note or measure.note
    if outcome == EmergencyMeasureStatus.TAKEN:
        measure.done_at = done_at
    measure.save(update_fields=["status", "note", "done_at"])
    commit_change(access, case, type=event, assignment=assignment, from_state=before, to_state=measure.status,
                  reason=note if outcome != EmergencyMeasureStatus.TAKEN else "",
                  data={"measure": measure.pk, "kind": measure.kind.code, "done_at": measure.done_at})
    return measure


def isolation_max_days(case) -> int:
    """Art. 32.3: at most 15 days in total; a province or commune may set less (``DeadlinePolicy``
    of kind isolation_duration, capped at the statutory 15)."""
    return limit_for(DeadlineKind.ISOLATION_DURATION, case.commune).value


# Even a competent authority's request does not keep a child isolated for years; longer care is
# alternative care in a plan (Law on Children art. 50.2.c), not a temporary order.
ISOLATION_ABSOLUTE_MAX_DAYS = 365


def _days(value, field: str, already: int = 0) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({field: _("Give a whole number of days.")}) from None
    if days < 1:
        raise ValidationError({field: _("At least one day.")})
    if already + days > ISOLATION_ABSOLUTE_MAX_DAYS:
        raise ValidationError({field: _("A temporary isolation order cannot run for more than %(max)s days.") % {
            "max": ISOLATION_ABSOLUTE_MAX_DAYS}})
    return days


@transaction.atomic
def isolation_issue(*, actor: Actor, case_id, decision_no: str, days, placement: str, authority_request: str = "",
                    expected_version=None) -> IsolationOrder:
    """Issue a temporary isolation order from parents or caregiver (form 07, art. 32).

    Who: the chairperson of the responsible commune, during the emergency phase.
    Writes: IsolationOrder (issued), one CaseEvent(ISOLATION_ISSUED); meets the 12-hour isolation
    clock and starts the order's own clock.
    Raises: CaseNotFound, PermissionDenied, ValidationError (over the maximum — 15 days, or the
    commune's shorter limit — without an authority's request, missing fields), Conflict (another
    order is in force, or no emergency).
    """
    # Access first: whoever may not see the case learns nothing from the checks below.
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    assignment = require(access, Capability.ISOLATION_DECIDE)
    days = _days(days, "days")
    errors = {name: _("This field is required.") for name, value in
              (("decision_no", decision_no), ("placement", placement)) if not (value or "").strip()}
    max_days = isolation_max_days(case)
    if days > max_days and not (authority_request or "").strip():
        errors["days"] = _("Isolation cannot exceed %(max)s days in total without a competent authority's request.") % {
            "max": max_days}
    if errors:
        raise ValidationError(errors)
    if case.status != CaseStatus.EMERGENCY:
        raise Conflict(_("An isolation order is issued during the emergency phase."), code="state")
    if case.isolationorders.filter(status__in=[IsolationStatus.ISSUED, IsolationStatus.EXTENDED]).exists():
        raise Conflict(_("An isolation order is already in force: extend or revoke it."), code="state")
    now = timezone.now()
    order = IsolationOrder.objects.create(
        case=case, author=actor, decision_no=decision_no.strip(), issued_at=now, ends_at=now + dt.timedelta(days=days),
        total_days=days, placement=placement.strip(), authority_request=authority_request.strip())
    commit_change(access, case, type=E.ISOLATION_ISSUED, assignment=assignment, to_state=order.status,
                  data={"order": order.pk, "decision_no": order.decision_no, "days": days,
                        "ends_at": order.ends_at.isoformat()})
    return order


def _order(case, order_id) -> IsolationOrder:
    order = case.isolationorders.filter(pk=order_id).first()
    if order is None:
        raise NotFound
    return order


@transaction.atomic
def isolation_extend(*, actor: Actor, case_id, order_id, days, authority_request: str = "", reason: str = "",
                     expected_version=None) -> IsolationOrder:
    """Extend an isolation order; the total stays within 15 days unless a competent authority
    requires more (art. 32.3).

    Who: the chairperson. Writes: IsolationOrder.ends_at/total_days/status, one
    CaseEvent(ISOLATION_EXTENDED). Raises: CaseNotFound, NotFound, PermissionDenied,
    ValidationError, Conflict (the 15-day guard, or the order is no longer in force).
    """
    days = _days(days, "days")
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    order = _order(case, order_id)
    _days(days, "days", already=order.total_days)
    authority = (authority_request or order.authority_request).strip()
    flow = IsolationOrderFlow(order, caps=access.caps, new_total_days=order.total_days + days,
                              authority_request=authority, max_days=isolation_max_days(case))
    before = order.status
    assignment = fire(access, flow.extend)
    order.total_days += days
    order.ends_at += dt.timedelta(days=days)
    order.authority_request = authority
    order.save(update_fields=["status", "total_days", "ends_at", "authority_request"])
    commit_change(access, case, type=E.ISOLATION_EXTENDED, assignment=assignment, from_state=before,
                  to_state=order.status, reason=reason,
                  data={"order": order.pk, "days": days, "total_days": order.total_days,
                        "ends_at": order.ends_at.isoformat()})
    return order


@transaction.atomic
def isolation_revoke(*, actor: Actor, case_id, order_id, reason: str, expected_version=None) -> IsolationOrder:
    """Revoke an isolation order when home is safe again (art. 32.3, assessed on form 03).

    Who: the chairperson. Writes: IsolationOrder status/ended_at/end_reason, one
    CaseEvent(ISOLATION_REVOKED). Raises: CaseNotFound, NotFound, PermissionDenied,
    ValidationError, Conflict.
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    order = _order(case, order_id)
    before = order.status
    assignment = fire(access, IsolationOrderFlow(order, caps=access.caps).revoke)
    order.ended_at, order.end_reason = timezone.now(), reason
    order.save(update_fields=["status", "ended_at", "end_reason"])
    commit_change(access, case, type=E.ISOLATION_REVOKED, assignment=assignment, from_state=before,
                  to_state=order.status, reason=reason, data={"order": order.pk})
    return order


def isolation_expire_due(*, now=None) -> int:
    """Timer: orders whose end has passed expire. Who: the system. Writes: per order, status,
    ended_at and one CaseEvent(ISOLATION_EXPIRED), each in its own transaction."""
    from ..models import Case

    now = now or timezone.now()
    count = 0
    due = IsolationOrder.objects.filter(status__in=[IsolationStatus.ISSUED, IsolationStatus.EXTENDED], ends_at__lte=now)
    for order_id, case_id in due.values_list("pk", "case_id"):
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).select_related("intake", "commune").get(pk=case_id)
            order = IsolationOrder.objects.get(pk=order_id)
            flow = IsolationOrderFlow(order, end_has_passed=order.ends_at <= now)
            if not flow.expire.can_proceed():
                continue
            before = order.status
            fire(None, flow.expire)
            order.ended_at = order.ends_at
            order.save(update_fields=["status", "ended_at"])
            commit_change(None, case, type=E.ISOLATION_EXPIRED, from_state=before, to_state=order.status,
                          data={"order": order.pk})
            count += 1
    return count
