"""Journey C and printing: the timeline read top to bottom, filtered, exported as PDF; forms
01–07 as print-ready HTML and PDF, the child's identity only through the access function."""

import pytest

from casework.models import CaseEventType as E
from casework.views import pdf

from .cases import CHILD_NAME


def events_of(response) -> str:
    body = response.content.decode()
    return body[body.index('<ol class="timeline">'):body.index("</ol>", body.index('<ol class="timeline">'))]


def test_supervisor_reads_a_timeline_with_who_when_and_what(as_user, cases):
    case = cases.implementing
    as_user("officer_a").get(f"/cases/{case.pk}/?identity=1")   # a read of the identity
    response = as_user("supervisor_p1").get(f"/cases/{case.pk}/timeline/")
    body = events_of(response)
    assert body.index(str(E.CASE_OPENED.label)) < body.index(str(E.PLAN_APPROVED.label))
    assert "Trần Văn Minh" in body and "Lê Thị Hồng" in body           # officer_a, chair_a
    assert "Trường Tiểu học Phường Bến Thành" in body                  # who reported, in which capacity
    assert str(E.IDENTITY_VIEWED.label) in body                         # reads are on the audit timeline
    assert "12/QĐ-UBND" in body and "→" in body
    # What was written is on the timeline itself: form 02 findings, the plan's measures.
    assert "Father drinks; mother protective." in body and "Công an Phường Bến Thành" in body
    assert CHILD_NAME not in response.content.decode()


def test_timeline_filters_by_kind_and_date(as_user, cases):
    case = cases.implementing
    client = as_user("supervisor_p1")
    plans_only = events_of(client.get(f"/cases/{case.pk}/timeline/", {"kind": "g3"}))
    assert str(E.PLAN_APPROVED.label) in plans_only and str(E.CASE_OPENED.label) not in plans_only
    one = events_of(client.get(f"/cases/{case.pk}/timeline/", {"kind": str(E.VERIFICATION_RECORDED.value)}))
    assert str(E.VERIFICATION_RECORDED.label) in one and str(E.PLAN_APPROVED.label) not in one
    past = events_of(client.get(f"/cases/{case.pk}/timeline/", {"date_to": "2001-01-01"}))
    assert str(E.CASE_OPENED.label) not in past


def test_timeline_hides_reads_from_those_who_do_not_audit(as_user, cases):
    case = cases.implementing
    as_user("officer_a").get(f"/cases/{case.pk}/?identity=1")
    body = events_of(as_user("officer_a").get(f"/cases/{case.pk}/timeline/"))
    assert str(E.IDENTITY_VIEWED.label) not in body


