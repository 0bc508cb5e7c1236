"""The national child database export (art. 30.3): a closed case's file, logged, for its commune only."""

import json

import pytest
from django.utils import timezone

from casework.errors import CaseNotFound, Conflict, PermissionDenied
from casework.models import Case, CaseEventType
from reports.national import FORMAT, case_national_export
from tests.permissions.test_web_matrix import signed_in


@pytest.fixture
def closed(open_case):
    case = open_case()
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now(), closure_reason="Trẻ an toàn")
    case.refresh_from_db()
    return case


def test_the_owning_officer_exports_a_closed_file_and_it_is_logged(world, closed):
    result = case_national_export(actor=world.officer_a, case_id=closed.pk)
    doc = result["document"]
    assert doc["format"] == FORMAT and doc["case"]["code"] == closed.code
    assert doc["child"]["full_name"] == closed.child.full_name
    assert doc["classification"]["abuse_forms"] == ["violence_physical"]
    event = closed.events.get(type=CaseEventType.FILE_EXPORTED)
    assert event.actor == world.officer_a and event.data["sha256"] == result["sha256"]
    assert event.data["kind"] == "national_child_database"


def test_only_the_owning_officer_and_only_closed_cases(world, closed, open_case):
    for who in ("chair_a", "supervisor_p1", "counsellor_a"):
        with pytest.raises(PermissionDenied):
            case_national_export(actor=world.users[who], case_id=closed.pk)
    for who in ("officer_b", "officer_c"):
        with pytest.raises(CaseNotFound):
            case_national_export(actor=world.users[who], case_id=closed.pk)
    with pytest.raises(Conflict):
        case_national_export(actor=world.officer_a, case_id=open_case().pk)
    assert not closed.events.filter(type=CaseEventType.FILE_EXPORTED).exists()


def test_the_page_downloads_the_json(world, closed, open_case):
    url = f"/reporting/cases/{closed.pk}/national-export/"
    r = signed_in(world.officer_a).post(url)
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert json.loads(r.content)["child"]["full_name"] == closed.child.full_name
    assert signed_in(world.officer_b).post(url).status_code == 404
    assert signed_in(world.chair_a).post(url).status_code == 403
    assert signed_in(world.officer_a).post(f"/reporting/cases/{open_case().pk}/national-export/").status_code == 409
