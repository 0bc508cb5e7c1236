"""Log lines are structured and carry no child data (issue 13, item 3)."""

import io
import json
import logging

import pytest
from django.test import RequestFactory

from config.logging import JsonFormatter, TextFormatter, scrub

NAME = "Nguyễn Thị Hồng Nhung"


def emit(formatter, logger_name, msg, *args, exc=None, **extra):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        logger.error(msg, *args, exc_info=exc, extra=extra)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_scrub_cuts_queries_contacts_and_database_details():
    assert scrub("GET /cases/?q=Nguyen+Van+An&page=2 500") == "GET /cases/?[query removed] 500"
    assert "0912 345 678" not in scrub("caller 0912 345 678 rang") and "[number]" in scrub("call +84912345678")
    assert scrub("mail me: me.name@example.vn") == "mail me: [e-mail]"
    assert scrub("001204012345 is a personal id") == "[number] is a personal id"
    assert scrub('duplicate key DETAIL:  Key (full_name)=(An) already exists.') == "duplicate key DETAIL: [removed]"
    assert scrub("case 2026-000123, 3 of 12 rows, 2026-12-01") == "case 2026-000123, 3 of 12 rows, 2026-12-01"


@pytest.mark.django_db
def test_a_request_error_is_one_json_line_without_the_child(django_user_model):
    request = RequestFactory().get("/cases/", {"q": NAME})
    request.user = django_user_model.objects.create_user("officer_log", password="x" * 12)
    try:
        raise ValueError(f"child {NAME} born 2015-04-09, phone 0912345678")
    except ValueError as exc:
        line = emit(JsonFormatter(), "django.request", "Internal Server Error: %s", request.get_full_path(),
                    exc=exc, request=request, status_code=500)
    record = json.loads(line)
    assert record["level"] == "ERROR" and record["logger"] == "django.request"
    assert record["path"] == "/cases/" and record["method"] == "GET" and record["status"] == 500
    assert record["user_id"] == request.user.pk and "officer_log" not in line
    assert record["exception"]["type"] == "builtins.ValueError"
    assert record["exception"]["frames"][-1].endswith("test_a_request_error_is_one_json_line_without_the_child")
    for secret in (NAME, "Nguy", "2015-04-09", "0912345678"):
        assert secret not in line


def test_the_text_format_carries_the_same_fields():
    try:
        raise KeyError(NAME)
    except KeyError as exc:
        line = emit(TextFormatter(), "casework.faults", "export of %s failed", "/api/cases/?q=x", exc=exc)
    assert "ERROR casework.faults: export of /api/cases/?[query removed] failed" in line
    assert "builtins.KeyError" in line and NAME not in line


def test_the_settings_route_every_logger_through_the_formatter_and_never_log_sql():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["formatter"] in settings.LOGGING["formatters"]
    logging.getLogger("django.db.backends").debug("SELECT %s", NAME)  # would quote parameters
    assert not logging.getLogger("django.db.backends").isEnabledFor(logging.DEBUG)
