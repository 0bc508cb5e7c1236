"""Journey A: a school counsellor reports on form 01 in three screens."""

import datetime as dt

from django.utils import timezone

from casework.models import Case, Child, Intake

from .cases import CHILD_NAME, report


def start(client) -> str:
    response = client.get("/cases/new/")
    assert response.status_code == 302
    return response["Location"].rsplit("/", 3)[-3]


def child_step(client, token, **overrides):
    data = {"full_name": "Trần Thị Mai", "date_of_birth": "2015-05-01", "sex": "female", "class_name": "4A",
            "residence_commune_id": ""}
    data.update(overrides)
    return client.post(f"/cases/new/{token}/1/", data)


def report_step(client, token, world, **overrides):
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {"classification": "abused", "abuse_forms": ["violence_physical"], "channel": "in_person",
            "received_at": now, "incident_commune_id": world.areas["a"].pk, "environment": "family",
            "description": "Bầm tím ở tay", "perpetrator_relation": "father"}
    data.update(overrides)
    return client.post(f"/cases/new/{token}/2/", data)


def test_counsellor_reports_in_three_screens(as_user, world):
    client = as_user("counsellor_a")
    token = start(client)
    step1 = client.get(f"/cases/new/{token}/1/")
    assert step1.status_code == 200
    # The school's commune is the default place of residence and of the incident.
    assert f'<option value="{world.areas["a"].pk}" selected>' in step1.content.decode()
    assert child_step(client, token)["Location"] == f"/cases/new/{token}/2/"
    step2 = client.get(f"/cases/new/{token}/2/")
    assert f'<option value="{world.areas["a"].pk}" selected>' in step2.content.decode()
    assert report_step(client, token, world)["Location"] == f"/cases/new/{token}/3/"
    step3 = client.get(f"/cases/new/{token}/3/")
    assert "Trần Thị Mai" in step3.content.decode() and f'value="{token}"' in step3.content.decode()
    done = client.post(f"/cases/new/{token}/3/", {"client_token": token})
    case = Case.objects.get(intake__client_token=token)
    assert done.status_code == 302 and done["Location"] == f"/cases/{case.pk}/"
    assert case.child.full_name == "Trần Thị Mai" and case.child.school == world.orgs["a.school"]
    assert case.commune == world.areas["a"] and case.intake.received_by.username == "counsellor_a"
    assert case.intake.client_token == token
    assert [t.code for t in case.abuse_forms.all()] == ["violence_physical"]
    assert case.incident.perpetrators.get().relation.code == "father"
    # The new case is in "my reports".
    assert case.code in client.get("/reports/").content.decode()


def test_submitting_twice_opens_one_case(as_user, world):
    client = as_user("counsellor_a")
    token = start(client)
    child_step(client, token)
    report_step(client, token, world)
    before = Case.objects.count(), Intake.objects.count()
    first = client.post(f"/cases/new/{token}/3/", {"client_token": token})
    second = client.post(f"/cases/new/{token}/3/", {"client_token": token})
    assert (Case.objects.count(), Intake.objects.count()) == (before[0] + 1, before[1] + 1)
    assert first["Location"] == second["Location"]


def test_a_lost_session_draft_still_cannot_open_a_second_case(as_user, world):
    """Two tabs, or a retry after the session was saved: the client token decides."""
    client = as_user("counsellor_a")
    token = start(client)
    child_step(client, token)
    report_step(client, token, world)
    session = client.session
    saved = dict(session["intake_drafts"][token])
    before = Case.objects.count()
    client.post(f"/cases/new/{token}/3/", {"client_token": token})
    session = client.session
    saved.pop("case_id", None)
    session["intake_drafts"][token] = saved   # as if the first submit's session write was lost
    session.save()
    client.post(f"/cases/new/{token}/3/", {"client_token": token})
    assert Case.objects.count() == before + 1


