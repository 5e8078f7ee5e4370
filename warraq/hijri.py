"""The Hijri calendar for every Gregorian date from year 1 to 9999.

The Umm al-Qura calendar (`hijridate`) covers 1343-1500 AH (1924-08-01 to 2077-11-16).
Outside that range warraq uses the *tabular* (arithmetic) Islamic calendar, civil epoch:
1 Muḥarram 1 AH is Friday 16 July 622 (Julian), odd months have 30 days, even months
29, and the 12th month has 30 days in the 11 leap years of each 30-year cycle (2, 5, 7,
10, 13, 16, 18, 21, 24, 26, 29). The two agree to within a day or two where both apply.
A date before 1 Muḥarram 1 AH has no Hijri date (`hijri_of` gives None): the book then
shows the Gregorian date alone.
"""

from __future__ import annotations

import datetime as dt

from hijridate import Gregorian, Hijri

#: 1 Muḥarram 1 AH (civil epoch) as a proleptic Gregorian date.
EPOCH = dt.date(622, 7, 19)
#: Umm al-Qura's range in `hijridate`, in both calendars.
UMM_AL_QURA = (dt.date(1924, 8, 1), dt.date(2077, 11, 16))
UMM_AL_QURA_YEARS = (1343, 1500)


def tabular_leap(year: int) -> bool:
    """True when the tabular Hijri `year` has 355 days (Dhū al-Ḥijja of 30 days)."""
    return (14 + 11 * year) % 30 < 11


def tabular_month_days(year: int, month: int) -> int:
    return 30 if month % 2 == 1 or (month == 12 and tabular_leap(year)) else 29


def _tabular_ordinal(year: int, month: int, day: int) -> int:
    """The proleptic Gregorian ordinal (`date.toordinal`) of a tabular Hijri date."""
    return (day + (59 * (month - 1) + 1) // 2 + (year - 1) * 354 + (3 + 11 * year) // 30
            + EPOCH.toordinal() - 1)


def tabular_of(date: dt.date) -> tuple[int, int, int] | None:
    """(year, month, day) of `date` in the tabular Hijri calendar; None before its epoch."""
    n = date.toordinal()
    if n < EPOCH.toordinal():
        return None
    year = (30 * (n - EPOCH.toordinal()) + 10646) // 10631
    month = 1
    while month < 12 and n >= _tabular_ordinal(year, month + 1, 1):
        month += 1
    return year, month, n - _tabular_ordinal(year, month, 1) + 1


def tabular_to_gregorian(year: int, month: int, day: int) -> dt.date:
    return dt.date.fromordinal(_tabular_ordinal(year, month, day))


def hijri_of(date: dt.date) -> tuple[int, int, int] | None:
    """(year, month, day) in the Umm al-Qura calendar where it is defined, else in the
    tabular calendar; None for a date before 1 AH."""
    if UMM_AL_QURA[0] <= date <= UMM_AL_QURA[1]:
        h = Gregorian(date.year, date.month, date.day).to_hijri()
        return h.year, h.month, h.day
    return tabular_of(date)


def hijri_problem(year: int, month: int, day: int) -> str | None:
    """Why (year, month, day) is not a Hijri date, or None when it is one: years from 1
    (there is no year 0 AH) to 9666 (the year 9999 CE), months 1-12, and the day within
    the month's length (Umm al-Qura's months in its range, the tabular calendar's
    outside)."""
    if not 1 <= year <= 9666:
        return "there is no Hijri year 0; years run from 1 AH" if year < 1 else (
            "the year is past 9666 AH (9999 CE)")
    if not 1 <= month <= 12:
        return "months run from 1 (Muḥarram) to 12 (Dhū al-Ḥijja)"
    if UMM_AL_QURA_YEARS[0] <= year <= UMM_AL_QURA_YEARS[1]:
        try:
            Hijri(year, month, day)
        except (ValueError, OverflowError):
            return f"day {day} is not in that month of the Umm al-Qura calendar"
        return None
    if not 1 <= day <= tabular_month_days(year, month):
        return f"that month has {tabular_month_days(year, month)} days"
    if _tabular_ordinal(year, month, day) > dt.date.max.toordinal():
        return "the date is past 9999-12-31 CE"
    return None
