"""The hash chain of the record-file log (``FileEvent``), built like the case timeline's.

Each record's events (``subject`` "activity:12", "report:3" …) are numbered 1, 2, 3 …; an event's
``hash`` covers its content, its position and the hash of the event before it, so an altered
byte, a deleted event or an inserted or reordered one breaks the chain at a known place.
``verify`` says where and what, for ``manage.py verify_file_log``; the daily audit anchor fixes
every chain's head too (``casework.audit.register_chain``), and ``against_anchor`` shows what was
removed from the end of a chain, or the whole log, since then.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework.audit import _utc, sha256

CHAIN_VERSION = 1


def content(row: dict) -> dict:
    """What is hashed, from a dict with the model's attribute names (``.values()`` or ``__dict__``)."""
    return {"v": CHAIN_VERSION, "subject": row["subject"], "seq": row["seq"], "file": row["file_id"],
            "type": int(row["type"]), "at": _utc(row["at"]), "actor": row["actor_id"],
            "actor_role": row["actor_role"], "actor_organisation": row["actor_organisation"],
            "sha256": row["sha256"], "data": row["data"], "prev_hash": row["prev_hash"]}


def seal(row: dict) -> str:
    return sha256(content(row))


@dataclass(frozen=True)
class Problem:
    subject: str
    seq: int
    what: str  # already in the active language
    kind: str = "altered"  # as verify_audit's findings: altered, deleted, inserted, reordered

    def __str__(self) -> str:
        return f"{self.subject} #{self.seq}: {self.what}"


def verify(rows) -> list[Problem]:
    """Every break in the chains of ``rows`` (dicts ordered by subject, then seq)."""
    problems: list[Problem] = []
    subject, expected_seq, prev = None, 1, ""
    for row in rows:
        if row["subject"] != subject:
            subject, expected_seq, prev = row["subject"], 1, ""
        if row["seq"] != expected_seq:
            if row["seq"] > expected_seq:
                problems.append(Problem(subject, row["seq"], _("an event is missing before this one (deleted)"),
                                        "deleted"))
            else:
                problems.append(Problem(subject, row["seq"], _("an event was inserted or repeated here"), "inserted"))
        if row["prev_hash"] != prev:
            problems.append(Problem(subject, row["seq"], _("does not follow the event before it "
                                                           "(deleted, inserted or reordered)"), "reordered"))
        if seal(row) != row["hash"]:
            problems.append(Problem(subject, row["seq"], _("its content was altered after it was written")))
        expected_seq, prev = row["seq"] + 1, row["hash"]
    return problems


def against_anchor(anchored: dict[str, list], last_seq: dict[str, int], hash_at: dict[str, str],
                   anchor_name: str) -> list[Problem]:
    """What the chains lost since an anchor fixed their heads (``anchored``: {subject: [seq,
    hash]}), given each subject's last position now and its hash at the anchored position.

    A chain checks only its own links: its last events deleted, or the whole log emptied, leave
    no broken link — the anchor is what shows them."""
    problems = []
    for subject, (seq, hash_) in sorted(anchored.items()):
        if subject not in last_seq:
            problems.append(Problem(subject, seq, _("all %(n)s events are gone since %(anchor)s (deleted)")
                                    % {"n": seq, "anchor": anchor_name}, "deleted"))
        elif subject not in hash_at:
            problems.append(Problem(subject, seq, _("the events after position %(last)s are gone since %(anchor)s "
                                                    "(deleted)") % {"last": last_seq[subject], "anchor": anchor_name},
                                    "deleted"))
        elif hash_at[subject] != hash_:
            problems.append(Problem(subject, seq, _("differs from the event %(anchor)s fixed here (the chain was "
                                                    "rewritten)") % {"anchor": anchor_name}, "altered"))
    return problems
