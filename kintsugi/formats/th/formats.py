"""Thai: “6 ธันวาคม 2026”, “06/12/2026 21:10” (24-hour with two-digit hours, as Thai forms and receipts write it).
The Buddhist year (2569) is the organisation's choice: kintsugi.lib.dates adds 543 where it is on."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
