"""Vietnamese: “6 tháng 12 năm 2026”, “06/12/2026 21:10”. The month is written as “tháng” and its number rather
than Django's month name (“Tháng 12”, capitalised, wrong inside a sentence)."""

DATE_FORMAT = r"j \t\h\á\n\g n \n\ă\m Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \t\h\á\n\g n \n\ă\m Y, H:i"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n \n\ă\m Y"
MONTH_DAY_FORMAT = r"j \t\h\á\n\g n"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
