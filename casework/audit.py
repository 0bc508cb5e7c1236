"""The only writer of ``CaseEvent`` and ``AuditAnchor`` rows, and the check of both.

Every case's events form a hash chain (docs/audit.md, docs/decisions/0006-hash-chain.md):

* event *n* of a case has ``seq = n`` and ``prev_hash`` = the ``hash`` of event *n − 1* ("" for
  the first), and ``hash = sha256(canonical JSON of its content, case, seq and prev_hash)``;
* an anchor fixes every chain head at one moment and chains to the anchor before it; its hash is
  what gets printed and kept outside the system.

The canonical form must come out identical from SQLite and PostgreSQL: keys sorted, no spaces,
UTF-8, times in UTC with microseconds, integral floats as integers (jsonb turns ``1e20`` into
``100000000000000000000``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from .models import AuditAnchor, Case, CaseEvent, CaseEventType

CHAIN_VERSION = 1
# The row's content as hashed, in the model's own field names (``case``/``actor`` are ids).
HASHED_FIELDS = ("case", "seq", "type", "at", "actor", "actor_name", "actor_role", "actor_organisation",
                 "from_state", "to_state", "reason", "changes", "data", "prev_hash")
FINGERPRINT_LENGTH = 12


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        # What jsonb gives back for an integral float is an integer: store what will be read.
        return int(value) if value.is_integer() else value
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(value: Any) -> bytes:
    """The one byte form that is hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def event_content(row: dict) -> dict:
    """The hashed content of an event, from a dict with the model's attribute names
    (``case_id``, ``actor_id`` …), e.g. ``.values()`` or a model's ``__dict__``."""
    return {
        "case": row["case_id"], "seq": row["seq"], "type": int(row["type"]), "at": _utc(row["at"]),
        "actor": row["actor_id"], "actor_name": row["actor_name"], "actor_role": row["actor_role"],
        "actor_organisation": row["actor_organisation"], "from_state": row["from_state"],
        "to_state": row["to_state"], "reason": row["reason"], "changes": _jsonable(row["changes"]),
        "data": _jsonable(row["data"]), "prev_hash": row["prev_hash"],
    }


def event_hash(content: dict) -> str:
    return sha256({"v": CHAIN_VERSION, **content})


def event_fingerprint(content: dict) -> dict[str, str]:
    return {name: sha256(content[name])[:FINGERPRINT_LENGTH] for name in HASHED_FIELDS}


def seal(row: dict) -> tuple[str, dict]:
    """(hash, fingerprint) of an event row; used by the writer and the backfill migration."""
    content = event_content(row)
    return event_hash(content), event_fingerprint(content)


def case_event_record(
    *,
    case: Case,
    type: CaseEventType,
    actor=None,
    assignment=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: dict | None = None,
    data: dict | None = None,
    at=None,
    locked: bool = False,
) -> CaseEvent:
    """Append one event to the case's timeline, as the next link of the case's chain.

    ``assignment`` is the role assignment through which the actor acted; its role and
    organisation are copied into the row so the timeline stays true after people move on.
    ``actor=None`` means the system (a timer). ``locked=True``: the caller's transaction already
    holds the case row's lock (``services._core.commit_change``), so the chain head is read
    without taking it again in a savepoint (three statements fewer per change).
    """
    if actor is None:
        actor_name = "system"
    else:
        actor_name = actor.get_full_name() or actor.get_username()
    event = CaseEvent(
        case=case,
        type=type,
        at=at or timezone.now(),
        actor=actor,
        actor_name=actor_name,
        actor_role=assignment.role.code if assignment else "",
        actor_organisation=assignment.organisation.name if assignment else "",
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        changes=_jsonable(changes or {}),
        data=_jsonable(data or {}),
    )
    if locked and transaction.get_connection().in_atomic_block:
        _append(case, event)
        return event
    with transaction.atomic():
        # Services already hold this lock (taking it again is free); identity reads logged from
        # selectors do not, and two of them at once must not both become position n + 1. A
        # separate statement, not a subquery: under READ COMMITTED only a statement that starts
        # after the lock is granted sees the event the previous holder committed.
        list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
        _append(case, event)
    return event


