"""permissions/reports.py, rule by rule (the coverage gate wants every branch)."""

import datetime as dt

from casework.models import Area, AreaKind
from permissions.access import forget_assignments
from permissions.models import Role, RoleAssignment
from permissions.reports import (
    can_view_figures, can_view_report, drafting_bodies, figure_scopes, output_leaves_commune, receiving_bodies,
)
from permissions.roles import RoleCode
from reports import services as s
from reports.models import Report
from reports.selectors import report_list_for_user


def draft(world, who, body, **kw):
    return s.report_draft_create(actor=world.users[who], body_id=world.orgs[body].pk, kind="annual", year=2025, **kw)


def test_who_reads_a_report(world):
    commune = draft(world, "officer_a", "a.committee")
    village = draft(world, "village_a", "a_v1.village")
    assert can_view_report(world.officer_a, commune) and can_view_report(world.supervisor_p1, commune)
    assert not can_view_report(world.officer_b, commune) and not can_view_report(world.police_a, commune)
    # The commune reads its villages' reports (area), the village its own (body), the province both.
    assert set(report_list_for_user(world.officer_a)) == {commune, village}
    assert set(report_list_for_user(world.village_a)) == {village}
    assert set(report_list_for_user(world.supervisor_p1)) == {commune, village}
    assert list(report_list_for_user(world.police_a)) == []


def test_figures_by_area_or_by_body(world):
    a, c = world.areas["a"].path, world.areas["c"].path
    assert can_view_figures(world.supervisor_p1, a) and not can_view_figures(world.supervisor_p1, c)
    school = world.orgs["a.school"].pk
    assert can_view_figures(world.counsellor_a, a, school) and not can_view_figures(world.counsellor_a, a)
    assert not can_view_figures(world.police_a, a) and figure_scopes(world.police_a) == []


def test_small_cells_are_suppressed_once_outside_the_commune(world):
    village = draft(world, "village_a", "a_v1.village")
    province = draft(world, "supervisor_p1", "p1.supervisory")
    assert not output_leaves_commune(world.officer_a, village)
    assert output_leaves_commune(world.supervisor_p1, village)
    assert output_leaves_commune(world.officer_a, province)
    orphan = Area.objects.create(code="999", name="Thôn lẻ", kind=AreaKind.VILLAGE, valid_from=dt.date(2025, 7, 1))
    loose = Report(body=world.orgs["a_v1.village"], area=orphan, kind="ad_hoc", title="x",
                   period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 2))
    assert output_leaves_commune(world.officer_a, loose)


def test_a_body_is_listed_once_whatever_the_number_of_roles_held_there(world):
    for code in (RoleCode.CHAIR, RoleCode.SUPERVISOR):
        RoleAssignment.objects.create(user=world.officer_a, role=Role.objects.get(code=code),
                                      organisation=world.orgs["a.committee"], area=world.areas["a"])
    forget_assignments(world.officer_a)
    assert drafting_bodies(world.officer_a) == [world.orgs["a.committee"]]
    assert receiving_bodies(world.officer_a) == [world.orgs["a.committee"]]
