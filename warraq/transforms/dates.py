"""Dates for the writers: the book's date in words, in the Gregorian and Hijri calendars.

The Hijri date is computed from book.yaml's `date` (`warraq.hijri`: the Umm al-Qura
calendar of `hijridate` from 1924 to 2077, the tabular Hijri calendar outside, nothing
before 1 AH, 622 CE); `hijri-date` in book.yaml overrides it (sighting can differ by a
day). The transform sets `Book.dates` (a `warraq.model.BookDates`: the dates and their texts).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .. import furniture
from .. import hijri as calendar
from ..model import Book, BookDates

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

#: The Hijri months, transliterated.
HIJRI_MONTHS = ("Muḥarram", "Ṣafar", "Rabīʿ al-Awwal", "Rabīʿ al-Thānī", "Jumādā al-Ūlā",
                "Jumādā al-Ākhira", "Rajab", "Shaʿbān", "Ramaḍān", "Shawwāl",
                "Dhū al-Qaʿda", "Dhū al-Ḥijja")


def gregorian_text(date: dt.date) -> str:
    """`4 October 2023` (day, month name, year)."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def hijri_of(date: dt.date) -> tuple[int, int, int] | None:
    """(year, month, day) in the Umm al-Qura calendar (tabular outside its range; None
    before 1 AH)."""
    return calendar.hijri_of(date)


def hijri_text(year: int, month: int, day: int) -> str:
    """`19 Rabīʿ al-Awwal 1445 AH`."""
    return f"{day} {HIJRI_MONTHS[month - 1]} {year} AH"


def book_dates(date: dt.date | None, hijri_date: str | None, lang: str = "en",
               digits: str | None = None) -> BookDates | None:
    """The dates of a book with this `date` and `hijri-date` (None without either); in an
    Arabic, Persian or Urdu book in its words and digits (`warraq.furniture`)."""
    if date is None and hijri_date is None:
        return None
    ymd = (tuple(int(x) for x in hijri_date.split("-")) if hijri_date else hijri_of(date))
    localised = furniture.localised_dates(lang)
    if ymd is None:
        hijri = ""
    else:
        hijri = furniture.hijri_text(lang, digits, *ymd) if localised else hijri_text(*ymd)
    if date is None:
        gregorian = ""
    else:
        gregorian = (furniture.gregorian_text(lang, digits, date) if localised
                     else gregorian_text(date))
    greg_part = gregorian + furniture.era_suffix(lang) if gregorian else ""
    dateline = furniture.date_separator(lang).join(t for t in (hijri, greg_part) if t)
    return BookDates(date, ymd, gregorian, hijri, dateline)


def transform(book: Book) -> Book:
    """Set `Book.dates` from book.yaml's `date` and `hijri-date`."""
    meta = book.meta
    return dataclasses.replace(book, dates=book_dates(meta.date, meta.hijri_date, meta.lang,
                                                      meta.digits))
