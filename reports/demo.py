"""Demo reports, walked through the real services (called once at the end of ``load_demo``).

- Commune A (Phường Bến Thành) drafts its 6-month report from the demo cases; the officer writes
  the narrative, the chairperson signs, the officer sends it; the province receives it.
- Province P1 drafts its annual report (its draft sums the communes' reports and lists commune B
  as missing); the supervisor signs and sends it to the national level, which receives it.
- Commune A also sends its annual report for the province's period; commune B sends none and
  leaves its 6-month report in draft, so the province sees who has reported and who is missing.

The national level is outside the area tree (areas start at the provinces), so the demo adds a
stand-in body with one reader, ``ministry``, who sees no case.

Idempotent: nothing is added once a report exists.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.models import Area, AreaKind, Organisation, OrganisationKind
from permissions.models import Role, RoleAssignment
from permissions.roles import RoleCode

from . import services as s
from .models import Report, ReportingLine

NATIONAL_NAME = "Cục Bảo trợ xã hội và Trẻ em (cấp trung ương, minh hoạ)"


def national_body(world, password: str | None):
    area, _ = Area.objects.get_or_create(code="TW", parent=None, defaults=dict(
        name="Trung ương (minh hoạ)", kind=AreaKind.PROVINCE, valid_from=dt.date(2025, 7, 1)))
    body, _ = Organisation.objects.get_or_create(name=NATIONAL_NAME, kind=OrganisationKind.SUPERVISORY, area=area)
    User = get_user_model()
    user, created = User.objects.get_or_create(username="ministry", defaults=dict(
        first_name="Cán bộ tiếp nhận báo cáo (trung ương)", email="ministry@example.invalid"))
    if created:
        user.set_password(password) if password else user.set_unusable_password()
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.objects.get(code=RoleCode.SUPERVISOR),
                                         organisation=body, defaults=dict(area=area))
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Like the other supervisors of the demo: a registered second factor (manage.py demo_code ministry).
    TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"confirmed": True})
    for province in ("p1", "p2"):
        ReportingLine.objects.get_or_create(body=world.orgs[f"{province}.supervisory"],
                                            defaults=dict(above=body, source="demo"))
    return body, user


def load_reports_demo(world, *, password: str | None = None) -> list[Report]:
    if Report.objects.exists():
        return []
    _body, ministry = national_body(world, password)
    u = world.users
    today = timezone.localdate()
    half_year = dict(period_start=today - dt.timedelta(days=182), period_end=today)
    commune = s.report_draft_create(actor=u["officer_a"], body_id=world.orgs["a.committee"].pk, kind="six_month",
                                    **half_year)
    s.report_narrative_save(
        actor=u["officer_a"], report_id=commune.pk,
        results="Tiếp nhận và xử lý kịp thời các trường hợp trẻ em bị xâm hại; phối hợp với công an, trạm y tế, "
                "nhà trường trong hỗ trợ, can thiệp.",
        difficulties="Một số vụ việc chậm xây dựng kế hoạch do thiếu cán bộ chuyên trách.",
        proposals="Đề nghị tỉnh tổ chức tập huấn về quản lý trường hợp cho cán bộ xã.")
    s.report_submit(actor=u["officer_a"], report_id=commune.pk)
    s.report_sign(actor=u["chair_a"], report_id=commune.pk)
    s.report_send(actor=u["officer_a"], report_id=commune.pk)
    s.report_receive(actor=u["supervisor_p1"], report_id=commune.pk)
    year = dict(period_start=today - dt.timedelta(days=364), period_end=today)
    commune_year = s.report_draft_create(actor=u["officer_a"], body_id=world.orgs["a.committee"].pk, kind="annual",
                                         **year)
    s.report_narrative_save(actor=u["officer_a"], report_id=commune_year.pk,
                            results="Hoàn thành các chỉ tiêu bảo vệ trẻ em của năm.", difficulties="", proposals="")
    s.report_submit(actor=u["officer_a"], report_id=commune_year.pk)
    s.report_sign(actor=u["chair_a"], report_id=commune_year.pk)
    s.report_send(actor=u["officer_a"], report_id=commune_year.pk)
    s.report_receive(actor=u["supervisor_p1"], report_id=commune_year.pk)
    late = s.report_draft_create(actor=u["officer_b"], body_id=world.orgs["b.committee"].pk, kind="six_month",
                                 **half_year)
    province = s.report_draft_create(actor=u["supervisor_p1"], body_id=world.orgs["p1.supervisory"].pk,
                                     kind="annual", **year)
    s.report_narrative_save(
        actor=u["supervisor_p1"], report_id=province.pk,
        results="Các xã, phường triển khai đầy đủ quy trình hỗ trợ, can thiệp theo Nghị định 56/2017/NĐ-CP.",
        difficulties="Một xã, phường chưa gửi báo cáo đúng hạn.", proposals="Bổ sung kinh phí cho cấp xã.")
    s.report_submit(actor=u["supervisor_p1"], report_id=province.pk)
    s.report_sign(actor=u["supervisor_p1"], report_id=province.pk)
    s.report_send(actor=u["supervisor_p1"], report_id=province.pk)
    s.report_receive(actor=ministry, report_id=province.pk)
    return [commune, commune_year, late, province]
