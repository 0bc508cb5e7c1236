"""Vietnamese dates as officials write them (issue 8, item 12; the review's §3): "05/3/2026",
"14:30 05/3/2026" — day with two digits, month without a leading zero, in local time
(TIME_ZONE Asia/Ho_Chi_Minh). Django's own vi defaults were "05-03-2026" and "H:i Ngày d tháng n
năm Y". Statutory forms write their dates in words (casework_tags.vi_date)."""

DATE_FORMAT = r"\n\g\à\y j \t\h\á\n\g n \n\ă\m Y"
SHORT_DATE_FORMAT = "d/n/Y"
DATETIME_FORMAT = r"H:i, \n\g\à\y d/n/Y"
SHORT_DATETIME_FORMAT = "H:i d/n/Y"
TIME_FORMAT = "H:i"
# Input formats, separators and grouping: Django's own (ISO inputs, as the forms send them).
