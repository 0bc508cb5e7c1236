import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.services import plans
from tests.casework.scenario import to_submitted_plan


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    """Each test's evidence storage is an empty folder of its own."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR


def stored_files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="certificate.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def jpeg_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"   # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (21.0, 1.0, 30.0), "E", (105.0, 51.0, 12.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def case(world, open_case):
    """A case of commune A being implemented: tasks for the commune police and the school."""
    case = open_case()
    to_submitted_plan(world, case)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05/QĐ-UBND")
    case.refresh_from_db()
    return case
