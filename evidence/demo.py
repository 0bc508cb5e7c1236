"""Demo evidence files: a signed minutes PDF on an implementing case of commune A and a photo
(taken with its GPS position, stored without it) on the police's task there; a photo of an
activity of village 1 of commune A, through the same pipeline, with its file log."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Case
from workflows.states import CaseStatus

from .models import Attachment
from .services import attachment_add

MINUTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
           b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _photo() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (180, 190, 200))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (10.0, 46.0, 20.0), "E", (106.0, 41.0, 55.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def load_evidence_demo(world) -> str:
    if Attachment.objects.exists():
        return "Demo evidence files already loaded."
    case = (Case.objects.filter(status=CaseStatus.IMPLEMENTING, commune=world.areas["a"])
            .order_by("pk").first())
    if case is None:
        return "No implementing case for the demo evidence files."
    attachment_add(actor=world.users["officer_a"], case_id=case.pk, description="Biên bản họp (minh hoạ)",
                   upload=SimpleUploadedFile("bien-ban-hop.pdf", MINUTES))
    task = case.tasks.filter(organisation=world.orgs["a.police"]).first()
    if task is not None:
        attachment_add(actor=world.users["police_a"], case_id=case.pk, target="task", record_id=task.pk,
                       description="Ảnh hiện trường (minh hoạ)",
                       upload=SimpleUploadedFile("anh.jpg", _photo()))
    return f"Demo evidence files on case {case.code}: /evidence/cases/{case.pk}/" + _activity_photo(world)


def _activity_photo(world) -> str:
    from prevention.models import Activity

    from .records import record_file_add

    activity = Activity.objects.filter(organiser=world.orgs.get("a_v1.village")).order_by("pk").first()
    if activity is None:
        return ""
    record_file_add(actor=world.users["village_a"], owner="activity", record_id=activity.pk,
                    description="Ảnh buổi sinh hoạt (minh hoạ)", upload=SimpleUploadedFile("anh-sinh-hoat.jpg", _photo()))
    return f"; an activity photo: /evidence/records/activity/{activity.pk}/"
