"""How fast is the one access function with many cases? Prints figures; asserts nothing.

Run on a throw-away PostgreSQL (the production database):
    python3 scripts/pg_test_cluster.py -- .venv/bin/python bench/access_scale.py --cases 50000
or on SQLite with DATABASE_URL=sqlite:///var/bench.sqlite3.

Builds one province with N communes, N*k cases (bulk inserts, not services: this measures reads),
tasks for the police of each commune and per-case grants, then times the list page query, a
single-case access check and the locked access used by every write.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402


def timed(fn, repeat=30):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--grants", type=int, default=100000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from casework.demo import build_world
    from casework.models import Area, AreaKind, Case, Child, Incident, Intake, Organisation, Task
    from casework.selectors import case_list_for_user
    from permissions.access import access_case_by_id, forget_assignments
    from permissions.models import CaseUserObjectPermission

    world = build_world(password=None)
    province = world.areas["p1"]
    User = get_user_model()
    with transaction.atomic():
        communes = [Area.objects.create(code=f"9{i:04d}", name=f"Xã {i}", kind=AreaKind.COMMUNE, parent=province)
                    for i in range(args.communes)]
        police = [Organisation.objects.create(name=f"Công an xã {i}", kind="police", area=c)
                  for i, c in enumerate(communes)]
        reporter = world.users["counsellor_a"]
        now = timezone.now()
        children = Child.objects.bulk_create([Child(full_name=f"Trẻ {i}", estimated_age=10, name_folded=f"tre {i}")
                                              for i in range(args.cases)], batch_size=5000)
        incidents = Incident.objects.bulk_create([Incident(commune=communes[i % args.communes])
                                                  for i in range(args.cases)], batch_size=5000)
        intakes = Intake.objects.bulk_create([
            Intake(channel="phone", received_at=now, received_by=reporter,
                   receiving_organisation=world.orgs["a.school"], classification="at_risk",
                   routed_to=communes[i % args.communes]) for i in range(args.cases)], batch_size=5000)
        cases = Case.objects.bulk_create([
            Case(code=f"B-{i:07d}", child=children[i], incident=incidents[i], intake=intakes[i], level="support",
                 commune=communes[i % args.communes], incident_commune=communes[i % args.communes],
                 reporting_organisation=world.orgs["a.school"], opened_at=now)
            for i in range(args.cases)], batch_size=5000)
        Task.objects.bulk_create([
            Task(case=cases[i], organisation=police[i % args.communes], title="t", assigned_by=reporter,
                 assigned_at=now) for i in range(0, args.cases, 5)], batch_size=5000)
        grantees = [User.objects.create(username=f"bench_grantee_{i}") for i in range(50)]
        view = Permission.objects.get(codename="view_case", content_type__app_label="casework")
        CaseUserObjectPermission.objects.bulk_create([
            CaseUserObjectPermission(user=grantees[i % 50], content_object=cases[(i * 7) % args.cases],
                                     permission=view, purpose="bench")
            for i in range(args.grants)], batch_size=5000, ignore_conflicts=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")

    officer = world.users["officer_a"]
    from permissions.models import Role, RoleAssignment

    officer_far = User.objects.create(username="bench_officer")
    RoleAssignment.objects.create(user=officer_far, role=Role.objects.get(code="commune_officer"),
                                  organisation=police[3], area=communes[3])
    police_user = User.objects.create(username="bench_police")
    RoleAssignment.objects.create(user=police_user, role=Role.objects.get(code="commune_police"),
                                  organisation=police[3], area=communes[3])
    supervisor = world.users["supervisor_p1"]
    grantee = grantees[0]
    target = cases[3]

    print(f"database: {connection.vendor}; cases {Case.objects.count()}, tasks {Task.objects.count()}, "
          f"grants {CaseUserObjectPermission.objects.count()}")
    for label, user in (("commune officer", officer_far), ("commune police (tasks)", police_user),
                        ("province supervisor", supervisor), ("grant holder", grantee), ("officer, empty", officer)):
        def first_page(user=user):
            forget_assignments(user)
            return list(case_list_for_user(user)[:50])

        median, worst = timed(first_page)
        print(f"  list first 50, {label:<24} median {median:7.2f} ms   max {worst:7.2f} ms   "
              f"({len(first_page())} rows)")

    def one_case():
        forget_assignments(officer_far)
        return access_case_by_id(officer_far, target.pk)

    median, worst = timed(one_case)
    print(f"  access_case_by_id (officer)            median {median:7.2f} ms   max {worst:7.2f} ms")

    def locked():
        with transaction.atomic():
            forget_assignments(officer_far)
            return access_case_by_id(officer_far, target.pk, for_update=True)

    median, worst = timed(locked)
    print(f"  access_case_by_id for update           median {median:7.2f} ms   max {worst:7.2f} ms")


if __name__ == "__main__":
    main()
