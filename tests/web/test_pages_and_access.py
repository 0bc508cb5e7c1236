"""Each journey's pages render for the persona who does the work, and are a 404 — the same 404
as a case that does not exist — for everyone outside the case's reach."""

import re

import pytest

from casework.models import CaseEventType

from .cases import CHILD_NAME


@pytest.mark.parametrize("who, home", [
    ("officer_a", "/work/"), ("chair_a", "/approvals/"), ("supervisor_p1", "/area/"),
    ("counsellor_a", "/reports/"), ("police_a", "/tasks/"), ("health_a", "/tasks/"), ("hotline", "/cases/"),
])
def test_home_routes_each_role_to_its_work_list(as_user, world, who, home):
    response = as_user(who).get("/")
    assert response.status_code == 302 and response["Location"] == home
    assert as_user(who).get(home).status_code == 200


def test_pages_need_a_login(client, world):
    response = client.get("/work/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/work/")
    assert client.get("/login/").status_code == 200


def test_journey_pages_render_for_their_personas(as_user, cases):
    pages = {
        "counsellor_a": ["/reports/", "/tasks/", "/cases/new/", f"/cases/{cases.received.pk}/",
                         f"/cases/{cases.received.pk}/forms/01/"],
        "officer_a": ["/work/", "/cases/", f"/cases/{cases.received.pk}/", f"/cases/{cases.planning.pk}/plan/",
                      f"/cases/{cases.implementing.pk}/", f"/cases/{cases.emergency.pk}/",
                      f"/cases/{cases.comprehensive.pk}/", f"/cases/{cases.implementing.pk}/forms/04/"],
        "chair_a": ["/approvals/", f"/cases/{cases.submitted.pk}/approval/", f"/cases/{cases.emergency.pk}/"],
        "police_a": ["/tasks/", f"/cases/{cases.implementing.pk}/", f"/cases/{cases.emergency.pk}/"],
        "supervisor_p1": ["/area/", f"/cases/{cases.implementing.pk}/", f"/cases/{cases.implementing.pk}/timeline/",
                          f"/cases/{cases.commune_b.pk}/timeline/"],
    }
    for who, urls in pages.items():
        client = as_user(who)
        for url in urls:
            response = client.get(url, follow=url == "/cases/new/")
            assert response.status_code == 200, (who, url, response.status_code)


@pytest.mark.parametrize("who", ["officer_b", "chair_b", "police_b", "counsellor_b", "officer_c", "supervisor_p2",
                                 "health_a", "justice_a"])
def test_out_of_reach_personas_get_a_404(as_user, cases, who):
    client = as_user(who)
    for suffix in ["", "timeline/", "timeline.pdf", "forms/01/", "forms/01.pdf", "approval/", "plan/"]:
        url = f"/cases/{cases.implementing.pk if who != 'health_a' else cases.received.pk}/{suffix}"
        assert client.get(url).status_code == 404, (who, url)
    post = client.post(f"/cases/{cases.received.pk}/act/verification_start/", {"version": 1})
    assert post.status_code == 404


def test_an_unseen_case_is_a_404_exactly_like_a_missing_one(as_user, cases):
    client = as_user("officer_b")
    unseen = client.get(f"/cases/{cases.implementing.pk}/")
    missing = client.get("/cases/99999999/")
    assert unseen.status_code == missing.status_code == 404
    def normalised(response, case_id):
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return body.replace(f"/cases/{case_id}/", "/cases/ID/")

    assert normalised(unseen, cases.implementing.pk) == normalised(missing, 99999999)


def test_404_page_helps_and_shows_no_internals(as_user, world):
    response = as_user("officer_a").get("/cases/424242/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'href="/"' in body and "Traceback" not in body and "case_detail" not in body


def test_403_page_for_an_action_the_role_may_not_take(as_user, cases):
    response = as_user("supervisor_p1").get(f"/cases/{cases.planning.pk}/plan/")
    assert response.status_code == 403
    assert 'href="/"' in response.content.decode()


def test_csrf_failure_page_explains_and_saves_nothing(world):
    from django.test import Client

    from .cases import login

    client = Client(enforce_csrf_checks=True)
    login(client, world.users["officer_a"])
    response = client.post("/cases/1/act/verification_start/", {"version": 1})
    assert response.status_code == 403 and 'href="/"' in response.content.decode()


def test_500_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert 'href="/"' in html and "<h1>" in html


def test_hotline_sees_the_status_only(as_user, world):
    from .cases import report

    case = report(world, who="hotline", name="Lý Thị Hoa")
    response = as_user("hotline").get(f"/cases/{case.pk}/")
    body = response.content.decode()
    assert response.status_code == 200 and case.code in body
    assert "Lý Thị Hoa" not in body and "LTH" not in body
    assert as_user("hotline").get(f"/cases/{case.pk}/timeline/").status_code == 404
    listed = as_user("hotline").get("/cases/").content.decode()
    assert case.code in listed and "LTH" not in listed


def test_vietnamese_by_default_and_english_on_request(as_user, world):
    client = as_user("officer_a")
    assert 'lang="vi"' in client.get("/work/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/work/"})
    assert response.status_code == 302 and response["Location"] == "/work/"
    assert 'lang="en"' in client.get("/work/").content.decode()


def test_masked_personas_never_see_the_childs_name(as_user, cases):
    case = cases.received
    # The supervisor reads every case of the province, masked.
    client = as_user("supervisor_p1")
    for url in [f"/cases/{case.pk}/", f"/cases/{case.pk}/timeline/", "/area/", "/cases/", f"/cases/{case.pk}/forms/01/",
                f"/cases/{case.pk}/?identity=1"]:
        body = client.get(url).content.decode()
        assert CHILD_NAME not in body, url
        assert "Ánh Dương" not in body, url
    assert not case.events.filter(type=CaseEventType.IDENTITY_VIEWED).exists()


def test_lists_mask_the_child_even_for_identity_holders(as_user, cases):
    client = as_user("officer_a")
    for url in ["/work/", "/cases/", f"/cases/{cases.received.pk}/"]:
        assert CHILD_NAME not in client.get(url).content.decode(), url
    assert not cases.received.events.filter(type=CaseEventType.IDENTITY_VIEWED).exists()


def test_revealing_the_identity_shows_it_and_logs_the_read(as_user, cases):
    case = cases.received
    body = as_user("officer_a").get(f"/cases/{case.pk}/?identity=1").content.decode()
    assert CHILD_NAME in body
    read = case.events.get(type=CaseEventType.IDENTITY_VIEWED)
    assert read.actor.username == "officer_a" and read.data["channel"] == "page"
