"""The read log of children's identities (DOMAIN.md §6: every read of a case is logged).

Selectors are pure; showing a child's name, address or parents is a deliberate step, and this
module is that step: each function returns what may be shown *and* writes the read on the case's
timeline, in the caller's transaction. Faces call it exactly where an identity reaches a person:
the case page when "show identity" is pressed, the API case file, printed forms, registry search.
"""

from __future__ import annotations

from permissions.access import CaseAccess
from permissions.roles import Capability

from .audit import case_event_record
from .models import CaseEventType
from .selectors.identity import grants_used, identity_cases_for, identity_of, identity_visible, masked_child


def reveal_child(access: CaseAccess, *, channel: str, purpose: str = "") -> dict:
    """The child as this user may see them, logging the read.

    Writes: one CaseEvent(IDENTITY_VIEWED) when the identity is shown; one
    CaseEvent(CASE_VIEWED_VIA_GRANT) when a grant opened the file but not the identity (using a
    grant is on the record either way); nothing for the masked form of an ordinary reader.
    """
    child = access.case.child
    via_grant = grants_used(access)
    if not identity_visible(access):
        if via_grant:
            case_event_record(case=access.case, type=CaseEventType.CASE_VIEWED_VIA_GRANT, actor=access.user,
                              data={"channel": channel, "grants": via_grant}, reason=purpose)
        return masked_child(child)
    case_event_record(case=access.case, type=CaseEventType.IDENTITY_VIEWED, actor=access.user,
                      assignment=access.assignment(Capability.IDENTITY_VIEW),
                      data={"channel": channel, **({"grants": via_grant} if via_grant else {})}, reason=purpose)
    return identity_of(child)


def log_export(access: CaseAccess, *, document: str) -> None:
    """Printing or exporting a case's file or timeline is a read of the case and of who the child
    is (issue 8, item 11): the copy leaves the system. Writes one CaseEvent(FILE_EXPORTED), listed
    with the identity reads among "who saw the case"."""
    case_event_record(case=access.case, type=CaseEventType.FILE_EXPORTED, actor=access.user,
                      assignment=access.assignment(Capability.IDENTITY_VIEW) or access.assignment(),
                      data={"channel": "export", "document": document, "identity": identity_visible(access)})


def reveal_registry_children(user, children, *, channel: str) -> list:
    """The registry children whose identity ``user`` may see, each shown logged as a read of the
    case that lets them see it. Children the user may not identify are left out entirely."""
    shown = []
    for child, access in identity_cases_for(user, children):
        case_event_record(case=access.case, type=CaseEventType.IDENTITY_VIEWED, actor=user,
                          assignment=access.assignment(Capability.IDENTITY_VIEW), data={"channel": channel})
        shown.append(child)
    return shown


__all__ = ["log_export", "reveal_child", "reveal_registry_children"]
