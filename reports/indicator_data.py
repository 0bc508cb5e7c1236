"""Seed rows for the indicator list and age bands (loaded by migration 0002; editable in the admin).

Only 0101 was checked against Circular 13/2021/TT-BLĐTBXH (DOMAIN.md §5). The other codes are
local ("BV-…") until the circular's annex is verified: the source column says so, and a
correction is a data change, not a release.
"""

C13 = "Thông tư 13/2021/TT-BLĐTBXH, chỉ tiêu 0101 (đã đối chiếu)"
LOCAL = "Chỉ tiêu nội bộ; mã theo Thông tư 13/2021 chưa đối chiếu [open]"
DECREE = "Nghị định 56/2017/NĐ-CP điều 26, 28, 31 (thời hạn); chỉ tiêu nội bộ"
CHILD_DIMS = ["sex", "age_band", "environment", "form", "area"]

# code, vi, en, definition, unit, disaggregations, computation, source
INDICATORS = [
    ("0101", "Số trẻ em bị xâm hại", "Abused children",
     ("Số trẻ em (đếm một lần) được phát hiện bị xâm hại trong kỳ, theo xã nơi xảy ra vụ việc ghi trong "
     "báo cáo đầu tiên phát hiện trẻ trong kỳ."), "children", CHILD_DIMS, "abused_children", C13),
    ("BV02", "Số vụ xâm hại trẻ em", "Incidents of child abuse",
     "Số vụ việc có ít nhất một trẻ em bị xâm hại được tiếp nhận trong kỳ.", "incidents",
     ["environment", "area"], "incidents", LOCAL),
    ("BV03", "Số người bị nghi xâm hại trẻ em", "Alleged perpetrators",
     "Số người bị nghi xâm hại trong các vụ việc của kỳ, theo quan hệ với trẻ và người lớn/trẻ em.",
     "persons", ["relation", "perpetrator_is_child"], "perpetrators", LOCAL),
    ("BV04", "Số trẻ em bị xâm hại được hỗ trợ, can thiệp", "Abused children given support or intervention",
     "Trẻ em của chỉ tiêu 0101 có kế hoạch được phê duyệt hoặc biện pháp khẩn cấp đã thực hiện.",
     "children", CHILD_DIMS, "supported_children", LOCAL),
    ("BV05", "Tỷ lệ trẻ em bị xâm hại được hỗ trợ, can thiệp",
     "Share of abused children given support or intervention",
     "BV04 / 0101 × 100.", "percent", ["sex", "age_band", "area"], "supported_rate", LOCAL),
    ("BV06", "Số trẻ em có hoàn cảnh đặc biệt", "Children in special circumstances",
     ("Trẻ em (đếm một lần) thuộc ít nhất một nhóm của Điều 10 Luật Trẻ em, phát hiện trong kỳ "
     "(từ nhóm ghi trên hồ sơ; sổ theo dõi của cấp xã sẽ bổ sung)."), "children",
     ["group", "sex", "age_band", "area"], "special_children", LOCAL),
    ("BV07", "Tỷ lệ trẻ em có hoàn cảnh đặc biệt được hỗ trợ", "Share of children in special circumstances supported",
     "Trẻ em của BV06 có kế hoạch được phê duyệt hoặc biện pháp khẩn cấp đã thực hiện / BV06 × 100.",
     "percent", ["group", "area"], "special_supported_share", LOCAL),
    ("BV08", "Số vụ việc chuyển cơ quan công an", "Cases referred to the police",
     "Hồ sơ có nhiệm vụ hoặc biện pháp khẩn cấp giao công an, hoặc có tố tụng hình sự.", "cases", ["area"],
     "police_referrals", LOCAL),
    ("BV09", "Tỷ lệ áp dụng biện pháp khẩn cấp trong 12 giờ", "Emergencies acted on within 12 hours",
     "Thời hạn biện pháp khẩn cấp bắt đầu trong kỳ: đúng hạn / (đúng hạn + quá hạn) × 100.", "percent",
     ["area"], "emergency_on_time", DECREE),
    ("BV10", "Tỷ lệ kế hoạch được xây dựng trong 5 ngày làm việc", "Plans drafted within 5 working days",
     "Thời hạn xây dựng kế hoạch bắt đầu trong kỳ: đúng hạn / (đúng hạn + quá hạn) × 100.", "percent",
     ["area"], "plan_drafted_on_time", DECREE),
    ("BV11", "Tỷ lệ kế hoạch được phê duyệt đúng hạn (7 ngày làm việc)", "Plans approved in time (7 working days)",
     "Thời hạn phê duyệt (2 ngày làm việc sau khi trình) bắt đầu trong kỳ: đúng hạn / tổng đã xác định × 100.",
     "percent", ["area"], "plan_approved_on_time", DECREE),
    ("BV12", "Tỷ lệ xác minh đúng thời hạn của địa phương", "Verifications within the local step budget",
     "Thời hạn xác minh (theo quy định địa phương) bắt đầu trong kỳ: đúng hạn / tổng đã xác định × 100.",
     "percent", ["area"], "verification_on_time", "Quy định địa phương; chỉ tiêu nội bộ"),
]

AGE_SOURCE = "Nhóm tuổi tạm thời, chờ đối chiếu phụ lục Thông tư 13/2021 [open]"
# code, vi, en, min, max
AGE_BANDS = [
    ("0-5", "Dưới 6 tuổi", "Under 6", 0, 5),
    ("6-10", "Từ 6 đến 10 tuổi", "6 to 10", 6, 10),
    ("11-15", "Từ 11 đến dưới 16 tuổi", "11 to 15", 11, 15),
]
