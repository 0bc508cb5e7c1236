"""Cases in the states the pages show, opened and moved through the real services.

Shared by tests/web, tests/browser and bench/pages.py. Every step is a service call, so each
case carries the timeline, clocks and audit events production would hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.services import emergency, lifecycle, plans, tasks
from casework.services.intake import ChildInput, IntakeInput, PerpetratorInput, case_open
from tests.casework.scenario import assess_comprehensive, assess_initial, draft_plan, verify

CHILD_NAME = "Nguyễn Thị Ánh Dương"


def report(world, who="counsellor_a", commune="a", name=CHILD_NAME, dob=dt.date(2015, 4, 9), hours_ago=2,
           classification="abused", **kw):
    data = IntakeInput(
        channel="in_person", received_at=timezone.now() - dt.timedelta(hours=hours_ago),
        classification=classification, incident_commune_id=world.areas[commune].pk,
        child=ChildInput(full_name=name, date_of_birth=dob, sex="female",
                         residence_commune_id=world.areas[commune].pk, address="Số 5, đường Hàm Nghi",
                         school_id=world.orgs[f"{commune}.school"].pk, class_name="4B", parents="Nguyễn Văn Cường"),
        environment="family", description="Trẻ có vết bầm ở tay, nói bố đánh.", child_condition="Sợ hãi",
        abuse_forms=["violence_physical"] if classification == "abused" else [],
        risk_kind="violence" if classification == "at_risk" else "",
        perpetrators=[PerpetratorInput(relation_code="father")] if classification == "abused" else [], **kw)
    return case_open(actor=world.users[who], data=data)


@dataclass
class Cases:
    received: object = None
    verifying: object = None
    comprehensive: object = None
    planning: object = None
    submitted: object = None
    implementing: object = None
    emergency: object = None
    commune_b: object = None
    province_p2: object = None
    all: list = field(default_factory=list)


def build_cases(world) -> Cases:
    u = world.users
    c = Cases()
    c.received = report(world, name=CHILD_NAME)
    c.verifying = report(world, name="Trần Văn Bảo", dob=dt.date(2013, 1, 2), hours_ago=20)
    verify(world, c.verifying)
    c.comprehensive = report(world, name="Lê Thị Cúc", dob=dt.date(2012, 6, 1), hours_ago=40)
    verify(world, c.comprehensive)
    assess_initial(world, c.comprehensive)
    lifecycle.case_comprehensive_start(actor=u["officer_a"], case_id=c.comprehensive.pk)
    c.planning = report(world, name="Phạm Minh Đức", dob=dt.date(2014, 2, 3), hours_ago=60)
    verify(world, c.planning)
    assess_initial(world, c.planning)
    lifecycle.case_comprehensive_start(actor=u["officer_a"], case_id=c.planning.pk)
    assess_comprehensive(world, c.planning)
    plans.case_planning_start(actor=u["officer_a"], case_id=c.planning.pk)
    c.submitted = report(world, name="Hoàng Gia Hân", dob=dt.date(2016, 3, 4), hours_ago=80)
    verify(world, c.submitted)
    assess_initial(world, c.submitted)
    lifecycle.case_comprehensive_start(actor=u["officer_a"], case_id=c.submitted.pk)
    assess_comprehensive(world, c.submitted)
    plans.case_planning_start(actor=u["officer_a"], case_id=c.submitted.pk)
    draft_plan(world, c.submitted)
    plans.plan_submit(actor=u["officer_a"], case_id=c.submitted.pk)
    c.implementing = report(world, name="Vũ Quốc Khánh", dob=dt.date(2013, 8, 8), hours_ago=100)
    verify(world, c.implementing)
    assess_initial(world, c.implementing)
    lifecycle.case_comprehensive_start(actor=u["officer_a"], case_id=c.implementing.pk)
    assess_comprehensive(world, c.implementing)
    plans.case_planning_start(actor=u["officer_a"], case_id=c.implementing.pk)
    draft_plan(world, c.implementing)
    plans.plan_submit(actor=u["officer_a"], case_id=c.implementing.pk)
    plans.plan_approve(actor=u["chair_a"], case_id=c.implementing.pk, decision_no="12/QĐ-UBND")
    c.emergency = report(world, who="police_a", name="Đinh Thu Lan", dob=dt.date(2017, 5, 5), hours_ago=3,
                         urgent=True, caregiver_is_abuser=True)
    lifecycle.case_emergency_declare(actor=u["officer_a"], case_id=c.emergency.pk, reason="Bố đánh trẻ tối qua.")
    emergency.emergency_measure_order(actor=u["chair_a"], case_id=c.emergency.pk, kind="stop_act",
                                      organisation_id=world.orgs["a.police"].pk)
    c.commune_b = report(world, who="counsellor_b", commune="b", name="Ngô Bảo Ngọc", dob=dt.date(2014, 9, 9))
    c.province_p2 = report(world, who="officer_c", commune="c", name="Mai Anh Tuấn", dob=dt.date(2012, 10, 10),
                           classification="at_risk")
    c.all = [c.received, c.verifying, c.comprehensive, c.planning, c.submitted, c.implementing, c.emergency,
             c.commune_b, c.province_p2]
    return c


def accept_police_task(world, case):
    task = case.tasks.get(organisation=world.orgs["a.police"])
    tasks.task_move(actor=world.users["police_a"], case_id=case.pk, task_id=task.pk, action="accept")
    return task


def verified_device(user) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    return device


def login(client, user) -> None:
    """Log a persona in with the test client, second factor included where the role needs it."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from permissions.auth import needs_second_factor

    client.force_login(user)
    if needs_second_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
        session.save()
