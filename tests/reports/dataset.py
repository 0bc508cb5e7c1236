"""The fixed dataset of the indicator tests, written straight to the tables (the figures read
rows, not timelines), with areas before and after the July 2025 reform.

Areas (besides the demo world's P1 = /79/ with communes a, b and P2 = /01/ with commune c):
  old province OP /70/ → old district OD /70/700/ → old communes OX /70/700/70001/, OY /70/700/70002/,
  all valid until 2025-07-01; new province NP /80/ with new commune NZ /80/80001/ from 2025-07-01.
  Successions (effective 2025-07-01): OX → NZ, OY → NZ, OD → NP, OP → NP.

Children and cases, all in 2025 unless said otherwise (intake received on the date given):
  K1 girl, born 2015-03-10, two cases:
     K1a 2025-02-10 in OX, abused, family, physical violence, father; special group i;
         plan approved (supported); clocks: plan drafted met, plan approved met.
     K1b 2025-08-05 in NZ, abused, school, molestation, a peer (child); special group l;
         clocks: emergency missed, plan approval missed.
  K2 boy, born 2019-06-01, 2025-05-20 in OY, abused, community, neglect, mother; criminal proceedings;
     clock: plan drafted still running but overdue (missed).
  K3 boy, no date of birth, estimated 11 on 2024-06-01, two cases:
     K3a 2025-09-15 in a, abused, online, pornography (exploitation), an online contact (adult) and a
         peer (child); special group k; emergency measure carried out (supported); a task for the
         police of a; clocks: emergency met, plan drafted met.
     K3c 2025-11-20 in c, abused, community, physical violence, no perpetrator recorded.
  K4 girl, born 2012-12-31, 2025-10-01 in a, abused, family, psychological violence, father (one
     incident with K5); emergency measure ordered for the police of a; plan approved (supported);
     transferred to commune c (P2) — the case is owned by c now; clocks: emergency met, plan drafted missed.
  K5 boy, born 2014-01-15, 2025-10-01 in a, same incident as K4, abused, not supported; clock cancelled.
  K6 girl, born 2016-04-04, 2025-11-01 in b, at risk (not abused), special groups d and n, not supported.
  K7 boy, born 2013-01-01, 2025-08-20 in a, abused but closed as not eligible, with a police task and
     a missed emergency clock — counted nowhere.
  K8 girl, born 2014-05-05, 2026-01-05 in a, abused — outside 2025.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from casework.models import (
    Area, AreaKind, Case, CaseAbuseForm, CaseDeadline, Child, EmergencyMeasure, Incident, Intake, Organisation,
    OrganisationKind, Perpetrator, Plan, Task, Term,
)
from reports.models import AreaSuccession

REFORM = dt.date(2025, 7, 1)
TZ = timezone.get_default_timezone()
_codes = itertools.count(1)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def term(kind: str, code: str) -> Term:
    return Term.objects.get(kind=kind, code=code)


def areas(world) -> dict[str, Area]:
    op = Area.objects.create(code="70", name="Tỉnh Bình Phước (cũ)", kind=AreaKind.PROVINCE, valid_to=REFORM)
    od = Area.objects.create(code="700", name="Huyện Hớn Quản (cũ)", kind=AreaKind.DISTRICT, parent=op,
                             valid_to=REFORM)
    ox = Area.objects.create(code="70001", name="Xã Minh Tâm (cũ)", kind=AreaKind.COMMUNE, parent=od, valid_to=REFORM)
    oy = Area.objects.create(code="70002", name="Xã Minh Đức (cũ)", kind=AreaKind.COMMUNE, parent=od, valid_to=REFORM)
    np_ = Area.objects.create(code="80", name="Tỉnh Đồng Nai", kind=AreaKind.PROVINCE, valid_from=REFORM)
    nz = Area.objects.create(code="80001", name="Xã Minh Tâm", kind=AreaKind.COMMUNE, parent=np_, valid_from=REFORM)
    for old, new in ((ox, nz), (oy, nz), (od, np_), (op, np_)):
        AreaSuccession.objects.create(predecessor=old, successor=new, effective_on=REFORM, source="test")
    return {"op": op, "od": od, "ox": ox, "oy": oy, "np": np_, "nz": nz, **world.areas}


def make_case(world, area: Area, child: Child, received: dt.date, *, incident: Incident | None = None,
              classification="abused", environment="family", form="", relations=(), groups=(),
              status="implementing", commune: Area | None = None, criminal_track="") -> Case:
    committee = Organisation.objects.get_or_create(name=f"UBND {area.name}", kind=OrganisationKind.PEOPLES_COMMITTEE,
                                                   area=area)[0]
    if incident is None:
        incident = Incident.objects.create(commune=area, environment=environment or "other")
        for code, is_child in relations:
            Perpetrator.objects.create(incident=incident, relation=term("relation", code), is_child=is_child)
    intake = Intake.objects.create(channel="in_person", received_at=at(received), received_by=world.users["officer_a"],
                                   receiving_organisation=committee, classification=classification, routed_to=area)
    case = Case.objects.create(
        code=f"T-{next(_codes)}", child=child, incident=incident, intake=intake, status=status,
        level="intervention" if classification == "abused" else "support", commune=commune or area,
        incident_commune=area, residence_commune=commune or area, reporting_organisation=committee,
        environment=environment, opened_at=at(received, 10), criminal_track=criminal_track)
    if form:
        CaseAbuseForm.objects.create(case=case, term=term("abuse_form", form), primary=True)
    case.special_groups.set([term("special_group", g) for g in groups])
    return case


def clock(case: Case, kind: str, start: dt.date, state: str, *, due_days=1, subject=""):
    due = at(start) + dt.timedelta(days=due_days)
    CaseDeadline.objects.create(case=case, kind=kind, subject=subject, starts_at=at(start), due_at=due,
                                warn_at=due - dt.timedelta(hours=2), state=state,
                                met_at=due - dt.timedelta(hours=1) if state == "met" else None)


def plan(case: Case, world, status="approved"):
    Plan.objects.create(case=case, author=world.users["officer_a"], version=1, cycle=1, status=status, goals="x",
                        starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31), review_on=dt.date(2025, 12, 1))


def build(world) -> dict:
    A = areas(world)
    police_a = world.orgs["a.police"]
    kids = {
        "K1": Child.objects.create(full_name="Trẻ Một", date_of_birth=dt.date(2015, 3, 10), sex="female"),
        "K2": Child.objects.create(full_name="Trẻ Hai", date_of_birth=dt.date(2019, 6, 1), sex="male"),
        "K3": Child.objects.create(full_name="Trẻ Ba", estimated_age=11, estimated_age_on=dt.date(2024, 6, 1),
                                   sex="male"),
        "K4": Child.objects.create(full_name="Trẻ Bốn", date_of_birth=dt.date(2012, 12, 31), sex="female"),
        "K5": Child.objects.create(full_name="Trẻ Năm", date_of_birth=dt.date(2014, 1, 15), sex="male"),
        "K6": Child.objects.create(full_name="Trẻ Sáu", date_of_birth=dt.date(2016, 4, 4), sex="female"),
        "K7": Child.objects.create(full_name="Trẻ Bảy", date_of_birth=dt.date(2013, 1, 1), sex="male"),
        "K8": Child.objects.create(full_name="Trẻ Tám", date_of_birth=dt.date(2014, 5, 5), sex="female"),
    }
    c = {}
    c["K1a"] = make_case(world, A["ox"], kids["K1"], dt.date(2025, 2, 10), form="violence_physical",
                         relations=[("father", False)], groups=["i"])
    plan(c["K1a"], world)
    clock(c["K1a"], "plan_draft", dt.date(2025, 2, 10), "met", subject="cycle-1")
    clock(c["K1a"], "plan_approval", dt.date(2025, 2, 14), "met", subject="plan-v1")
    c["K1b"] = make_case(world, A["nz"], kids["K1"], dt.date(2025, 8, 5), environment="school",
                         form="sexual_molestation", relations=[("peer", True)], groups=["l"])
    clock(c["K1b"], "emergency_measures", dt.date(2025, 8, 5), "breached")
    clock(c["K1b"], "plan_approval", dt.date(2025, 8, 20), "breached", subject="plan-v1")
    c["K2"] = make_case(world, A["oy"], kids["K2"], dt.date(2025, 5, 20), environment="community", form="neglect",
                        relations=[("mother", False)], criminal_track="Đã khởi tố vụ án")
    clock(c["K2"], "plan_draft", dt.date(2025, 5, 20), "running", due_days=7, subject="cycle-1")
    c["K3a"] = make_case(world, A["a"], kids["K3"], dt.date(2025, 9, 15), environment="online",
                         form="exploitation_pornography", relations=[("online_contact", False), ("peer", True)],
                         groups=["k"])
    EmergencyMeasure.objects.create(case=c["K3a"], author=world.users["chair_a"], kind=term("emergency_measure",
                                    "stop_act"), responsible=world.orgs["a.health"], status="taken",
                                    ordered_at=at(dt.date(2025, 9, 15)), done_at=at(dt.date(2025, 9, 15), 12))
    Task.objects.create(case=c["K3a"], organisation=police_a, title="x", assigned_by=world.users["officer_a"],
                        assigned_at=at(dt.date(2025, 9, 16)))
    clock(c["K3a"], "emergency_measures", dt.date(2025, 9, 15), "met")
    clock(c["K3a"], "plan_draft", dt.date(2025, 9, 16), "met", subject="cycle-1")
    c["K3c"] = make_case(world, A["c"], kids["K3"], dt.date(2025, 11, 20), environment="community",
                         form="violence_physical")
    c["K4"] = make_case(world, A["a"], kids["K4"], dt.date(2025, 10, 1), form="violence_psychological",
                        relations=[("father", False)], commune=A["c"])
    EmergencyMeasure.objects.create(case=c["K4"], author=world.users["chair_a"], kind=term("emergency_measure",
                                    "stop_act"), responsible=police_a, status="ordered",
                                    ordered_at=at(dt.date(2025, 10, 1)))
    plan(c["K4"], world)
    clock(c["K4"], "emergency_measures", dt.date(2025, 10, 1), "met")
    clock(c["K4"], "plan_draft", dt.date(2025, 10, 3), "breached", subject="cycle-1")
    c["K5"] = make_case(world, A["a"], kids["K5"], dt.date(2025, 10, 1), incident=c["K4"].incident,
                        form="violence_physical")
    clock(c["K5"], "plan_draft", dt.date(2025, 10, 1), "cancelled", subject="cycle-1")
    c["K6"] = make_case(world, A["b"], kids["K6"], dt.date(2025, 11, 1), classification="at_risk",
                        environment="", groups=["d", "n"], status="assessing")
    c["K7"] = make_case(world, A["a"], kids["K7"], dt.date(2025, 8, 20), form="violence_physical",
                        relations=[("father", False)], status="not_eligible")
    Task.objects.create(case=c["K7"], organisation=police_a, title="x", assigned_by=world.users["officer_a"],
                        assigned_at=at(dt.date(2025, 8, 21)))
    clock(c["K7"], "emergency_measures", dt.date(2025, 8, 20), "breached")
    c["K8"] = make_case(world, A["a"], kids["K8"], dt.date(2026, 1, 5), form="violence_physical",
                        relations=[("father", False)])
    return {"areas": A, "children": kids, "cases": c}
