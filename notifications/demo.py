"""For ``load_demo``: one emergency case left alone, so that the demo shows its clock acting."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

MARK = "Dữ liệu minh hoạ: trường hợp khẩn cấp chưa ai xử lý (demo thông báo)."


def demo_notifications(world) -> str:
    """Create (once) an urgent report received 5 h 58 min ago in commune A that nobody acts on;
    say how to watch and how to move its clock on. Idempotent."""
    from casework.models import Case
    from casework.services.intake import ChildInput, IntakeInput, case_open

    case = Case.objects.filter(incident__description=MARK).first()
    if case is None:
        with transaction.atomic():
            case = case_open(actor=world.users["village_a"], data=IntakeInput(
                channel="phone", received_at=timezone.now() - dt.timedelta(hours=5, minutes=58),
                classification="abused", incident_commune_id=world.areas["a"].pk,
                child=ChildInput(full_name="Trẻ Minh Hoạ", date_of_birth=dt.date(2017, 5, 1), sex="female",
                                 residence_commune_id=world.areas["a"].pk, address="(demo)"),
                environment="family", description=MARK, child_condition="Bị đánh, đang hoảng sợ.",
                abuse_forms=["violence_physical"], urgent=True))
    return (
        f"\nDeadlines that act: case {case.code} is an emergency nobody has acted on (received 5 h 58 min before "
        "the demo was loaded).\n"
        "  With `make demo` running, its +6 h warning reaches officer_a and chair_a (Notifications in the header),\n"
        "  then +10 h, the missed 12-hour clock at +12 h and the escalation to supervisor_p1 at +14 h.\n"
        f"  Move its clock on instead of waiting:  .venv/bin/python manage.py demo_advance_clock {case.code} --hours 4\n"
        "  The queue, timers and workers: /admin/django_tasks_database/dbtaskresult/, /admin/notifications/timer/"
    )
