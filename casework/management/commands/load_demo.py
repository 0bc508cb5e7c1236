"""Load the demo: the cast of casework.demo, the holiday calendar and cases in every state.

Every demo case is walked through the real service functions, so its timeline, clocks and
audit events are exactly what production would hold. Idempotent: a second run adds nothing.
"""

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework.audit import audit_demo
from casework.demo import DEMO_PASSWORD, PEOPLE, build_world
from casework.models import Case
from casework.services import emergency, lifecycle, plans, tasks, transfers
from casework.services.deadlines import deadlines_sweep
from casework.services.intake import ChildInput, IntakeInput, PerpetratorInput, case_open
from notifications.demo import demo_notifications
from permissions.models import Delegation
from reports.demo import load_reports_demo

CHILDREN = [
    # The hotline's report first, then counsellor_a's: the user guide's example search
    # ("nguyen van an") as counsellor_a finds a child of a case the school reported.
    ("Trần Thị Bích", dt.date(2014, 7, 12), "female"), ("Nguyễn Văn An", dt.date(2016, 3, 4), "male"),
    ("Lê Minh Châu", dt.date(2012, 1, 20), "female"), ("Phạm Gia Dũng", dt.date(2017, 9, 2), "male"),
    ("Hoàng Thị Én", dt.date(2013, 5, 30), "female"), ("Vũ Đức Phúc", dt.date(2015, 11, 11), "male"),
    ("Đặng Thu Giang", dt.date(2011, 2, 14), "female"), ("Bùi Quang Huy", dt.date(2016, 8, 8), "male"),
    ("Đỗ Ngọc Khánh", dt.date(2014, 4, 1), "female"), ("Hồ Văn Lâm", dt.date(2012, 12, 24), "male"),
    ("Ngô Thị Mỹ", dt.date(2013, 6, 6), "female"), ("Dương Văn Nam", dt.date(2015, 3, 15), "male"),
    ("Lý Thị Oanh", dt.date(2017, 10, 10), "female"), ("Mai Văn Phát", dt.date(2011, 9, 9), "male"),
    ("Trịnh Thị Quỳnh", dt.date(2014, 2, 2), "female"), ("Châu Văn Sơn", dt.date(2016, 6, 16), "male"),
    ("Kiều Thị Trang", dt.date(2012, 8, 28), "female"), ("Tạ Văn Uy", dt.date(2013, 3, 3), "male"),
]


