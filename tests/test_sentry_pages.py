"""Sentry, end to end through the real SDK and Django's request path (issue 13, item 4): an
error in reports, the registry, evidence files or notifications sends no child data — not from
the request body, the uploaded file, the query string, the breadcrumbs (log lines before the
error) or the local variables."""

import datetime as dt
import logging

import pytest
import sentry_sdk
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from config.sentry import init_sentry
from tests.test_sentry_scrubbing import Capture

NAME = "Nguyễn Văn An"


@pytest.fixture
def sent(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("SENTRY_DSN", "https://key@sentry.invalid/1")
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    transport = Capture()
    init_sentry()
    sentry_sdk.get_client().transport = transport

    def payload() -> bytes:
        sentry_sdk.flush()
        return b"".join(item.payload.get_bytes() for env in transport.envelopes for item in env.items)
    yield payload
    sentry_sdk.init(dsn="")


def failing(*args, **kwargs):
    # Built at run time: the source lines around a frame are sent, and must not be what leaks here.
    child = {"full_name": NAME, "date_of_birth": dt.date(2016, 3, 4).isoformat()}  # noqa: F841
    logging.getLogger("casework.test").warning("looking up %s", NAME)   # becomes a breadcrumb
    raise RuntimeError("injected failure")


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["evidence", "record_files", "reports", "registry", "notifications"])
def test_an_error_report_carries_no_child_data(where, sent, world, open_case, monkeypatch):
    case = open_case()
    client = Client(raise_request_exception=False)
    client.force_login(world.users["officer_a"])
    if where == "evidence":
        monkeypatch.setattr("evidence.views.services.attachment_add", failing)
        response = client.post(f"/evidence/cases/{case.pk}/attach/", {
            "target": "case", "description": f"Giấy khám của {NAME}",
            "file": SimpleUploadedFile(f"{NAME}.pdf", f"%PDF-1.4 {NAME}".encode())})
    elif where == "record_files":     # a file on a periodic report (or an activity): the same pipeline
        from reports.services import report_draft_create

        report = report_draft_create(actor=world.users["officer_a"], body_id=world.orgs["a.committee"].pk,
                                     kind="ad_hoc", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31))
        monkeypatch.setattr("evidence.record_views.records.record_file_add", failing)
        response = client.post(f"/evidence/records/report/{report.pk}/attach/", {
            "description": f"Danh sách có {NAME}", "file": SimpleUploadedFile(f"{NAME}.pdf", f"%PDF-1.4 {NAME}".encode())})
    elif where == "reports":
        monkeypatch.setattr("reports.views.services.report_draft_create", failing)
        from reports.views import drafting_bodies

        body = drafting_bodies(world.users["officer_a"])[0]
        from reports.models import ReportKind

        response = client.post("/reporting/reports/new/", {
            "body_id": body.pk, "kind": ReportKind.values[0], "year": 2026, "period_start": "2026-01-01",
            "period_end": "2026-03-31", "theme": "", "narrative": NAME})
    elif where == "registry":
        monkeypatch.setattr("prevention.views.selectors.registry_list_for_user", failing)
        response = client.get("/prevention/registry/", {"q": NAME})
    else:
        monkeypatch.setattr("notifications.views.notice_list_for_user", failing)
        response = client.get("/notifications/", {"kind": NAME})
    if response.status_code != 500:
        pytest.skip(f"{where}: the request did not reach the failing code ({response.status_code})")
    data = sent()
    assert b"injected failure" in data, "the error itself is reported"
    assert b"casework.test" in data, "the log line before the error is a breadcrumb (without its data)"
    at = data.find(NAME.encode())
    assert at == -1, data[max(0, at - 300):at + 50]
    at = data.find(b"2016-03-04")
    assert at == -1, data[max(0, at - 300):at + 50]
