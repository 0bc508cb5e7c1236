"""A NUL character in any text is refused with the field's message, on both databases, before
anything is written (casework/text_guard.py; found by tests/properties on PostgreSQL, where it
was a DataError and a server error)."""

import pytest
from rest_framework.test import APIClient

from casework.errors import ValidationError
from casework.models import Case, CaseEvent
from casework.services import lifecycle
from casework.text_guard import has_nul


def test_a_reason_with_a_nul_is_refused_and_nothing_is_written(world, open_case):
    case = open_case()
    lifecycle.case_verification_start(actor=world.users["officer_a"], case_id=case.pk)
    before = (Case.objects.get(pk=case.pk).version, CaseEvent.objects.filter(case=case).count())
    with pytest.raises(ValidationError) as refused:
        lifecycle.case_level_change(actor=world.users["officer_a"], case_id=case.pk,
                                    level="support" if case.level == "intervention" else "intervention",
                                    reason="Đánh giá\x00 lại")
    assert list(refused.value.message_dict) == ["reason"]
    assert "NUL" in refused.value.message_dict["reason"][0]
    assert (Case.objects.get(pk=case.pk).version, CaseEvent.objects.filter(case=case).count()) == before
    # The finding of a verification is refused the same way (its own record, before the event).
    with pytest.raises(ValidationError) as refused:
        lifecycle.case_verification_record(actor=world.users["officer_a"], case_id=case.pk, findings="a\x00b")
    # The guard names the stored field (the case's verification notes); the faces' own validators,
    # which answer first there, name the input.
    assert list(refused.value.message_dict) == ["verification_notes"]
    assert CaseEvent.objects.filter(case=case).count() == before[1]


def test_the_api_answers_400_in_the_error_model(world, open_case):
    """Through the API the serializer's own null-character check answers first; same model."""
    case = open_case()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_authenticate(world.users["officer_a"])
    assert client.post(f"/api/cases/{case.pk}/actions/start-verification/", {}, format="json").status_code == 200
    events = CaseEvent.objects.filter(case=case).count()
    response = client.post(f"/api/cases/{case.pk}/actions/record-verification/", {"findings": "x\x00y"},
                           format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and "findings" in body["errors"]
    assert CaseEvent.objects.filter(case=case).count() == events


def test_nul_is_looked_for_inside_json_values():
    assert has_nul({"a": ["ok", {"b": "x\x00"}]}) and has_nul({"k\x00": 1}) and has_nul(("\x00",))
    assert not has_nul({"a": ["ok", 1, None, {"b": "x"}]}) and not has_nul(12) and not has_nul(None)
