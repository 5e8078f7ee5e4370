"""warraq.hijri: Umm al-Qura inside hijridate's range, the tabular calendar outside it,
every Gregorian date from 1 to 9999 converts (or, before 1 AH, has no Hijri date)."""

import datetime as dt

from hijridate import Gregorian

from warraq.hijri import (EPOCH, UMM_AL_QURA, hijri_of, hijri_problem, tabular_month_days,
                          tabular_of, tabular_to_gregorian)


def test_the_tabular_calendar_round_trips_every_few_days_from_1_ah_to_9999():
    day = EPOCH
    while day < dt.date(9999, 9, 1):
        y, m, d = tabular_of(day)
        assert 1 <= d <= tabular_month_days(y, m)
        assert tabular_to_gregorian(y, m, d) == day
        day += dt.timedelta(days=89)
    assert tabular_of(dt.date(9999, 12, 31)) == (9666, 4, 2)
    assert tabular_of(EPOCH) == (1, 1, 1) and tabular_of(EPOCH - dt.timedelta(1)) is None


def test_it_agrees_with_umm_al_qura_within_two_days_where_both_apply():
    day = UMM_AL_QURA[0]
    while day <= UMM_AL_QURA[1]:
        u = Gregorian(day.year, day.month, day.day).to_hijri()
        assert hijri_of(day) == (u.year, u.month, u.day)
        assert abs((tabular_to_gregorian(u.year, u.month, u.day) - day).days) <= 2
        day += dt.timedelta(days=31)


def test_hijri_dates_are_checked_as_hijri_dates():
    assert hijri_problem(1445, 3, 19) is None
    assert "year 0" in hijri_problem(0, 1, 1)
    assert hijri_problem(1445, 1, 30)                      # Umm al-Qura: Muḥarram 1445 has 29
    assert hijri_problem(1300, 2, 30)                      # tabular: even months have 29
    assert hijri_problem(1300, 13, 1) and hijri_problem(9666, 5, 1)
    assert hijri_problem(1, 1, 1) is None and hijri_problem(9666, 4, 2) is None