class Command(BaseCommand):
    help = "Load demo areas, organisations, users (one per role) and cases in every state."

    def handle(self, *args, **options):
        call_command("seed_calendar", verbosity=0)
        world = build_world(password=DEMO_PASSWORD)
        if Case.objects.exists():
            self.stdout.write("Demo cases already loaded.")
        else:
            with transaction.atomic():
                self.cases(world)
            self.stdout.write(f"Loaded {Case.objects.count()} demo cases.")
        self.stdout.write(f"\nDemo users (password for all: {DEMO_PASSWORD}):")
        for username, _full_name, role, org, _area in PEOPLE:
            self.stdout.write(f"  {username:<15} {role.label} — {world.orgs[org].name}")
        self.stdout.write("  admin           Administrator (Django admin at /admin/)")
        self.demo_second_factors(world)
        from prevention.demo import load_prevention_demo  # the prevention level (issue 9)
        load_prevention_demo(world, password=DEMO_PASSWORD)
        self.stdout.write("\nChairpersons, supervisors and admin need a second factor: after the password, "
                          "type the current code, printed by:\n"
                          "  .venv/bin/python manage.py demo_code chair_a")
        self.stdout.write(demo_notifications(world))  # an emergency left alone: its clock acts
        # The 111 hotline as an integration client (docs/integrations.md).
        from integrations.demo import load_demo as integrations_demo

        integrations_demo(world, stdout=self.stdout)
        # Last among the cases: the sent reports freeze the figures of every demo case.
        self.stdout.write("Demo reports added: %d." % len(load_reports_demo(world, password=DEMO_PASSWORD)))
        self.stdout.write(audit_demo())  # the timelines' hash chains, anchored (docs/audit.md)

    def demo_second_factors(self, world):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from permissions.auth import needs_second_factor

        for _username, user in world.users.items():
            if needs_second_factor(user):
                TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"confirmed": True})

    def cases(self, world):
        u = world.users
        today = timezone.localdate()
        names = iter(CHILDREN)

        def report(who="counsellor_a", commune="a", hours_ago=1, classification="abused", **kw):
            name, dob, sex = next(names)
            school = world.orgs[f"{commune}.school"].pk
            data = IntakeInput(
                channel=kw.pop("channel", "in_person"), received_at=timezone.now() - dt.timedelta(hours=hours_ago),
                classification=classification, incident_commune_id=world.areas[commune].pk,
                child=ChildInput(full_name=name, date_of_birth=dob, sex=sex,
                                 residence_commune_id=world.areas[commune].pk, address="Số 12, đường Lê Lợi",
                                 school_id=school, class_name="5A", parents="Cha mẹ: (demo)"),
                environment=kw.pop("environment", "family"),
                description="Dữ liệu minh hoạ (demo).", child_condition="Có vết bầm tím ở tay.",
                abuse_forms=["violence_physical"] if classification == "abused" else [],
                risk_kind="violence" if classification == "at_risk" else "",
                special_groups=["i"] if classification == "abused" else [],
                perpetrators=[PerpetratorInput(relation_code="father")] if classification == "abused" else [],
                **kw)
            return case_open(actor=u[who], data=data)

        def verified(case, officer="officer_a"):
            lifecycle.case_verification_start(actor=u[officer], case_id=case.pk)
            lifecycle.case_verification_record(actor=u[officer], case_id=case.pk,
                                               findings="Đã xác minh cùng công an xã.")

        def assessed(case, officer="officer_a"):
            verified(case, officer)
            lifecycle.case_initial_assessment_start(actor=u[officer], case_id=case.pk)
            lifecycle.initial_assessment_record(actor=u[officer], case_id=case.pk, risk_level="medium",
                                                findings="Nguy cơ trung bình.")

        def comprehensive(case, officer="officer_a"):
            assessed(case, officer)
            lifecycle.case_comprehensive_start(actor=u[officer], case_id=case.pk)

        def planning(case, officer="officer_a", commune="a"):
            comprehensive(case, officer)
            lifecycle.comprehensive_assessment_record(
                actor=u[officer], case_id=case.pk, risk_level="medium",
                physical_psychological_state="Sức khoẻ ổn định, còn lo âu.",
                family_circumstances="Mẹ có khả năng bảo vệ.", risk_factors="Cha uống rượu.",
                schooling_self_protection="Đi học đều.", community_safety="Hàng xóm hỗ trợ.",
                needs="Tư vấn tâm lý, theo dõi sức khoẻ.", child_views="Muốn ở với mẹ và đi học.")
            lifecycle.conference_record(actor=u[officer], case_id=case.pk,
                                        held_at=timezone.now() - dt.timedelta(minutes=30),
                                        chaired_by="Chủ tịch UBND", participants="Công an, trường, y tế, mẹ",
                                        decisions="Tư vấn tại trường; công an nhắc nhở cha.")
            plans.case_planning_start(actor=u[officer], case_id=case.pk)
            plans.plan_draft_save(
                actor=u[officer], case_id=case.pk, goals="Trẻ an toàn ở nhà và ở trường.", starts_on=today,
                ends_on=today + dt.timedelta(days=60), review_on=today + dt.timedelta(days=55),
                measures=[
                    plans.MeasureInput(kind="intervention_follow_up", responsible_id=world.orgs[f"{commune}.police"].pk,
                                       starts_on=today, ends_on=today + dt.timedelta(days=30), cost=0),
                    plans.MeasureInput(kind="support_counselling", responsible_id=world.orgs[f"{commune}.school"].pk,
                                       starts_on=today, ends_on=today + dt.timedelta(days=45), cost=500000),
                ])

        def submitted(case, officer="officer_a", commune="a"):
            planning(case, officer, commune)
            plans.plan_submit(actor=u[officer], case_id=case.pk)

        def implementing(case):
            submitted(case)
            plans.plan_approve(actor=u["chair_a"], case_id=case.pk, decision_no="05/QĐ-UBND")

        def settled(case):
            # Art. 30 (issue 8): the review weighs finished work, so each body reports first.
            for task in case.tasks.select_related("organisation"):
                member = {world.orgs["a.police"].pk: "police_a", world.orgs["a.school"].pk: "counsellor_a"}[
                    task.organisation_id]
                tasks.task_move(actor=u[member], case_id=case.pk, task_id=task.pk, action="accept")
                tasks.task_move(actor=u[member], case_id=case.pk, task_id=task.pk, action="complete")

        report("hotline", hours_ago=1, channel="hotline")                                   # received
        verified(report(hours_ago=20))                                                       # verifying
        assessed(report("village_a", hours_ago=30))                                          # assessing
        urgent = report("police_a", hours_ago=3, urgent=True, caregiver_is_abuser=True)      # emergency
        lifecycle.case_emergency_declare(actor=u["officer_a"], case_id=urgent.pk, reason="Cha đánh trẻ tối qua.")
        emergency.emergency_measure_order(actor=u["chair_a"], case_id=urgent.pk, kind="stop_act",
                                          organisation_id=world.orgs["a.police"].pk)
        comprehensive(report(hours_ago=50))                                                  # comprehensive
        planning(report(hours_ago=70))                                                       # planning
        submitted(report(hours_ago=90))                                                      # awaiting approval
        returned = report(hours_ago=100)
        submitted(returned)
        plans.plan_return(actor=u["chair_a"], case_id=returned.pk, reason="Bổ sung biện pháp y tế.")  # returned
        active = report(hours_ago=120)
        implementing(active)                                                                 # implementing
        police_task = active.tasks.get(organisation=world.orgs["a.police"])
        tasks.task_move(actor=u["police_a"], case_id=active.pk, task_id=police_task.pk, action="accept")
        tasks.task_log_add(actor=u["police_a"], case_id=active.pk, task_id=police_task.pk, acted_on=today,
                           action="Làm việc với cha của trẻ", outcome="Cam kết không tái phạm")
        reviewing = report(hours_ago=150)
        implementing(reviewing)
        settled(reviewing)
        lifecycle.case_review_start(actor=u["officer_a"], case_id=reviewing.pk)              # reviewing
        closed = report(hours_ago=200)
        implementing(closed)
        settled(closed)
        lifecycle.case_review_start(actor=u["officer_a"], case_id=closed.pk)
        lifecycle.review_record(actor=u["officer_a"], case_id=closed.pk, harm_still_serious="low",
                                abuser_can_reach_child="low", obstacles_at_home="low", child_capacity="high",
                                findings="Trẻ an toàn, ổn định.", recommendation="end")
        lifecycle.case_close(actor=u["chair_a"], case_id=closed.pk, reason="Trẻ an toàn, ổn định.")  # closed
        not_eligible = report("counsellor_a", classification="at_risk", hours_ago=40)
        verified(not_eligible)
        lifecycle.case_not_eligible(actor=u["officer_a"], case_id=not_eligible.pk,
                                    reason="Tai nạn sinh hoạt, không phải xâm hại.")         # not eligible
        moving = report(hours_ago=10, classification="special")
        transfers.transfer_request(actor=u["officer_a"], case_id=moving.pk, to_commune_id=world.areas["b"].pk,
                                   reason="Gia đình chuyển đến phường Sài Gòn.")             # transfer pending
        verified(report("counsellor_b", commune="b", hours_ago=6), officer="officer_b")       # commune B
        report("officer_c", commune="c", hours_ago=2, classification="at_risk")               # province P2
        # Issue 8, item 14: the risky cases. An urgent report whose 12 hours ran out while it was
        # being verified (missed, recorded by the sweep below), beside the emergency above whose
        # clock runs out within hours (amber).
        missed = report("village_a", hours_ago=15, urgent=True)
        verified(missed)
        Delegation.objects.get_or_create(
            delegate=u["deputy_a"], commune=world.areas["a"],
            defaults=dict(starts_at=timezone.now() - dt.timedelta(days=1), ends_at=timezone.now() + dt.timedelta(days=30),
                          reference="Quyết định số 15/QĐ-UBND (dữ liệu minh hoạ)", recorded_by=u["admin"]))
        deadlines_sweep()
