"""Sentry error reporting with child data scrubbed before anything leaves the server.

Decree 56 and DOMAIN.md §6: a child's identity never goes into an error report. We send no
request bodies, no local variables, no user PII, and strip any value whose key names an identity
field, whatever the nesting.
"""

import os
from typing import Any

SENSITIVE_KEYS = {
    "full_name", "name", "date_of_birth", "dob", "address", "school", "class_name", "parents",
    "caregiver", "reporter_name", "reporter_phone", "reporter_address", "phone", "email",
    "description", "condition", "family_situation", "notes", "note", "reason", "password",
    "token", "authorization", "cookie", "sessionid", "csrftoken",
}
SCRUBBED = "[scrubbed]"


def scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (SCRUBBED if str(k).lower() in SENSITIVE_KEYS else scrub(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def before_send(event: dict, hint: dict) -> dict:
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        request["headers"] = scrub(request.get("headers", {}))
    for exc in (event.get("exception") or {}).get("values", []):
        for frame in (exc.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    event.pop("user", None)
    if "extra" in event:
        event["extra"] = scrub(event["extra"])
    for crumb in (event.get("breadcrumbs") or {}).get("values", []):
        crumb.pop("data", None)
        crumb["message"] = SCRUBBED if crumb.get("category") == "query" else crumb.get("message")
    return event


def init_sentry() -> None:
    dsn = os.environ.get("SENTRY_DSN", "")
    if not dsn:
        return
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_breadcrumb=lambda crumb, hint: None if crumb.get("category") == "query" else crumb,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
    )
