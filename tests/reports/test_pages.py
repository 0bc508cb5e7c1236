"""Pages: the walk from draft to receipt through the forms, dashboards per role with a chart and
its table, bounded queries on the list pages."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.translation import override

from reports.models import Report, ReportStatus as R
from tests.permissions.test_web_matrix import signed_in

TODAY = timezone.localdate()


def test_a_commune_report_walks_the_chain_through_the_pages(world, open_case):
    open_case()
    officer, chair, supervisor = (signed_in(world.users[u]) for u in ("officer_a", "chair_a", "supervisor_p1"))
    r = officer.post("/reporting/reports/new/", {
        "body_id": world.orgs["a.committee"].pk, "kind": "ad_hoc",
        "period_start": (TODAY - dt.timedelta(days=10)).isoformat(), "period_end": TODAY.isoformat()})
    assert r.status_code == 302
    report = Report.objects.get()
    url = f"/reporting/reports/{report.pk}/"
    page = officer.get(url).content.decode()
    assert "0101" in page and 'data-action="submit"' not in page   # results not written yet
    assert "Write the results section" in page or "Viết phần kết quả" in page
    assert officer.post(url + "act/narrative/", {"version": report.version, "results": "Đã hỗ trợ 1 trẻ.",
                                                 "difficulties": "", "proposals": ""}).status_code == 302
    assert officer.post(url + "act/submit/").status_code == 302
    assert chair.post(url + "act/sign/").status_code == 302
    assert officer.post(url + "act/send/").status_code == 302
    page = supervisor.get(url).content.decode()
    assert 'id="checksum"' in page and 'data-action="receive"' in page
    assert supervisor.post(url + "act/return/", {"reason": ""}).status_code == 400
    assert supervisor.post(url + "act/receive/").status_code == 302
    report.refresh_from_db()
    assert report.status == R.RECEIVED


def test_a_bad_draft_form_is_shown_again_with_its_errors(world):
    officer = signed_in(world.officer_a)
    r = officer.post("/reporting/reports/new/", {"body_id": world.orgs["a.committee"].pk, "kind": "thematic"})
    assert r.status_code == 400 and Report.objects.count() == 0
    # Someone who drafts for no body cannot post the form at all.
    assert signed_in(world.police_a).post("/reporting/reports/new/", {}).status_code == 403


def svg_and_table(page: str, cid: str):
    figure = re.search(rf'<figure[^>]*aria-labelledby="{cid}-cap".*?</figure>', page, re.S)
    assert figure, f"no chart {cid}"
    block = figure.group(0)
    assert "<svg" in block and 'aria-hidden="true"' in block and f'id="{cid}-table"' in block
    return block


@pytest.mark.parametrize("who,charts", [
    ("officer_a", ["officer"]), ("chair_a", ["chair"]), ("supervisor_p1", ["forms"]), ("counsellor_a", ["school"])])
def test_each_role_gets_its_dashboard_with_a_chart_and_its_table(world, open_case, who, charts):
    open_case()
    with override("en"):
        page = signed_in(world.users[who]).get("/reporting/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for cid in charts:
        svg_and_table(page, cid)


def test_the_supervisor_ranks_communes_and_links_to_the_cases_behind_each_number(world, open_case):
    open_case()
    page = signed_in(world.supervisor_p1).get("/reporting/").content.decode()
    table = re.search(r'<table class="plain" id="communes">.*?</table>', page, re.S).group(0)
    names = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert names[0] == world.areas["a"].name and world.areas["b"].name in names
    assert f'/cases/?commune={world.areas["a"].pk}&amp;open=1">1<' in table
    forms = svg_and_table(page, "forms")
    assert "Bạo lực trẻ em" in forms


def test_the_list_pages_run_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for year in range(2015, 2026):
        Report.objects.create(body=world.orgs["a.committee"], area=world.areas["a"], kind="annual", title=f"y{year}",
                              period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
                              created_by=world.officer_a, recipient=world.orgs["p1.supervisory"])
    client = signed_in(world.supervisor_p1)
    client.get("/reporting/reports/")
    with django_assert_max_num_queries(12):
        assert client.get("/reporting/reports/").status_code == 200
    with django_assert_max_num_queries(60):
        assert client.get("/reporting/").status_code == 200