def test_missing_child_details_are_shown_inline(as_user, world):
    client = as_user("counsellor_a")
    token = start(client)
    response = child_step(client, token, full_name="", date_of_birth="")
    body = response.content.decode()
    assert response.status_code == 200 and 'class="errorlist' in body
    assert 'aria-invalid="true"' in body


def test_a_person_over_16_is_refused_by_the_service_on_the_child_screen(as_user, world):
    client = as_user("counsellor_a")
    token = start(client)
    child_step(client, token, date_of_birth="2005-01-01")
    report_step(client, token, world)
    response = client.post(f"/cases/new/{token}/3/", {"client_token": token})
    assert response.status_code == 200 and not Case.objects.filter(intake__client_token=token).exists()
    body = response.content.decode()
    assert 'name="full_name"' in body and 'class="errorlist' in body   # back on screen 1, with the input
    assert "Trần Thị Mai" in body


def test_reporter_identity_needs_consent(as_user, world):
    client = as_user("counsellor_a")
    token = start(client)
    child_step(client, token)
    report_step(client, token, world)
    response = client.post(f"/cases/new/{token}/3/", {"client_token": token, "reporter_name": "Bà Hoa"})
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not Case.objects.filter(intake__client_token=token).exists()


def test_abuse_needs_a_form_of_abuse(as_user, world):
    client = as_user("counsellor_a")
    token = start(client)
    child_step(client, token)
    response = report_step(client, token, world, abuse_forms=[])
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()


def test_registry_finds_known_children_without_diacritics_and_can_be_picked(as_user, world):
    known = report(world, name="Đoàn Thị Xuân")
    client = as_user("counsellor_a")
    token = start(client)
    before = Child.objects.count(), Case.objects.count()
    body = client.get(f"/cases/new/{token}/1/", {"q": "doan thi xuan"}).content.decode()
    assert "Đoàn Thị Xuân" in body
    picked = client.post(f"/cases/new/{token}/1/", {"pick": known.child_id})
    assert picked["Location"] == f"/cases/new/{token}/2/"
    report_step(client, token, world)
    client.post(f"/cases/new/{token}/3/", {"client_token": token})
    assert (Child.objects.count(), Case.objects.count()) == (before[0], before[1] + 1)
    assert Case.objects.get(intake__client_token=token).child_id == known.child_id


def test_registry_never_offers_children_of_cases_the_reporter_cannot_see(as_user, world):
    other = report(world, who="counsellor_b", commune="b", name="Ngô Bảo Ngọc")
    client = as_user("counsellor_a")
    token = start(client)
    assert "Ngô Bảo Ngọc" not in client.get(f"/cases/new/{token}/1/", {"q": "ngo bao ngoc"}).content.decode()
    assert "Ngô Bảo Ngọc" in as_user("counsellor_b").get(f"/cases/new/{start(client)}/1/",
                                                         {"q": "ngo bao ngoc"}).content.decode()
    assert client.post(f"/cases/new/{token}/1/", {"pick": other.child_id}).status_code == 404


def test_duplicate_suggestions_by_folded_name_and_birth_year(as_user, world):
    known = report(world, name=CHILD_NAME, dob=dt.date(2015, 4, 9))
    client = as_user("counsellor_a")
    token = start(client)
    response = child_step(client, token, full_name="nguyen thi anh duong", date_of_birth="2015-12-31")
    body = response.content.decode()
    assert response.status_code == 200 and CHILD_NAME in body and f'value="{known.child_id}"' in body
    # Not the same child: confirm and go on.
    confirmed = child_step(client, token, full_name="nguyen thi anh duong", date_of_birth="2015-12-31",
                           confirm_new="on")
    assert confirmed["Location"] == f"/cases/new/{token}/2/"


def test_a_role_that_cannot_report_is_refused(as_user, world):
    assert as_user("supervisor_p1").get("/cases/new/").status_code == 403


def test_an_unknown_draft_is_a_404(as_user, world):
    assert as_user("counsellor_a").get("/cases/new/nope/1/").status_code == 404