def test_timeline_exports_as_pdf(as_user, cases):
    response = as_user("supervisor_p1").get(f"/cases/{cases.implementing.pk}/timeline.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_missing_pango_gives_a_clear_page_not_a_500(as_user, cases, monkeypatch):
    def broken():
        raise pdf.PdfUnavailable("OSError")

    monkeypatch.setattr(pdf, "load_weasyprint", broken)
    response = as_user("officer_a").get(f"/cases/{cases.implementing.pk}/forms/04.pdf")
    body = response.content.decode()
    assert response.status_code == 503
    assert f'href="/cases/{cases.implementing.pk}/forms/04/"' in body and "libpango" in body
    assert as_user("supervisor_p1").get(f"/cases/{cases.implementing.pk}/timeline.pdf").status_code == 503


FORMS = {"01": "received", "02": "comprehensive", "03": "submitted", "04": "submitted", "05": "implementing",
         "06": None, "07": None}


@pytest.mark.parametrize("number", ["01", "02", "03", "04", "05"])
def test_printable_forms_are_laid_out_like_the_official_ones(as_user, cases, number):
    case = getattr(cases, FORMS[number])
    body = as_user("officer_a").get(f"/cases/{case.pk}/forms/{number}/").content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Độc lập - Tự do - Hạnh phúc" in body
    assert f"Mẫu số {number}" in body and 'class="signs"' in body and 'lang="vi"' in body
    assert CHILD_NAME not in body or case == cases.received


def test_printing_reads_the_identity_through_the_access_function(as_user, cases):
    case = cases.received
    body = as_user("officer_a").get(f"/cases/{case.pk}/forms/01/").content.decode()
    assert CHILD_NAME in body
    read = case.events.get(type=E.IDENTITY_VIEWED)
    assert read.data["channel"] == "print"
    masked = as_user("supervisor_p1").get(f"/cases/{case.pk}/forms/01/").content.decode()
    assert CHILD_NAME not in masked and "Thông tin nhận dạng của trẻ em được ẩn" in masked


def test_form_07_and_06_print_once_on_file(as_user, cases, world):
    case = cases.emergency
    chair = as_user("chair_a")
    assert chair.get(f"/cases/{case.pk}/forms/07/").status_code == 404
    case.refresh_from_db()
    chair.post(f"/cases/{case.pk}/act/isolation_issue/", {"version": case.version, "decision_no": "07/QĐ-UBND",
                                                           "days": 7, "placement": "Nhà tạm lánh",
                                                           "confirm_effect": "on"})
    body = chair.get(f"/cases/{case.pk}/forms/07/").content.decode()
    assert "07/QĐ-UBND" in body and "Về việc tạm thời cách ly trẻ em" in body
    assert as_user("officer_a").get(f"/cases/{cases.implementing.pk}/forms/06/").status_code == 404


def test_form_pdf(as_user, cases):
    response = as_user("officer_a").get(f"/cases/{cases.implementing.pk}/forms/05.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_unknown_form_number_is_a_404(as_user, cases):
    assert as_user("officer_a").get(f"/cases/{cases.received.pk}/forms/09/").status_code == 404


def test_printed_forms_follow_the_annex_and_decree_30(as_user, cases, world):
    """Issue 8, item 5: form 01's title from the classification, no wrong article, one signature;
    form 05's "Căn cứ" lines, "Nơi nhận" with every body of the plan; form 07 without a status line."""
    from casework.views.printing import place_name

    chair = as_user("chair_a")
    form01 = chair.get(f"/cases/{cases.implementing.pk}/forms/01/").content.decode()
    assert "BÁO CÁO TIẾP NHẬN THÔNG TIN TRẺ EM BỊ XÂM HẠI" in form01
    assert "Điều 24" not in form01 and "NGƯỜI THÔNG BÁO" not in form01 and "CÁN BỘ TIẾP NHẬN THÔNG TIN" in form01
    form05 = chair.get(f"/cases/{cases.implementing.pk}/forms/05/").content.decode()
    assert "quy định chi tiết một số điều của Luật Trẻ em" in form05
    assert "Xét đề nghị của người làm công tác bảo vệ trẻ em cấp xã" in form05
    assert "- Như Điều 3;" in form05 and "Lưu: VT, hồ sơ" in form05
    assert f"- {world.orgs['a.police'].name};" in form05 and f"- {world.orgs['a.school'].name};" in form05
    assert place_name("Phường Bến Thành") == "Bến Thành" and place_name("Phường 1") == "Phường 1"
    assert "Bến Thành, ngày" in form05 and "Phường Bến Thành, ngày" not in form05


def test_form_03_lists_who_attended_the_conference(as_user, cases, world):
    """Art. 27.2: the bodies present, the residential area's representative, the parent or caregiver."""
    form03 = as_user("officer_a").get(f"/cases/{cases.implementing.pk}/forms/03/").content.decode()
    assert "Chủ trì:</span> Lê Thị Hồng" in form03
    assert world.orgs["a.police"].name in form03 and world.orgs["a.school"].name in form03
    assert "Đại diện địa bàn dân cư: Trần Văn Tư, village head" in form03
    assert "Cha, mẹ hoặc người chăm sóc trẻ em: Mother" in form03
