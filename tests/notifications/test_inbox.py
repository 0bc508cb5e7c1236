"""The inbox: the header count on every page, the list with its filters, marking read — on the
page and through the API, which answer alike; and a notice is its recipient's alone."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from casework.models import CaseEventType as T
from notifications.models import EmailChoice, Notification, Preference
from notifications.selectors import told_for_event
from notifications.services import notices_mark_read, preference_set
from permissions.inbox import may_choose_channels, notices_for
from tests.web.cases import login


@pytest.fixture
def reported(world, open_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return open_case("counsellor_a")


def page(client, url="/notifications/"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_header_counts_unread_notices_and_the_inbox_lists_them_without_the_child(world, reported, client):
    login(client, world.users["officer_a"])
    html = page(client, "/cases/")
    assert 'class="inbox"' in html and '<span class="badge"' in html and ">1</span>" in html
    html = page(client)
    assert reported.code in html and f"/cases/{reported.pk}/" in html
    assert "Đã tiếp nhận thông tin và mở hồ sơ trường hợp" in html   # pages speak Vietnamese first
    assert reported.child.full_name not in html


def test_marking_read_on_the_page_lowers_the_count(world, reported, client):
    login(client, world.users["officer_a"])
    note = Notification.objects.get(recipient=world.users["officer_a"])
    response = client.post("/notifications/read/", {"id": note.pk, "next": "/notifications/?show=unread"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?show=unread"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "Không có thông báo." in page(client, "/notifications/?show=unread")
    assert reported.code in page(client)          # still listed among the read ones


def test_nobody_marks_someone_elses_notice(world, reported, client):
    login(client, world.users["officer_b"])
    note = Notification.objects.get(recipient=world.users["officer_a"])
    client.post("/notifications/read/", {"id": note.pk})
    client.post("/notifications/read/", {"all": "1"})
    note.refresh_from_db()
    assert note.read_at is None
    assert reported.code not in page(client)
    # An offsite "next" is not followed.
    assert client.post("/notifications/read/", {"all": "1", "next": "https://evil.example/"})["Location"] == \
        "/notifications/"


def test_the_filters_show_deadlines_or_emergencies(world, reported, client):
    login(client, world.users["officer_a"])
    assert reported.code not in page(client, "/notifications/?kind=deadlines")
    assert reported.code in page(client, "/notifications/?kind=nonsense")   # an unknown filter shows all
    assert reported.code not in page(client, "/notifications/?show=unread&kind=emergencies")


def test_a_bad_notice_number_is_refused_on_the_page(world, reported, client):
    login(client, world.users["officer_a"])
    response = client.post("/notifications/read/", {"id": "x"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "không hợp lệ" in response.content.decode()


def test_the_email_choice_is_saved_from_the_page(world, client):
    login(client, world.users["chair_a"])
    response = client.post("/notifications/preferences/", {"email": "urgent"}, follow=True)
    assert response.status_code == 200
    assert Preference.objects.get(user=world.users["chair_a"]).email == EmailChoice.URGENT_ONLY
    assert 'value="urgent" checked' in response.content.decode()
    client.post("/notifications/preferences/", {"email": "sometimes"})
    assert Preference.objects.get(user=world.users["chair_a"]).email == EmailChoice.URGENT_ONLY


def test_the_inbox_page_reads_in_a_fixed_number_of_queries(world, open_case, client, django_assert_max_num_queries,
                                                           django_capture_on_commit_callbacks):
    login(client, world.users["officer_a"])
    with django_capture_on_commit_callbacks(execute=True):
        open_case("counsellor_a")
    with django_assert_max_num_queries(30) as few:
        page(client)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            open_case("counsellor_a")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(client)


def test_the_api_lists_counts_and_marks_the_same_notices(world, reported):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(world.users["chair_a"])
    listed = api.get("/api/notifications/?unread=true").json()
    assert listed["count"] == 1
    [item] = listed["results"]
    assert item["case_code"] == reported.code and item["event_type"] == T.CASE_OPENED and item["read"] is False
    assert reported.child.full_name not in str(listed)
    assert api.get("/api/notifications/unread-count/").json() == {"unread": 1}
    assert api.post("/api/notifications/read/", {"ids": [item["id"]]}, format="json").json() == {
        "marked": 1, "unread": 0}
    assert api.get("/api/notifications/?kind=deadlines").json()["count"] == 0
    bad = api.post("/api/notifications/read/", {"ids": ["x"]}, format="json")
    assert bad.status_code == 400 and "ids[0]" in bad.json()["errors"] and bad.json()["code"] == "invalid"


def test_the_api_sets_the_email_choice_and_refuses_unknown_ones(world):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(world.users["officer_a"])
    assert api.get("/api/notifications/preferences/").json() == {"email": "immediate"}
    assert api.post("/api/notifications/preferences/", {"email": "urgent"}, format="json").json() == {
        "email": "urgent"}
    bad = api.post("/api/notifications/preferences/", {"email": "never"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"detail", "code", "errors"}
    assert APIClient().get("/api/notifications/").status_code in (401, 403)


def test_notices_are_their_recipients_alone(world, reported):
    from django.contrib.auth.models import AnonymousUser

    assert set(notices_for(world.users["officer_a"]).values_list("recipient__username", flat=True)) == {"officer_a"}
    assert not notices_for(AnonymousUser()).exists()
    assert notices_mark_read(actor=world.users["officer_b"], everything=True) == 0


def test_a_deactivated_account_chooses_nothing(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    user = get_user_model().objects.create_user("gone", is_active=False)
    assert not may_choose_channels(user)
    with pytest.raises(PermissionDenied):
        preference_set(actor=user, email="urgent")
    with pytest.raises(ValidationError):
        preference_set(actor=world.users["officer_a"], email="sometimes")
    with pytest.raises(ValidationError):
        notices_mark_read(actor=world.users["officer_a"], ids=["x"])


def test_after_a_report_the_page_can_say_who_was_told(world, reported):
    told = told_for_event(reported.events.get(type=T.CASE_OPENED))
    assert told == ["Lê Thị Hồng (Commune chairperson)", "Trần Văn Minh (Commune child-protection officer)"]
