#!/usr/bin/env python3
"""Server-side render time of each journey's pages at demo scale.

    .venv/bin/python bench/pages.py               # demo data (load_demo), 15 timed requests per page
    .venv/bin/python bench/pages.py --extra 200   # and 200 more open cases in commune A
    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py   # on PostgreSQL

Builds a throw-away test database (never the demo database), loads the demo through the real
services, logs in as each persona with Django's test client (second factor included) and prints
the median and 90th-percentile milliseconds per page, with the number of SQL queries.
Target: median < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--extra", type=int, default=0, help="open this many more cases in commune A")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        t0 = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
        extra(args.extra)
        print(f"database: {connection.vendor}; demo loaded in {time.perf_counter() - t0:.1f} s; "
              f"{case_count()} cases; {args.runs} timed requests per page\n")
        rows = measure(args.runs, CaptureQueriesContext, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    width = max(len(r[0]) for r in rows)
    print(f"{'page':<{width}}  {'median ms':>9}  {'p90 ms':>7}  {'queries':>7}")
    for name, median, p90, queries in rows:
        flag = "" if median < 100 else "  (over 100 ms)"
        print(f"{name:<{width}}  {median:9.1f}  {p90:7.1f}  {queries:7d}{flag}")
    worst = max(r[1] for r in rows)
    print(f"\nslowest median: {worst:.1f} ms (target < 100 ms)")
    return 0


def case_count() -> int:
    from casework.models import Case

    return Case.objects.count()


def extra(n: int) -> None:
    if not n:
        return
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from casework.models import Area
    from casework.services.intake import ChildInput, IntakeInput, case_open

    user = get_user_model().objects.get(username="counsellor_a")
    commune = Area.objects.get(code="26734")
    for i in range(n):
        case_open(actor=user, data=IntakeInput(
            channel="in_person", received_at=timezone.now() - dt.timedelta(hours=i % 200), classification="at_risk",
            incident_commune_id=commune.pk, risk_kind="violence",
            child=ChildInput(full_name=f"Trẻ em số {i}", estimated_age=8 + i % 7)))


def login(client, username):
    from django.contrib.auth import get_user_model
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from permissions.auth import needs_second_factor

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    if needs_second_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def pages() -> list[tuple[str, str, str]]:
    from casework.models import Case

    def pk(status, commune="26734"):
        case = Case.objects.filter(status=status, commune__code=commune).order_by("pk").first()
        return case.pk

    implementing, submitted, planning, emergency = (pk("implementing"), pk("awaiting_approval"), pk("planning"),
                                                    pk("emergency"))
    return [
        ("A counsellor: my reports", "counsellor_a", "/reports/"),
        ("A counsellor: tasks", "counsellor_a", "/tasks/"),
        ("A counsellor: form 01 screen 1", "counsellor_a", "INTAKE"),
        ("A counsellor: case page", "counsellor_a", f"/cases/{implementing}/"),
        ("B officer: work list", "officer_a", "/work/"),
        ("B officer: case search", "officer_a", "/cases/?q=nguyen"),
        ("B officer: case page (implementing)", "officer_a", f"/cases/{implementing}/"),
        ("B officer: case page (emergency)", "officer_a", f"/cases/{emergency}/"),
        ("B officer: plan drafting (form 04)", "officer_a", f"/cases/{planning}/plan/"),
        ("B chair: approvals", "chair_a", "/approvals/"),
        ("B chair: one-screen approval", "chair_a", f"/cases/{submitted}/approval/"),
        ("B police: tasks", "police_a", "/tasks/"),
        ("C supervisor: area overview", "supervisor_p1", "/area/"),
        ("C supervisor: timeline", "supervisor_p1", f"/cases/{implementing}/timeline/"),
        ("print: form 04 (HTML)", "officer_a", f"/cases/{implementing}/forms/04/"),
    ]


def measure(runs, CaptureQueriesContext, connection):
    from django.test import Client

    rows = []
    clients = {}
    for name, who, url in pages():
        if who not in clients:
            clients[who] = Client()
            login(clients[who], who)
        client = clients[who]
        if url == "INTAKE":
            url = client.get("/cases/new/")["Location"]
        for _ in range(2):   # warm caches, translations, templates
            assert client.get(url).status_code == 200, (name, url)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (name, url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        rows.append((name, statistics.median(times), times[int(len(times) * 0.9) - 1], len(queries)))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
