"""Seed data for the classification terms (Law on Children 2016 art. 4, 10, 47–50;
Decree 56/2017 art. 31–32). Loaded by migration 0002 and kept current by ``load_taxonomy``.

Each row: (code, Vietnamese label, English label, legal article, protection level, parent code).
"""

ABUSE_FORMS = [
    ("violence", "Bạo lực trẻ em", "Violence", "Luật Trẻ em art. 4.8", "", ""),
    ("violence_physical", "Bạo lực thể chất", "Physical violence", "", "", "violence"),
    ("violence_psychological", "Bạo lực tinh thần", "Psychological violence", "", "", "violence"),
    ("exploitation", "Bóc lột trẻ em", "Exploitation", "Luật Trẻ em art. 4.9", "", ""),
    ("exploitation_labour", "Lao động trái pháp luật", "Illegal labour", "", "", "exploitation"),
    ("exploitation_pornography", "Sử dụng trong hoạt động khiêu dâm", "Use in pornography", "", "", "exploitation"),
    ("exploitation_sex_tourism", "Du lịch tình dục", "Sex tourism", "", "", "exploitation"),
    ("exploitation_prostitution", "Mại dâm", "Prostitution", "", "", "exploitation"),
    ("exploitation_profit", "Lợi dụng trẻ em vì mục đích trục lợi khác", "Other exploitation for profit", "", "",
     "exploitation"),
    ("sexual_abuse", "Xâm hại tình dục trẻ em", "Sexual abuse", "Luật Trẻ em art. 4.10", "", ""),
    ("sexual_rape", "Hiếp dâm", "Rape", "", "", "sexual_abuse"),
    ("sexual_coercion", "Cưỡng dâm", "Sexual coercion", "", "", "sexual_abuse"),
    ("sexual_intercourse", "Giao cấu", "Sexual intercourse with a child", "", "", "sexual_abuse"),
    ("sexual_molestation", "Dâm ô", "Molestation", "", "", "sexual_abuse"),
    ("sexual_prostitution_use", "Sử dụng vào mục đích mại dâm, khiêu dâm", "Use for prostitution or pornography",
     "", "", "sexual_abuse"),
    ("trafficking", "Mua bán trẻ em", "Trafficking", "Luật Trẻ em art. 6.1", "", ""),
    ("abandonment", "Bỏ rơi trẻ em", "Abandonment", "Luật Trẻ em art. 4.11", "", ""),
    ("neglect", "Bỏ mặc trẻ em", "Neglect", "Luật Trẻ em art. 4.11", "", ""),
    ("other", "Hình thức khác", "Other", "", "", ""),
]

RISK_KINDS = [
    ("violence", "Nguy cơ bị bạo lực", "At risk of violence", "", "", ""),
    ("exploitation", "Nguy cơ bị bóc lột", "At risk of exploitation", "", "", ""),
    ("abandonment", "Nguy cơ bị bỏ rơi", "At risk of abandonment", "", "", ""),
]