def _append(case: Case, event: CaseEvent) -> None:
    """Chain ``event`` after the case's head and insert it; the case row must be locked."""
    head = CaseEvent.objects.filter(case_id=case.pk).order_by("-seq").values_list("seq", "hash").first()
    event.seq, event.prev_hash = (head[0] + 1, head[1]) if head else (1, "")
    event.hash, event.fingerprint = seal(vars(event))
    event.save(force_insert=True)


# ------------------------------------------------------------------------------------ anchors

def chain_heads() -> dict[str, list]:
    """{"c<case id>": [seq, hash]} of every chain's last event, in one query.

    Keys are not bare numbers because Django reads a numeric JSON key as an array index."""
    last = CaseEvent.objects.filter(case_id=OuterRef("case_id")).order_by("-seq").values("seq")[:1]
    rows = CaseEvent.objects.filter(seq=Subquery(last)).values_list("case_id", "seq", "hash")
    return {f"c{case_id}": [seq, hash_] for case_id, seq, hash_ in rows}


def anchor_content(anchor: AuditAnchor) -> dict:
    content = {"v": CHAIN_VERSION, "at": _utc(anchor.at), "cases": anchor.cases, "events": anchor.events,
               "heads_hash": anchor.heads_hash, "prev_hash": anchor.prev_hash}
    if anchor.other_heads_hash:
        # Anchors written before the other logs were anchored were hashed without it (and must
        # still verify); blanking it on a later one changes that anchor's hash, which the next
        # anchor and the printed copies hold.
        content["other_heads_hash"] = anchor.other_heads_hash
    return content


def heads_hash(heads: dict) -> str:
    return sha256(sorted([int(key[1:]), seq, hash_] for key, (seq, hash_) in heads.items()))


# Other append-only logs with hash chains of their own register a function giving their heads
# ({"<chain>": [seq, hash]}), so that each anchor fixes them too: a chain's own links show an
# altered or removed event inside it, only an anchor shows that its last events, or all of them,
# are gone. The evidence app registers its record-file log (evidence.apps); casework does not
# import it.
OTHER_CHAINS: dict[str, Callable[[], dict[str, list]]] = {}


def register_chain(log: str, heads: Callable[[], dict[str, list]]) -> None:
    OTHER_CHAINS[log] = heads


def other_heads_hash(other: dict) -> str:
    return sha256({log: sorted([key, seq, hash_] for key, (seq, hash_) in heads.items())
                   for log, heads in other.items()})


def audit_anchor_write(*, now: dt.datetime | None = None) -> AuditAnchor:
    """Fix every chain head now. Who: the system (``manage.py audit_anchor``, daily from
    run_timers). Writes: one AuditAnchor. Raises: nothing of its own."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two anchors at once would both chain to the same predecessor. An advisory lock needs
            # no privilege beyond connecting (the app's role may not LOCK audit tables).
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('casework.audit_anchor'))")
        heads = chain_heads()
        other = {log: read() for log, read in sorted(OTHER_CHAINS.items())}
        previous = AuditAnchor.objects.order_by("-pk").values_list("hash", flat=True).first()
        anchor = AuditAnchor(
            at=now or timezone.now(), cases=len(heads),
            # Positions are contiguous from 1, so the heads alone give the number of events, in
            # the same snapshot.
            events=sum(seq for seq, _hash in heads.values()),
            heads=heads, heads_hash=heads_hash(heads), prev_hash=previous or "",
            other_heads=other, other_heads_hash=other_heads_hash(other),
        )
        anchor.hash = sha256(anchor_content(anchor))
        anchor.save(force_insert=True)
    return anchor


def audit_anchor_if_due(*, now: dt.datetime | None = None, every: dt.timedelta = dt.timedelta(days=1)):
    """Write an anchor if the latest is older than ``every`` (run_timers calls this each pass)."""
    now = now or timezone.now()
    last = AuditAnchor.objects.order_by("-pk").values_list("at", flat=True).first()
    if last is not None and now - last < every:
        return None
    return audit_anchor_write(now=now)


def audit_demo() -> str:
    """For load_demo: anchor the demo's timelines (if not done today) and say how to check them."""
    anchor = audit_anchor_if_due() or AuditAnchor.objects.order_by("-pk").first()
    return (f"\nAudit trail: {anchor.events} events in {anchor.cases} cases, anchor #{anchor.pk}. Check it with\n"
            "  .venv/bin/python manage.py verify_audit\n"
            "  .venv/bin/python manage.py audit_anchor --show")


