"""The only writers of files on records without a case: prevention activities, reported target
values and periodic reports. Attach, download (a logged read) and withdraw.

The file goes through the same pipeline as a case's evidence (``evidence.files``: content
checks, metadata stripped, random names outside the web root, a 256-bit key). Each change
writes one ``FileEvent`` (hash-chained per record, with the file's SHA-256) in the same
transaction, under the record's row lock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from permissions import evidence as rules
from permissions import prevention as prevention_rules
from permissions.models import RoleAssignment
from permissions.reports import can_view_report

from . import chain, files
from .models import FileEvent, FileEventType, OwnerKind, RecordFile


@dataclass
class RecordAccess:
    owner: str
    record: object
    reader: RoleAssignment | None
    plan_access: object = None


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound from None


def record_access(actor, owner: str, record_id, *, for_update: bool = False) -> RecordAccess:
    """The record whose files are asked for; NotFound when missing *or* unseen (the same answer).
    Called before any input is read."""
    from prevention.models import Activity, TargetReport
    from reports.models import Report

    record_id = _id(record_id)
    if owner == OwnerKind.ACTIVITY:
        qs = Activity.objects.filter(prevention_rules.activity_filter(actor)).select_related(
            "commune", "organiser__area")
        record = (qs.select_for_update(of=("self",)) if for_update else qs).filter(pk=record_id).first()
        if record is None:
            raise NotFound
        return RecordAccess(owner, record, rules.record_reader(actor, owner, record))
    if owner == OwnerKind.TARGET_REPORT:
        record = TargetReport.objects.select_related("target").filter(pk=record_id).first()
        if record is None:
            raise NotFound
        plan_access = prevention_rules.access_plan_by_id(actor, record.target.plan_id, for_update=for_update)
        reader = rules.record_reader(actor, owner, record, plan_access)
        if reader is None:
            raise NotFound    # the issuing body's own evidence: others do not learn it exists
        return RecordAccess(owner, record, reader, plan_access)
    if owner == OwnerKind.REPORT:
        qs = Report.objects.select_related("body__area", "area", "recipient")
        record = (qs.select_for_update(of=("self",)) if for_update else qs).filter(pk=record_id).first()
        if record is None or not can_view_report(actor, record):
            raise NotFound
        return RecordAccess(owner, record, rules.record_reader(actor, owner, record))
    raise NotFound


def _log(file: RecordFile, type: FileEventType, actor, assignment, data: dict | None = None) -> FileEvent:
    """Append one event to the record's chain. The caller holds the record's row lock."""
    subject = f"{file.owner}:{file.owner_id}"
    last = FileEvent.objects.filter(subject=subject).order_by("-seq").values("seq", "hash").first()
    event = FileEvent(subject=subject, seq=(last["seq"] + 1) if last else 1, file=file, type=type,
                      at=timezone.now(), actor=actor,
                      actor_role=assignment.role.code if assignment else "",
                      actor_organisation=assignment.organisation.name if assignment and assignment.organisation
                      else "", sha256=file.sha256, data=data or {}, prev_hash=last["hash"] if last else "")
    event.hash = chain.seal(event.__dict__)
    event.save()
    return event


def attach_checked(*, actor, owner: str, record, assignment, checked: files.CheckedFile,
                   description: str = "") -> RecordFile:
    """Store an already checked file on ``record`` and log it. For services that hold the
    record's lock and decided the permission themselves (an activity recorded with its files).

    Who: the caller decided. Writes: the bytes, one RecordFile, one FileEvent(ATTACHED).
    Call it inside ``transaction.atomic`` and under ``files.discard_on_failure``."""
    stored = files.store(checked.data)
    file = RecordFile.objects.create(
        owner=owner, **{owner: record}, key=files.new_key(), storage_name=stored, original_name=checked.name,
        description=(description or "").strip()[:255], content_type=checked.content_type,
        size=len(checked.data), sha256=checked.sha256, metadata_stripped=checked.stripped,
        uploaded_by=actor, uploaded_at=timezone.now())
    _log(file, FileEventType.ATTACHED, actor, assignment,
         {"size": file.size, "content_type": file.content_type, "stripped": file.metadata_stripped})
    return file


def _attacher(actor, access: RecordAccess):
    assignment = rules.record_attacher(actor, access.owner, access.record)
    if assignment is None:
        raise PermissionDenied(rules.record_attach_refusal(actor, access.owner, access.record)
                               or _("You may not attach files to this record."))
    return assignment


@files.discard_on_failure
def record_file_add(*, actor, owner: str, record_id, upload, description: str = "") -> RecordFile:
    """Attach one file to a prevention activity or a periodic report.

    Who: see ``permissions.evidence.record_attacher``.
    Writes: the file in the evidence storage (random name, image metadata removed), one
    RecordFile, one FileEvent(ATTACHED) with the SHA-256.
    After commit: nothing. If anything fails, the commit included, the stored bytes are deleted.
    Raises: NotFound (missing or unseen record), PermissionDenied, ValidationError (type, size,
    damaged image; nothing is written).
    """
    _attacher(actor, record_access(actor, owner, record_id))     # before the body is read
    checked = files.check_upload(upload)
    with transaction.atomic():
        access = record_access(actor, owner, record_id, for_update=True)
        return attach_checked(actor=actor, owner=owner, record=access.record, assignment=_attacher(actor, access),
                              checked=checked, description=description)


def _file(key: str) -> RecordFile:
    file = RecordFile.objects.filter(key=str(key)[:43]).first()
    if file is None:
        raise NotFound
    return file


def record_file_open(*, actor, key: str, channel: str = "web") -> tuple[RecordFile, bytes]:
    """Hand out one record file's bytes, logged.

    Who: see ``permissions.evidence.record_reader`` (a withdrawn file: nobody).
    Writes: one FileEvent(DOWNLOADED) with the file's SHA-256 and the channel.
    Raises: NotFound (missing, unseen, or not yours to read: the same answer), Conflict when the
    stored bytes no longer match their recorded hash.
    """
    with transaction.atomic():
        file = _file(key)
        access = record_access(actor, file.owner, file.owner_id, for_update=True)
        if not rules.record_may_download(access.reader, file):
            raise NotFound
        data = files.read(file.storage_name)
        if hashlib.sha256(data).hexdigest() != file.sha256:
            raise Conflict(_("This file was altered in storage; it is not handed out. Tell the administrator."),
                           code="altered")
        _log(file, FileEventType.DOWNLOADED, actor, access.reader, {"channel": channel})
    return file, data


def record_file_withdraw(*, actor, key: str, reason: str) -> RecordFile:
    """Withdraw a file attached by mistake. The bytes stay in storage for audit.

    Who: its uploader, while they may still attach to the record.
    Writes: RecordFile.withdrawn_*, one FileEvent(WITHDRAWN).
    Raises: NotFound, PermissionDenied, ValidationError (no reason).
    """
    with transaction.atomic():
        file = _file(key)
        access = record_access(actor, file.owner, file.owner_id, for_update=True)
        if not rules.record_may_withdraw(actor, access.owner, access.record, file):
            raise PermissionDenied(_("You may not withdraw this file."))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": [_("Say why the file is withdrawn.")]})
        file.withdrawn_at, file.withdrawn_by, file.withdraw_reason = timezone.now(), actor, reason
        file.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        _log(file, FileEventType.WITHDRAWN, actor, rules.record_attacher(actor, access.owner, access.record),
             {"reason": reason})
    return file


def file_log_heads() -> dict[str, list]:
    """{"report:3": [seq, hash]} of every record's last file event, in one query: what each audit
    anchor fixes of this log (registered in ``evidence.apps``)."""
    from django.db.models import OuterRef, Subquery

    last = FileEvent.objects.filter(subject=OuterRef("subject")).order_by("-seq").values("seq")[:1]
    rows = FileEvent.objects.filter(seq=Subquery(last)).values_list("subject", "seq", "hash")
    return {subject: [seq, hash_] for subject, seq, hash_ in rows}


def verify_file_log() -> list[chain.Problem]:
    """Every break in the record-file chains, every file without its ATTACHED/MIGRATED event, and
    every chain shorter than, or different from, what the latest audit anchor fixed."""
    from casework.audit import anchor_name
    from casework.models import AuditAnchor

    anchor = AuditAnchor.objects.exclude(other_heads_hash="").order_by("-pk").first()
    anchored = anchor.other_heads.get("files", {}) if anchor is not None else {}
    last_seq: dict[str, int] = {}
    hash_at: dict[str, str] = {}

    def noting(rows):
        for row in rows:
            last_seq[row["subject"]] = row["seq"]
            if (head := anchored.get(row["subject"])) is not None and head[0] == row["seq"]:
                hash_at[row["subject"]] = row["hash"]
            yield row

    rows = FileEvent.objects.order_by("subject", "seq").values(
        "subject", "seq", "file_id", "type", "at", "actor_id", "actor_role", "actor_organisation", "sha256",
        "data", "prev_hash", "hash")
    problems = chain.verify(noting(rows.iterator(chunk_size=2000)))
    logged = FileEvent.objects.filter(type__in=(FileEventType.ATTACHED, FileEventType.MIGRATED)).values("file_id")
    for file in RecordFile.objects.exclude(pk__in=logged).order_by("pk"):
        problems.append(chain.Problem(f"{file.owner}:{file.owner_id}", 0,
                                      _("file %(key)s… has no attach event (deleted)") % {"key": file.key[:8]},
                                      "deleted"))
    if anchor is not None:
        problems += chain.against_anchor(anchored, last_seq, hash_at, anchor_name(anchor))
    return problems
