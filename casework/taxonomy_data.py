"""Seed data for the classification terms (Law on Children 2016 art. 4, 6, 10, 47–50;
Decree 56/2017 art. 31–32). Citations are written the Vietnamese way and every one is checked
against the table of articles in ``casework.legal`` (tests/casework/test_citations.py). Loaded by migration 0002 and kept current by ``load_taxonomy``.

Each row: (code, Vietnamese label, English label, legal article, protection level, parent code).
"""

ABUSE_FORMS = [
    ("violence", "Bạo lực trẻ em", "Violence", "khoản 6 Điều 4 Luật Trẻ em", "", ""),
    ("violence_physical", "Bạo lực thể chất", "Physical violence", "", "", "violence"),
    ("violence_psychological", "Bạo lực tinh thần", "Psychological violence", "", "", "violence"),
    ("exploitation", "Bóc lột trẻ em", "Exploitation", "khoản 7 Điều 4 Luật Trẻ em", "", ""),
    (
        "exploitation_labour",
        "Bắt trẻ em lao động trái quy định của pháp luật",
        "Illegal labour",
        "",
        "",
        "exploitation",
    ),
    ("exploitation_pornography", "Sử dụng trong hoạt động khiêu dâm", "Use in pornography", "", "", "exploitation"),
    ("exploitation_sex_tourism", "Du lịch tình dục", "Sex tourism", "", "", "exploitation"),
    ("exploitation_prostitution", "Mại dâm", "Prostitution", "", "", "exploitation"),
    (
        "exploitation_profit",
        "Sử dụng trẻ em để trục lợi (hành vi khác)",
        "Other exploitation for profit",
        "",
        "",
        "exploitation",
    ),
    ("sexual_abuse", "Xâm hại tình dục trẻ em", "Sexual abuse", "khoản 8 Điều 4 Luật Trẻ em", "", ""),
    ("sexual_rape", "Hiếp dâm", "Rape", "", "", "sexual_abuse"),
    ("sexual_coercion", "Cưỡng dâm", "Sexual coercion", "", "", "sexual_abuse"),
    ("sexual_intercourse", "Giao cấu", "Sexual intercourse with a child", "", "", "sexual_abuse"),
    ("sexual_molestation", "Dâm ô", "Molestation", "", "", "sexual_abuse"),
    (
        "sexual_prostitution_use",
        "Sử dụng vào mục đích mại dâm, khiêu dâm",
        "Use for prostitution or pornography",
        "",
        "",
        "sexual_abuse",
    ),
    ("trafficking", "Mua bán trẻ em", "Trafficking", "khoản 2 Điều 6 Luật Trẻ em", "", ""),
    ("abandonment", "Bỏ rơi trẻ em", "Abandonment", "khoản 9 Điều 4 Luật Trẻ em", "", ""),
    ("neglect", "Bỏ mặc trẻ em", "Neglect", "khoản 9 Điều 4 Luật Trẻ em", "", ""),
    ("other", "Hình thức khác", "Other", "", "", ""),
]

RISK_KINDS = [
    ("violence", "Nguy cơ bị bạo lực", "At risk of violence", "", "", ""),
    ("exploitation", "Nguy cơ bị bóc lột", "At risk of exploitation", "", "", ""),
    ("abandonment", "Nguy cơ bị bỏ rơi", "At risk of abandonment", "", "", ""),
]

