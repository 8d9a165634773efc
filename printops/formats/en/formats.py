"""One way to write a date everywhere in the UI: "3 Dec 2026" and "3 Dec 2026, 14:05".

Day-month-year with the month's name reads the same to a European and an American shop, and
the 24-hour clock matches the schedule. Upcoming times in the queue and schedule are written
relative to this week ("Thu 14:05"); elapsed ones such as a token's last use as "3 hours ago".
Input formats are Django's (a date field still takes 2026-12-03).
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j M"
