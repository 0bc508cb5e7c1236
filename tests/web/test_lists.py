"""Work lists: urgency order, diacritics-insensitive search for identity holders only, and a
bounded number of queries whatever the number of cases."""

import pytest

from .cases import accept_police_task, build_cases, report


def codes_in(body: str, cases) -> list[str]:
    return [c.code for c in cases if c.code in body]


def test_officer_worklist_has_new_reports_and_open_cases_most_urgent_first(as_user, cases):
    body = as_user("officer_a").get("/work/").content.decode()
    urgent_section, rest = body.split('id="h-new"')
    new_section, open_section = rest.split('id="h-open"')
    assert cases.received.code in new_section
    # Issue 8, item 12: the emergency (12-hour clock, due today) is in "due today or overdue",
    # first on the page, before cases whose next clock is days away.
    assert cases.emergency.code in urgent_section and cases.verifying.code in open_section
    assert cases.commune_b.code not in body and cases.province_p2.code not in body


@pytest.mark.parametrize("query", ["nguyen thi anh duong", "Ánh Dương", "ANH DUONG", "anh duong"])
def test_officer_finds_a_child_by_name_with_or_without_diacritics(as_user, cases, query):
    body = as_user("officer_a").get("/cases/", {"q": query}).content.decode()
    assert codes_in(body, cases.all) == [cases.received.code]


def test_name_search_stays_within_the_cases_the_user_may_see(as_user, cases):
    body = as_user("officer_b").get("/cases/", {"q": "anh duong"}).content.decode()
    assert codes_in(body, cases.all) == []
    body = as_user("officer_b").get("/cases/", {"q": "ngo bao ngoc"}).content.decode()
    assert codes_in(body, cases.all) == [cases.commune_b.code]


def test_a_masked_persona_searches_by_case_code_only(as_user, cases):
    client = as_user("supervisor_p1")
    assert codes_in(client.get("/cases/", {"q": "anh duong"}).content.decode(), cases.all) == []
    assert codes_in(client.get("/cases/", {"q": cases.received.code}).content.decode(), cases.all) == \
        [cases.received.code]


def test_case_list_filters_by_status(as_user, cases):
    body = as_user("officer_a").get("/cases/", {"status": "awaiting_approval"}).content.decode()
    assert codes_in(body, cases.all) == [cases.submitted.code]


def test_my_reports_lists_what_my_school_reported(as_user, cases):
    body = as_user("counsellor_a").get("/reports/").content.decode()
    assert cases.received.code in body and cases.emergency.code not in body   # the police reported that one
    assert cases.commune_b.code not in body


def test_supervisor_sees_the_area_by_commune(as_user, cases):
    body = as_user("supervisor_p1").get("/area/").content.decode()
    assert "Phường Bến Thành" in body and "Phường Sài Gòn" in body
    assert cases.commune_b.code in body and cases.province_p2.code not in body
    assert cases.province_p2.code in as_user("supervisor_p2").get("/area/").content.decode()


def test_chair_sees_plans_waiting_and_emergencies(as_user, cases):
    body = as_user("chair_a").get("/approvals/").content.decode()
    assert cases.submitted.code in body and cases.emergency.code in body
    assert f"/cases/{cases.submitted.pk}/approval/" in body


LIST_PAGES = [("officer_a", "/work/"), ("officer_a", "/cases/"), ("officer_a", "/cases/?q=nguyen"),
              ("chair_a", "/approvals/"), ("supervisor_p1", "/area/"), ("counsellor_a", "/reports/"),
              ("police_a", "/tasks/"), ("counsellor_a", "/tasks/")]


@pytest.mark.parametrize("who, url", LIST_PAGES)
def test_list_pages_make_a_bounded_number_of_queries(as_user, world, cases, who, url,
                                                    django_assert_max_num_queries):
    accept_police_task(world, cases.implementing)
    client = as_user(who)
    client.get(url)   # warm the session and translations
    with django_assert_max_num_queries(25) as few:
        assert client.get(url).status_code == 200
    # Twice the cases, and no more queries than before.
    more = build_cases(world)
    accept_police_task(world, more.implementing)
    for i in range(3):
        report(world, name=f"Trẻ em {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_work_list_shows_the_most_urgent_cases_and_says_when_there_are_more(as_user, monkeypatch):
    """Issue 14: the work list renders at most WORKLIST_LIMIT cards, the most urgent ones, and says
    so; search and filters reach the others."""
    import re

    from casework.views import lists

    full = as_user("officer_a").get("/work/").content.decode()
    shown = len(set(re.findall(r'href="/cases/(\d+)/"', full)))
    assert shown >= 3 and "trường hợp khẩn cấp nhất" not in full
    monkeypatch.setattr(lists, "WORKLIST_LIMIT", 2)
    body = as_user("officer_a").get("/work/").content.decode()
    assert len(set(re.findall(r'href="/cases/(\d+)/"', body))) == 2
    assert "Chỉ hiển thị 2 trường hợp khẩn cấp nhất" in body
