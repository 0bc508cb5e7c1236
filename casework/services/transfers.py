"""Transfers between communes: plans belong to the commune where the child lives (art. 26.1,
Law on Children art. 52.2; DOMAIN.md §3.2). The owning commune asks; the receiving commune accepts or declines."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions import rules
from permissions.roles import Capability
from workflows.flows import TransferFlow
from workflows.states import TransferStatus

from ..errors import Conflict, NotFound, ValidationError
from ..models import CaseEventType as E
from ..models import Transfer
from ._core import Actor, commit_change, fire, lock_case, require, require_reason


@transaction.atomic
def transfer_request(*, actor: Actor, case_id, to_commune_id: int, reason: str, expected_version=None) -> Transfer:
    """Ask another commune to take over the case.

    Who: the officer of the responsible commune, on an open case.
    Writes: Transfer (requested), one CaseEvent(TRANSFER_REQUESTED). While pending, the receiving
    commune's officers can see the case (its residence commune is set to theirs).
    After commit: notifies the receiving commune's officers.
    Raises: CaseNotFound, PermissionDenied, ValidationError, Conflict (one pending at a time).
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    assignment = require(access, Capability.CASE_TRANSFER)
    target = rules.transfer_destinations(case).filter(pk=to_commune_id).first() \
        if rules.may_transfer_to(case, to_commune_id) else None
    if target is None:
        raise ValidationError({"to_commune_id": _("Choose another existing commune.")})
    if not case.is_open:
        raise Conflict(_("The case is closed."), code="closed")
    if case.transfers.filter(status=TransferStatus.REQUESTED).exists():
        raise Conflict(_("A transfer of this case is already pending."), code="state")
    before_residence = case.residence_commune_id
    transfer = Transfer.objects.create(case=case, from_commune=case.commune, to_commune=target, reason=reason,
                                       residence_before_id=before_residence, requested_by=actor,
                                       requested_at=timezone.now())
    case.residence_commune = target
    commit_change(access, case, type=E.TRANSFER_REQUESTED, assignment=assignment, fields=["residence_commune"],
                  reason=reason, changes={"residence_commune": [before_residence, target.pk]},
                  data={"transfer": transfer.pk, "from_commune": case.commune_id, "to_commune": target.pk})
    return transfer


def _pending(case, transfer_id) -> Transfer:
    transfer = case.transfers.filter(pk=transfer_id).select_related("to_commune", "from_commune").first()
    if transfer is None:
        raise NotFound
    return transfer


@transaction.atomic
def transfer_decide(*, actor: Actor, case_id, transfer_id, accept: bool, reason: str = "",
                    expected_version=None) -> Transfer:
    """Accept or decline a transfer into the actor's commune.

    Who: the officer of the receiving commune.
    Writes: Transfer status and decision; on accept Case.commune moves to the receiving commune
    (the sending commune keeps read access as the incident commune). One CaseEvent.
    Raises: CaseNotFound, NotFound, PermissionDenied, ValidationError (decline without reason), Conflict.
    """
    if not accept:
        reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    transfer = _pending(case, transfer_id)
    flow = TransferFlow(transfer, caps=rules.transfer_caps(access, transfer, deciding=True))
    fire(access, flow.accept if accept else flow.decline)
    assignment = rules.transfer_receiver(actor, transfer)
    transfer.decided_by, transfer.decided_at, transfer.decision_reason = actor, timezone.now(), reason
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    fields = []
    changes: dict[str, list] = {}
    if accept:
        changes["commune"] = [case.commune_id, transfer.to_commune_id]
        case.commune = transfer.to_commune
        fields.append("commune")
    else:
        # Back to where the child lived when the transfer was asked, which may be neither commune.
        changes["residence_commune"] = [case.residence_commune_id, transfer.residence_before_id]
        case.residence_commune_id = transfer.residence_before_id
        fields.append("residence_commune")
    commit_change(access, case, type=E.TRANSFER_ACCEPTED if accept else E.TRANSFER_DECLINED, assignment=assignment,
                  fields=fields, from_state=TransferStatus.REQUESTED, to_state=transfer.status, reason=reason,
                  changes=changes, data={"transfer": transfer.pk, "from_commune": transfer.from_commune_id,
                                         "to_commune": transfer.to_commune_id})
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: Actor, case_id, transfer_id, reason: str, expected_version=None) -> Transfer:
    """Withdraw a pending transfer. Who: the officer of the sending commune.
    Writes: Transfer → cancelled, the residence commune as it was before the request, one
    CaseEvent(TRANSFER_CANCELLED).
    Raises: CaseNotFound, NotFound, PermissionDenied, ValidationError, Conflict."""
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    transfer = _pending(case, transfer_id)
    assignment = fire(access, TransferFlow(transfer, caps=rules.transfer_caps(access, transfer, deciding=False)).cancel)
    transfer.decided_by, transfer.decided_at, transfer.decision_reason = actor, timezone.now(), reason
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    changes = {"residence_commune": [case.residence_commune_id, transfer.residence_before_id]}
    case.residence_commune_id = transfer.residence_before_id
    commit_change(access, case, type=E.TRANSFER_CANCELLED, assignment=assignment, fields=["residence_commune"],
                  from_state=TransferStatus.REQUESTED, to_state=transfer.status, reason=reason, changes=changes,
                  data={"transfer": transfer.pk})
    return transfer
