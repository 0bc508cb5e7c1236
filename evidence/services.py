"""The only writers of evidence files: attach, download (a logged read) and withdraw.

Each writes one timeline event in the same transaction as its change, under the case's row lock
(``casework.audit.case_event_record``), and carries the file's SHA-256 on that event, so the
hash chain fixes which bytes were attached and which were handed out.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import case_event_record
from casework.errors import CaseNotFound, NotFound, PermissionDenied, ValidationError
from casework.models import CaseEventType, Measure, Task
from permissions import evidence as rules
from permissions.access import CaseAccess, access_case_by_id

from . import files
from .models import Attachment, TargetKind


def _content_access(actor, case_id, *, for_update: bool = False) -> CaseAccess:
    access = access_case_by_id(actor, case_id, for_update=for_update)
    if not access.content_visible:
        raise CaseNotFound
    return access


def evidence_access(actor, case_id) -> CaseAccess:
    """The case for an evidence page or endpoint: CaseNotFound unless its content is visible.
    Called first, before any input is read, so an unseen case is a 404 whatever was sent."""
    return _content_access(actor, case_id)


def _record(case, target: str, record_id):
    if target == TargetKind.CASE:
        return None
    model = {TargetKind.MEASURE: Measure, TargetKind.TASK: Task}.get(target)
    if model is None:
        raise ValidationError({"target": [_("Choose what the file is attached to.")]})
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        raise ValidationError({"record_id": [_("Choose the measure or task.")]}) from None
    scope = {"plan__case": case} if model is Measure else {"case": case}
    record = model.objects.filter(pk=record_id, **scope).first()
    if record is None:
        raise NotFound
    return record


def _may_attach(access: CaseAccess, target: str, record):
    assignment = rules.attach_assignment(access, target, record)
    if assignment is None:
        raise PermissionDenied(rules.attach_refusal(access) or _("You may not attach files to this record."))
    return assignment


def attachment_add(*, actor, case_id, upload, target: str = TargetKind.CASE, record_id=None,
                   description: str = "") -> Attachment:
    """Attach one evidence file to the case, one of its plan measures or one of its tasks.

    Who: see ``permissions.evidence.attach_assignment``.
    Writes: the file in the evidence storage (random name, image metadata removed), one
    Attachment, one CaseEvent(EVIDENCE_ATTACHED) carrying the SHA-256, size and type.
    After commit: nothing. If anything fails before the commit, the stored bytes are deleted.
    Raises: CaseNotFound (also out of reach), NotFound (record not of this case),
    PermissionDenied, ValidationError (type, size, damaged image; nothing is written).
    """
    # Access and permission first (an outsider learns nothing from the body), then the file is
    # read and checked without holding the case's lock, then everything is re-checked under it.
    access = _content_access(actor, case_id)
    _may_attach(access, target, _record(access.case, target, record_id))
    checked = files.check_upload(upload)
    stored = None
    try:
        with transaction.atomic():
            access = _content_access(actor, case_id, for_update=True)
            record = _record(access.case, target, record_id)
            assignment = _may_attach(access, target, record)
            stored = files.store(checked.data)
            attachment = Attachment.objects.create(
                case=access.case, target=target, measure=record if target == TargetKind.MEASURE else None,
                task=record if target == TargetKind.TASK else None, key=files.new_key(), storage_name=stored,
                original_name=checked.name, description=(description or "").strip()[:255],
                content_type=checked.content_type, size=len(checked.data), sha256=checked.sha256,
                metadata_stripped=checked.stripped, uploaded_by=actor, uploaded_at=timezone.now())
            case_event_record(case=access.case, actor=actor, assignment=assignment,
                              type=CaseEventType.EVIDENCE_ATTACHED, data=_event_data(attachment))
    except BaseException:
        if stored is not None:
            files.discard(stored)
        raise
    return attachment


def _event_data(attachment: Attachment) -> dict:
    # No file name or description: they may name the child, and timelines are printed.
    return {"attachment": attachment.pk, "target": attachment.target,
            "record": attachment.measure_id or attachment.task_id, "sha256": attachment.sha256,
            "size": attachment.size, "content_type": attachment.content_type}


def _attachment(access: CaseAccess, key: str) -> Attachment:
    attachment = (Attachment.objects.select_related("task", "measure")
                  .filter(case=access.case, key=str(key)).first())
    if attachment is None:
        raise NotFound
    return attachment


def attachment_open(*, actor, case_id, key: str) -> tuple[Attachment, bytes]:
    """Hand out one evidence file's bytes, logged.

    Who: see ``permissions.evidence.may_download``.
    Writes: one CaseEvent(EVIDENCE_DOWNLOADED) with the file's SHA-256.
    Raises: CaseNotFound (also out of reach), NotFound (no such file in this case),
    PermissionDenied, Conflict when the stored bytes no longer match their recorded hash.
    """
    from casework.errors import Conflict

    with transaction.atomic():
        access = _content_access(actor, case_id, for_update=True)
        attachment = _attachment(access, key)
        if not rules.may_download(access, attachment):
            raise PermissionDenied(_("You may not open this file."))
        data = files.read(attachment.storage_name)
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            # Never hand out bytes the timeline does not vouch for.
            raise Conflict(_("This file was altered in storage; it is not handed out. Tell the administrator."),
                           code="altered")
        case_event_record(case=access.case, actor=actor, assignment=access.assignment(),
                          type=CaseEventType.EVIDENCE_DOWNLOADED, data=_event_data(attachment))
    return attachment, data


def attachment_withdraw(*, actor, case_id, key: str, reason: str) -> Attachment:
    """Withdraw a file attached by mistake. The bytes stay in storage for audit.

    Who: its uploader, while they may still attach to the same record.
    Writes: Attachment.withdrawn_*, one CaseEvent(EVIDENCE_WITHDRAWN).
    Raises: CaseNotFound, NotFound, PermissionDenied, ValidationError (no reason).
    """
    with transaction.atomic():
        access = _content_access(actor, case_id, for_update=True)
        attachment = _attachment(access, key)
        if not rules.may_withdraw(access, attachment):
            raise PermissionDenied(_("You may not withdraw this file."))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": [_("Say why the file is withdrawn.")]})
        attachment.withdrawn_at, attachment.withdrawn_by, attachment.withdraw_reason = timezone.now(), actor, reason
        attachment.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        case_event_record(case=access.case, actor=actor, assignment=rules.attach_assignment(
            access, attachment.target, attachment.measure or attachment.task),
            type=CaseEventType.EVIDENCE_WITHDRAWN, reason=reason, data=_event_data(attachment))
    return attachment