def grouped(hex_digest: str, size: int = 8) -> str:
    """A hash in groups of eight, easier to copy by hand from paper."""
    return " ".join(hex_digest[i:i + size] for i in range(0, len(hex_digest), size))


def anchor_text(anchor: AuditAnchor) -> str:
    """The printable form of an anchor (what goes to paper, e-mail or another system), in the
    active language; the hashes are what must be copied exactly."""
    rows = [
        (_("Time (UTC):"), _utc(anchor.at)),
        (_("Cases / events:"), f"{anchor.cases} / {anchor.events}"),
        (_("Chain heads:"), grouped(anchor.heads_hash)),
        (_("Previous anchor:"), grouped(anchor.prev_hash) if anchor.prev_hash else _("(none)")),
        (_("Anchor hash:"), grouped(anchor.hash)),
    ]
    width = max(len(label) for label, _value in rows) + 1
    return "\n".join([_("Audit anchor #%(id)s") % {"id": anchor.pk},
                      *(f"{label:<{width}}{value}" for label, value in rows)])


# ------------------------------------------------------------------------------- verification

@dataclass(frozen=True)
class Finding:
    """One thing wrong with the audit trail, as verify_audit prints it."""

    kind: str  # one of KINDS
    detail: str  # already in the active language
    case_id: int | None = None
    position: int | None = None
    event_id: int | None = None

    def __str__(self) -> str:
        where = []
        if self.case_id is not None:
            where.append(_("case %(id)s") % {"id": self.case_id})
        if self.position is not None:
            where.append(_("position %(n)s") % {"n": self.position})
        if self.event_id is not None:
            where.append(_("event %(id)s") % {"id": self.event_id})
        return f"{', '.join(where) or _('anchors')}: {kind_label(self.kind)}: {self.detail}"


def kind_label(kind: str) -> str:
    return {
        "altered": pgettext("audit finding", "altered"), "rewritten": pgettext("audit finding", "rewritten"),
        "reordered": pgettext("audit finding", "reordered"), "inserted": pgettext("audit finding", "inserted"),
        "deleted": pgettext("audit finding", "deleted"), "anchor": pgettext("audit finding", "anchor"),
    }[kind]


def anchor_name(anchor: AuditAnchor) -> str:
    return _("anchor #%(id)s of %(at)s") % {"id": anchor.pk, "at": _utc(anchor.at)}


NOT_WRITTEN_BY_APP = gettext_noop("not written by the application (no fingerprint, and its hash does not match its content)")


@dataclass
class Report:
    findings: list[Finding]
    cases: int
    events: int
    anchor: AuditAnchor | None

    @property
    def ok(self) -> bool:
        return not self.findings


_ROW_FIELDS = ("id", "case_id", "seq", "type", "at", "actor_id", "actor_name", "actor_role", "actor_organisation",
               "from_state", "to_state", "reason", "changes", "data", "prev_hash", "hash", "fingerprint")


def _original_position(stored_digest: str, upto: int) -> int | None:
    return next((n for n in range(1, upto + 1) if sha256(n)[:FINGERPRINT_LENGTH] == stored_digest), None)


