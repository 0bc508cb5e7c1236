"""The state machines of a case, declared in one place.

Legal source: Decree 56/2017/ND-CP art. 25–32 (text in shared/law), Law on Children 2016
art. 47–52. Each machine is pure: it wraps an object that has the state attribute, reads
facts handed to it, and never touches the database. Persistence, locking, the audit event and
deadlines belong to ``casework.services``.

Permissions are capabilities (``permissions.roles.Capability``) the acting user holds *on this
case*; the service computes them and passes them in as ``caps``. viewflow.fsm's ``has_perm`` is a
query, so services check it before calling a transition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from viewflow import fsm

from permissions.roles import Capability as C

from .states import (
    CaseStatus as S,
)
from .states import (
    EmergencyMeasureStatus as E,
)
from .states import (
    IsolationStatus as I,
)
from .states import (
    PlanStatus as P,
)
from .states import (
    ProtectionLevel as L,
)
from .states import (
    TaskStatus as T,
)
from .states import (
    TransferStatus as X,
)

# Art. 32.3: isolation lasts at most 15 days in total unless a competent authority requires more.
# The statutory default and ceiling; a province or commune may set less (workflows.policy).
ISOLATION_MAX_DAYS = 15

# Art. 31–32, 32.1: the child's safety can be newly threatened at any point of an open case
# (the abuser returns, the parents do not carry out the plan): the emergency branch opens from
# every open state but itself.
EMERGENCY_SOURCES = [S.RECEIVED, S.VERIFYING, S.ASSESSING, S.COMPREHENSIVE, S.PLANNING, S.AWAITING_APPROVAL,
                     S.RETURNED, S.IMPLEMENTING, S.REVIEWING]


def stored_in(state: fsm.State, attribute: str) -> fsm.State:
    """Read and write a machine's state on the wrapped object's ``attribute``."""
    state.getter()(lambda flow: getattr(flow.obj, attribute))
    state.setter()(lambda flow, value: setattr(flow.obj, attribute, value))
    return state


@dataclass(frozen=True)
class allowed:
    """A transition's permission: the actor holds ``capability`` on this object (``flow.caps``).

    ``capability`` is read by the permission-matrix tests and the docs.
    """

    capability: str

    def __call__(self, flow: Any, user: Any) -> bool:
        return self.capability in flow.caps


@dataclass(frozen=True)
class condition:
    """A guard with a reason the user can read, translated at call time (into the request's
    language). Messages are marked with ``gettext_noop`` so they reach the catalog."""

    test: Callable[[Any], bool]
    message: str

    def __call__(self, flow: Any) -> Any:
        return fsm.State.CONDITION(bool(self.test(flow)), _(self.message))


class Machine:
    """Wraps an object's state attribute; ``caps`` are the actor's capabilities on it."""

    state: ClassVar[Any]
    facts: Any

    def __init__(self, obj: Any, *, caps: frozenset[str] | set[str] = frozenset(), **facts: Any):
        self.obj = obj
        self.caps = frozenset(caps)
        self.facts = facts

    def __getattr__(self, name: str) -> Any:
        # Facts are read as attributes in the guards (flow.has_review …).
        try:
            return self.__dict__["facts"][name]
        except KeyError:
            raise AttributeError(name) from None

    @classmethod
    def graph(cls) -> set[tuple[str, str, str]]:
        """Every (transition, source, target) of the machine: asserted whole in the tests."""
        edges = set()
        for transitions in cls.state.get_transitions().values():
            for t in transitions:
                edges.add((t.func.__name__, str(t.source), str(t.target)))
        return edges

    @classmethod
    def transition_named(cls, name: str, source: str):
        for t in getattr(cls, name).get_transitions():
            if str(t.source) == str(source):
                return t
        return None


@dataclass(frozen=True)
class CaseFacts:
    """What the case guards need to know, gathered by the service from the database."""

    level: str = L.SUPPORT
    emergency: bool = False
    verification_recorded: bool = False
    initial_assessment: bool = False
    emergency_needed: bool = False
    emergency_measures_taken: int = 0
    emergency_measures_pending: int = 0
    comprehensive_assessment: bool = False
    conference_minutes: bool = False
    draft_plan_measures: int = 0
    review_this_cycle: bool = False
    # Tasks neither done, not possible, nor cancelled (assigned, accepted, in progress, declined).
    unresolved_tasks: int = 0
    extra: dict = field(default_factory=dict)


UNRESOLVED_TASKS = gettext_noop(
    "Every task must first be done, marked as not possible (with a reason) or cancelled.")


class CaseFlow(Machine):
    """The statutory path of a case (DOMAIN.md §3)."""

    state = stored_in(fsm.State(S, default=S.RECEIVED), "status")

    def __init__(self, case: Any, *, caps=frozenset(), facts: CaseFacts | None = None):
        super().__init__(case, caps=caps)
        self.facts = facts or CaseFacts()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["facts"], name)


    # Art. 25: the officer and the commune police check the facts.
    @state.transition(source=S.RECEIVED, target=S.VERIFYING, permission=allowed(C.CASE_VERIFY))
    def start_verification(self):
        pass

    # Art. 26: the initial risk assessment follows verification.
    @state.transition(source=S.VERIFYING, target=S.ASSESSING, permission=allowed(C.CASE_VERIFY),
                      conditions=[condition(lambda f: f.verification_recorded,
                                            gettext_noop("Record the verification findings first."))])
    def start_initial_assessment(self):
        pass

    # Art. 26.3, 31, 32: serious threat, or the caregiver is the abuser — act within 12 hours.
    # Art. 32.1: also during implementation, so from any open state (EMERGENCY_SOURCES).
    @state.transition(source=EMERGENCY_SOURCES, target=S.EMERGENCY, permission=allowed(C.CASE_DECLARE_EMERGENCY))
    def declare_emergency(self):
        self.obj.emergency = True

    # Art. 27.1: the comprehensive assessment comes "after the initial assessment" — an emergency
    # declared straight from the report still needs its form 02 (art. 31.3.b: keep assessing).
    @state.transition(
        source=S.EMERGENCY, target=S.COMPREHENSIVE, permission=allowed(C.CASE_ASSESS),
        conditions=[
            condition(lambda f: f.emergency_measures_taken > 0,
                      gettext_noop("At least one emergency measure must have been carried out.")),
            condition(lambda f: f.emergency_measures_pending == 0,
                      gettext_noop("Every ordered emergency measure must be carried out, impossible or cancelled first.")),
            condition(lambda f: f.initial_assessment,
                      gettext_noop("Record the initial assessment (form 02) first.")),
        ])
    def end_emergency(self):
        pass

    # Art. 27.1: comprehensive assessment, only after the initial assessment (form 02) — at every
    # protection level, so lowering the level opens no way around it.
    @state.transition(source=S.ASSESSING, target=S.COMPREHENSIVE, permission=allowed(C.CASE_ASSESS),
                      conditions=[
                          condition(lambda f: f.initial_assessment, gettext_noop("Record the initial assessment (form 02) first.")),
                          condition(lambda f: not f.emergency_needed,
                                    gettext_noop("The initial assessment calls for emergency measures: declare the emergency.")),
                      ])
    def start_comprehensive_assessment(self):
        pass

    @state.transition(source=S.COMPREHENSIVE, target=S.PLANNING, permission=allowed(C.PLAN_DRAFT),
                      conditions=[
                          condition(lambda f: f.comprehensive_assessment,
                                    gettext_noop("Record the comprehensive assessment (form 03) first.")),
                          condition(lambda f: f.conference_minutes, gettext_noop("Record the case conference minutes first.")),
                      ])
    def start_planning(self):
        pass

    # Art. 28.2: the file sent for approval holds forms 01 and 02 (point a), 03 and the
    # conference minutes (point b) and the draft plan (point c) — at every protection level.
    @state.transition(source=[S.PLANNING, S.RETURNED], target=S.AWAITING_APPROVAL,
                      permission=allowed(C.PLAN_DRAFT),
                      conditions=[
                          condition(lambda f: f.draft_plan_measures > 0, gettext_noop("The draft plan needs at least one measure.")),
                          condition(lambda f: f.comprehensive_assessment,
                                    gettext_noop("The file lacks the comprehensive assessment (form 03).")),
                          condition(lambda f: f.conference_minutes, gettext_noop("The file lacks the case conference minutes.")),
                          condition(lambda f: f.initial_assessment,
                                    gettext_noop("The file lacks the initial assessment (form 02).")),
                      ])
    def submit_plan(self):
        pass

    # Art. 28.4: only the chairperson decides.
    @state.transition(source=S.AWAITING_APPROVAL, target=S.RETURNED, permission=allowed(C.PLAN_DECIDE))
    def return_plan(self):
        pass

    @state.transition(source=S.AWAITING_APPROVAL, target=S.IMPLEMENTING, permission=allowed(C.PLAN_DECIDE))
    def approve_plan(self):
        pass

    # Art. 29.1a: the plan is adjusted as the child's situation changes, and approved again.
    @state.transition(source=S.IMPLEMENTING, target=S.PLANNING, permission=allowed(C.PLAN_DRAFT))
    def revise_plan(self):
        pass

    # Art. 30: review at the end of the plan, once every task is done, not possible (with its
    # reason) or cancelled — a review of work still under way would not be honest.
    @state.transition(source=S.IMPLEMENTING, target=S.REVIEWING, permission=allowed(C.CASE_ASSESS),
                      conditions=[condition(lambda f: f.unresolved_tasks == 0, UNRESOLVED_TASKS)])
    def start_review(self):
        pass

    # Art. 30.1.b: the chairperson ends the plan.
    @state.transition(source=S.REVIEWING, target=S.CLOSED, permission=allowed(C.PLAN_DECIDE),
                      conditions=[condition(lambda f: f.review_this_cycle,
                                            gettext_noop("A case closes only after its review (form 06).")),
                                  condition(lambda f: f.unresolved_tasks == 0, UNRESOLVED_TASKS)])
    def close(self):
        pass

    @state.transition(source=S.REVIEWING, target=S.PLANNING, permission=allowed(C.PLAN_DECIDE),
                      conditions=[condition(lambda f: f.review_this_cycle,
                                            gettext_noop("A new plan cycle starts only after the review (form 06)."))])
    def start_new_cycle(self):
        self.obj.plan_cycle += 1

    @state.transition(source=[S.RECEIVED, S.VERIFYING, S.ASSESSING, S.COMPREHENSIVE], target=S.NOT_ELIGIBLE,
                      permission=allowed(C.CASE_NOT_ELIGIBLE))
    def mark_not_eligible(self):
        pass

    @state.transition(source=[S.CLOSED, S.NOT_ELIGIBLE], target=S.VERIFYING, permission=allowed(C.CASE_REOPEN))
    def reopen(self):
        pass


class LevelFlow(Machine):
    """Protection level (Law on Children art. 47–50): up when risk or abuse is found, down when
    the risk is removed; always with a reason, recorded by the service."""

    state = stored_in(fsm.State(L, default=L.SUPPORT), "level")


    @state.transition(source=L.PREVENTION, target=L.SUPPORT, permission=allowed(C.CASE_LEVEL))
    def raise_to_support(self):
        pass

    @state.transition(source=[L.PREVENTION, L.SUPPORT], target=L.INTERVENTION, permission=allowed(C.CASE_LEVEL))
    def raise_to_intervention(self):
        pass

    @state.transition(source=L.INTERVENTION, target=L.SUPPORT, permission=allowed(C.CASE_LEVEL))
    def lower_to_support(self):
        pass

    @state.transition(source=L.SUPPORT, target=L.PREVENTION, permission=allowed(C.CASE_LEVEL))
    def lower_to_prevention(self):
        pass


class EmergencyMeasureFlow(Machine):
    """Art. 31: measures the chairperson orders; the body that acts records the outcome."""

    state = stored_in(fsm.State(E, default=E.ORDERED), "status")


    @state.transition(source=E.ORDERED, target=E.TAKEN, permission=allowed(C.EMERGENCY_RECORD))
    def record_taken(self):
        pass

    @state.transition(source=E.ORDERED, target=E.NOT_POSSIBLE, permission=allowed(C.EMERGENCY_RECORD))
    def record_not_possible(self):
        pass

    @state.transition(source=E.ORDERED, target=E.CANCELLED, permission=allowed(C.EMERGENCY_ORDER))
    def cancel(self):
        pass


class IsolationOrderFlow(Machine):
    """Form 07, art. 32: issued by the chairperson; extended while the total stays within 15 days
    unless a competent authority's request is attached; revoked when home is safe; expires."""

    state = stored_in(fsm.State(I, default=I.ISSUED), "status")


    @state.transition(
        source=[I.ISSUED, I.EXTENDED], target=I.EXTENDED, permission=allowed(C.ISOLATION_DECIDE),
        conditions=[condition(lambda f: f.new_total_days <= f.facts.get("max_days", ISOLATION_MAX_DAYS)
                              or f.authority_request,
                              gettext_noop("Isolation cannot exceed the maximum in total without a competent "
                                           "authority's request."))])
    def extend(self):
        pass

    @state.transition(source=[I.ISSUED, I.EXTENDED], target=I.REVOKED, permission=allowed(C.ISOLATION_DECIDE))
    def revoke(self):
        pass

    # Run by the deadline processor when the order's end passes; nobody decides it.
    @state.transition(source=[I.ISSUED, I.EXTENDED], target=I.EXPIRED, permission=None,
                      conditions=[condition(lambda f: f.end_has_passed, gettext_noop("The order has not reached its end yet."))])
    def expire(self):
        pass