# Law on Children 2016 art. 10.1 a–o, and sub-groups used by the commune plans in shared/seeds.
SPECIAL_GROUPS = [
    ("a", "Trẻ em mồ côi cả cha và mẹ", "Orphaned of both parents", "art. 10.1.a", "", ""),
    ("b", "Trẻ em bị bỏ rơi", "Abandoned", "art. 10.1.b", "", ""),
    ("c", "Trẻ em không nơi nương tựa", "Without support", "art. 10.1.c", "", ""),
    ("c1", "Mồ côi cha hoặc mẹ, người còn lại mất tích hoặc không đủ năng lực", "Orphaned of one parent, "
     "the other missing or incapacitated", "", "", "c"),
    ("c2", "Cha mẹ đang chấp hành án phạt tù", "Parents serving prison sentences", "", "", "c"),
    ("d", "Trẻ em khuyết tật", "Disability", "art. 10.1.d", "", ""),
    ("dd", "Trẻ em nhiễm HIV/AIDS", "Living with HIV/AIDS", "art. 10.1.đ", "", ""),
    ("e", "Trẻ em vi phạm pháp luật", "In conflict with the law", "art. 10.1.e", "", ""),
    ("g", "Trẻ em nghiện ma túy", "Drug addiction", "art. 10.1.g", "", ""),
    ("h", "Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở",
     "Dropped out to earn a living", "art. 10.1.h", "", ""),
    ("i", "Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực",
     "Seriously harmed by violence", "art. 10.1.i", "", ""),
    ("k", "Trẻ em bị bóc lột", "Exploited", "art. 10.1.k", "", ""),
    ("l", "Trẻ em bị xâm hại tình dục", "Sexually abused", "art. 10.1.l", "", ""),
    ("m", "Trẻ em bị mua bán", "Trafficked", "art. 10.1.m", "", ""),
    ("n", "Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo hoặc hộ cận nghèo",
     "Serious or long illness in a poor or near-poor household", "art. 10.1.n", "", ""),
    ("o", "Trẻ em di cư, trẻ em lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc",
     "Migrant or displaced without parents or caregiver", "art. 10.1.o", "", ""),
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
    ("support_counselling", "Tư vấn kiến thức, kỹ năng cho trẻ em, cha mẹ, người chăm sóc",
     "Counselling the child, parents or caregiver", "Luật Trẻ em art. 49.2.a", "support", ""),
    ("support_education", "Hỗ trợ tiếp cận giáo dục, học nghề", "Access to education and vocational training",
     "Luật Trẻ em art. 49.2.c", "support", ""),
    ("support_health", "Hỗ trợ chăm sóc sức khỏe", "Health care support", "Luật Trẻ em art. 49.2.b", "support", ""),
    ("support_social_assistance", "Trợ giúp xã hội, hỗ trợ sinh kế cho gia đình",
     "Social assistance and family livelihood", "Luật Trẻ em art. 49.2.d", "support", ""),
    ("support_home_visit", "Thăm gia đình, theo dõi tình hình trẻ em", "Home visits and monitoring",
     "Luật Trẻ em art. 49.2.đ", "support", ""),
    ("intervention_medical", "Chăm sóc y tế, trị liệu tâm lý, phục hồi sức khỏe thể chất và tinh thần",
     "Medical care, psychological therapy and recovery", "Luật Trẻ em art. 50.2.a", "intervention", ""),
    ("intervention_shelter", "Bố trí nơi tạm trú an toàn, cách ly trẻ em khỏi người gây tổn hại",
     "Safe shelter and isolation from the abuser", "Luật Trẻ em art. 50.2.b", "intervention", ""),
    ("intervention_alternative_care", "Bố trí chăm sóc thay thế tạm thời hoặc lâu dài",
     "Temporary or long-term alternative care", "Luật Trẻ em art. 50.2.c", "intervention", ""),
    ("intervention_family", "Đoàn tụ gia đình, hòa nhập trường học, cộng đồng",
     "Family reunification, return to school and community", "Luật Trẻ em art. 50.2.d", "intervention", ""),
    ("intervention_legal_aid", "Tư vấn, trợ giúp pháp lý", "Legal advice and legal aid",
     "Luật Trẻ em art. 50.2.đ", "intervention", ""),
    ("intervention_family_counselling", "Tư vấn, cung cấp kiến thức cho cha mẹ, người chăm sóc",
     "Counselling parents and caregivers", "Luật Trẻ em art. 50.2.e", "intervention", ""),
    ("intervention_follow_up", "Theo dõi, đánh giá sự an toàn của trẻ em",
     "Follow-up and safety monitoring", "Luật Trẻ em art. 50.2.g", "intervention", ""),
]

EMERGENCY_MEASURES = [
    ("stop_act", "Ngừng ngay hành vi xâm hại", "Stop the abusive act", "NĐ 56/2017 art. 31.1", "intervention", ""),
    ("first_aid", "Sơ cứu, cấp cứu, chăm sóc y tế", "First aid and medical care", "NĐ 56/2017 art. 31.1",
     "intervention", ""),
    ("safe_shelter", "Bố trí nơi tạm trú an toàn", "Safe temporary shelter", "NĐ 56/2017 art. 31.1",
     "intervention", ""),
    ("keep_evidence", "Giữ gìn chứng cứ, thông báo cơ quan có thẩm quyền", "Keep evidence, inform the authorities",
     "NĐ 56/2017 art. 31.1", "intervention", ""),
    ("other", "Biện pháp khẩn cấp khác", "Other emergency measure", "NĐ 56/2017 art. 31", "intervention", ""),
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
                kind=kind, code=code,
                defaults=dict(label_vi=vi, label_en=en, legal_article=article, protection_level=level,
                              parent=parent_obj, order=order),
            )
            count += 1
    return count
