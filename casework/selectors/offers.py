"""The one offer model: what a user may do on a case now, and why not when they may not.

``case_actions_for(access)`` returns an ``Offer`` per action the user could take on the case or
one of its records: enabled, or disabled with the reason (a guard's message, a rule's reason).
Pages render it as forms and buttons; the API returns it at ``/api/cases/{id}/actions/`` and in
the case file. Neither decides anything itself: the catalogue below says *what* each action is,
the state machines (``workflows.flows``) and the record rules (``permissions.rules``) say *who*
and *when* — the same functions the services call before they act.

Adding an action: one ``ActionSpec`` here, one service, one web form and one API body keyed by
the spec's ``key`` (``tests/casework/test_offers.py`` fails when a face lacks one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from permissions import rules
from permissions.access import CaseAccess
from permissions.roles import Capability as C
from triage import labels as TL
from workflows.flows import CaseFlow, EmergencyMeasureFlow, IsolationOrderFlow, TaskFlow, TransferFlow
from workflows.states import (
    OPEN_CASE_STATUSES,
    EmergencyMeasureStatus,
    IsolationStatus,
    TaskStatus,
    TransferStatus,
)
from workflows.states import CaseStatus as S

from .cases import case_facts, case_records

OPEN = tuple(OPEN_CASE_STATUSES)


@dataclass(frozen=True)
class ActionSpec:
    """What an action is: its name on every face, its label, and what gates it."""

    key: str                     # the web's /act/<key>/ and the API's action name
    label: Any
    transition: str = ""         # a CaseFlow transition: permission and guards come from the machine
    capability: str = ""         # else: a capability on the case, in one of ``statuses``
    statuses: tuple = ()
    record: str = ""             # "": the case itself; else the kind of record it acts on
    danger: bool = False
    help: Any = ""
    choices: tuple[str, ...] = ()  # named choice lists the form needs ("organisations", "communes")


A = ActionSpec
CASE_SPECS: list[ActionSpec] = [
    A("verification_start", _("Start verification"), transition="start_verification",
      help=_("Check the facts with the commune police (Decree 56 art. 25).")),
    A("verification_record", _("Record the verification findings"), capability=C.CASE_VERIFY,
      statuses=(S.VERIFYING,)),
    A("initial_assessment_start", _("Start the initial assessment (form 02)"),
      transition="start_initial_assessment"),
    A("initial_assessment_record", _("Record the initial assessment (form 02)"), capability=C.CASE_ASSESS,
      statuses=(S.ASSESSING,)),
    A("emergency_declare", _("Declare an emergency"), transition="declare_emergency", danger=True,
      help=_("Emergency measures must be taken within 12 hours of receipt (art. 26.3, 31).")),
    A("emergency_order", _("Order an emergency measure"), capability=C.EMERGENCY_ORDER, statuses=(S.EMERGENCY,),
      choices=("organisations",)),
    A("isolation_issue", _("Issue a temporary isolation order (form 07)"), capability=C.ISOLATION_DECIDE,
      statuses=(S.EMERGENCY,), danger=True,
      help=_("At most 15 days in total unless a competent authority requires more (art. 32).")),
    A("emergency_end", _("End the emergency phase"), transition="end_emergency"),
    A("comprehensive_start", _("Start the comprehensive assessment (form 03)"),
      transition="start_comprehensive_assessment"),
    A("comprehensive_record", _("Record the comprehensive assessment (form 03)"), capability=C.CASE_ASSESS,
      statuses=(S.COMPREHENSIVE,)),
    A("conference_record", _("Record the case conference minutes"), capability=C.CASE_ASSESS,
      statuses=(S.COMPREHENSIVE, S.PLANNING, S.RETURNED), choices=("chairs", "organisations")),
    A("planning_start", _("Start drafting the plan (form 04)"), transition="start_planning"),
    A("plan_draft", _("Draft the plan (form 04)"), capability=C.PLAN_DRAFT, statuses=(S.PLANNING, S.RETURNED),
      choices=("organisations",)),
    A("plan_submit", _("Submit the plan for approval"), transition="submit_plan"),
    A("plan_approve", _("Approve the plan (form 05)"), transition="approve_plan"),
    A("plan_return", _("Return the plan for revision"), transition="return_plan"),
    A("plan_revise", _("Propose an adjustment of the plan"), transition="revise_plan"),
    A("review_start", _("Start the review (form 06)"), transition="start_review"),
    A("review_record", _("Record the review (form 06)"), capability=C.CASE_ASSESS, statuses=(S.REVIEWING,)),
    A("case_close", _("End the plan and close the case"), transition="close"),
    A("case_new_cycle", _("Start a new plan cycle"), transition="start_new_cycle"),
    A("task_assign", _("Assign a task or information request"), capability=C.TASK_ASSIGN, statuses=OPEN,
      choices=("organisations",)),
    A("level_change", _("Change the protection level"), capability=C.CASE_LEVEL, statuses=OPEN),
    # Triage (issue 12): a new report joined to the case or incident it belongs to.
    A("report_attach", TL.ATTACH_LABEL, capability=C.CASE_VERIFY, statuses=(S.RECEIVED,), help=TL.ATTACH_HELP),
    A("transfer_request", _("Transfer to another commune"), capability=C.CASE_TRANSFER, statuses=OPEN,
      choices=("communes",)),
    A("not_eligible", _("Close as not eligible"), transition="mark_not_eligible", danger=True),
    A("reopen", _("Reopen the case"), transition="reopen"),
    A("grant_give", _("Share the case with a person or group"), capability=C.CASE_SHARE, statuses=OPEN),
    A("break_glass", _("See the child's identity for an audit"), capability=C.BREAK_GLASS,
      statuses=tuple(S.values), danger=True,
      help=_("State why; the identity opens for one hour and the reason is on the timeline.")),
]

TASK_MOVES = ("accept", "decline", "start", "complete", "fail", "cancel")
MOVE_LABELS = {
    "accept": _("Accept"), "decline": _("Decline"), "start": pgettext_lazy("task move", "Start"), "complete": _("Mark done"),
    "fail": _("Could not be done"), "cancel": _("Cancel the task"),
}
# Task moves that record why (a refusal, a failure, a withdrawal).
REASON_MOVES = frozenset({"decline", "fail", "cancel"})

ITEM_SPECS: list[ActionSpec] = [
    A("emergency_record", _("Record the outcome"), record="measure", choices=("outcomes",)),
    A("isolation_extend", _("Extend the order"), record="order"),
    A("isolation_revoke", _("Revoke the order"), record="order", danger=True),
    A("transfer_accept", _("Accept the transfer"), record="transfer"),
    A("transfer_decline", _("Decline the transfer"), record="transfer"),
    A("transfer_cancel", _("Withdraw the transfer"), record="transfer"),
    *[A(f"task_{move}", MOVE_LABELS[move], record="task", danger=move == "cancel") for move in TASK_MOVES],
    A("task_log", _("Log an action"), record="task"),
]

SPECS: dict[str, ActionSpec] = {s.key: s for s in CASE_SPECS + ITEM_SPECS}

# The outcome of an emergency measure → the EmergencyMeasureFlow transition that records it.
MEASURE_OUTCOME_TRANSITIONS = {
    EmergencyMeasureStatus.TAKEN: "record_taken",
    EmergencyMeasureStatus.NOT_POSSIBLE: "record_not_possible",
    EmergencyMeasureStatus.CANCELLED: "cancel",
}


@dataclass
class Offer:
    """One action as offered to one user now."""

    spec: ActionSpec
    enabled: bool
    reason: str = ""
    record_id: int | None = None
    choices: dict[str, list[tuple[Any, str]]] = field(default_factory=dict)
    case_pk: int | None = None

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def case_id(self) -> int:
        return self.case_pk

    @property
    def ident(self) -> tuple[str, int | None]:
        """(key, record id): what the parity tests compare between faces."""
        return self.spec.key, self.record_id


def _bound_offer(spec: ActionSpec, machine, name: str, user, *, record_id=None) -> Offer | None:
    """Offer a machine transition: hidden without the permission or outside its source states;
    disabled, with the guard's message, while a condition is unmet."""
    bound = getattr(machine, name)
    if not bound.has_perm(user) or not bound.can_proceed(check_conditions=False):
        return None
    state = type(machine).state
    transition = type(machine).transition_named(name, state.get(machine))
    unmet = transition.get_unmet_condition(machine) if transition else None
    reason = str(getattr(unmet[1], "message", "")) if unmet else ""
    return Offer(spec, unmet is None, reason, record_id=record_id)


