"""The state machines of the prevention level, pure like workflows.flows (no database).

Sources: Law on Children 2016 art. 47–48 and the seed plans (shared/seeds): a body drafts its
child-work plan, its head signs it ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "TRƯỞNG PHÒNG"), it is issued
to the bodies in "Nơi nhận", may be amended, and is closed after its final (annual) report.
Each task of section IV is carried out by its body and reported done, or not done with a reason.

``caps`` are the capabilities the actor holds *on this record*, computed by
``permissions.prevention``; the services check ``has_perm`` before firing a transition.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop
from viewflow import fsm

from permissions.roles import Capability as C
from workflows.flows import Machine, allowed, condition, stored_in

from .states import TaskStatus as T
from .states import WatchStatus as W
from .states import WorkPlanStatus as P


class WorkPlanFlow(Machine):
    """draft → submitted → signed → issued → (amended …) → closed; a submitted plan can go back."""

    state = stored_in(fsm.State(P, default=P.DRAFT), "status")

    @state.transition(source=P.DRAFT, target=P.SUBMITTED, permission=allowed(C.WORKPLAN_DRAFT),
                      conditions=[
                          condition(lambda f: f.sections > 0, gettext_noop("The plan needs its sections.")),
                          condition(lambda f: f.targets > 0, gettext_noop("The plan needs at least one target.")),
                          condition(lambda f: f.tasks > 0, gettext_noop("Assign at least one task to a body.")),
                      ])
    def submit(self):
        pass

    @state.transition(source=P.SUBMITTED, target=P.DRAFT, permission=allowed(C.WORKPLAN_SIGN))
    def return_to_draft(self):
        pass

    # Four eyes: the head of the body signs what someone else submitted.
    @state.transition(source=P.SUBMITTED, target=P.SIGNED, permission=allowed(C.WORKPLAN_SIGN),
                      conditions=[condition(lambda f: not f.actor_submitted, gettext_noop("The person who submitted the plan cannot sign it."))])
    def sign(self):
        pass

    @state.transition(source=P.SIGNED, target=P.ISSUED, permission=allowed(C.WORKPLAN_SIGN),
                      conditions=[condition(lambda f: f.has_number, gettext_noop("Give the plan its number before issuing it."))])
    def issue(self):
        pass

    @state.transition(source=[P.ISSUED, P.AMENDED], target=P.AMENDED, permission=allowed(C.WORKPLAN_SIGN))
    def amend(self):
        pass

    @state.transition(source=[P.ISSUED, P.AMENDED], target=P.CLOSED, permission=allowed(C.WORKPLAN_SIGN),
                      conditions=[condition(lambda f: f.open_tasks == 0, gettext_noop("Every task must be reported done or not done before closing."))])
    def close(self):
        pass


class PlanTaskFlow(Machine):
    """assigned → in progress → done / not done (with a reason); only while the plan is in force."""

    state = stored_in(fsm.State(T, default=T.ASSIGNED), "status")

    @state.transition(source=T.ASSIGNED, target=T.IN_PROGRESS, permission=allowed(C.WORKPLAN_TASK_ACT),
                      conditions=[condition(lambda f: f.plan_in_force, gettext_noop("The plan is not in force."))])
    def start(self):
        pass

    @state.transition(source=[T.ASSIGNED, T.IN_PROGRESS], target=T.DONE, permission=allowed(C.WORKPLAN_TASK_ACT),
                      conditions=[condition(lambda f: f.plan_in_force, gettext_noop("The plan is not in force."))])
    def complete(self):
        pass

    @state.transition(source=[T.ASSIGNED, T.IN_PROGRESS], target=T.NOT_DONE,
                      permission=allowed(C.WORKPLAN_TASK_ACT),
                      conditions=[condition(lambda f: f.plan_in_force, gettext_noop("The plan is not in force."))])
    def give_up(self):
        pass

    # A task reported by mistake is put back by its body while the plan runs.
    @state.transition(source=[T.DONE, T.NOT_DONE], target=T.IN_PROGRESS, permission=allowed(C.WORKPLAN_TASK_ACT),
                      conditions=[condition(lambda f: f.plan_in_force, gettext_noop("The plan is not in force."))])
    def reopen(self):
        pass


class WatchFlow(Machine):
    """A watch record is followed until it is raised to a case or closed with a reason."""

    state = stored_in(fsm.State(W, default=W.OPEN), "status")

    @state.transition(source=W.OPEN, target=W.RAISED, permission=allowed(C.WATCH_RAISE))
    def raise_to_case(self):
        pass

    @state.transition(source=W.OPEN, target=W.CLOSED, permission=allowed(C.REGISTRY_EDIT))
    def close(self):
        pass


MACHINES = [WorkPlanFlow, PlanTaskFlow, WatchFlow]
