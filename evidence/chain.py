"""The hash chain of the record-file log (``FileEvent``), built like the case timeline's.

Each record's events (``subject`` "activity:12", "report:3" …) are numbered 1, 2, 3 …; an event's
``hash`` covers its content, its position and the hash of the event before it, so an altered
byte, a deleted event or an inserted or reordered one breaks the chain at a known place.
``verify`` says where and what, for ``manage.py verify_file_log``.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    what: str

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
            what = ("an event is missing before this one (deleted)" if row["seq"] > expected_seq
                    else "an event was inserted or repeated here")
            problems.append(Problem(subject, row["seq"], what))
        if row["prev_hash"] != prev:
            problems.append(Problem(subject, row["seq"], "does not follow the event before it "
                                                         "(deleted, inserted or reordered)"))
        if seal(row) != row["hash"]:
            problems.append(Problem(subject, row["seq"], "its content was altered after it was written"))
        expected_seq, prev = row["seq"] + 1, row["hash"]
    return problems
