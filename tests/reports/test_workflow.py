"""The reporting chain: drafted → submitted → signed → sent (frozen) → received / returned."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from reports import services as s
from reports.chain import bodies_below, body_above
from reports.figures import checksum
from reports.flows import ReportFlow
from reports.models import ReportEventType as E, ReportStatus as R
from reports.sections import register_section, unregister_section

TODAY = timezone.localdate()


@pytest.fixture
def draft(world, open_case):
    open_case()   # one abused child in commune A, received just now
    return s.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="ad_hoc",
                                 period_start=TODAY - dt.timedelta(days=30), period_end=TODAY)


def walk_to_sent(world, report):
    s.report_narrative_save(actor=world.officer_a, report_id=report.pk, results="Đã hỗ trợ kịp thời.",
                            difficulties="Thiếu cán bộ.", proposals="Tập huấn thêm.")
    s.report_submit(actor=world.officer_a, report_id=report.pk)
    s.report_sign(actor=world.chair_a, report_id=report.pk)
    return s.report_send(actor=world.officer_a, report_id=report.pk)


def headline(report, code):
    return next(i["value"] for i in report.figures["indicators"] if i["code"] == code)


def test_the_whole_transition_graph():
    assert ReportFlow.graph() == {
        ("submit", "draft", "submitted"), ("submit", "returned", "submitted"),
        ("send_back", "submitted", "draft"), ("sign", "submitted", "signed"), ("send", "signed", "sent"),
        ("receive", "sent", "received"), ("return_for_supplement", "sent", "returned"),
    }


def test_the_chain_of_bodies(world):
    o = world.orgs
    assert body_above(o["a_v1.village"]) == o["a.committee"]
    assert body_above(o["a.school"]) == o["a.committee"]
    assert body_above(o["a.committee"]) == o["p1.supervisory"]
    assert body_above(o["p1.supervisory"]) is None
    assert body_above(o["a.police"]) is None
    assert set(bodies_below(o["a.committee"])) == {o["a_v1.village"], o["a_v2.village"], o["a.school"]}
    assert set(bodies_below(o["p1.supervisory"])) == {o["a.committee"], o["b.committee"]}


def test_draft_sign_send_receive_with_one_event_each(world, draft):
    assert draft.status == R.DRAFT and draft.recipient == world.orgs["p1.supervisory"]
    assert headline(draft, "0101") == 1
    report = walk_to_sent(world, draft)
    assert report.status == R.SENT and report.snapshot["figures"]["indicators"][0]["value"] == 1
    assert report.checksum == checksum(report.snapshot) and len(report.checksum) == 64
    report = s.report_receive(actor=world.supervisor_p1, report_id=report.pk)
    assert report.status == R.RECEIVED
    assert [(e.type, e.to_state) for e in report.events.all()] == [
        (E.DRAFTED, "draft"), (E.NARRATIVE_SAVED, "draft"), (E.SUBMITTED, "submitted"), (E.SIGNED, "signed"),
        (E.SENT, "sent"), (E.RECEIVED, "received")]
    assert report.events.get(type=E.SENT).data["checksum"] == report.checksum


def test_sent_figures_never_change_when_cases_change_later(world, draft, open_case):
    report = walk_to_sent(world, draft)
    frozen, digest = report.snapshot, report.checksum
    open_case()   # a second abused child in commune A, after sending
    report.refresh_from_db()
    assert report.snapshot == frozen and checksum(report.snapshot) == digest
    assert report.snapshot["figures"]["indicators"][0]["value"] == 1
    with pytest.raises(Conflict):
        s.report_refresh(actor=world.officer_a, report_id=report.pk)


def test_returned_for_a_supplement_then_sent_again(world, draft, open_case):
    report = walk_to_sent(world, draft)
    first = report.checksum
    with pytest.raises(ValidationError):
        s.report_return(actor=world.supervisor_p1, report_id=report.pk, reason=" ")
    report = s.report_return(actor=world.supervisor_p1, report_id=report.pk, reason="Bổ sung số liệu trẻ em khuyết tật")
    assert report.status == R.RETURNED and report.snapshot["figures"] is not None
    open_case()
    report = s.report_refresh(actor=world.officer_a, report_id=report.pk)
    assert headline(report, "0101") == 2
    s.report_submit(actor=world.officer_a, report_id=report.pk)
    s.report_sign(actor=world.chair_a, report_id=report.pk)
    report = s.report_send(actor=world.officer_a, report_id=report.pk)
    assert report.checksum != first and report.snapshot["figures"]["indicators"][0]["value"] == 2
    assert [e.data["checksum"] for e in report.events.filter(type=E.SENT)] == [first, report.checksum]


def test_who_may_do_what(world, draft):
    u = world.users
    # Only the body's drafters submit; only its head signs; only the body above receives.
    with pytest.raises(PermissionDenied):
        s.report_narrative_save(actor=u["chair_a"], report_id=draft.pk, results="x", difficulties="", proposals="")
    s.report_narrative_save(actor=u["officer_a"], report_id=draft.pk, results="x", difficulties="", proposals="")
    with pytest.raises(PermissionDenied):
        s.report_submit(actor=u["chair_a"], report_id=draft.pk)
    s.report_submit(actor=u["officer_a"], report_id=draft.pk)
    with pytest.raises(PermissionDenied):
        s.report_sign(actor=u["officer_a"], report_id=draft.pk)
    s.report_sign(actor=u["chair_a"], report_id=draft.pk)
    s.report_send(actor=u["officer_a"], report_id=draft.pk)
    with pytest.raises(PermissionDenied):
        s.report_receive(actor=u["officer_a"], report_id=draft.pk)
    # Outside the area or the chain, the report does not exist.
    for who in ("officer_b", "chair_c", "supervisor_p2", "police_a", "hotline", "counsellor_a"):
        with pytest.raises(NotFound):
            s.report_receive(actor=u[who], report_id=draft.pk)
    with pytest.raises(NotFound):
        s.report_receive(actor=u["supervisor_p1"], report_id=987654)
    s.report_receive(actor=u["supervisor_p1"], report_id=draft.pk)


def test_submitting_needs_results_and_the_right_state(world, draft):
    with pytest.raises(Conflict, match="results"):
        s.report_submit(actor=world.officer_a, report_id=draft.pk)
    with pytest.raises(Conflict):
        s.report_sign(actor=world.chair_a, report_id=draft.pk)
    s.report_narrative_save(actor=world.officer_a, report_id=draft.pk, results="x", difficulties="", proposals="")
    with pytest.raises(Conflict):
        s.report_narrative_save(actor=world.officer_a, report_id=draft.pk, results="y", difficulties="",
                                proposals="", expected_version=1)
    s.report_submit(actor=world.officer_a, report_id=draft.pk)
    report = s.report_send_back(actor=world.chair_a, report_id=draft.pk, reason="Viết lại phần kết quả")
    assert report.status == R.DRAFT


def test_drafting_is_for_the_bodys_own_drafters_and_a_valid_period(world):
    with pytest.raises(PermissionDenied):
        s.report_draft_create(actor=world.chair_a, body_id=world.orgs["a.committee"].pk, kind="annual", year=2025)
    with pytest.raises(PermissionDenied):
        s.report_draft_create(actor=world.officer_a, body_id=world.orgs["b.committee"].pk, kind="annual", year=2025)
    with pytest.raises(ValidationError):
        s.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="thematic",
                              period_start=TODAY, period_end=TODAY)
    with pytest.raises(ValidationError):
        s.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="annual")
    annual = s.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="annual",
                                   year=2025)
    # Seed 001: the commune reports its year by 10 November; the period is the twelve months before.
    assert (annual.period_start, annual.period_end, annual.due_on) == (
        dt.date(2024, 11, 1), dt.date(2025, 10, 31), dt.date(2025, 11, 10))
    with pytest.raises(Conflict):
        s.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="annual", year=2025)
    village = s.report_draft_create(actor=world.village_a, body_id=world.orgs["a_v1.village"].pk,
                                    kind="six_month", year=2026)
    assert village.due_on == dt.date(2026, 5, 5) and village.recipient == world.orgs["a.committee"]
    forum = s.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="thematic",
                                  theme="childrens_forum", period_start=dt.date(2026, 6, 1),
                                  period_end=dt.date(2026, 6, 1))
    assert forum.due_on == dt.date(2026, 6, 16)


def test_the_body_above_sees_who_reported_and_its_draft_sums_theirs(world, open_case):
    open_case()
    period = dict(kind="ad_hoc", period_start=TODAY - dt.timedelta(days=30), period_end=TODAY)
    a = s.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, **period)
    walk_to_sent(world, a)
    province = s.report_draft_create(actor=world.supervisor_p1, body_id=world.orgs["p1.supervisory"].pk, **period)
    below = {r["body"]: r for r in province.figures["below"]["bodies"]}
    assert below[world.orgs["a.committee"].name]["status"] == "sent"
    assert below[world.orgs["b.committee"].name]["status"] == "missing"
    assert province.figures["below"]["sums"]["0101"] == 1
    assert headline(province, "0101") == 1


def test_registered_sections_are_filled_in_and_frozen(world, draft):
    calls = []

    def provider(*, organisation, area_path, start, end):
        calls.append((organisation.pk, area_path))
        return {"activities_held": 3}

    register_section("test.activities", title="Hoạt động", provider=provider)
    try:
        report = s.report_refresh(actor=world.officer_a, report_id=draft.pk)
    finally:
        unregister_section("test.activities")
    assert report.figures["sections"]["test.activities"] == {"title": "Hoạt động", "figures": {"activities_held": 3}}
    assert calls == [(world.orgs["a.committee"].pk, world.areas["a"].path)]
