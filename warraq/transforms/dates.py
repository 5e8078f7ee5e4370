"""Dates for the writers: the book's date spelled out for the title page and dateline."""

from __future__ import annotations

import dataclasses

from ..model import Book

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def gregorian_text(date) -> str:
    """`4 October 2023` (day, month name, year)."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def transform(book: Book) -> Book:
    """Add `date_text` (the Gregorian date in words) when the book has a date."""
    if book.meta.date is None:
        return book
    derived = dict(book.derived)
    derived["date_text"] = gregorian_text(book.meta.date)
    return dataclasses.replace(book, derived=tuple(sorted(derived.items())))