def action_choices(spec: ActionSpec, case) -> dict[str, list[tuple[Any, str]]]:
    """The choice lists an action's form needs (bodies, communes), from the rules that bound them."""
    return _choices(spec.choices, case)


def _choices(names: tuple[str, ...], case) -> dict[str, list[tuple[Any, str]]]:
    out: dict[str, list[tuple[Any, str]]] = {}
    for name in names:
        if name == "organisations":
            out[name] = list(rules.assignable_organisations(case).order_by("area__path", "name")
                             .values_list("pk", "name"))
        elif name == "chairs":
            out[name] = [(u.pk, u.get_full_name() or u.username) for u in rules.conference_chairs(case)]
        elif name == "communes":
            out[name] = list(rules.transfer_destinations(case, same_province=True).order_by("name")
                             .values_list("pk", "name"))
    return out


def _case_offers(access: CaseAccess, flow: CaseFlow, records: dict) -> list[Offer]:
    case = access.case
    offers = []
    for spec in CASE_SPECS:
        if spec.transition:
            offer = _bound_offer(spec, flow, spec.transition, access.user)
            if offer is None:
                continue
        elif spec.capability in access.caps and case.status in spec.statuses:
            offer = Offer(spec, True)
            # One order, one pending transfer at a time (the services refuse a second): say why.
            if spec.key == "isolation_issue" and any(
                    o.status in (IsolationStatus.ISSUED, IsolationStatus.EXTENDED)
                    for o in records["isolation_orders"]):
                offer = Offer(spec, False, _gettext("An isolation order is in force: extend or revoke it."))
            if spec.key == "transfer_request" and any(
                    t.status == TransferStatus.REQUESTED for t in records["transfers"]):
                offer = Offer(spec, False, _gettext("A transfer of this case is already pending."))
        else:
            continue
        if offer.enabled:
            offer.choices = _choices(spec.choices, case)
        offer.case_pk = case.pk
        offers.append(offer)
    return offers


