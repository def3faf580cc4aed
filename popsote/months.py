"""Month arithmetic: the one place that knows how months add up (a month is its first day)."""

from datetime import date, timedelta


def first_day(day):
    """The month ``day`` falls in: 14.3.2023 → 1.3.2023."""
    return day.replace(day=1)


def add_months(month, count):
    """The month ``count`` months after (before, if negative) the month of ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_day(month):
    """The last day of the month of ``month``: 1.2.2024 → 29.2.2024."""
    if month.year == 9999 and month.month == 12:
        return date(9999, 12, 31)
    return add_months(month, 1) - timedelta(days=1)


def months_between(start, end):
    """How many months from the month of ``start`` to the month of ``end``, both counted (0 if end is earlier)."""
    return max((end.year - start.year) * 12 + end.month - start.month + 1, 0)
