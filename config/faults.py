"""What the site answers when its database is down or read-only (issue 13, item 5).

Measured before this module: the requests caught in a PostgreSQL restart got Django's HTML 500
page, also under /api/, and with a read-only database every signed-in page was a bare "Bad
Request (400)" because the session was saved on each request. Now:

- database unreachable, restarting or the connection cut: **503** with ``Retry-After``; the API in
  its one error model (code ``database_unavailable``), pages a Vietnamese "try again in a moment";
- disk full (the database's SQLSTATE 53100 ``disk_full``, or ENOSPC writing an evidence file):
  **503**, code ``disk_full``, with ``Retry-After``; the change was rolled back whole and the
  half-written file removed (scripts/drill_disk_full.py shows it);
- database read-only (PostgreSQL ``default_transaction_read_only``, a hot standby, SQLite file
  read-only): reading keeps working (sessions are not written on every request,
  ``config.middleware.IdleSessionMiddleware``), and a change is refused with **503**, code
  ``read_only``, saying that nothing was saved.

Services run in ``transaction.atomic``, so a change cut by a fault is rolled back whole — except
in the one case no server can tell apart: the commit reached the database and the connection
died before the answer (seen in scripts/drill_pg_restart.py). So the outage message does not
claim that nothing was saved, and API clients send the case ``version`` with each change: a retry
of a change that did go through is then a 409 ``stale_version``, never a second copy.
"""

from __future__ import annotations

import errno
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER = {"unavailable": 15, "read_only": 120, "disk_full": 300}
# SQLSTATE 25006 read_only_sql_transaction (PostgreSQL); SQLite says it in words.
READ_ONLY_SQLSTATES = {"25006"}
READ_ONLY_WORDS = ("read-only transaction", "readonly database")
# SQLSTATE 53100 disk_full; 53000 insufficient_resources covers "could not extend file" on
# some versions; SQLite says SQLITE_FULL in words.
DISK_FULL_SQLSTATES = {"53100"}
DISK_FULL_WORDS = ("No space left on device", "database or disk is full")
CODES = {"unavailable": "database_unavailable", "read_only": "read_only", "disk_full": "disk_full"}
log = logging.getLogger("casework.faults")


def _chain(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def database_fault(exc) -> str | None:
    """"disk_full", "read_only", "unavailable" or None (not such a fault) for an exception."""
    chain = list(_chain(exc))
    for e in chain:
        if (isinstance(e, OSError) and e.errno == errno.ENOSPC) or getattr(e, "sqlstate", None) in \
                DISK_FULL_SQLSTATES or (isinstance(e, (OperationalError, InterfaceError, OSError))
                                        and any(w in str(e) for w in DISK_FULL_WORDS)):
            return "disk_full"
    for e in chain:
        if getattr(e, "sqlstate", None) in READ_ONLY_SQLSTATES or any(w in str(e) for w in READ_ONLY_WORDS):
            return "read_only"
    if any(isinstance(e, (OperationalError, InterfaceError)) for e in chain):
        return "unavailable"
    return None


def messages(kind: str, method: str = "POST") -> tuple[str, str]:
    if kind == "read_only" and method in ("GET", "HEAD"):
        # A read that must be logged (the child's identity, an export) fails closed: it is not
        # shown unlogged.
        return (_("The system is in read-only mode for maintenance, and this read must be recorded "
                  "(it shows the child's identity): it cannot be shown now."),
                _("Everything else can still be read. Try this again in a few minutes."))
    if kind == "disk_full":
        return (_("The server has run out of storage space: nothing was saved."),
                _("Tell the administrator, and try again later; keep your file or notes until then."))
    if kind == "read_only":
        return (_("The system is in read-only mode for maintenance: nothing was saved."),
                _("You can still read cases. Make this change again in a few minutes."))
    # Not "nothing was saved": the commit may have gone through just before the connection died
    # (the restart drill sees it). Clients that send the case version are safe to retry.
    return (_("The database is not answering at the moment."),
            _("Please try again in a moment. If you were saving a change, open the case again first to see "
              "whether it was saved."))


def fault_response(request, kind: str, exc=None) -> HttpResponse:
    # A warning, not an error per request: an outage would otherwise flood Sentry. The message
    # of a connection error carries no child data (no statement parameters).
    (log.error if kind == "disk_full" else log.warning)("database %s on %s %s: %s", kind, request.method, request.path, type(exc).__name__ if exc else "")
    detail, hint = messages(kind, request.method)
    if request.path_info.startswith("/api/"):
        from casework.errors import error_body

        response: HttpResponse = JsonResponse(
            error_body(f"{detail} {hint}", code=CODES[kind]),
            status=503, json_dumps_params={"ensure_ascii": False})
    else:
        # No request context: context processors and the base template query the database.
        response = HttpResponse(render_to_string("503_database.html", {"detail": detail, "hint": hint,
                                                                       "retry": RETRY_AFTER[kind]}), status=503)
    response["Retry-After"] = str(RETRY_AFTER[kind])
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """handler500: a database fault is a 503 the user can act on; anything else Django's 500."""
    exc = sys.exc_info()[1]
    kind = database_fault(exc)
    if kind:
        return fault_response(request, kind, exc)
    return defaults.server_error(request, template_name)
