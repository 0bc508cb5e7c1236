"""The demo: a commune's 6-month report and a province's annual report, drafted, signed, sent
and received from the demo cases; editing a case afterwards leaves the sent figures unchanged."""

from io import StringIO

from django.core.management import call_command

from casework.models import Case
from reports.figures import checksum
from reports.models import Report, ReportStatus as R


def test_load_demo_walks_a_commune_and_a_province_report_through_the_chain(db):
    call_command("load_demo", stdout=StringIO())
    commune = Report.objects.get(body__name="UBND Phường Bến Thành", kind="six_month")
    province = Report.objects.get(kind="annual", body__kind="supervisory")
    assert (commune.kind, commune.status, province.status) == ("six_month", R.RECEIVED, R.RECEIVED)
    assert Report.objects.get(body__name="UBND Phường Sài Gòn").status == R.DRAFT
    values = {i["code"]: i["value"] for i in commune.snapshot["figures"]["indicators"]}
    # The demo's commune A cases: every abused one found in the half year, each child once.
    abused_a = Case.objects.filter(incident_commune__code="26734", intake__classification="abused").exclude(
        status="not_eligible").values("child").distinct().count()
    assert values["0101"] == abused_a > 0
    below = {b["body"]: b["status"] for b in province.snapshot["figures"]["below"]["bodies"]}
    assert below == {"UBND Phường Bến Thành": "received", "UBND Phường Sài Gòn": "missing"}
    assert province.snapshot["figures"]["below"]["sums"]["0101"] == abused_a
    # A case edited after sending: the sent figures stay as they were.
    frozen = commune.snapshot
    Case.objects.filter(incident_commune__code="26734").update(status="not_eligible")
    commune.refresh_from_db()
    assert commune.snapshot == frozen and checksum(commune.snapshot) == commune.checksum
    # A second run adds nothing.
    call_command("load_demo", stdout=StringIO())
    assert Report.objects.count() == 4
