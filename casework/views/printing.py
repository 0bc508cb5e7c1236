"""Printable forms 01–07 of Decree 56/2017 (Appendix), as print-ready HTML and as PDF.

The forms are statutory documents in Vietnamese whatever the interface language: their fixed
text (the national motto, titles, headings, signature blocks) and the labels of coded values
are Vietnamese literals here and in ``templates/casework/print/``, not gettext strings. The
child's identity comes only through ``access_log.reveal_child(access, channel="print")``, which logs the
read (or masks it for users without the right).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from .. import access_log
from ..models import Measure
from ._common import content_or_404, login_required
from .pdf import pdf_response

# Vietnamese labels of coded values, for the statutory forms only (outside gettext on purpose).
# Wording of the annex forms (Mẫu 01 says "Không biết" for an unknown sex) and of the law.
VI = {
    "sex": {"female": "Nữ", "male": "Nam", "unknown": "Không biết"},
    "risk": {"high": "Cao", "medium": "Trung bình", "low": "Thấp"},
    "classification": {"abused": "Trẻ em bị xâm hại",
                       "at_risk": "Trẻ em có nguy cơ bị bạo lực, bóc lột, bỏ rơi",
                       "special": "Trẻ em có hoàn cảnh đặc biệt"},
    # Title of form 01: "BÁO CÁO TIẾP NHẬN THÔNG TIN TRẺ EM …(4)", (4) being the classification.
    "classification_title": {"abused": "BỊ XÂM HẠI", "at_risk": "CÓ NGUY CƠ BỊ BẠO LỰC, BÓC LỘT, BỎ RƠI",
                             "special": "CÓ HOÀN CẢNH ĐẶC BIỆT"},
    "channel": {"phone": "Điện thoại", "in_person": "Trực tiếp",
                "relayed": "Do cơ quan, đơn vị khác chuyển đến",
                "hotline": "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111", "other": "Khác"},
    "environment": {"family": "Gia đình", "school": "Trường học", "community": "Cộng đồng, nơi công cộng",
                    "online": "Môi trường mạng", "facility": "Cơ sở trợ giúp, chăm sóc, nơi làm việc",
                    "other": "Khác"},
    "level": {"prevention": "Phòng ngừa", "support": "Hỗ trợ", "intervention": "Can thiệp"},
    # Points b and c of khoản 1 Điều 30.
    "recommendation": {"end": "Trình Chủ tịch Ủy ban nhân dân cấp xã việc kết thúc kế hoạch hỗ trợ, can thiệp",
                       "new_cycle": "Trình Chủ tịch Ủy ban nhân dân cấp xã tiếp tục quy trình xây dựng, phê duyệt kế hoạch "
                                    "hỗ trợ, can thiệp"},
    "plan_status": {"draft": "Dự thảo", "submitted": "Đã trình", "returned": "Đã trả lại để chỉnh sửa",
                    "approved": "Đã phê duyệt", "superseded": "Đã được thay thế", "ended": "Đã kết thúc"},
    "isolation": {"issued": "Đã ban hành", "extended": "Đã gia hạn", "revoked": "Đã hủy bỏ",
                  "expired": "Đã hết hạn"},
}

# Titles as the decree's annex names the forms; no article subtitles (they are not part of the
# annex forms). Form 01's title is completed with the classification, form 04's subtitle with
# the approving decision (see ``form_context``).
FORMS = {
    "01": ("BÁO CÁO TIẾP NHẬN THÔNG TIN TRẺ EM", ""),
    "02": ("BÁO CÁO ĐÁNH GIÁ NGUY CƠ BAN ĐẦU VỀ TÌNH TRẠNG TRẺ EM", ""),
    "03": ("BÁO CÁO THU THẬP THÔNG TIN, ĐÁNH GIÁ NGUY CƠ CỤ THỂ TÌNH HÌNH TRẺ EM", ""),
    "04": ("KẾ HOẠCH HỖ TRỢ, CAN THIỆP", ""),
    "05": ("QUYẾT ĐỊNH", "Về việc phê duyệt kế hoạch hỗ trợ, can thiệp"),
    "06": ("RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG CỦA TRẺ EM SAU KHI THỰC HIỆN KẾ HOẠCH HỖ TRỢ, CAN THIỆP", ""),
    "07": ("QUYẾT ĐỊNH", "Về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm sóc trẻ em"),
}
FORM_NAMES = {
    "01": "Báo cáo tiếp nhận thông tin (Mẫu số 01)", "02": "Đánh giá nguy cơ ban đầu (Mẫu số 02)",
    "03": "Đánh giá nguy cơ cụ thể (Mẫu số 03)", "04": "Kế hoạch hỗ trợ, can thiệp (Mẫu số 04)",
    "05": "Quyết định phê duyệt kế hoạch (Mẫu số 05)", "06": "Rà soát, đánh giá (Mẫu số 06)",
    "07": "Quyết định tạm thời cách ly (Mẫu số 07)",
}

# Decree 30/2020 style: the place of the date line is the unit's name without "Xã"/"Phường",
# except numbered units ("Phường 1").
UNIT_PREFIXES = ("Phường ", "Xã ", "Thị trấn ", "Đặc khu ")


def place_name(name: str) -> str:
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            rest = name[len(prefix):]
            return name if rest.isdigit() else rest
    return name


def _decision_event(case, plan):
    """The approval's timeline event (who signed, under which delegation, who was sent it)."""
    from ..models import CaseEventType

    for event in case.events.filter(type=CaseEventType.PLAN_APPROVED).order_by("-at"):
        if (event.data or {}).get("plan") == plan.pk:
            return event
    return None


