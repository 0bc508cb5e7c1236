"""Payloads shared by the API tests."""

import datetime as dt

from django.utils import timezone

CHILD_NAME = "Nguyễn Văn An"
PARENT_NAME = "Nguyễn Văn Bình"
CHILD_ADDRESS = "12 Lê Lợi"


def report_payload(world, **overrides) -> dict:
    """Form 01 as JSON: a school counsellor's report of a pupil hurt at home, in commune A."""
    payload = {
        "channel": "in_person",
        "received_at": (timezone.now() - dt.timedelta(minutes=5)).isoformat(),
        "classification": "abused",
        "incident_commune_id": world.areas["a"].pk,
        "child": {
            "full_name": CHILD_NAME, "date_of_birth": "2016-03-04", "sex": "male",
            "residence_commune_id": world.areas["a"].pk, "address": CHILD_ADDRESS,
            "school_id": world.orgs["a.school"].pk, "class_name": "4A", "parents": PARENT_NAME,
        },
        "environment": "family",
        "description": "Bruises on arms, says father hits him.",
        "child_condition": "Bruises, frightened",
        "abuse_forms": ["violence_physical"],
        "perpetrators": [{"relation_code": "father"}],
    }
    payload.update(overrides)
    return payload


def plan_payload(world, responsible="a.police") -> dict:
    today = timezone.localdate()
    return {
        "goals": "Keep the child safe at home; stop the violence.",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=60)).isoformat(),
        "review_on": (today + dt.timedelta(days=60)).isoformat(),
        "measures": [{
            "kind": "intervention_follow_up", "responsible_id": world.orgs[responsible].pk,
            "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=30)).isoformat(),
            "description": "Police visit the family every week.", "cost": "0",
        }],
    }


COMPREHENSIVE = {
    "risk_level": "medium",
    "physical_psychological_state": "Healing bruises; anxious at night.",
    "family_circumstances": "Father drinks; mother protective.",
    "risk_factors": "Father's drinking.",
    "schooling_self_protection": "Attends school; knows whom to call.",
    "community_safety": "Neighbours supportive.",
    "needs": "Counselling, follow-up visits.",
    "child_views": "Wants to stay with mother.",
}
