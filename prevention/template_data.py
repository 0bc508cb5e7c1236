"""The structure every child-work plan shares (DOMAIN.md §7, from the five seed plans), used to
start a plan from a template. Texts are Vietnamese because they are the document's own words,
which the body then edits; they are data, not interface strings."""

from casework.models import OrganisationKind

from .states import ReportKind, SectionKind

SECTIONS = [
    ("I", SectionKind.PURPOSE, "MỤC ĐÍCH, YÊU CẦU",
     ("1. Mục đích\n\nTăng cường chỉ đạo, tổ chức thực hiện đồng bộ các biện pháp nhằm nâng cao hiệu lực, hiệu quả "
     "việc thực hiện chính sách, pháp luật về trẻ em; tạo sự chuyển biến mạnh mẽ hơn trong thực hiện quyền trẻ em, "
     "bảo vệ trẻ em và phòng, chống xâm hại, tai nạn thương tích, đuối nước đối với trẻ em.\n\n2. Yêu cầu\n\n"
     "Việc triển khai thực hiện các hoạt động phải đảm bảo thiết thực, hiệu quả và phù hợp với tình hình thực tế.")),
    ("II", SectionKind.OBJECTIVES, "MỤC TIÊU, CHỈ TIÊU",
     "Các chỉ tiêu của Kế hoạch được liệt kê dưới đây; mỗi chỉ tiêu có giá trị ban đầu, mục tiêu và cách đo."),
    ("III", SectionKind.TASKS, "NHIỆM VỤ, GIẢI PHÁP",
     ("1. Đẩy mạnh truyền thông, giáo dục, vận động xã hội về công tác trẻ em; quảng bá Tổng đài quốc gia bảo vệ "
     "trẻ em 111.\n\n2. Tổ chức Tháng hành động vì trẻ em (tháng 6), Ngày Quốc tế Thiếu nhi 1/6 và Tết Trung thu; "
     "thăm, tặng quà trẻ em có hoàn cảnh đặc biệt.\n\n3. Tổ chức Diễn đàn trẻ em theo Thông tư số "
     "29/2019/TT-BLĐTBXH.\n\n4. Phòng, chống tai nạn thương tích, đuối nước; dạy bơi, kỹ năng an toàn trong môi "
     "trường nước; bảo vệ trẻ em trên môi trường mạng.\n\n5. Thu thập chỉ tiêu thống kê, báo cáo theo Thông tư số "
     "13/2021/TT-BLĐTBXH; cập nhật cơ sở dữ liệu trẻ em.")),
    ("IV", SectionKind.FUNDING, "KINH PHÍ THỰC HIỆN",
     ("- Từ nguồn kinh phí hoạt động đã được bố trí trong dự toán giao.\n- Lồng ghép các chương trình, đề án.\n"
     "- Từ nguồn tài trợ của các tổ chức, cá nhân và các nguồn hợp pháp khác.")),
    ("V", SectionKind.ORGANISATION, "TỔ CHỨC THỰC HIỆN",
     "Nhiệm vụ của từng cơ quan, đơn vị được giao dưới đây; mỗi nhiệm vụ có hạn hoặc chu kỳ báo cáo."),
    ("VI", SectionKind.REPORTING, "CHẾ ĐỘ BÁO CÁO",
     ("Báo cáo định kỳ 6 tháng, năm; báo cáo chuyên đề (Tháng hành động vì trẻ em, 1/6, Trung thu) và báo cáo "
     "đột xuất về những khó khăn trong quá trình thực hiện.")),
]

# Seed 001 (Y Tịch) and 004 (Minh Tâm): villages by 5 May / 5 November, the commune by 10 May / 10 November.
COMMUNE_REPORTING = [
    (ReportKind.SIX_MONTH, "Các thôn", "UBND xã (qua công chức Văn hóa – Xã hội)", 5, 5),
    (ReportKind.ANNUAL, "Các thôn", "UBND xã (qua công chức Văn hóa – Xã hội)", 11, 5),
    (ReportKind.SIX_MONTH, "UBND xã", "Cấp trên", 5, 10),
    (ReportKind.ANNUAL, "UBND xã", "Cấp trên", 11, 10),
]
# Seed 000: a school reports before 3 May and 3 November.
SCHOOL_REPORTING = [
    (ReportKind.SIX_MONTH, "Nhà trường", "Cơ quan quản lý cấp trên", 5, 3),
    (ReportKind.ANNUAL, "Nhà trường", "Cơ quan quản lý cấp trên", 11, 3),
]

TITLE = "Kế hoạch thực hiện công tác trẻ em năm {years}"
CLOSING = ("Trên đây là Kế hoạch thực hiện công tác trẻ em năm {years}. Đề nghị các cơ quan, đơn vị nghiêm túc "
           "triển khai thực hiện./.")
RECIPIENTS = {
    OrganisationKind.PEOPLES_COMMITTEE: "- Cấp trên;\n- TT Đảng ủy;\n- CT, PCT UBND;\n- UB MTTQVN và các đoàn thể;\n"
                                        "- Công an, Trạm Y tế;\n- Các trường học;\n- Các thôn;\n- Lưu: VT.",
    OrganisationKind.SCHOOL: "- Cơ quan quản lý cấp trên;\n- BGH, các đoàn thể;\n- Các tổ khối;\n- Lưu: VT.",
}
SIGNER = {
    OrganisationKind.PEOPLES_COMMITTEE: ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    OrganisationKind.SCHOOL: ("", "HIỆU TRƯỞNG"),
}


def reporting_for(kind: str):
    return SCHOOL_REPORTING if kind == OrganisationKind.SCHOOL else COMMUNE_REPORTING
