# Finnish practice writes dates as 8.12.2022 in tables and reports; Django's fi default spells the
# month out. Numbers group thousands with a (no-break) space and use a decimal comma.
DATE_FORMAT = "j.n.Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = "j.n.Y H.i"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
MONTH_DAY_FORMAT = "j.n."
YEAR_MONTH_FORMAT = "n/Y"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
