"""/api/cases/{id}/attachments/: the same rules as the pages, errors in the one error model."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from casework.models import CaseEventType
from evidence.models import Attachment

from .conftest import PDF, jpeg_with_gps, pdf, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    def client(username, language="en"):
        c = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        c.force_authenticate(world.users[username])
        return c
    return client


def url(case, tail=""):
    return f"/api/cases/{case.pk}/attachments/{tail}"


def test_attach_list_download_withdraw(api, world, case):
    task = case.tasks.get(organisation=world.orgs["a.police"])
    made = api("police_a").post(url(case), {"file": pdf(), "target": "task", "record_id": task.pk,
                                            "description": "Biên bản"}, format="multipart")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest() and body["may_withdraw"] and body["downloadable"]
    listed = api("officer_a").get(url(case)).json()
    assert listed["count"] == 1 and listed["results"][0]["key"] == body["key"]
    [offer] = listed["actions"]
    assert offer["key"] == "evidence_attach" and offer["enabled"]
    assert {"value": "case", "label": "the case file"} in offer["targets"]
    got = api("officer_a").get(url(case, f"{body['key']}/content/"))
    assert got.status_code == 200 and got.content == PDF and got["Cache-Control"] == "no-store"
    assert case.events.filter(type=CaseEventType.EVIDENCE_DOWNLOADED, actor=world.users["officer_a"]).exists()
    withdrawn = api("police_a").post(url(case, f"{body['key']}/withdraw/"), {"reason": "Nhầm"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]


def test_outsider_gets_the_same_404_whatever_the_body(api, world, case):
    key = api("officer_a").post(url(case), {"file": pdf()}, format="multipart").json()["key"]
    missing = api("officer_b").get("/api/cases/999999/attachments/").json()
    for answer in (
        api("officer_b").get(url(case)),
        api("officer_b").post(url(case), {"file": pdf()}, format="multipart"),
        api("officer_b").post(url(case), b"garbage", content_type="multipart/form-data; boundary=x"),
        api("officer_b").get(url(case, f"{key}/content/")),
        api("officer_b").post(url(case, f"{key}/withdraw/"), {"reason": "x"}, format="json"),
        api("hotline").get(url(case, f"{key}/content/")),
    ):
        assert answer.status_code == 404 and answer.json() == missing
    assert not case.events.filter(type=CaseEventType.EVIDENCE_DOWNLOADED).exists()


def test_refusals_are_in_the_error_model(api, world, case, settings, evidence_dir):
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100 * 1024   # a multipart body may be 64 + 64 kB here
    spoof = api("officer_a").post(url(case), {"file": SimpleUploadedFile("a.jpg", b"<svg onload=x>")},
                                  format="multipart")
    assert spoof.status_code == 400 and spoof.json()["code"] == "invalid" and "file" in spoof.json()["errors"]
    big = api("officer_a").post(url(case), {"file": SimpleUploadedFile("b.pdf", PDF + b"0" * 64 * 1024)},
                                format="multipart")
    assert big.status_code == 400 and "larger than" in big.json()["errors"]["file"][0]
    # A body beyond any file accepted is refused before it is read.
    huge = api("officer_a").post(url(case), {"file": SimpleUploadedFile("c.pdf", PDF + b"0" * 200 * 1024)},
                                 format="multipart")
    assert huge.status_code == 413 and huge.json()["code"] == "too_large"
    denied = api("police_a").post(url(case), {"file": pdf()}, format="multipart")
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    missing_file = api("officer_a").post(url(case), {"target": "case"}, format="multipart")
    assert missing_file.status_code == 400 and "file" in missing_file.json()["errors"]
    assert not stored_files(evidence_dir) and not Attachment.objects.exists()


def test_errors_read_in_vietnamese(api, world, case):
    spoof = api("officer_a", "vi").post(url(case), {"file": SimpleUploadedFile("a.jpg", b"MZ")}, format="multipart")
    assert "Chỉ nhận tệp PDF" in spoof.json()["errors"]["file"][0]


def test_photo_through_the_api_loses_its_location(api, world, case, evidence_dir):
    made = api("officer_a").post(url(case), {"file": SimpleUploadedFile("p.jpg", jpeg_with_gps())},
                                 format="multipart")
    assert made.status_code == 201 and made.json()["metadata_stripped"]
    [path] = stored_files(evidence_dir)
    assert b"PhoneMaker" not in path.read_bytes()


def test_list_queries_do_not_grow_with_files(api, world, case, django_assert_max_num_queries):
    for _ in range(6):
        api("officer_a").post(url(case), {"file": pdf()}, format="multipart")
    client = api("officer_a")
    with django_assert_max_num_queries(20):
        assert client.get(url(case)).json()["count"] == 6
