"""Evidence files (issue 13, item 2): checked on content, stored privately, handed out only
through the access function, every download on the timeline with the file's SHA-256."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.audit import verify_audit
from casework.errors import CaseNotFound, PermissionDenied, ValidationError
from casework.models import CaseEvent, CaseEventType
from evidence import files
from evidence.models import Attachment
from evidence.services import attachment_add, attachment_open, attachment_withdraw

from .conftest import PDF, jpeg_with_gps, pdf, stored_files

pytestmark = pytest.mark.django_db


def attach(world, case, who="officer_a", upload=None, **kwargs):
    return attachment_add(actor=world.users[who], case_id=case.pk, upload=upload or pdf(), **kwargs)


def events(case, type_):
    return list(CaseEvent.objects.filter(case=case, type=type_).order_by("seq"))


# ------------------------------------------------------------------ attaching

def test_officer_attaches_a_pdf_and_its_hash_is_on_the_timeline(world, case, evidence_dir):
    attachment = attach(world, case, description="Medical certificate")
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    [event] = events(case, CaseEventType.EVIDENCE_ATTACHED)
    assert event.data["sha256"] == attachment.sha256 and event.data["target"] == "case"
    assert event.actor_role == "commune_officer"
    # Stored under a random name outside the web root, with the same bytes.
    [path] = stored_files(evidence_dir)
    assert path.read_bytes() == PDF and "certificate" not in str(path)
    assert len(attachment.key) >= 40
    assert verify_audit(case_ids=[case.pk]).ok


def test_police_attach_to_their_own_task_but_not_to_the_school_s(world, case):
    police_task = case.tasks.get(organisation=world.orgs["a.police"])
    school_task = case.tasks.get(organisation=world.orgs["a.school"])
    attachment = attach(world, case, "police_a", target="task", record_id=police_task.pk)
    assert attachment.task == police_task
    with pytest.raises(PermissionDenied):
        attach(world, case, "police_a", target="task", record_id=school_task.pk)
    with pytest.raises(PermissionDenied):
        attach(world, case, "police_a")   # the case file itself is the commune's


def test_a_measure_takes_files_from_its_body_and_the_drafter(world, case):
    measure = case.plans.get(status="approved").measures.get(responsible=world.orgs["a.school"])
    assert attach(world, case, "counsellor_a", target="measure", record_id=measure.pk).measure == measure
    assert attach(world, case, "officer_a", target="measure", record_id=measure.pk).measure == measure
    with pytest.raises(PermissionDenied):
        attach(world, case, "police_a", target="measure", record_id=measure.pk)


def test_a_record_of_another_case_is_not_found(world, case, open_case):
    from casework.errors import NotFound

    other = open_case()
    with pytest.raises(NotFound):
        attach(world, other, target="task", record_id=case.tasks.first().pk)
    with pytest.raises(ValidationError):
        attach(world, case, target="plan", record_id=1)
    with pytest.raises(ValidationError):
        attach(world, case, target="task", record_id="x")


# ------------------------------------------------------------------ what a file may be

def test_photo_location_is_removed(world, case, evidence_dir):
    from PIL import Image

    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as im:
        assert im.getexif().get_ifd(0x8825)       # the test photo does carry GPS
    attachment = attach(world, case, upload=SimpleUploadedFile("home.jpg", original, content_type="image/jpeg"))
    [path] = stored_files(evidence_dir)
    stored = path.read_bytes()
    with Image.open(io.BytesIO(stored)) as im:
        assert not im.getexif().get_ifd(0x8825) and 0x010F not in im.getexif()
        assert im.size == (32, 24)
    assert b"PhoneMaker" not in stored and attachment.metadata_stripped
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()


@pytest.mark.parametrize("name, data", [
    ("photo.jpg", b"<html><script>alert(1)</script></html>"),         # markup posing as a photo
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10),    # right magic, no image
    ("scan.png", PDF),                                                  # a PDF named as a picture
    ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 64),                         # a program named as a PDF
    ("sheet.xlsx", b"PK\x03\x04 broken zip"),
])
def test_type_spoofing_is_refused_and_nothing_is_written(world, case, evidence_dir, name, data):
    with pytest.raises(ValidationError) as refused:
        attach(world, case, upload=SimpleUploadedFile(name, data, content_type="image/jpeg"))
    assert "file" in refused.value.message_dict
    assert not stored_files(evidence_dir) and not Attachment.objects.exists()
    assert not events(case, CaseEventType.EVIDENCE_ATTACHED)


def test_docx_is_accepted_and_a_macro_document_is_not(world, case):
    import zipfile

    def office(*names):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for n in ("[Content_Types].xml", *names):
                z.writestr(n, "<x/>")
        return out.getvalue()

    ok = attach(world, case, upload=SimpleUploadedFile("minutes.docx", office("word/document.xml")))
    assert ok.content_type == files.DOCX
    sheet = attach(world, case, upload=SimpleUploadedFile("costs", office("xl/workbook.xml")))
    assert sheet.content_type == files.XLSX and sheet.original_name == "costs.xlsx"
    with pytest.raises(ValidationError):
        attach(world, case, upload=SimpleUploadedFile("m.docx", office("word/document.xml", "word/vbaProject.bin")))
    with pytest.raises(ValidationError):
        attach(world, case, upload=SimpleUploadedFile("m.docx", office("other.xml")))


def test_oversized_and_empty_files_are_refused_with_nothing_written(world, case, settings, evidence_dir):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        attach(world, case, upload=SimpleUploadedFile("big.pdf", big))
    assert "larger than 1 MB" in str(refused.value)

    class Unsized(io.BytesIO):   # a stream that does not say its size: the read is bounded
        name, size = "big.pdf", 0
    with pytest.raises(ValidationError):
        attach(world, case, upload=Unsized(big))
    with pytest.raises(ValidationError):
        attach(world, case, upload=SimpleUploadedFile("empty.pdf", b""))
    with pytest.raises(ValidationError):
        attachment_add(actor=world.users["officer_a"], case_id=case.pk, upload=None)
    assert not stored_files(evidence_dir) and not Attachment.objects.exists()
    assert not events(case, CaseEventType.EVIDENCE_ATTACHED)


def test_a_failure_after_storing_removes_the_stored_bytes(world, case, evidence_dir, monkeypatch):
    from evidence import services

    def broken(**kwargs):
        raise RuntimeError("database went away")
    monkeypatch.setattr(services, "case_event_record", broken)
    with pytest.raises(RuntimeError):
        attach(world, case)
    assert not stored_files(evidence_dir) and not Attachment.objects.exists()


# ------------------------------------------------------------------ reading

def test_outsiders_get_not_found_as_for_a_missing_case(world, case):
    attachment = attach(world, case)
    for who in ("officer_b", "police_b", "hotline", "supervisor_p2"):
        with pytest.raises(CaseNotFound):
            attachment_open(actor=world.users[who], case_id=case.pk, key=attachment.key)
        with pytest.raises(CaseNotFound):
            attach(world, case, who)
    assert not events(case, CaseEventType.EVIDENCE_DOWNLOADED)


def test_download_is_logged_with_the_hash(world, case):
    attachment = attach(world, case)
    got, data = attachment_open(actor=world.users["chair_a"], case_id=case.pk, key=attachment.key)
    assert data == PDF and got == attachment
    [event] = events(case, CaseEventType.EVIDENCE_DOWNLOADED)
    assert event.actor == world.users["chair_a"] and event.data["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert verify_audit(case_ids=[case.pk]).ok


def test_a_body_without_sight_of_the_child_reads_only_its_own_task_files(world, case):
    from casework.services.tasks import task_assign

    task = task_assign(actor=world.users["officer_a"], case_id=case.pk, organisation_id=world.orgs["a.justice"].pk,
                       title="Legal aid for the mother")
    on_case = attach(world, case)
    on_task = attach(world, case, target="task", record_id=task.pk)
    with pytest.raises(PermissionDenied):
        attachment_open(actor=world.users["justice_a"], case_id=case.pk, key=on_case.key)
    assert attachment_open(actor=world.users["justice_a"], case_id=case.pk, key=on_task.key)[1] == PDF


def test_bytes_altered_in_storage_are_not_handed_out(world, case, evidence_dir):
    from casework.errors import Conflict

    attachment = attach(world, case)
    [path] = stored_files(evidence_dir)
    path.write_bytes(PDF.replace(b"1.4", b"1.5"))
    with pytest.raises(Conflict):
        attachment_open(actor=world.users["officer_a"], case_id=case.pk, key=attachment.key)
    assert not events(case, CaseEventType.EVIDENCE_DOWNLOADED)


def test_an_unknown_key_is_not_found(world, case):
    from casework.errors import NotFound

    with pytest.raises(NotFound):
        attachment_open(actor=world.users["officer_a"], case_id=case.pk, key="guess")


# ------------------------------------------------------------------ withdrawing

def test_the_uploader_withdraws_and_only_an_auditor_still_reads_it(world, case):
    attachment = attach(world, case)
    with pytest.raises(PermissionDenied):
        attachment_withdraw(actor=world.users["chair_a"], case_id=case.pk, key=attachment.key, reason="x")
    with pytest.raises(ValidationError):
        attachment_withdraw(actor=world.users["officer_a"], case_id=case.pk, key=attachment.key, reason=" ")
    attachment_withdraw(actor=world.users["officer_a"], case_id=case.pk, key=attachment.key, reason="Wrong child")
    [event] = events(case, CaseEventType.EVIDENCE_WITHDRAWN)
    assert event.reason == "Wrong child"
    with pytest.raises(PermissionDenied):
        attachment_open(actor=world.users["officer_a"], case_id=case.pk, key=attachment.key)
    assert attachment_open(actor=world.users["chair_a"], case_id=case.pk, key=attachment.key)[1] == PDF
    with pytest.raises(PermissionDenied):   # once is enough
        attachment_withdraw(actor=world.users["officer_a"], case_id=case.pk, key=attachment.key, reason="again")


def test_a_closed_case_takes_no_more_files_and_says_why(world, case):
    from evidence.selectors import attachment_offers
    from permissions.access import access_case_by_id

    case.status = "closed"
    case.save(update_fields=["status"])
    with pytest.raises(PermissionDenied) as refused:
        attach(world, case)
    assert "closed" in str(refused.value)
    offers, _rows = attachment_offers(access_case_by_id(world.users["officer_a"], case.pk), [])
    assert [(o.key, o.enabled) for o in offers] == [("evidence_attach", False)]
    offers, _rows = attachment_offers(access_case_by_id(world.users["police_a"], case.pk), [])
    assert offers == []


# ------------------------------------------------------------------ pages

def test_case_page_shows_the_files_and_the_list_page_offers_the_upload(client, world, case):
    attachment = attach(world, case, description="Biên bản họp")
    client.force_login(world.users["officer_a"])
    page = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert 'id="evidence"' in page and attachment.key in page and "Biên bản họp" in page
    files_page = client.get(reverse("evidence:evidence_files", args=[case.pk]))
    assert files_page.status_code == 200 and 'enctype="multipart/form-data"' in files_page.content.decode()


def test_upload_and_download_through_pages(client, world, case):
    client.force_login(world.users["officer_a"])
    url = reverse("evidence:evidence_attach", args=[case.pk])
    done = client.post(url, {"target": "case", "file": pdf(), "description": "Giấy chứng nhận"})
    assert done.status_code == 302
    attachment = Attachment.objects.get()
    got = client.get(reverse("evidence:evidence_download", args=[case.pk, attachment.key]))
    assert got.status_code == 200 and got.content == PDF
    assert got["Content-Disposition"].startswith("attachment;") and got["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in got["Content-Security-Policy"] and got["Cache-Control"] == "no-store"
    assert events(case, CaseEventType.EVIDENCE_DOWNLOADED)
    refused = client.post(url, {"target": "case", "file": SimpleUploadedFile("x.jpg", b"<html></html>")})
    assert refused.status_code == 400 and Attachment.objects.count() == 1
    not_chosen = client.post(url, {"target": "task:999999", "file": pdf()})
    assert not_chosen.status_code == 400
    gone = client.post(reverse("evidence:evidence_withdraw", args=[case.pk, attachment.key]), {"reason": ""})
    assert gone.status_code == 302 and not Attachment.objects.get().withdrawn
    gone = client.post(reverse("evidence:evidence_withdraw", args=[case.pk, attachment.key]), {"reason": "Sai"})
    assert gone.status_code == 302 and Attachment.objects.get().withdrawn


def test_pages_are_not_found_for_an_outsider_whatever_is_posted(client, world, case):
    attachment = attach(world, case)
    client.force_login(world.users["officer_b"])
    assert client.get(reverse("evidence:evidence_files", args=[case.pk])).status_code == 404
    assert client.get(reverse("evidence:evidence_download", args=[case.pk, attachment.key])).status_code == 404
    assert client.post(reverse("evidence:evidence_attach", args=[case.pk]), {"junk": "x"}).status_code == 404
    assert client.post(reverse("evidence:evidence_withdraw", args=[case.pk, attachment.key])).status_code == 404
    client.force_login(world.users["police_a"])
    assert client.post(reverse("evidence:evidence_attach", args=[case.pk]), {"target": "case"}).status_code in (400, 403)
    assert not events(case, CaseEventType.EVIDENCE_DOWNLOADED)


def test_files_page_queries_do_not_grow_with_files(client, world, case, django_assert_max_num_queries):
    for _ in range(8):
        attach(world, case, target="task", record_id=case.tasks.first().pk)
    client.force_login(world.users["officer_a"])
    url = reverse("evidence:evidence_files", args=[case.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