# Law on Children 2016 art. 10.1 a–o, and sub-groups used by the commune plans in shared/seeds.
SPECIAL_GROUPS = [
    ("a", "Trẻ em mồ côi cả cha và mẹ", "Orphaned of both parents", "điểm a khoản 1 Điều 10 Luật Trẻ em", "", ""),
    ("b", "Trẻ em bị bỏ rơi", "Abandoned", "điểm b khoản 1 Điều 10 Luật Trẻ em", "", ""),
    ("c", "Trẻ em không nơi nương tựa", "Without support", "điểm c khoản 1 Điều 10 Luật Trẻ em", "", ""),
    (
        "c1",
        "Mồ côi cha hoặc mẹ, người còn lại mất tích hoặc không đủ năng lực",
        "Orphaned of one parent, the other missing or incapacitated",
        "",
        "",
        "c",
    ),
    ("c2", "Cha mẹ đang chấp hành án phạt tù", "Parents serving prison sentences", "", "", "c"),
    ("d", "Trẻ em khuyết tật", "Disability", "điểm d khoản 1 Điều 10 Luật Trẻ em", "", ""),
    ("dd", "Trẻ em nhiễm HIV/AIDS", "Living with HIV/AIDS", "điểm đ khoản 1 Điều 10 Luật Trẻ em", "", ""),
    ("e", "Trẻ em vi phạm pháp luật", "In conflict with the law", "điểm e khoản 1 Điều 10 Luật Trẻ em", "", ""),
    ("g", "Trẻ em nghiện ma túy", "Drug addiction", "điểm g khoản 1 Điều 10 Luật Trẻ em", "", ""),
    (
        "h",
        "Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở",
        "Dropped out to earn a living",
        "điểm h khoản 1 Điều 10 Luật Trẻ em",
        "",
        "",
    ),
    (
        "i",
        "Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực",
        "Seriously harmed by violence",
        "điểm i khoản 1 Điều 10 Luật Trẻ em",
        "",
        "",
    ),
    ("k", "Trẻ em bị bóc lột", "Exploited", "điểm k khoản 1 Điều 10 Luật Trẻ em", "", ""),
    ("l", "Trẻ em bị xâm hại tình dục", "Sexually abused", "điểm l khoản 1 Điều 10 Luật Trẻ em", "", ""),
    ("m", "Trẻ em bị mua bán", "Trafficked", "điểm m khoản 1 Điều 10 Luật Trẻ em", "", ""),
    (
        "n",
        "Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo hoặc hộ cận nghèo",
        "Serious or long illness in a poor or near-poor household",
        "điểm n khoản 1 Điều 10 Luật Trẻ em",
        "",
        "",
    ),
    (
        "o",
        "Trẻ em di cư, trẻ em lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc",
        "Migrant or displaced without parents or caregiver",
        "điểm o khoản 1 Điều 10 Luật Trẻ em",
        "",
        "",
    ),
]

RELATIONS = [
    ("father", "Cha đẻ", "Father", "", "", ""),
    ("mother", "Mẹ đẻ", "Mother", "", "", ""),
    ("step_parent", "Cha dượng / mẹ kế", "Step-parent", "", "", ""),
    ("relative", "Người thân khác trong gia đình", "Other relative", "", "", ""),
    ("caregiver", "Người chăm sóc", "Caregiver", "", "", ""),
    ("teacher", "Giáo viên, nhân viên nhà trường", "Teacher or school staff", "", "", ""),
    ("acquaintance", "Người quen, hàng xóm", "Acquaintance or neighbour", "", "", ""),
    ("stranger", "Người lạ", "Stranger", "", "", ""),
    ("peer", "Bạn bè, trẻ em khác", "Peer or other child", "", "", ""),
    ("online_contact", "Người quen qua mạng", "Online contact", "", "", ""),
    ("unknown", "Chưa xác định", "Unknown", "", "", ""),
]

