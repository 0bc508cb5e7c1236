"""Nothing identifying a child leaves the server in an error report (DOMAIN.md §6)."""

import sentry_sdk
from sentry_sdk.transport import Transport

from config.sentry import before_send, init_sentry


def test_before_send_strips_bodies_locals_user_and_identity_keys():
    event = {
        "request": {"url": "/api/cases/7/", "data": {"child": {"full_name": "Nguyễn Văn An"}},
                    "cookies": {"sessionid": "abc"}, "query_string": "q=Nguyen", "headers": {"Cookie": "x",
                                                                                           "authorization": "Token t"}},
        "exception": {"values": [{"stacktrace": {"frames": [{"function": "case_open",
                                                              "vars": {"full_name": "Nguyễn Văn An"}}]}}]},
        "user": {"username": "officer_a", "ip_address": "10.0.0.1"},
        "extra": {"case": {"child": {"full_name": "Nguyễn Văn An", "date_of_birth": "2016-03-04"}, "code": "X-1"}},
        "breadcrumbs": {"values": [{"category": "query", "message": "SELECT ... 'Nguyễn Văn An'", "data": {}}]},
    }
    cleaned = before_send(event, {})
    assert "Nguyễn Văn An" not in repr(cleaned)
    assert "2016-03-04" not in repr(cleaned)
    assert cleaned["extra"]["case"]["code"] == "X-1"
    assert "user" not in cleaned


class Capture(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


def test_real_sdk_event_carries_no_child_data(monkeypatch):
    monkeypatch.setenv("SENTRY_DSN", "https://key@sentry.invalid/1")
    transport = Capture()
    init_sentry()
    client = sentry_sdk.get_client()
    client.transport = transport
    try:
        full_name = "Nguyễn Văn An"  # noqa: F841 — a local that must not be sent
        raise ValueError("case 7 failed")
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush()
    payload = b"".join(item.payload.get_bytes() for env in transport.envelopes for item in env.items)
    assert b"case 7 failed" in payload
    assert "Nguyễn Văn An".encode() not in payload
    sentry_sdk.init(dsn="")