def _pick(items, request, param):
    wanted = request.GET.get(param)
    if wanted and wanted.isdigit():
        items = [i for i in items if i.pk == int(wanted)]
    if not items:
        raise Http404("Chưa có dữ liệu cho mẫu này.")
    return items[-1]


def _plans(case):
    return list(case.plans.select_related("author", "decided_by").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.select_related("kind", "responsible", "coordinating")
                 .prefetch_related("providers")))
        .order_by("version"))


def available_forms(case, records: dict) -> list[tuple[str, str]]:
    """The forms that have something on file for this case (``records``: views.case.case_records)."""
    have = {"01"}
    if records["initial_assessments"]:
        have.add("02")
    if records["comprehensive_assessments"]:
        have.add("03")
    statuses = {p.status for p in records["plans"]}
    if statuses:
        have.add("04")
    if statuses & {"submitted", "approved", "superseded", "ended"}:
        have.add("05")
    if records["reviews"]:
        have.add("06")
    if records["isolation_orders"]:
        have.add("07")
    return [(n, FORM_NAMES[n]) for n in sorted(have)]


def form_context(request, access, number: str) -> dict:
    case = access.case
    ctx = {"case": case, "number": number, "title": FORMS[number][0], "subtitle": FORMS[number][1], "vi": VI,
           "commune": case.commune, "intake": case.intake, "place": place_name(case.commune.name)}
    if number == "01":
        ctx["title"] = f"{FORMS['01'][0]} {VI['classification_title'][case.intake.classification]}"
        ctx.update(incident=case.incident,
                   perpetrators=list(case.incident.perpetrators.select_related("relation")),
                   abuse_forms=list(case.abuse_form_links.select_related("term").order_by("-primary")),
                   special_groups=list(case.special_groups.all()), risk_kind=case.risk_kind,
                   receiver=case.intake.received_by, organisation=case.intake.receiving_organisation)
    elif number == "02":
        ctx["record"] = _pick(list(case.initialassessments.select_related("author")), request, "id")
    elif number == "03":
        ctx["record"] = _pick(list(case.comprehensiveassessments.select_related("author")), request, "id")
        ctx["conference"] = case.caseconferences.order_by("-held_at").first()
    elif number == "04":
        ctx["plan"] = _pick(_plans(case), request, "plan")
        if ctx["plan"].decision_no:
            ctx["subtitle"] = (f"(Kèm theo Quyết định số {ctx['plan'].decision_no} của Chủ tịch Ủy ban nhân dân "
                               f"{case.commune.name})")
    elif number == "05":
        ctx["plan"] = _pick([p for p in _plans(case) if p.status in ("submitted", "approved", "superseded", "ended")],
                            request, "plan")
        ctx["conference"] = case.caseconferences.order_by("-held_at").first()
        event = _decision_event(case, ctx["plan"])
        data = (event.data or {}) if event else {}
        ctx["deputy_signed"] = bool(data.get("delegation"))
        # Art. 28.5: the decision goes to every body with a measure and to the parents/caregiver.
        ctx["recipients"] = data.get("recipients") or sorted(
            {m.responsible.name for m in ctx["plan"].measures.all()}
            | {m.coordinating.name for m in ctx["plan"].measures.all() if m.coordinating})
    elif number == "06":
        ctx["record"] = _pick(list(case.reviews.select_related("author")), request, "id")
        # The annex's "Tổng số" row: how many of the four items are rated high, medium, low.
        levels = [getattr(ctx["record"], f) for f in ("harm_still_serious", "abuser_can_reach_child",
                                                       "obstacles_at_home", "child_capacity")]
        ctx["risk_totals"] = {lvl: levels.count(lvl) for lvl in ("high", "medium", "low")}
    elif number == "07":
        ctx["order"] = _pick(list(case.isolationorders.select_related("author")), request, "order")
    # Last: only a form that exists reads (and logs) the child's identity.
    ctx["child"] = access_log.reveal_child(access, channel="print", purpose=f"Mẫu số {number}")
    return ctx


@login_required
def print_form(request, case_id, number):
    if number not in FORMS:
        raise Http404
    access = content_or_404(request.user, case_id)
    html = render_to_string(f"casework/print/form{number}.html", form_context(request, access, number),
                            request=request)
    return HttpResponse(html)


@login_required
def print_form_pdf(request, case_id, number):
    if number not in FORMS:
        raise Http404
    access = content_or_404(request.user, case_id)
    ctx = form_context(request, access, number)
    access_log.log_export(access, document=f"form_{number}_pdf")
    ctx["pdf"] = True
    html = render_to_string(f"casework/print/form{number}.html", ctx, request=request)
    query = ("?" + request.GET.urlencode()) if request.GET else ""
    return pdf_response(request, html, f"mau-{number}-{access.case.code}.pdf",
                        html_url=reverse("web:print_form", args=[access.case.pk, number]) + query)
