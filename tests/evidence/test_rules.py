"""permissions.evidence branch by branch, where the services cannot reach (they stop earlier)."""

import pytest

from evidence.models import Attachment
from permissions import evidence as rules
from permissions.access import case_access

pytestmark = pytest.mark.django_db


def test_an_unknown_target_takes_no_file(world, case):
    assert rules.attach_assignment(case_access(world.users["officer_a"], case), "plan") is None


def test_a_status_only_view_downloads_nothing(world, case):
    access = case_access(world.users["hotline"], case)
    assert not access.content_visible
    assert not rules.may_download(access, Attachment(case=case, target="case"))
    assert rules.attach_assignment(access, "case") is None and rules.attach_refusal(access) == ""


# ------------------------------------------------------------------ files outside any case

@pytest.fixture
def record_world(world):
    import datetime as dt

    from django.utils import timezone

    from prevention import services as P
    from prevention.cast import extend_world
    from reports import services as R

    extend_world(world)
    today = timezone.localdate()
    world.activity = P.activity_record(actor=world.village_a, data=P.ActivityInput(
        kind="awareness", title="Sinh hoạt", held_on=today, organiser_id=world.orgs["a_v1.village"].pk))
    world.report = R.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk,
                                         kind="ad_hoc", period_start=today - dt.timedelta(days=7), period_end=today)
    return world


def test_who_reads_and_attaches_record_files(record_world):
    w = record_world
    assert rules.record_reader(w.village_a, "activity", w.activity) is not None
    assert rules.record_reader(w.supervisor_p1, "activity", w.activity) is None       # figures, not files
    assert rules.record_reader(w.officer_a, "target_report", object()) is None          # no plan access given
    assert rules.record_reader(w.supervisor_p1, "report", w.report) is not None
    assert rules.record_reader(w.officer_b, "report", w.report) is None
    assert rules.record_reader(w.officer_a, "plan", w.report) is None
    assert rules.record_attacher(w.village_a, "activity", w.activity) is not None
    assert rules.record_attacher(w.officer_a, "report", w.report) is not None
    assert rules.record_attacher(w.supervisor_p1, "report", w.report) is None           # reads, does not draft
    assert rules.record_attacher(w.officer_a, "target_report", object()) is None
    assert rules.record_attach_refusal(w.officer_a, "report", w.report) == ""
    w.report.status = "submitted"
    assert rules.record_attacher(w.officer_a, "report", w.report) is None
    assert "submitted" in rules.record_attach_refusal(w.officer_a, "report", w.report)
    assert rules.record_attach_refusal(w.supervisor_p1, "report", w.report) == ""
    assert rules.record_attach_refusal(w.officer_a, "activity", w.activity) == ""


def test_download_and_withdrawal_of_record_files(record_world):
    from django.utils import timezone

    from evidence.models import RecordFile

    w = record_world
    reader = rules.record_reader(w.officer_a, "report", w.report)
    mine = RecordFile(owner="report", report=w.report, uploaded_by=w.officer_a)
    assert rules.record_may_download(reader, mine) and not rules.record_may_download(None, mine)
    assert rules.record_may_withdraw(w.officer_a, "report", w.report, mine)
    assert not rules.record_may_withdraw(w.chair_a, "report", w.report, mine)           # not the uploader
    mine.withdrawn_at = timezone.now()
    assert not rules.record_may_download(reader, mine)
    assert not rules.record_may_withdraw(w.officer_a, "report", w.report, mine)