def _check_rows(case_id: int, rows: list[dict], findings: list[Finding]) -> dict[int, dict]:
    """Check each row against its own hash; return the rows that belong in the chain, by the
    position they were recorded at."""
    by_position: dict[int, list[dict]] = {}
    upto = max(len(rows), max(r["seq"] for r in rows)) + 1
    for row in rows:
        content = event_content(row)
        position = row["seq"]
        if event_hash(content) != row["hash"]:
            stored = row["fingerprint"]
            if not isinstance(stored, dict) or set(stored) != set(HASHED_FIELDS):
                findings.append(Finding("inserted", _(NOT_WRITTEN_BY_APP), case_id, position, row["id"]))
                continue
            now = event_fingerprint(content)
            differ = [name for name in HASHED_FIELDS if now[name] != stored[name]]
            recorded = _original_position(stored["seq"], upto) if "seq" in differ else None
            if recorded is not None:
                position = recorded
                findings.append(Finding("reordered", _("recorded at position %(recorded)s, now at position %(now)s")
                                        % {"recorded": recorded, "now": row["seq"]}, case_id, row["seq"], row["id"]))
                differ.remove("seq")
            if differ:
                findings.append(Finding("altered", _("%(fields)s changed since it was recorded")
                                        % {"fields": ", ".join(differ)}, case_id, row["seq"], row["id"]))
            elif recorded is None:
                findings.append(Finding("altered", _("its stored hash was changed"), case_id, row["seq"], row["id"]))
            row = {**row, "_flagged": True}
        by_position.setdefault(position, []).append(row)
    return dict(sorted(by_position.items()))


def _check_case(case_id: int, rows: list[dict], anchor_head: list | None, anchor: AuditAnchor | None,
                findings: list[Finding]) -> None:
    chain = _check_rows(case_id, rows, findings)
    expected, prev_hash, prev_row = 1, "", None
    kept: dict[int, dict] = {}
    for position, candidates in chain.items():
        row = next((r for r in candidates if r["prev_hash"] == prev_hash), candidates[0])
        for other in candidates:
            if other is not row:
                findings.append(Finding("inserted", _("a second event at position %(n)s, not part of the chain")
                                        % {"n": position}, case_id, other["seq"], other["id"]))
        if position > expected:
            if expected == 1:
                detail = _("missing from the chain (it now starts at position %(next)s, event %(id)s)")
            else:
                detail = _("missing from the chain (event %(id)s at position %(next)s follows position %(prev)s)")
            for missing in range(expected, position):
                findings.append(Finding("deleted", detail % {"id": row["id"], "next": position, "prev": expected - 1},
                                        case_id, missing))
        elif row["prev_hash"] != prev_hash and not row.get("_flagged") and prev_row is not None \
                and not prev_row.get("_flagged"):
            # Both rows match their own hashes, yet the link is broken: the earlier one was
            # replaced by a row whose hash was recomputed.
            findings.append(Finding("rewritten", _("content and hash replaced: position %(n)s links to a different "
                                                   "event") % {"n": position}, case_id, position - 1, prev_row["id"]))
        kept[position] = row
        expected, prev_hash, prev_row = position + 1, row["hash"], row
    if anchor_head is not None:
        _check_against_anchor(case_id, kept, anchor_head, anchor, findings)


def _check_against_anchor(case_id, kept: dict[int, dict], anchor_head: list, anchor: AuditAnchor,
                          findings: list[Finding]) -> None:
    seq, hash_ = anchor_head
    last = max(kept, default=0)
    if last < seq:
        span = (_("position %(n)s") % {"n": seq} if last + 1 == seq
                else _("positions %(first)s–%(last)s") % {"first": last + 1, "last": seq})
        findings.append(Finding("deleted", _("%(span)s missing: the chain ends at position %(last)s, the %(anchor)s "
                                             "recorded it up to position %(seq)s")
                                % {"span": span, "last": last, "anchor": anchor_name(anchor), "seq": seq},
                                case_id, last + 1))
    elif seq in kept and kept[seq]["hash"] != hash_:  # a gap at ``seq`` itself is reported already
        findings.append(Finding("rewritten", _("the chain up to here differs from the %(anchor)s")
                                % {"anchor": anchor_name(anchor)}, case_id, seq, kept[seq]["id"]))