class PlanFlow(Machine):
    """Versions of form 04; form 05 is the chairperson's decision on a submitted version."""

    state = stored_in(fsm.State(P, default=P.DRAFT), "status")


    @state.transition(source=P.DRAFT, target=P.SUBMITTED, permission=allowed(C.PLAN_DRAFT))
    def submit(self):
        pass

    @state.transition(source=P.SUBMITTED, target=P.APPROVED, permission=allowed(C.PLAN_DECIDE))
    def approve(self):
        pass

    @state.transition(source=P.SUBMITTED, target=P.RETURNED, permission=allowed(C.PLAN_DECIDE))
    def return_for_revision(self):
        pass

    # A newer approved version replaces this one (art. 29.1a adjustment).
    @state.transition(source=P.APPROVED, target=P.SUPERSEDED, permission=allowed(C.PLAN_DECIDE))
    def supersede(self):
        pass

    # Art. 30.2: the chairperson ends the plan (closure, or a new cycle).
    @state.transition(source=P.APPROVED, target=P.ENDED, permission=allowed(C.PLAN_DECIDE))
    def end(self):
        pass


class TaskFlow(Machine):
    """A referral to one body (art. 28.5, 29). TASK_ACT is held only by members of that body."""

    state = stored_in(fsm.State(T, default=T.ASSIGNED), "status")


    @state.transition(source=T.ASSIGNED, target=T.ACCEPTED, permission=allowed(C.TASK_ACT))
    def accept(self):
        pass

    @state.transition(source=T.ASSIGNED, target=T.DECLINED, permission=allowed(C.TASK_ACT))
    def decline(self):
        pass

    @state.transition(source=T.ACCEPTED, target=T.IN_PROGRESS, permission=allowed(C.TASK_ACT))
    def start(self):
        pass

    @state.transition(source=[T.ACCEPTED, T.IN_PROGRESS], target=T.DONE, permission=allowed(C.TASK_ACT))
    def complete(self):
        pass

    @state.transition(source=[T.ACCEPTED, T.IN_PROGRESS], target=T.FAILED, permission=allowed(C.TASK_ACT))
    def fail(self):
        pass

    # A declined referral is cancelled (or re-addressed) by the officer: it must not stay open.
    @state.transition(source=[T.ASSIGNED, T.ACCEPTED, T.IN_PROGRESS, T.DECLINED], target=T.CANCELLED,
                      permission=allowed(C.TASK_ASSIGN))
    def cancel(self):
        pass


class TransferFlow(Machine):
    """Plans belong to the commune where the child lives (DOMAIN.md §3.2): the owning commune
    asks, the receiving commune accepts or declines."""

    state = stored_in(fsm.State(X, default=X.REQUESTED), "status")


    # caps here are the actor's capabilities in the *receiving* commune.
    @state.transition(source=X.REQUESTED, target=X.ACCEPTED, permission=allowed(C.CASE_TRANSFER))
    def accept(self):
        pass

    @state.transition(source=X.REQUESTED, target=X.DECLINED, permission=allowed(C.CASE_TRANSFER))
    def decline(self):
        pass

    # caps here are the actor's capabilities in the *sending* commune.
    @state.transition(source=X.REQUESTED, target=X.CANCELLED, permission=allowed(C.CASE_TRANSFER))
    def cancel(self):
        pass


MACHINES: list[Any] = [CaseFlow, LevelFlow, EmergencyMeasureFlow, IsolationOrderFlow, PlanFlow, TaskFlow, TransferFlow]
