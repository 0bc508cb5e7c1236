"""Who may list, attach and download a case's evidence files, persona by persona (one setup)."""

import pytest
from rest_framework.test import APIClient

from evidence.services import attachment_add

from .conftest import pdf

pytestmark = pytest.mark.django_db

# persona: (list, attach to the case file, download a case-file document)
EXPECTED = {
    "officer_a": (200, 201, 200),       # the responsible commune acts on the case
    "chair_a": (200, 201, 200),         # decides the plan
    "deputy_a": (200, 403, 200),        # sees, decides nothing without a delegation
    "police_a": (200, 403, 200),        # holds a task: attaches there, not to the case file
    "counsellor_a": (200, 403, 200),    # reported the case, holds a task
    "health_a": (404, 404, 404),        # no task, no report: outside the case
    "justice_a": (404, 404, 404),
    "supervisor_p1": (200, 403, 403),   # reads the file, never the child's identity
    "supervisor_p2": (404, 404, 404),   # another province
    "officer_b": (404, 404, 404),       # another commune
    "police_b": (404, 404, 404),
    "provider_p1": (404, 404, 404),
    "hotline": (404, 404, 404),         # status only
    "admin": (404, 404, 404),           # no case role
}


def test_evidence_matrix(world, case):
    key = attachment_add(actor=world.users["officer_a"], case_id=case.pk, upload=pdf()).key
    got = {}
    for who in EXPECTED:
        client = APIClient()
        client.force_authenticate(world.users[who])
        base = f"/api/cases/{case.pk}/attachments/"
        got[who] = (client.get(base).status_code,
                    client.post(base, {"file": pdf()}, format="multipart").status_code,
                    client.get(f"{base}{key}/content/").status_code)
    assert got == EXPECTED


def test_signed_out_is_refused(client, world, case):
    assert APIClient().get(f"/api/cases/{case.pk}/attachments/").status_code in (401, 403)
    page = client.get(f"/evidence/cases/{case.pk}/")
    assert page.status_code == 302 and "/login/" in page["Location"]
