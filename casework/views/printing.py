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
VI = {
    "sex": {"female": "Nữ", "male": "Nam", "unknown": "Chưa xác định"},
    "risk": {"high": "Cao", "medium": "Trung bình", "low": "Thấp"},
    "classification": {"abused": "Trẻ em bị xâm hại",
                       "at_risk": "Trẻ em có nguy cơ bị bạo lực, bóc lột, bỏ rơi",
                       "special": "Trẻ em có hoàn cảnh đặc biệt"},
    "channel": {"phone": "Qua điện thoại", "in_person": "Trực tiếp", "relayed": "Do cơ quan khác chuyển đến",
                "hotline": "Tổng đài 111", "other": "Khác"},
    "environment": {"family": "Gia đình", "school": "Trường học", "community": "Cộng đồng, nơi công cộng",
                    "online": "Môi trường mạng", "facility": "Cơ sở trợ giúp, nơi làm việc", "other": "Khác"},
    "level": {"prevention": "Phòng ngừa", "support": "Hỗ trợ", "intervention": "Can thiệp"},
    "recommendation": {"end": "Kết thúc kế hoạch, đóng hồ sơ", "new_cycle": "Xây dựng kế hoạch mới"},
    "plan_status": {"draft": "Dự thảo", "submitted": "Đã trình", "returned": "Trả lại để chỉnh sửa",
                    "approved": "Đã phê duyệt", "superseded": "Đã được thay thế", "ended": "Đã kết thúc"},
    "isolation": {"issued": "Đang có hiệu lực", "extended": "Đã gia hạn", "revoked": "Đã hủy bỏ",
                  "expired": "Hết hiệu lực"},
}

FORMS = {
    "01": ("PHIẾU GHI CHÉP THÔNG TIN, THÔNG BÁO, TỐ GIÁC VỀ HÀNH VI XÂM HẠI TRẺ EM",
           "Tiếp nhận thông tin (Điều 24 Nghị định 56/2017/NĐ-CP)"),
    "02": ("PHIẾU ĐÁNH GIÁ NGUY CƠ BAN ĐẦU, MỨC ĐỘ TỔN HẠI CỦA TRẺ EM", "Điều 26 Nghị định 56/2017/NĐ-CP"),
    "03": ("PHIẾU THU THẬP THÔNG TIN, ĐÁNH GIÁ NGUY CƠ CỤ THỂ", "Điều 27 Nghị định 56/2017/NĐ-CP"),
    "04": ("KẾ HOẠCH HỖ TRỢ, CAN THIỆP", "Điều 28 Nghị định 56/2017/NĐ-CP"),
    "05": ("QUYẾT ĐỊNH", "Về việc phê duyệt kế hoạch hỗ trợ, can thiệp"),
    "06": ("PHIẾU RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG TRẺ EM SAU KHI THỰC HIỆN KẾ HOẠCH HỖ TRỢ, CAN THIỆP",
           "Điều 30 Nghị định 56/2017/NĐ-CP"),
    "07": ("QUYẾT ĐỊNH", "Về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm sóc trẻ em"),
}
FORM_NAMES = {
    "01": "Ghi chép thông tin (Mẫu 01)", "02": "Đánh giá nguy cơ ban đầu (Mẫu 02)",
    "03": "Đánh giá nguy cơ cụ thể (Mẫu 03)", "04": "Kế hoạch hỗ trợ, can thiệp (Mẫu 04)",
    "05": "Quyết định phê duyệt kế hoạch (Mẫu 05)", "06": "Rà soát, đánh giá (Mẫu 06)",
    "07": "Quyết định tạm thời cách ly (Mẫu 07)",
}


def _pick(items, request, param):
    wanted = request.GET.get(param)
    if wanted and wanted.isdigit():
        items = [i for i in items if i.pk == int(wanted)]
    if not items:
        raise Http404("Chưa có dữ liệu cho mẫu này.")
    return items[-1]


def _plans(case):
    return list(case.plans.select_related("author", "decided_by").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.select_related("kind", "responsible", "coordinating")))
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
           "commune": case.commune, "intake": case.intake}
    if number == "01":
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
    elif number == "05":
        ctx["plan"] = _pick([p for p in _plans(case) if p.status in ("submitted", "approved", "superseded", "ended")],
                            request, "plan")
    elif number == "06":
        ctx["record"] = _pick(list(case.reviews.select_related("author")), request, "id")
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
    ctx["pdf"] = True
    html = render_to_string(f"casework/print/form{number}.html", ctx, request=request)
    query = ("?" + request.GET.urlencode()) if request.GET else ""
    return pdf_response(request, html, f"mau-{number}-{access.case.code}.pdf",
                        html_url=reverse("web:print_form", args=[access.case.pk, number]) + query)
