"""Reads of cases. Every case read starts from ``permissions.access``; nothing here writes."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from permissions.access import CaseAccess, access_case_by_id, case_queryset_for
from permissions.roles import Capability
from workflows.flows import CaseFacts, CaseFlow
from workflows.states import OPEN_CASE_STATUSES, UNRESOLVED_TASK_STATUSES, EmergencyMeasureStatus, PlanStatus

from ..models import Case, CaseDeadline, CaseEvent, CaseEventType, ClockState, Measure
from .clocks import clock_view


def case_list_for_user(user, *, status: str | None = None, open_only: bool = False,
                       commune_id: int | None = None, overdue: bool = False) -> QuerySet[Case]:
    qs = case_queryset_for(user, content=False).select_related("commune", "child", "intake")
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_CASE_STATUSES)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    if overdue:
        # A semi-join, not a join + DISTINCT: the COUNT of the pager and the GROUP BY of the
        # area's totals then see each case once, and no DISTINCT runs over the visible cases.
        qs = qs.filter(pk__in=CaseDeadline.objects.filter(state=ClockState.BREACHED, met_at__isnull=True)
                       .values("case_id"))
    return qs.order_by("-opened_at", "-pk")


def case_for_user(user, case_id) -> CaseAccess:
    """The case and what the user may do on it; CaseNotFound if out of reach."""
    return access_case_by_id(user, case_id, content=False)


def case_clocks_for(access: CaseAccess) -> list[dict]:
    now = timezone.now()
    return [clock_view(row, now) for row in CaseDeadline.objects.filter(case=access.case).order_by("due_at")]


def case_timeline(access: CaseAccess) -> QuerySet[CaseEvent]:
    qs = access.case.events.select_related("actor").order_by("at", "pk")
    if Capability.CASE_AUDIT not in access.caps:
        # Only the chairperson and supervisors see who read the file.
        qs = qs.exclude(type=CaseEventType.IDENTITY_VIEWED)
    return qs


def case_readers(access: CaseAccess) -> QuerySet[CaseEvent]:
    return access.case.events.filter(type__in=[CaseEventType.IDENTITY_VIEWED, CaseEventType.FILE_EXPORTED]) \
        .order_by("-at")


def case_records(case: Case) -> dict:
    """Everything on file for a case, each list loaded in one query (the case page, the API file)."""
    # Emergency measures and isolation orders exist only once an emergency was declared, which
    # sets Case.emergency for good: no query for the others.
    emergency = case.emergency
    # The incident, the child and both bodies of the report in one query (they were three): the
    # access function loads the case with its areas and intake only.
    joined = (Case.objects.select_related("incident", "child", "reporting_organisation",
                                          "intake__receiving_organisation")
              .only("incident", "child", "reporting_organisation", "intake__receiving_organisation")
              .get(pk=case.pk))
    case.incident, case.child = joined.incident, joined.child
    case.reporting_organisation = joined.reporting_organisation
    case.intake.receiving_organisation = joined.intake.receiving_organisation
    return {
        "intake": case.intake,
        "incident": case.incident,
        "perpetrators": list(case.incident.perpetrators.select_related("relation")),
        "abuse_forms": list(case.abuse_form_links.select_related("term").order_by("-primary", "term__order")),
        "special_groups": list(case.special_groups.all()),
        "initial_assessments": list(case.initialassessments.select_related("author")),
        "emergency_measures": list(case.emergencymeasures.select_related("kind", "responsible", "author"))
        if emergency else [],
        "isolation_orders": list(case.isolationorders.select_related("author")) if emergency else [],
        "comprehensive_assessments": list(case.comprehensiveassessments.select_related("author")),
        "conferences": list(case.caseconferences.select_related("author")),
        "plans": list(case.plans.select_related("author", "decided_by").prefetch_related(
            Prefetch("measures", queryset=Measure.objects.select_related("kind", "responsible", "coordinating")))
            .order_by("-version")),
        "tasks": list(case.tasks.select_related("organisation", "measure").prefetch_related("logs")),
        "reviews": list(case.reviews.select_related("author")),
        "transfers": list(case.transfers.select_related("from_commune", "to_commune", "requested_by")
                          .order_by("-requested_at")),
    }


def fact_records(case: Case) -> dict:
    """The part of ``case_records`` the case machine's guards read, loaded lean (services)."""
    return {
        "emergency_measures": list(case.emergencymeasures.only("status")) if case.emergency else [],
        "initial_assessments": list(case.initialassessments.only("created_at", "emergency_needed")),
        "comprehensive_assessments": list(case.comprehensiveassessments.only("pk")[:1]),
        "conferences": list(case.caseconferences.only("pk")[:1]),
        "plans": list(case.plans.filter(status=PlanStatus.DRAFT).only("version", "status", "case_id")
                      .prefetch_related(Prefetch("measures", queryset=Measure.objects.only("pk", "plan_id")))),
        "reviews": list(case.reviews.only("plan_cycle")),
        "tasks": list(case.tasks.only("status", "case_id")),
    }


def case_facts(case: Case, records: dict | None = None) -> CaseFacts:
    """What the case machine's guards read — the one place these facts are derived.

    ``records``: what ``case_records`` (or ``fact_records``) loaded; loaded lean when omitted.
    """
    records = records if records is not None else fact_records(case)
    measures = [m.status for m in records["emergency_measures"]]
    initial = max(records["initial_assessments"], key=lambda a: a.created_at, default=None)
    draft = max((p for p in records["plans"] if p.status == PlanStatus.DRAFT), key=lambda p: p.version,
                default=None)
    return CaseFacts(
        level=case.level,
        emergency=case.emergency,
        verification_recorded=bool(case.verification_notes.strip()),
        initial_assessment=initial is not None,
        emergency_needed=bool(initial and initial.emergency_needed),
        emergency_measures_taken=measures.count(EmergencyMeasureStatus.TAKEN),
        emergency_measures_pending=measures.count(EmergencyMeasureStatus.ORDERED),
        comprehensive_assessment=bool(records["comprehensive_assessments"]),
        conference_minutes=bool(records["conferences"]),
        draft_plan_measures=len(draft.measures.all()) if draft else 0,
        review_this_cycle=any(r.plan_cycle == case.plan_cycle for r in records["reviews"]),
        unresolved_tasks=sum(1 for t in records["tasks"] if t.status in UNRESOLVED_TASK_STATUSES),
    )


def case_flow(access: CaseAccess, records: dict | None = None) -> CaseFlow:
    """The case machine bound to this user's capabilities and the case's facts."""
    return CaseFlow(access.case, caps=access.caps, facts=case_facts(access.case, records))


def case_chain_status(case) -> dict:
    """Whether the case's timeline hash chain verifies, for a "chain verified" line on timeline
    pages and exports (docs/audit.md): ``verified``, ``events``, ``problems`` (one sentence
    each), ``anchor_id``/``anchor_at`` of the latest anchor and ``anchored_upto``, the position
    it covers. Reads only."""
    from ..audit import case_chain_check

    return case_chain_check(case.pk)
