"""Who may list, attach and download the files of a prevention activity and of a periodic report,
persona by persona, over the API (one setup each)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from evidence.records import record_file_add
from prevention import services as P
from prevention.cast import extend_world
from reports import services as R

from .conftest import pdf

pytestmark = pytest.mark.django_db
NOBODY = (404, 404, 404)

# persona: (list, attach, download) on village A's activity
ACTIVITY = {
    "village_a": (200, 201, 200),       # the organising body records and reads
    "officer_a": (200, 201, 200),       # the commune acting on it
    # They see the activity (so a POST is a 403, not a 404) but neither record activities for it
    # nor read its files: the list and the file are 404 to them.
    "chair_a": (404, 403, 404),
    "supervisor_p1": (404, 403, 404),   # the province: figures, not photos of children
    "police_a": NOBODY, "officer_b": NOBODY, "supervisor_p2": NOBODY, "hotline": NOBODY, "admin": NOBODY,
}
# persona: (list, attach, download) on commune A's draft report
REPORT = {
    "officer_a": (200, 201, 200),       # drafts it
    "chair_a": (200, 403, 200),         # signs it; reads the files
    "supervisor_p1": (200, 403, 200),   # the province reads the commune's reports
    "village_a": NOBODY, "police_a": NOBODY, "officer_b": NOBODY, "supervisor_p2": NOBODY, "hotline": NOBODY,
    "admin": NOBODY,
}


def run(world, owner, record, expected):
    key = record_file_add(actor=world.users[next(iter(expected))], owner=owner, record_id=record.pk,
                          upload=pdf()).key
    got = {}
    for who in expected:
        client = APIClient()
        client.force_authenticate(world.users[who])
        base = f"/api/evidence/records/{owner}/{record.pk}/files/"
        got[who] = (client.get(base).status_code, client.post(base, {"file": pdf()}, format="multipart").status_code,
                    client.get(f"/api/evidence/files/{key}/content/").status_code)
    assert got == expected


def test_activity_file_matrix(world):
    extend_world(world)
    activity = P.activity_record(actor=world.village_a, data=P.ActivityInput(
        kind="awareness", title="Sinh hoạt", held_on=timezone.localdate(), organiser_id=world.orgs["a_v1.village"].pk))
    run(world, "activity", activity, ACTIVITY)


def test_report_file_matrix(world):
    today = timezone.localdate()
    report = R.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="ad_hoc",
                                   period_start=today - dt.timedelta(days=7), period_end=today)
    run(world, "report", report, REPORT)
