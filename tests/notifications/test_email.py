"""The e-mail channel against a real SMTP server on loopback: who gets what, and never the child."""

import pytest
from django.core import mail  # noqa: F401 - the SMTP backend is used, not the test outbox

from casework.models import CaseEventType as T
from notifications.models import Delivery, DeliveryState, EmailChoice, Preference

from .smtp import smtp_server  # noqa: F401 - fixture


@pytest.fixture
def smtp_settings(settings, smtp_server):
    settings.NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.SITE_URL = "https://bvte.example.vn"
    return smtp_server


def child_secrets(case):
    child = case.child
    return [child.full_name, child.address, child.parents, child.class_name, child.date_of_birth.isoformat(),
            child.date_of_birth.strftime("%d/%m/%Y"), child.school.name if child.school_id else "x" * 40,
            "Nguyễn", "An"]


def test_a_new_case_is_mailed_to_the_commune_without_the_childs_identity(
        world, open_case, smtp_settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case("counsellor_a")
    got = {m["To"]: m for m in smtp_settings.accepted}
    assert set(got) == {"officer_a@example.invalid", "chair_a@example.invalid"}
    message = got["officer_a@example.invalid"]
    assert case.code in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"https://bvte.example.vn/cases/{case.pk}/" in text and f"https://bvte.example.vn/cases/{case.pk}/" in html
    # Vietnamese, the site's language, whatever the test's active language.
    assert "Hồ sơ" in text
    raw = message.as_string()
    for secret in child_secrets(case):
        assert secret not in raw and secret not in text and secret not in html, secret
    assert Delivery.objects.filter(notification__event__case=case, state=DeliveryState.SENT).count() == 2
    assert message["Message-ID"].startswith("<notice-")


def test_a_user_who_asked_for_urgent_only_still_gets_missed_deadlines(
        world, open_case, smtp_settings, django_capture_on_commit_callbacks):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from notifications.timers import timers_run_due

    Preference.objects.create(user=world.users["chair_a"], email=EmailChoice.URGENT_ONLY)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            case = open_case("counsellor_a", received_at=timezone.now(), urgent=True)
        clock.shift(dt.timedelta(hours=12, minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            timers_run_due(worker_id="t")
    to_chair = [m["Subject"] for m in smtp_settings.accepted if m["To"] == "chair_a@example.invalid"]
    assert len(to_chair) == 1 and case.code in to_chair[0]
    assert case.events.filter(type=T.DEADLINE_BREACHED).exists()
    # The officer kept the default: the report and the missed clock.
    assert len([m for m in smtp_settings.accepted if m["To"] == "officer_a@example.invalid"]) == 2


def test_a_server_that_refuses_leaves_the_delivery_to_retry(world, open_case, settings,
                                                          django_capture_on_commit_callbacks):
    settings.NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9   # nothing listens on discard
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case("counsellor_a")
    rows = Delivery.objects.filter(notification__event__case=case)
    assert {(r.state, r.attempts) for r in rows} == {(DeliveryState.PENDING, 1)}
    assert all(r.error for r in rows)