# Law on Children art. 49 (support) and 50 (intervention).
MEASURES = [
    (
        "support_counselling",
        "Tư vấn kiến thức, kỹ năng cho trẻ em, cha mẹ, người chăm sóc",
        "Counselling the child, parents or caregiver",
        "điểm a khoản 2 Điều 49 Luật Trẻ em",
        "support",
        "",
    ),
    (
        "support_education",
        "Hỗ trợ tiếp cận giáo dục, học nghề",
        "Access to education and vocational training",
        "điểm c khoản 2 Điều 49 Luật Trẻ em",
        "support",
        "",
    ),
    (
        "support_health",
        "Hỗ trợ chăm sóc sức khỏe",
        "Health care support",
        "điểm b khoản 2 Điều 49 Luật Trẻ em",
        "support",
        "",
    ),
    (
        "support_social_assistance",
        "Trợ giúp xã hội, hỗ trợ sinh kế cho gia đình",
        "Social assistance and family livelihood",
        "điểm d khoản 2 Điều 49 Luật Trẻ em",
        "support",
        "",
    ),
    (
        "support_home_visit",
        "Thăm gia đình, theo dõi tình hình trẻ em",
        "Home visits and monitoring",
        "điểm đ khoản 2 Điều 49 Luật Trẻ em",
        "support",
        "",
    ),
    (
        "intervention_medical",
        "Chăm sóc y tế, trị liệu tâm lý, phục hồi sức khỏe thể chất và tinh thần",
        "Medical care, psychological therapy and recovery",
        "điểm a khoản 2 Điều 50 Luật Trẻ em",
        "intervention",
        "",
    ),
    (
        "intervention_shelter",
        "Bố trí nơi tạm trú an toàn, cách ly trẻ em khỏi người gây tổn hại",
        "Safe shelter and isolation from the abuser",
        "điểm b khoản 2 Điều 50 Luật Trẻ em",
        "intervention",
        "",
    ),
    (
        "intervention_alternative_care",
        "Bố trí chăm sóc thay thế tạm thời hoặc lâu dài",
        "Temporary or long-term alternative care",
        "điểm c khoản 2 Điều 50 Luật Trẻ em",
        "intervention",
        "",
    ),
    (
        "intervention_family",
        "Đoàn tụ gia đình, hòa nhập trường học, cộng đồng",
        "Family reunification, return to school and community",
        "điểm d khoản 2 Điều 50 Luật Trẻ em",
        "intervention",
        "",
    ),
    (
        "intervention_legal_aid",
        "Tư vấn, trợ giúp pháp lý",
        "Legal advice and legal aid",
        "điểm e khoản 2 Điều 50 Luật Trẻ em",
        "intervention",
        "",
    ),
    (
        "intervention_family_counselling",
        "Tư vấn, cung cấp kiến thức cho cha mẹ, người chăm sóc",
        "Counselling parents and caregivers",
        "điểm đ khoản 2 Điều 50 Luật Trẻ em",
        "intervention",
        "",
    ),
    (
        "intervention_follow_up",
        "Theo dõi, đánh giá sự an toàn của trẻ em",
        "Follow-up and safety monitoring",
        "điểm g khoản 2 Điều 50 Luật Trẻ em",
        "intervention",
        "",
    ),
]

EMERGENCY_MEASURES = [
    (
        "stop_act",
        "Ngăn chặn ngay hành vi xâm hại",
        "Stop the abusive act",
        "điểm a khoản 3 Điều 31 Nghị định số 56/2017/NĐ-CP",
        "intervention",
        "",
    ),
    (
        "first_aid",
        "Sơ cứu, cấp cứu, chăm sóc y tế",
        "First aid and medical care",
        "điểm a khoản 3 Điều 31 Nghị định số 56/2017/NĐ-CP",
        "intervention",
        "",
    ),
    (
        "safe_shelter",
        "Bố trí nơi tạm trú an toàn",
        "Safe temporary shelter",
        "khoản 2 Điều 32 Nghị định số 56/2017/NĐ-CP",
        "intervention",
        "",
    ),
    (
        "keep_evidence",
        "Lưu giữ đồ vật, tài liệu, chứng cứ; thông báo cơ quan có thẩm quyền",
        "Keep evidence, inform the authorities",
        "điểm a khoản 3 Điều 31 Nghị định số 56/2017/NĐ-CP",
        "intervention",
        "",
    ),
    (
        "other",
        "Biện pháp khẩn cấp khác",
        "Other emergency measure",
        "khoản 3 Điều 31 Nghị định số 56/2017/NĐ-CP",
        "intervention",
        "",
    ),
]

TAXONOMY = {
    "abuse_form": ABUSE_FORMS,
    "risk_kind": RISK_KINDS,
    "special_group": SPECIAL_GROUPS,
    "relation": RELATIONS,
    "measure": MEASURES,
    "emergency_measure": EMERGENCY_MEASURES,
}


def load_taxonomy(Term) -> int:
    """Create or refresh the terms; ``Term`` may be a migration's historical model."""
    count = 0
    for kind, rows in TAXONOMY.items():
        for order, (code, vi, en, article, level, parent) in enumerate(rows):
            parent_obj = Term.objects.get(kind=kind, code=parent) if parent else None
            Term.objects.update_or_create(
                kind=kind,
                code=code,
                defaults=dict(
                    label_vi=vi,
                    label_en=en,
                    legal_article=article,
                    protection_level=level,
                    parent=parent_obj,
                    order=order,
                ),
            )
            count += 1
    return count
