"""Decree 56/2017 art. 30: the review and the closure weigh the work done — every task done, not
possible (with its reason) or cancelled; closing cancels what is left with the reason on the
timeline; a closed case's tasks leave every work list (issue 8, item 9)."""

import pytest

from casework.errors import Conflict
from casework.models import CaseEvent
from casework.models import CaseEventType as E
from casework.selectors.worklists import body_measures, body_tasks, open_task_count
from casework.services import lifecycle, plans, tasks, transfers
from tests.casework import scenario


def approved(world, open_case):
    case = open_case()
    scenario.to_submitted_plan(world, case)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05")
    return case


def test_review_waits_for_every_task(world, open_case):
    case = approved(world, open_case)
    with pytest.raises(Conflict) as refused:
        lifecycle.case_review_start(actor=world.users["officer_a"], case_id=case.pk)
    assert "Every task" in str(refused.value.message)


def test_a_declined_task_is_cancelled_by_the_officer_before_the_review(world, open_case):
    case = approved(world, open_case)
    police_task = case.tasks.get(organisation=world.orgs["a.police"])
    school_task = case.tasks.get(organisation=world.orgs["a.school"])
    tasks.task_move(actor=world.users["police_a"], case_id=case.pk, task_id=police_task.pk, action="decline",
                    reason="Not our remit.")
    tasks.task_move(actor=world.users["counsellor_a"], case_id=case.pk, task_id=school_task.pk, action="accept")
    tasks.task_move(actor=world.users["counsellor_a"], case_id=case.pk, task_id=school_task.pk, action="fail",
                    reason="The child changed school.")
    with pytest.raises(Conflict):
        lifecycle.case_review_start(actor=world.users["officer_a"], case_id=case.pk)
    tasks.task_move(actor=world.users["officer_a"], case_id=case.pk, task_id=police_task.pk, action="cancel",
                    reason="Re-addressed to the ward police.")
    lifecycle.case_review_start(actor=world.users["officer_a"], case_id=case.pk)


def test_not_eligible_cancels_what_is_left_and_the_lists_forget_it(world, open_case):
    officer = world.users["officer_a"]
    case = open_case()
    scenario.verify(world, case)
    request = tasks.task_assign(actor=officer, case_id=case.pk, organisation_id=world.orgs["a.school"].pk,
                                title="School attendance record")
    assert [t.pk for t in body_tasks(world.users["counsellor_a"])] == [request.pk]
    lifecycle.case_not_eligible(actor=officer, case_id=case.pk, reason="Accidental injury, no abuse.")
    request.refresh_from_db()
    assert request.status == "cancelled" and request.outcome_reason == "Accidental injury, no abuse."
    event = CaseEvent.objects.get(case=case, type=E.CASE_NOT_ELIGIBLE)
    assert event.data["cancelled_tasks"] == [request.pk] and event.reason == "Accidental injury, no abuse."
    assert body_tasks(world.users["counsellor_a"]) == []
    assert open_task_count(world.users["counsellor_a"]) == 0


def test_closing_cancels_a_pending_transfer_with_its_reason(world, open_case):
    officer, chair = world.users["officer_a"], world.users["chair_a"]
    case = approved(world, open_case)
    residence = case.residence_commune_id
    scenario.implement(world, case)
    scenario.review(world, case)
    transfer = transfers.transfer_request(actor=officer, case_id=case.pk, to_commune_id=world.areas["b"].pk,
                                          reason="Family moving.")
    lifecycle.case_close(actor=chair, case_id=case.pk, reason="Safe and stable.")
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert transfer.status == "cancelled" and transfer.decision_reason == "Safe and stable."
    assert case.residence_commune_id == residence
    event = CaseEvent.objects.get(case=case, type=E.CASE_CLOSED)
    assert event.data["cancelled_transfer"] == transfer.pk
    assert body_measures(world.users["police_a"]) == [] and body_tasks(world.users["police_a"]) == []
