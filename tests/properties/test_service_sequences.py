"""Property tests (issue 13, item 7): any sequence of operations, by any of the cast, on a case
leaves the database consistent.

For every step: a change that succeeds writes exactly one timeline event and leaves the case in
a valid state; a refused one (not found, not allowed, not now, not valid) writes nothing and
changes nothing; anything else raised is a bug. At the end the case's hash chain verifies.
Real services, real database (both halves of `make test`), random actors and inputs.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from casework.audit import verify_audit
from casework.errors import CaseNotFound, Conflict, NotFound, PermissionDenied, ValidationError
from casework.models import Case, CaseEvent
from casework.services import lifecycle, plans, tasks
from evidence.services import attachment_add
from tests.casework.scenario import conference_minutes
from tests.conftest import intake_input
from workflows.states import CaseStatus

REFUSED = (CaseNotFound, NotFound, PermissionDenied, Conflict, ValidationError)
CAST = ["officer_a", "chair_a", "deputy_a", "police_a", "counsellor_a", "health_a", "supervisor_p1",
        "officer_b", "hotline"]
PDF = b"%PDF-1.4\n%%EOF\n"


def _draft(world, actor, case):
    today = timezone.localdate()
    return plans.plan_draft_save(
        actor=actor, case_id=case.pk, goals="An toàn.", starts_on=today, ends_on=today + dt.timedelta(days=60),
        review_on=today + dt.timedelta(days=55),
        measures=[plans.MeasureInput(kind="intervention_follow_up", responsible_id=world.orgs["a.police"].pk,
                                     starts_on=today, ends_on=today + dt.timedelta(days=30), cost=0)])


def _first_task(case):
    task = case.tasks.order_by("pk").first()
    if task is None:
        raise NotFound
    return task.pk


OPERATIONS = {
    "verification_start": lambda w, a, c, text: lifecycle.case_verification_start(actor=a, case_id=c.pk),
    "verification_record": lambda w, a, c, text: lifecycle.case_verification_record(actor=a, case_id=c.pk,
                                                                                    findings=text),
    "initial_start": lambda w, a, c, text: lifecycle.case_initial_assessment_start(actor=a, case_id=c.pk),
    "initial_record": lambda w, a, c, text: lifecycle.initial_assessment_record(
        actor=a, case_id=c.pk, risk_level="medium", findings=text),
    "comprehensive_start": lambda w, a, c, text: lifecycle.case_comprehensive_start(actor=a, case_id=c.pk),
    "comprehensive_record": lambda w, a, c, text: lifecycle.comprehensive_assessment_record(
        actor=a, case_id=c.pk, risk_level="medium", physical_psychological_state=text, family_circumstances=text,
        risk_factors=text, schooling_self_protection=text, community_safety=text, needs=text, child_views=text),
    "conference": lambda w, a, c, text: lifecycle.conference_record(
        actor=a, case_id=c.pk, **conference_minutes(w, c, decisions=text or "x")),
    "planning_start": lambda w, a, c, text: plans.case_planning_start(actor=a, case_id=c.pk),
    "plan_draft": lambda w, a, c, text: _draft(w, a, c),
    "plan_submit": lambda w, a, c, text: plans.plan_submit(actor=a, case_id=c.pk),
    "plan_return": lambda w, a, c, text: plans.plan_return(actor=a, case_id=c.pk, reason=text),
    "plan_approve": lambda w, a, c, text: plans.plan_approve(actor=a, case_id=c.pk, decision_no=text[:20]),
    "task_accept": lambda w, a, c, text: tasks.task_move(actor=a, case_id=c.pk, task_id=_first_task(c),
                                                         action="accept"),
    "level_change": lambda w, a, c, text: lifecycle.case_level_change(actor=a, case_id=c.pk, level="support",
                                                                      reason=text),
    "emergency": lambda w, a, c, text: lifecycle.case_emergency_declare(actor=a, case_id=c.pk, reason=text),
    "not_eligible": lambda w, a, c, text: lifecycle.case_not_eligible(actor=a, case_id=c.pk, reason=text),
    "reopen": lambda w, a, c, text: lifecycle.case_reopen(actor=a, case_id=c.pk, reason=text),
    "attach_pdf": lambda w, a, c, text: attachment_add(actor=a, case_id=c.pk,
                                                       upload=SimpleUploadedFile("a.pdf", PDF)),
    "attach_bytes": lambda w, a, c, text: attachment_add(actor=a, case_id=c.pk,
                                                         upload=SimpleUploadedFile("a.jpg", text.encode())),
}

# The commune's officer and chairperson act most often (so changes succeed, not only refusals).
actors = st.one_of(st.sampled_from(["officer_a", "chair_a"]), st.sampled_from(CAST))
steps = st.lists(st.tuples(st.sampled_from(sorted(OPERATIONS)), actors, st.text(min_size=0, max_size=40)),
                 min_size=1, max_size=14)


def walked_to(world, stage: int):
    """A case walked by the right people to a point of the statutory path (0: just opened …
    4: plan approved, tasks referred), from which the random sequence starts."""
    from casework.services.intake import case_open
    from tests.casework import scenario

    case = case_open(actor=world.users["counsellor_a"], data=intake_input(world))
    officer = world.users["officer_a"]
    if stage >= 1:
        scenario.verify(world, case)
    if stage >= 2:
        scenario.assess_initial(world, case)
        lifecycle.case_comprehensive_start(actor=officer, case_id=case.pk)
    if stage >= 3:
        scenario.assess_comprehensive(world, case)
        plans.case_planning_start(actor=officer, case_id=case.pk)
    if stage >= 4:
        scenario.draft_plan(world, case)
        plans.plan_submit(actor=officer, case_id=case.pk)
        plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05")
    return case


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(stage=st.integers(0, 4), sequence=steps)
def test_any_sequence_by_anyone_leaves_the_case_consistent(world, evidence_storage, stage, sequence):
    case = walked_to(world, stage)
    for name, who, text in sequence:
        before = (Case.objects.values_list("status", "version").get(pk=case.pk),
                  CaseEvent.objects.filter(case=case).count())
        try:
            OPERATIONS[name](world, world.users[who], case, text)
        except REFUSED:
            after = (Case.objects.values_list("status", "version").get(pk=case.pk),
                     CaseEvent.objects.filter(case=case).count())
            assert after == before, (name, who, "a refused change wrote something")
            event("refused")
            continue
        event(f"done: {name}")
        status = Case.objects.values_list("status", flat=True).get(pk=case.pk)
        assert status in CaseStatus.values, (name, who, status)
        written = CaseEvent.objects.filter(case=case).count() - before[1]
        assert written == 1, (name, who, f"{written} events for one change")
    assert verify_audit(case_ids=[case.pk]).ok


@pytest.fixture
def evidence_storage(settings, tmp_path):
    settings.EVIDENCE_DIR = tmp_path / "evidence"
