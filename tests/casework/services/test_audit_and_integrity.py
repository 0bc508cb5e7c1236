"""One audit event per change with the right content; nothing half-written; races have one winner."""

import threading

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from casework.errors import Conflict, ValidationError
from casework.models import Case, CaseEvent, Child, Incident, Intake
from casework.models import CaseEventType as E
from casework.services import lifecycle, plans
from casework.services.intake import ChildInput
from tests.casework import scenario
from tests.conftest import intake_input


def test_event_records_who_in_which_capacity_from_to_and_why(world, open_case):
    case = open_case()
    scenario.verify(world, case)
    lifecycle.case_not_eligible(actor=world.users["officer_a"], case_id=case.pk, reason="Accidental fall.")
    event = CaseEvent.objects.filter(case=case).latest("pk")
    assert event.type == E.CASE_NOT_ELIGIBLE
    assert event.actor == world.users["officer_a"]
    assert event.actor_name == "Trần Văn Minh"
    assert event.actor_role == "commune_officer"
    assert event.actor_organisation == world.orgs["a.committee"].name
    assert (event.from_state, event.to_state, event.reason) == ("verifying", "not_eligible", "Accidental fall.")


def test_level_change_needs_a_reason_and_records_it(world, open_case):
    case = open_case(classification="at_risk", abuse_forms=[], risk_kind="violence")
    assert case.level == "support"
    with pytest.raises(ValidationError):
        lifecycle.case_level_change(actor=world.users["officer_a"], case_id=case.pk, level="intervention", reason="")
    lifecycle.case_level_change(actor=world.users["chair_a"], case_id=case.pk, level="intervention",
                                reason="Abuse confirmed by police.")
    event = CaseEvent.objects.filter(case=case).latest("pk")
    assert (event.type, event.from_state, event.to_state, event.actor_role) == (
        E.LEVEL_CHANGED, "support", "intervention", "chairperson")
    with pytest.raises(Conflict):
        lifecycle.case_level_change(actor=world.users["chair_a"], case_id=case.pk, level="intervention",
                                    reason="again")


def test_events_cannot_be_rewritten(world, open_case):
    case = open_case()
    event = CaseEvent.objects.get(case=case)
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.postgres_only
def test_database_refuses_to_rewrite_the_timeline(world, open_case):
    case = open_case()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(reason="tampered")


def test_bad_intake_writes_nothing(world):
    from casework.services.intake import case_open

    counts = [m.objects.count() for m in (Child, Incident, Intake, Case, CaseEvent)]
    bad = intake_input(world, classification="nonsense", reporter_name="Neighbour", reporter_consent=False,
                       child=ChildInput(full_name="", sex="x"))
    with pytest.raises(ValidationError) as refused:
        case_open(actor=world.users["counsellor_a"], data=bad)
    assert {"classification", "reporter_consent", "child.full_name", "child.date_of_birth", "child.sex"} <= set(
        refused.value.message_dict)
    assert [m.objects.count() for m in (Child, Incident, Intake, Case, CaseEvent)] == counts


def test_a_child_of_sixteen_is_not_a_child(world):
    import datetime as dt

    from django.utils import timezone

    from casework.services.intake import case_open

    today = timezone.localdate()
    data = intake_input(world, child=ChildInput(full_name="Lê Văn C", date_of_birth=today.replace(year=today.year - 16)))
    with pytest.raises(ValidationError) as refused:
        case_open(actor=world.users["counsellor_a"], data=data)
    assert "child.date_of_birth" in refused.value.message_dict
    assert dt


def test_double_submit_opens_one_case(world, open_case):
    first = open_case(client_token="tab-1-submit-1")
    again = open_case(client_token="tab-1-submit-1")
    assert first.pk == again.pk
    assert Case.objects.count() == 1


def test_stale_version_is_a_conflict(world, open_case):
    case = open_case()
    with pytest.raises(Conflict) as refused:
        lifecycle.case_verification_start(actor=world.users["officer_a"], case_id=case.pk,
                                          expected_version=case.version - 1)
    assert refused.value.code == "stale_version"
    lifecycle.case_verification_start(actor=world.users["officer_a"], case_id=case.pk, expected_version=case.version)


def test_guard_failure_leaves_case_untouched(world, open_case):
    case = open_case()
    scenario.verify(world, case)
    scenario.assess_initial(world, case)
    lifecycle.case_comprehensive_start(actor=world.users["officer_a"], case_id=case.pk)
    version = Case.objects.get(pk=case.pk).version
    with pytest.raises(Conflict) as refused:
        plans.case_planning_start(actor=world.users["officer_a"], case_id=case.pk)
    assert "form 03" in str(refused.value.message)
    assert Case.objects.get(pk=case.pk).version == version


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_chairs_racing_one_wins(world, open_case):
    """Two sessions approve the same plan at once: exactly one succeeds, the other gets a conflict."""
    case = open_case()
    scenario.to_submitted_plan(world, case)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(decision_no):
        try:
            barrier.wait()
            plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no=decision_no)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(n,)) for n in ("05/A", "05/B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert CaseEvent.objects.filter(case=case, type=E.PLAN_APPROVED).count() == 1
    assert case.tasks.count() == 2


def test_timeline_alone_tells_what_was_written(world, open_case):
    """A supervisor reads the assessment, the minutes and the plan from the events themselves."""
    case = open_case()
    scenario.to_submitted_plan(world, case)
    by_type = {e.type: e for e in CaseEvent.objects.filter(case=case)}
    assert by_type[E.VERIFICATION_RECORDED].changes["verification_notes"].startswith("Visited")
    assert by_type[E.INITIAL_ASSESSMENT_RECORDED].data["risk_level"] == "medium"
    assert by_type[E.INITIAL_ASSESSMENT_RECORDED].data["findings"] == "Father drinks; mother protective."
    assert by_type[E.CONFERENCE_RECORDED].data["decisions"].startswith("Counselling")
    plan = by_type[E.PLAN_DRAFTED].data
    assert [m["kind"] for m in plan["measures"]] == ["intervention_follow_up", "support_counselling"]
    assert plan["measures"][1]["responsible_name"] == world.orgs["a.school"].name
