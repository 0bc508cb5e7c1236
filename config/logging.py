"""Structured logs that carry no child data (issue 13, item 3; DOMAIN.md §6).

Logs leave the application: they are shipped, kept for months, read by operators who have no
right to a child's file. So what a log record may hold is decided here, once, for every logger:

* the message, after ``scrub``: query strings are cut from paths (a search holds a name),
  e-mail addresses, telephone and identification numbers (9 or more digits, spaces and dots between;
  a case code such as 2026-000123 stays) are
  replaced, and everything after a database error's ``DETAIL:`` (PostgreSQL quotes the
  offending row's values there) is dropped;
* for an exception, its type and its frames (file, line, function) — never its message nor
  local variables, which may quote the data that caused it;
* for a request (Django's ``django.request`` records), the method, the path without its query
  string, the status and the user's numeric id — never the user name, cookies or body.

``JsonFormatter`` writes one JSON object per line (production: ``LOG_FORMAT=json``, the default
with ``DEPLOY=production``); ``TextFormatter`` the same fields as one readable line (demo).
SQL statements are never logged: ``django.db.backends`` is held at INFO in settings.LOGGING,
whatever LOG_LEVEL says, because its DEBUG records hold every parameter.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import traceback

_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DIGITS = re.compile(r"\+?\d[\d .]{7,}\d")
_DETAIL = re.compile(r"\bDETAIL:.*", re.DOTALL)


def scrub(text: str) -> str:
    """``text`` with what could identify a child taken out (see the module docstring)."""
    text = _DETAIL.sub("DETAIL: [removed]", text)
    text = _QUERY.sub(r"\1?[query removed]", text)
    text = _EMAIL.sub("[e-mail]", text)
    return _DIGITS.sub(lambda m: "[number]" if sum(c.isdigit() for c in m.group()) >= 9 else m.group(), text)


def _exception(exc_info) -> dict | None:
    if not exc_info or exc_info[0] is None:
        return None
    frames = traceback.extract_tb(exc_info[2])
    return {"type": f"{exc_info[0].__module__}.{exc_info[0].__qualname__}",
            "frames": [f"{f.filename}:{f.lineno} {f.name}" for f in frames[-12:]]}


def fields(record: logging.LogRecord) -> dict:
    """The record as the fields a log line may carry."""
    out = {
        "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "msg": scrub(record.getMessage()),
    }
    request = getattr(record, "request", None)
    if request is not None and hasattr(request, "path"):
        out["method"] = getattr(request, "method", "")
        out["path"] = request.path  # path only: the query string may hold a search for a name
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            out["user_id"] = user.pk
    status = getattr(record, "status_code", None)
    if status is not None:
        out["status"] = status
    exc = _exception(record.exc_info)
    if exc:
        out["exception"] = exc
    return out


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(fields(record), ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        f = fields(record)
        line = f"{f['ts']} {f['level']} {f['logger']}: {f['msg']}"
        extra = " ".join(f"{k}={f[k]}" for k in ("method", "path", "status", "user_id") if k in f)
        if extra:
            line += f" [{extra}]"
        if "exception" in f:
            line += "\n  " + f["exception"]["type"] + "\n    " + "\n    ".join(f["exception"]["frames"])
        return line
