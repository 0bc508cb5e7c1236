"""Files on prevention activities and periodic reports: the same pipeline as case evidence
(content checks, GPS stripped, random keys, storage outside the web root), the records' own
visibility rules, and a hash-chained file log of every attach, download and withdrawal."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from casework.audit import _utc
from casework.errors import NotFound, PermissionDenied, ValidationError
from evidence import files, records
from evidence.models import FileEvent, FileEventType, RecordFile
from prevention import services as P
from prevention.cast import extend_world
from reports import services as R

from .conftest import PDF, jpeg_with_gps, pdf, stored_files

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def pworld(world):
    return extend_world(world)


@pytest.fixture
def activity(pworld):
    return P.activity_record(actor=pworld.village_a, data=P.ActivityInput(
        kind="awareness", title="Tuyên truyền phòng, chống xâm hại", held_on=TODAY,
        organiser_id=pworld.orgs["a_v1.village"].pk))


@pytest.fixture
def report(world):
    return R.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="ad_hoc",
                                 period_start=TODAY - dt.timedelta(days=30), period_end=TODAY)


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def exe(name="bien-ban.pdf"):
    # A Windows program renamed to look like a document.
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64)


def log(subject):
    return list(FileEvent.objects.filter(subject=subject).order_by("seq"))


# ------------------------------------------------------------------ activities

def test_a_photo_of_an_activity_loses_its_gps_and_every_step_is_logged(pworld, activity, evidence_dir):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)     # the phone wrote GPS
    photo = records.record_file_add(actor=pworld.village_a, owner="activity", record_id=activity.pk,
                                    upload=SimpleUploadedFile("anh-buoi-sinh-hoat.jpg", original))
    assert photo.metadata_stripped and photo.content_type == files.JPEG and len(photo.key) == 43
    [stored] = stored_files(evidence_dir)
    assert "anh" not in stored.name and stored.read_bytes() != original
    with Image.open(stored) as image:
        assert not image.getexif().get_ifd(0x8825) and not image.getexif()
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == photo.sha256
    _file, data = records.record_file_open(actor=pworld.officer_a, key=photo.key)
    assert data == stored.read_bytes()
    events = log(f"activity:{activity.pk}")
    assert [e.type for e in events] == [FileEventType.ATTACHED, FileEventType.DOWNLOADED]
    assert {e.sha256 for e in events} == {photo.sha256} and events[1].prev_hash == events[0].hash
    assert events[1].actor == pworld.officer_a and events[1].data == {"channel": "web"}
    assert records.verify_file_log() == []


def test_a_renamed_program_is_refused_and_nothing_is_written(pworld, activity, evidence_dir):
    for upload in (exe(), exe("anh.jpg"), exe("setup.exe")):
        with pytest.raises(ValidationError):
            records.record_file_add(actor=pworld.village_a, owner="activity", record_id=activity.pk, upload=upload)
    assert not RecordFile.objects.exists() and not FileEvent.objects.exists() and not stored_files(evidence_dir)


def test_outsiders_get_404_before_their_upload_is_read(pworld, activity, evidence_dir):
    photo = records.record_file_add(actor=pworld.village_a, owner="activity", record_id=activity.pk, upload=pdf())
    for who in ("officer_b", "police_b", "supervisor_p2", "hotline"):
        user = pworld.users[who]
        with pytest.raises(NotFound):
            records.record_file_open(actor=user, key=photo.key)
        with pytest.raises(NotFound):    # a bad file too: the record is unseen first
            records.record_file_add(actor=user, owner="activity", record_id=activity.pk, upload=exe())
    # The province supervisor sees the activity's figures, never its files.
    with pytest.raises(NotFound):
        records.record_file_open(actor=pworld.supervisor_p1, key=photo.key)
    with pytest.raises(NotFound):
        records.record_file_open(actor=pworld.officer_a, key="x" * 43)
    assert [e.type for e in log(f"activity:{activity.pk}")] == [FileEventType.ATTACHED]


def test_activity_files_on_the_web(client, pworld, activity, evidence_dir):
    client.force_login(pworld.village_a)
    page = f"/evidence/records/activity/{activity.pk}/"
    assert client.get(page).status_code == 200
    refused = client.post(page + "attach/", {"file": exe()})
    assert refused.status_code == 400 and not RecordFile.objects.exists()
    made = client.post(page + "attach/", {"file": SimpleUploadedFile("anh.jpg", jpeg_with_gps()), "description": ""})
    assert made.status_code == 302
    photo = RecordFile.objects.get()
    got = client.get(f"/evidence/files/{photo.key}/")
    assert got.status_code == 200 and got["Content-Disposition"].startswith("attachment")
    assert got["Cache-Control"] == "no-store" and got["X-Content-Type-Options"] == "nosniff"
    # The prevention page links the file by its key, and its own download is the same logged one.
    assert photo.key in client.get(f"/prevention/activities/{activity.pk}/").content.decode()
    assert client.get(f"/prevention/evidence/{photo.key}/").status_code == 200
    assert FileEvent.objects.filter(type=FileEventType.DOWNLOADED).count() == 2
    for who in ("officer_b", "police_a"):
        client.force_login(pworld.users[who])
        assert client.get(f"/evidence/files/{photo.key}/").status_code == 404
        assert client.get(page).status_code == 404
        assert client.post(page + "attach/", {"file": pdf()}).status_code == 404
    assert RecordFile.objects.count() == 1


def test_withdrawal_by_the_uploader_only(pworld, activity):
    photo = records.record_file_add(actor=pworld.village_a, owner="activity", record_id=activity.pk, upload=pdf())
    with pytest.raises(PermissionDenied):
        records.record_file_withdraw(actor=pworld.officer_a, key=photo.key, reason="Nhầm")
    with pytest.raises(ValidationError):
        records.record_file_withdraw(actor=pworld.village_a, key=photo.key, reason=" ")
    records.record_file_withdraw(actor=pworld.village_a, key=photo.key, reason="Nhầm hoạt động")
    with pytest.raises(NotFound):       # withdrawn: no longer handed out
        records.record_file_open(actor=pworld.officer_a, key=photo.key)
    assert [e.type for e in log(f"activity:{activity.pk}")] == [FileEventType.ATTACHED, FileEventType.WITHDRAWN]


def test_a_failure_after_the_file_was_stored_leaves_no_file(pworld, activity, evidence_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the log write failed")

    monkeypatch.setattr(records, "_log", broken)
    with pytest.raises(RuntimeError):
        records.record_file_add(actor=pworld.village_a, owner="activity", record_id=activity.pk, upload=pdf())
    assert not RecordFile.objects.exists() and not stored_files(evidence_dir)


# ------------------------------------------------------------------ periodic reports

def test_report_files_through_the_api(world, report, evidence_dir):
    base = f"/api/evidence/records/report/{report.pk}/files/"
    made = api(world.officer_a).post(base, {"file": pdf(), "description": "Biên bản họp"}, format="multipart")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest() and body["may_withdraw"] and body["owner"] == "report"
    listed = api(world.supervisor_p1).get(base).json()   # whoever reads the report reads its files
    assert listed["count"] == 1 and listed["actions"] == []
    got = api(world.supervisor_p1).get(f"/api/evidence/files/{body['key']}/content/")
    assert got.status_code == 200 and got.content == PDF
    [_attached, downloaded] = log(f"report:{report.pk}")
    assert downloaded.data == {"channel": "api"} and downloaded.actor == world.supervisor_p1
    bad = api(world.officer_a).post(base, {"file": exe()}, format="multipart")
    assert bad.status_code == 400 and "errors" in bad.json()
    # Outside the report: 404 in the error model, whatever the body.
    for who in ("officer_b", "police_a", "supervisor_p2"):
        for response in (api(world.users[who]).get(base), api(world.users[who]).post(base, {"file": exe()}),
                         api(world.users[who]).get(f"/api/evidence/files/{body['key']}/content/")):
            assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api(world.officer_a).get("/api/evidence/records/nothing/1/files/").status_code == 404


def test_a_submitted_report_takes_no_more_files(world, report):
    R.report_narrative_save(actor=world.officer_a, report_id=report.pk, results="Đã hỗ trợ kịp thời.",
                            difficulties="", proposals="")
    R.report_submit(actor=world.officer_a, report_id=report.pk)
    with pytest.raises(PermissionDenied) as refused:
        records.record_file_add(actor=world.officer_a, owner="report", record_id=report.pk, upload=pdf())
    assert "submitted" in str(refused.value)
    listed = api(world.officer_a).get(f"/api/evidence/records/report/{report.pk}/files/").json()
    assert listed["actions"][0]["enabled"] is False and listed["actions"][0]["reason"]


def test_report_page_shows_its_files(client, world, report):
    records.record_file_add(actor=world.officer_a, owner="report", record_id=report.pk, upload=pdf())
    client.force_login(world.officer_a)
    page = client.get(f"/reporting/reports/{report.pk}/").content.decode()
    assert f"/evidence/records/report/{report.pk}/" in page
    assert client.get(f"/evidence/records/report/{report.pk}/").status_code == 200
    client.force_login(world.officer_b)
    assert client.get(f"/evidence/records/report/{report.pk}/").status_code == 404


def test_the_record_pages_query_a_bounded_number_of_times(client, world, report, django_assert_max_num_queries):
    for _n in range(6):
        records.record_file_add(actor=world.officer_a, owner="report", record_id=report.pk, upload=pdf())
    client.force_login(world.officer_a)
    with django_assert_max_num_queries(25):
        assert client.get(f"/evidence/records/report/{report.pk}/").status_code == 200
    with django_assert_max_num_queries(25):
        assert api(world.officer_a).get(f"/api/evidence/records/report/{report.pk}/files/").status_code == 200


# ------------------------------------------------------------------ the file log

def test_verify_file_log_names_what_was_altered_deleted_or_inserted(world, report):
    for _n in range(3):
        records.record_file_add(actor=world.officer_a, owner="report", record_id=report.pk, upload=pdf())
    subject = f"report:{report.pk}"
    first, second, third = log(subject)
    assert records.verify_file_log() == []
    if connection.vendor == "postgresql":
        # The app's database refuses the rewrite outright (triggers), so the rest is SQLite's.
        from django.db import DatabaseError, transaction

        for sql in ("UPDATE evidence_fileevent SET sha256 = 'x'", "DELETE FROM evidence_fileevent",
                    "TRUNCATE evidence_fileevent CASCADE"):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL casework.allow_truncate = off")
                cursor.execute(sql)
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE evidence_fileevent SET actor_organisation = 'X' WHERE id = %s", [second.pk])
    [problem] = records.verify_file_log()
    assert (problem.subject, problem.seq) == (subject, 2) and "altered" in problem.what
    with connection.cursor() as cursor:
        cursor.execute("UPDATE evidence_fileevent SET actor_organisation = %s WHERE id = %s",
                       [second.actor_organisation, second.pk])
        cursor.execute("DELETE FROM evidence_fileevent WHERE id = %s", [second.pk])
    problems = records.verify_file_log()
    assert any(p.seq == 3 and "deleted" in p.what for p in problems)
    assert any("no attach event" in p.what for p in problems)
    with connection.cursor() as cursor:    # a forged event put back in its place
        cursor.execute("INSERT INTO evidence_fileevent (subject, seq, file_id, type, at, actor_id, actor_role, "
                       "actor_organisation, sha256, data, prev_hash, hash) SELECT subject, 2, file_id, type, at, "
                       "actor_id, actor_role, actor_organisation, sha256, data, prev_hash, hash "
                       "FROM evidence_fileevent WHERE id = %s", [first.pk])
    problems = records.verify_file_log()
    assert any(p.seq == 2 and "does not follow" in p.what for p in problems)


@pytest.mark.postgres_only
@pytest.mark.parametrize("sql", ["UPDATE evidence_fileevent SET sha256 = 'x'", "DELETE FROM evidence_fileevent",
                                 "TRUNCATE evidence_fileevent CASCADE"])
def test_the_app_role_cannot_rewrite_the_file_log(world, report, sql):
    from pathlib import Path

    from django.db import DatabaseError, transaction

    records.record_file_add(actor=world.officer_a, owner="report", record_id=report.pk, upload=pdf())
    deploy = Path(__file__).resolve().parents[2] / "docs" / "deploy"
    with connection.cursor() as cursor:
        cursor.execute((deploy / "database-roles.sql").read_text())
        cursor.execute((deploy / "database-grants.sql").read_text())
        cursor.execute("SET ROLE casework_app")
    try:
        with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
        assert "permission denied for table evidence_fileevent" in str(refused.value)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert FileEvent.objects.count() == 1


def test_the_commands_check_record_files_and_their_log(world, report, evidence_dir):
    from django.core.management import CommandError, call_command

    file = records.record_file_add(actor=world.officer_a, owner="report", record_id=report.pk, upload=pdf())
    out = io.StringIO()
    call_command("verify_file_log", stdout=out)
    assert "intact: 1 events" in out.getvalue()
    call_command("verify_evidence", stdout=out)
    [stored] = stored_files(evidence_dir)
    stored.write_bytes(b"%PDF-1.4 altered")
    with pytest.raises(CommandError):
        call_command("verify_evidence", stdout=out)
    assert f"report {report.pk}, file #{file.pk}: bytes differ" in out.getvalue()
    with pytest.raises(Exception) as refused:    # and the altered bytes are not handed out
        records.record_file_open(actor=world.officer_a, key=file.key)
    assert "altered" in str(refused.value)
    stored.unlink()
    with pytest.raises(CommandError):
        call_command("verify_evidence", stdout=out)
    assert "missing from storage" in out.getvalue()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE evidence_fileevent SET sha256 = 'x'")
        with pytest.raises(CommandError):
            call_command("verify_file_log", stdout=out)
        assert f"report:{report.pk} #1: its content was altered" in out.getvalue()


def test_an_oversized_or_empty_upload_is_refused_in_the_error_model(world, report, settings, evidence_dir):
    settings.EVIDENCE_MAX_BYTES = 1024
    base = f"/api/evidence/records/report/{report.pk}/files/"
    for upload in (SimpleUploadedFile("big.pdf", PDF + b"0" * 2048), SimpleUploadedFile("empty.pdf", b"")):
        answer = api(world.officer_a).post(base, {"file": upload}, format="multipart")
        assert answer.status_code == 400 and answer.json()["errors"]["file"]
    assert not RecordFile.objects.exists() and not stored_files(evidence_dir)


# ------------------------------------------------------------------ the file log under the anchor

def _anchored_report_log(world, report, n=3):
    from casework.audit import audit_anchor_write

    for _n in range(n):
        records.record_file_add(actor=world.officer_a, owner="report", record_id=report.pk, upload=pdf())
    return f"report:{report.pk}", audit_anchor_write()


def test_the_anchor_fixes_the_file_log_and_a_lost_tail_shows_only_against_it(world, report):
    from casework.audit import verify_audit
    from tests.audit.helpers import triggers_off

    subject, anchor = _anchored_report_log(world, report)
    assert anchor.other_heads["files"][subject] == [3, log(subject)[-1].hash]
    assert records.verify_file_log() == [] and verify_audit().ok
    # Events after the anchor are no problem: the anchor fixes a prefix.
    records.record_file_add(actor=world.officer_a, owner="report", record_id=report.pk, upload=pdf())
    assert records.verify_file_log() == []
    # The last events deleted by the table's owner (the app's role cannot: triggers): the chain's
    # own links are intact (1, 2), so only the anchor shows the loss.
    kept = [e.file_id for e in log(subject)[:2]]
    with triggers_off(FileEvent._meta.db_table) as cursor:
        cursor.execute("DELETE FROM evidence_fileevent WHERE subject = %s AND seq >= 3", [subject])
        cursor.execute("DELETE FROM evidence_recordfile WHERE report_id = %s AND NOT id IN "
                       f"({', '.join(map(str, kept))})", [report.pk])
    from evidence import chain

    assert chain.verify(FileEvent.objects.order_by("subject", "seq").values()) == []
    [problem] = records.verify_file_log()
    assert (problem.subject, problem.seq, problem.kind) == (subject, 3, "deleted")
    assert problem.what == f"the events after position 2 are gone since anchor #{anchor.pk} of " \
                           f"{_utc(anchor.at)} (deleted)"


def test_an_emptied_file_log_and_a_rewritten_chain_show_against_the_anchor(world, report):
    from casework.audit import verify_audit
    from evidence import chain
    from tests.audit.helpers import triggers_off

    subject, anchor = _anchored_report_log(world, report)
    # Rewritten as someone who read evidence/chain.py would: every hash recomputed, the links hold.
    prev = log(subject)[0].hash
    with triggers_off(FileEvent._meta.db_table) as cursor:
        for event in log(subject)[1:]:
            row = {**FileEvent.objects.filter(pk=event.pk).values().get(), "actor_organisation": "X",
                   "prev_hash": prev}
            prev = chain.seal(row)
            cursor.execute("UPDATE evidence_fileevent SET actor_organisation = 'X', prev_hash = %s, hash = %s "
                           "WHERE id = %s", [row["prev_hash"], prev, event.pk])
    [problem] = records.verify_file_log()
    assert (problem.subject, problem.seq, problem.kind) == (subject, 3, "altered") and "rewritten" in problem.what
    # The whole log emptied (TRUNCATE on PostgreSQL once the triggers are off).
    with triggers_off(FileEvent._meta.db_table) as cursor:
        cursor.execute("DELETE FROM evidence_fileevent")
    problems = records.verify_file_log()
    assert [(p.subject, p.kind) for p in problems if "all 3 events are gone" in p.what] == [(subject, "deleted")]
    # The case timelines are another matter: verify_audit still finds them whole.
    assert verify_audit().ok


def test_the_anchor_hash_covers_the_file_heads_and_older_anchors_still_verify(world, report):
    from casework.audit import anchor_content, sha256, verify_audit
    from casework.models import AuditAnchor
    from tests.audit.helpers import triggers_off

    _subject, anchor = _anchored_report_log(world, report, n=1)
    table = AuditAnchor._meta.db_table
    with triggers_off(table) as cursor:
        cursor.execute(f"UPDATE {table} SET other_heads = %s WHERE id = %s", ['{"files": {}}', anchor.pk])
    [finding] = verify_audit().findings
    assert finding.kind == "anchor" and "altered" in finding.detail
    # An anchor written before the file log was anchored: no other heads, hashed without them.
    old = AuditAnchor.objects.get(pk=anchor.pk)
    old.other_heads, old.other_heads_hash = {}, ""
    with triggers_off(table) as cursor:
        cursor.execute(f"UPDATE {table} SET other_heads = '{{}}', other_heads_hash = '', hash = %s WHERE id = %s",
                       [sha256(anchor_content(old)), anchor.pk])
    assert verify_audit().ok and records.verify_file_log() == []


def test_file_log_problems_read_in_vietnamese(world, report):
    from django.utils import translation

    from tests.audit.helpers import triggers_off

    subject, _anchor = _anchored_report_log(world, report, n=1)
    with triggers_off(FileEvent._meta.db_table) as cursor:
        cursor.execute("DELETE FROM evidence_fileevent")
    with translation.override("vi"):
        problems = [str(p) for p in records.verify_file_log()]
    assert any(p.startswith(f"{subject} #1: ") and "đã mất kể từ mốc số" in p for p in problems), problems
