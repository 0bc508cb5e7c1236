"""Reads of evidence files, and the offer of what a user may do with them.

The actions are ``ActionSpec``s of the project's one offer model (``casework.selectors.offers``):
pages render them as the upload form and withdraw buttons, the API returns them as ``actions``.
Neither face decides: ``permissions.evidence`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from casework.models import Measure, Task
from casework.selectors.offers import ActionSpec, Offer
from permissions import evidence as rules
from permissions.access import CaseAccess

from .models import Attachment, TargetKind

ATTACH = ActionSpec("evidence_attach", _("Attach a file"), choices=("targets",),
                    help=_("PDF, JPEG, PNG, DOCX or XLSX, at most 10 MB. Location data is removed from photos."))
WITHDRAW = ActionSpec("evidence_withdraw", _("Withdraw the file"), record="attachment", danger=True,
                      help=_("The file stays in the record for audit; state why it is withdrawn."))
SPECS = {s.key: s for s in (ATTACH, WITHDRAW)}


def attachments_for_case(access: CaseAccess):
    """Every file of the case, newest first (callers paginate)."""
    return (Attachment.objects.filter(case=access.case)
            .select_related("task", "measure", "measure__kind", "uploaded_by"))


def attach_targets(access: CaseAccess) -> list[tuple[str, str]]:
    """The records ``access.user`` may attach a file to now: ("case"|"measure:<id>"|"task:<id>", label)."""
    out: list[tuple[str, str]] = []
    if not access.content_visible or not access.case.is_open:
        return out
    if rules.attach_assignment(access, TargetKind.CASE):
        out.append((TargetKind.CASE.value, str(TargetKind.CASE.label)))
    measure_word, task_word = _("Measure"), _("Task")
    for measure in Measure.objects.filter(plan__case=access.case).select_related("kind", "plan").order_by("pk"):
        if rules.attach_assignment(access, TargetKind.MEASURE, measure):
            out.append((f"measure:{measure.pk}", f"{measure_word}: {measure.kind}"))
    for task in Task.objects.filter(case=access.case).order_by("pk"):
        if rules.attach_assignment(access, TargetKind.TASK, task):
            out.append((f"task:{task.pk}", f"{task_word}: {task.title}"))
    return out


@dataclass
class AttachmentRow:
    attachment: Attachment
    downloadable: bool
    withdraw: Offer | None


def attachment_offers(access: CaseAccess, attachments) -> tuple[list[Offer], list[AttachmentRow]]:
    """(the case-level offers, one row per given attachment with what the user may do on it)."""
    offers: list[Offer] = []
    targets = attach_targets(access)
    if targets:
        offers.append(Offer(ATTACH, True, choices={"targets": targets}, case_pk=access.case.pk))
    elif refusal := rules.attach_refusal(access):
        offers.append(Offer(ATTACH, False, refusal, case_pk=access.case.pk))
    rows = [AttachmentRow(a, rules.may_download(access, a),
                          Offer(WITHDRAW, True, record_id=a.pk, case_pk=access.case.pk)
                          if rules.may_withdraw(access, a) else None)
            for a in attachments]
    return offers, rows


def parse_target(value: str) -> tuple[str, int | None]:
    """"task:12" → ("task", 12); "case" → ("case", None); anything else → ("", None)."""
    kind, _sep, ident = str(value or "").partition(":")
    if kind == TargetKind.CASE and not ident:
        return kind, None
    if kind in (TargetKind.MEASURE, TargetKind.TASK) and ident.isdigit():
        return kind, int(ident)
    return "", None


# ------------------------------------------------------------------ files outside any case

RECORD_ATTACH = ActionSpec("record_file_attach", _("Attach a file"),
                           help=_("PDF, JPEG, PNG, DOCX or XLSX, at most 10 MB. Location data is removed from photos."))
RECORD_WITHDRAW = ActionSpec("record_file_withdraw", _("Withdraw the file"), record="file", danger=True,
                             help=_("The file stays in the record for audit; state why it is withdrawn."))


def record_files(access):
    """The record's files, newest first (callers paginate)."""
    from .models import RecordFile

    return RecordFile.objects.filter(**{access.owner: access.record}).select_related("uploaded_by")


def record_file_events(access):
    """The record's file log, in chain order (callers paginate)."""
    from .models import FileEvent

    return FileEvent.objects.filter(subject=f"{access.owner}:{access.record.pk}").select_related(
        "actor", "file").order_by("seq")


@dataclass
class RecordFileRow:
    file: object
    downloadable: bool
    withdraw: Offer | None


def record_offers(user, access) -> list[Offer]:
    """The record-level offers (attach, or why not) for ``user``."""
    if rules.record_attacher(user, access.owner, access.record) is not None:
        return [Offer(RECORD_ATTACH, True)]
    if refusal := rules.record_attach_refusal(user, access.owner, access.record):
        return [Offer(RECORD_ATTACH, False, refusal)]
    return []


def record_file_rows(user, access, files) -> list[RecordFileRow]:
    """One row per given file with what ``user`` may do on it (download, withdraw)."""
    return [RecordFileRow(f, rules.record_may_download(access.reader, f),
                          Offer(RECORD_WITHDRAW, True, record_id=f.pk)
                          if rules.record_may_withdraw(user, access.owner, access.record, f) else None)
            for f in files]
