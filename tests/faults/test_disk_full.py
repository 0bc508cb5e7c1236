"""A full disk (issue 13, item 5): ENOSPC from the evidence storage and SQLSTATE 53100 from the
database are a 503 ``disk_full`` the user can act on, with nothing half-written. The real
drill, with file systems that fill, is scripts/drill_disk_full.py (``make drill-disk-full``)."""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from config.faults import database_fault
from evidence.models import FileEvent, RecordFile
from reports import services as reports

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class FakePgError(Exception):
    sqlstate = "53100"


def test_what_counts_as_a_full_disk():
    assert database_fault(OSError(errno.ENOSPC, "No space left on device")) == "disk_full"
    try:
        try:
            raise FakePgError('could not extend file "base/16384/2619": No space left on device')
        except FakePgError as cause:
            raise OperationalError("could not extend file") from cause
    except OperationalError as exc:
        assert database_fault(exc) == "disk_full"
    assert database_fault(OperationalError("database or disk is full")) == "disk_full"   # SQLite
    assert database_fault(OSError(errno.EACCES, "Permission denied")) is None
    assert database_fault(OperationalError("server closed the connection")) == "unavailable"


@pytest.fixture
def full_disk(monkeypatch):
    """The evidence storage writes half a file, then the disk is full."""
    def save(self, name, content):
        path = self.path(name)
        import os

        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(b"%PDF-1.4 half")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(FileSystemStorage, "_save", save)


@pytest.mark.django_db
def test_a_full_evidence_disk_is_a_503_and_leaves_nothing(world, settings, tmp_path, full_disk):
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    today = timezone.localdate()
    report = reports.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk,
                                         kind="ad_hoc", period_start=today.replace(day=1), period_end=today)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    api.force_authenticate(world.officer_a)
    answer = api.post(f"/api/evidence/records/report/{report.pk}/files/",
                      {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    assert answer.status_code == 503 and answer.json()["code"] == "disk_full"
    assert int(answer["Retry-After"]) > 0 and "hết dung lượng" in answer.json()["detail"]
    page = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="vi")
    page.force_login(world.officer_a)
    shown = page.post(f"/evidence/records/report/{report.pk}/attach/", {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert shown.status_code == 503 and "hết dung lượng" in shown.content.decode()
    assert not RecordFile.objects.exists() and not FileEvent.objects.exists()
    assert not [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]    # the half file is gone
