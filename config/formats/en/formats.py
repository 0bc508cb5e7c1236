"""English pages keep the same numeric date order as the Vietnamese ones (day first), so a date
read aloud from either language matches the printed forms."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