def record_offers(access: CaseAccess, *, measures=(), orders=(), transfers=(), tasks=()) -> list[Offer]:
    """The actions on the given records of one case (a body's task list shows only these)."""
    offers = _record_offers(access, measures, orders, transfers, tasks)
    for offer in offers:
        offer.case_pk = access.case.pk
    return offers


def _record_offers(access: CaseAccess, measures, orders, transfers, tasks) -> list[Offer]:
    case = access.case
    if not case.is_open:
        return []
    user = access.user
    offers: list[Offer] = []
    for measure in measures:
        flow = EmergencyMeasureFlow(measure, caps=rules.measure_caps(access, measure))
        outcomes = [(status, label) for status, label in EmergencyMeasureStatus.choices
                    if status in MEASURE_OUTCOME_TRANSITIONS
                    and _bound_offer(SPECS["emergency_record"], flow, MEASURE_OUTCOME_TRANSITIONS[status], user)]
        if outcomes:
            offers.append(Offer(SPECS["emergency_record"], True, record_id=measure.pk,
                                choices={"outcomes": [(s, str(label)) for s, label in outcomes]}))
    for order in orders:
        # Extending is offered whatever the length asked; the guard on the total is checked with it.
        flow = IsolationOrderFlow(order, caps=access.caps, new_total_days=0, authority_request="")
        for key, name in (("isolation_extend", "extend"), ("isolation_revoke", "revoke")):
            offer = _bound_offer(SPECS[key], flow, name, user, record_id=order.pk)
            if offer:
                offers.append(offer)
    for transfer in transfers:
        if transfer.status != TransferStatus.REQUESTED:
            continue
        deciding = TransferFlow(transfer, caps=rules.transfer_caps(access, transfer, deciding=True))
        for key, name in (("transfer_accept", "accept"), ("transfer_decline", "decline")):
            offer = _bound_offer(SPECS[key], deciding, name, user, record_id=transfer.pk)
            if offer:
                offers.append(offer)
        sending = TransferFlow(transfer, caps=rules.transfer_caps(access, transfer, deciding=False))
        offer = _bound_offer(SPECS["transfer_cancel"], sending, "cancel", user, record_id=transfer.pk)
        if offer:
            offers.append(offer)
    for task in tasks:
        caps = rules.task_caps(access, task)
        flow = TaskFlow(task, caps=caps)
        for move in TASK_MOVES:
            offer = _bound_offer(SPECS[f"task_{move}"], flow, move, user, record_id=task.pk)
            if offer:
                offers.append(offer)
        if C.TASK_ACT in caps and task.status in (TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS):
            offers.append(Offer(SPECS["task_log"], True, record_id=task.pk))
    return offers


def case_actions_for(access: CaseAccess, records: dict | None = None) -> list[Offer]:
    """Every action ``access.user`` may take on the case now, or could once a guard is met.

    ``records``: ``case_records(case)`` when the caller has loaded them (the case page), so the
    facts and the records come from one set of queries.
    """
    if not access.content_visible:
        return []
    records = records if records is not None else case_records(access.case)
    flow = CaseFlow(access.case, caps=access.caps, facts=case_facts(access.case, records))
    offers = _case_offers(access, flow, records) + record_offers(
        access, measures=records["emergency_measures"], orders=records["isolation_orders"],
        transfers=records["transfers"], tasks=records["tasks"])
    return offers


__all__ = [
    "CASE_SPECS",
    "ITEM_SPECS",
    "MEASURE_OUTCOME_TRANSITIONS",
    "MOVE_LABELS",
    "REASON_MOVES",
    "SPECS",
    "TASK_MOVES",
    "ActionSpec",
    "Offer",
    "action_choices",
    "case_actions_for",
    "record_offers",
]