def _rows(case_ids: Iterable[int] | None) -> Iterator[dict]:
    qs = CaseEvent.objects.order_by("case_id", "seq", "pk")
    if case_ids is not None:
        qs = qs.filter(case_id__in=list(case_ids))
    return qs.values(*_ROW_FIELDS).iterator(chunk_size=2000)


def _check_anchors(findings: list[Finding], printed: str | None) -> AuditAnchor | None:
    prev, latest, seen_printed = "", None, printed is None
    for anchor in AuditAnchor.objects.order_by("pk").iterator(chunk_size=100):
        if heads_hash(anchor.heads) != anchor.heads_hash or sha256(anchor_content(anchor)) != anchor.hash \
                or (anchor.other_heads_hash and other_heads_hash(anchor.other_heads) != anchor.other_heads_hash):
            findings.append(Finding("anchor", _("anchor #%(id)s was altered (it no longer matches its hash)")
                                    % {"id": anchor.pk}))
        elif anchor.prev_hash != prev:
            findings.append(Finding("anchor", _("anchor #%(id)s does not follow the anchor before it (an anchor was "
                                                "deleted or replaced)") % {"id": anchor.pk}))
        seen_printed = seen_printed or anchor.hash == printed
        prev, latest = anchor.hash, anchor
    if not seen_printed:
        findings.append(Finding("anchor", _("no anchor has the printed hash: the anchors were replaced")))
    return latest


def case_chain_check(case_id: int) -> dict:
    """One case's chain against itself and the latest anchor, in two queries (for pages)."""
    from django.db.models.fields.json import KeyTransform

    findings: list[Finding] = []
    rows = list(CaseEvent.objects.filter(case_id=case_id).order_by("seq", "pk").values(*_ROW_FIELDS))
    anchor = AuditAnchor.objects.order_by("-pk").annotate(head=KeyTransform(f"c{case_id}", "heads")) \
        .only("pk", "at").first()
    head = anchor.head if anchor else None
    if rows:
        _check_case(case_id, rows, head, anchor, findings)
    elif head:
        findings.append(Finding("deleted", _("all %(n)s events deleted") % {"n": head[0]}, case_id, 1))
    return {
        "verified": not findings, "events": len(rows), "problems": [str(f) for f in findings],
        "anchor_id": anchor.pk if anchor else None, "anchor_at": anchor.at if anchor else None,
        "anchored_upto": head[0] if head else None,
    }


def verify_audit(*, case_ids: Iterable[int] | None = None, printed_anchor: str | None = None) -> Report:
    """Check every chain (or the given cases') and the anchors. Reads only."""
    findings: list[Finding] = []
    anchor = _check_anchors(findings, printed_anchor.replace(" ", "").lower() if printed_anchor else None)
    heads = dict(anchor.heads) if anchor else {}
    wanted = None if case_ids is None else {int(c) for c in case_ids}
    cases = events = 0
    for case_id, group in groupby(_rows(wanted), key=lambda r: r["case_id"]):
        rows = list(group)
        cases += 1
        events += len(rows)
        _check_case(case_id, rows, heads.pop(f"c{case_id}", None), anchor, findings)
    for key, (seq, _hash) in heads.items():
        case_id = int(key[1:])
        if wanted is None or case_id in wanted:
            findings.append(Finding("deleted", _("all %(n)s events deleted since the %(anchor)s")
                                    % {"n": seq, "anchor": anchor_name(anchor)}, case_id, 1))
    findings.sort(key=lambda f: (f.case_id or 0, f.position or 0, f.kind))
    return Report(findings=findings, cases=cases, events=events, anchor=anchor)
