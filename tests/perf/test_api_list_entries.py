"""Issue 14: ``GET /api/cases/`` builds its entries without DRF's field walk; they must be exactly
what the documented serializers (the OpenAPI schema's ``CaseListEntry``) give, key by key."""

import json

import pytest
from django.db.models import Prefetch

from casework.api import serializers as out
from casework.models import CaseDeadline, ClockState
from casework.selectors import case_list_for_user

WHO = ["officer_a", "supervisor_p1", "hotline", "chair_a"]


def documented(cases, content_ids):
    return [(out.CaseListItemSerializer(c) if c.pk in content_ids else out.CaseStatusOnlySerializer(c)).data
            for c in cases]


def page_of(user):
    return list(case_list_for_user(user).prefetch_related(Prefetch(
        "deadlines", to_attr="open_clocks", queryset=CaseDeadline.objects.filter(
            met_at__isnull=True, state__in=[ClockState.RUNNING, ClockState.BREACHED]).order_by("due_at"))))


def test_entries_equal_the_serializers_for_every_case_both_kinds(world, cases):
    everything = page_of(world.users["supervisor_p1"])
    assert everything and any(c.risk_level for c in everything) and any(not c.risk_level for c in everything)
    assert any(c.open_clocks for c in everything)
    half = {c.pk for c in everything[::2]}  # both kinds of entry, interleaved, in page order
    fast = out.case_list_entries(everything, half)
    slow = documented(everything, half)
    # Same JSON text: same keys in the same order, same types, same instants to the microsecond.
    assert json.dumps(fast, sort_keys=False, default=str) == json.dumps(slow, sort_keys=False, default=str)


@pytest.mark.parametrize("who", WHO)
def test_the_api_list_answers_what_the_serializers_say(world, cases, who):
    """Through the API (the hotline sees status-only entries of what it reported)."""
    from rest_framework.test import APIClient

    from permissions.access import case_queryset_for

    user = world.users[who]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_authenticate(user)
    body = client.get("/api/cases/").json()
    listed = body["results"] if isinstance(body, dict) else body
    by_id = {c.pk: c for c in page_of(user)}
    shown = [by_id[e["id"]] for e in listed]
    content = set(case_queryset_for(user).values_list("pk", flat=True))
    from django.utils import translation

    with translation.override("vi"):
        assert listed == json.loads(json.dumps(documented(shown, content)))
    if who == "hotline":
        assert all(set(e) == {"id", "code", "status", "opened_at"} for e in listed)
