"""Dates for the writers: the book's date in words, in the Gregorian and Hijri calendars.

The Hijri date is computed from book.yaml's `date` with `hijridate` (the Umm al-Qura
calendar); `hijri-date` in book.yaml overrides it (sighting can differ by a day). The
derived values (in `Book.derived`):

- `date_text`: `4 October 2023`
- `hijri_date`: `1445-03-19` (year-month-day in the Hijri calendar)
- `hijri_text`: `19 Rabīʿ al-Awwal 1445 AH`
- `dateline_text`: `19 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE`

In an Arabic, Persian or Urdu book they are in its words and digits (`warraq.furniture`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hijridate import Gregorian

from .. import furniture
from ..model import Book

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

#: The Hijri months, transliterated.
HIJRI_MONTHS = ("Muḥarram", "Ṣafar", "Rabīʿ al-Awwal", "Rabīʿ al-Thānī", "Jumādā al-Ūlā",
                "Jumādā al-Ākhira", "Rajab", "Shaʿbān", "Ramaḍān", "Shawwāl",
                "Dhū al-Qaʿda", "Dhū al-Ḥijja")


def gregorian_text(date: dt.date) -> str:
    """`4 October 2023` (day, month name, year)."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def hijri_of(date: dt.date) -> tuple[int, int, int]:
    """(year, month, day) in the Umm al-Qura calendar."""
    h = Gregorian(date.year, date.month, date.day).to_hijri()
    return h.year, h.month, h.day


def hijri_text(year: int, month: int, day: int) -> str:
    """`19 Rabīʿ al-Awwal 1445 AH`."""
    return f"{day} {HIJRI_MONTHS[month - 1]} {year} AH"


def transform(book: Book) -> Book:
    """Add the date values above when the book has a `date` (or a `hijri-date`)."""
    meta = book.meta
    if meta.date is None and meta.hijri_date is None:
        return book
    derived = dict(book.derived)
    if meta.hijri_date:
        y, m, d = (int(x) for x in meta.hijri_date.split("-"))
    else:
        y, m, d = hijri_of(meta.date)
    derived["hijri_date"] = f"{y:04d}-{m:02d}-{d:02d}"
    local = furniture.localised_dates(meta.lang)     # an Arabic-script book's own words
    derived["hijri_text"] = (furniture.hijri_text(meta.lang, meta.digits, y, m, d) if local
                             else hijri_text(y, m, d))
    if meta.date is not None:
        derived["date_text"] = (furniture.gregorian_text(meta.lang, meta.digits, meta.date)
                                if local else gregorian_text(meta.date))
        derived["dateline_text"] = (derived["hijri_text"] + furniture.date_separator(meta.lang)
                                    + derived["date_text"]
                                    + furniture.era_suffix(meta.lang))
    else:
        derived["dateline_text"] = derived["hijri_text"]
    return dataclasses.replace(book, derived=tuple(sorted(derived.items())))
