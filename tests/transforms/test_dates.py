"""warraq.transforms.dates and blocks: the Hijri date (Umm al-Qura, from `date`, or
`hijri-date`) with the Gregorian, in the dateline, and verse blocks shaped."""

import datetime as dt

import lxml.etree as ET
import pytest

from warraq.pipeline import prepare
from warraq.transforms.dates import HIJRI_MONTHS, hijri_of, hijri_text


@pytest.mark.parametrize("day, expected", [
    ("2023-10-04", "19 Rabīʿ al-Awwal 1445 AH"),
    ("2024-06-16", "10 Dhū al-Ḥijja 1445 AH"),     # ʿĪd al-Aḍḥā 1445
    ("2024-03-11", "1 Ramaḍān 1445 AH"),
    ("2024-04-10", "1 Shawwāl 1445 AH"),            # ʿĪd al-Fiṭr 1445
    ("2023-07-19", "1 Muḥarram 1445 AH"),           # Hijri new year 1445
    ("2025-03-01", "1 Ramaḍān 1446 AH"),
])
def test_known_days(day, expected):
    assert hijri_text(*hijri_of(dt.date.fromisoformat(day))) == expected


def test_month_names_are_transliterated():
    assert HIJRI_MONTHS[2] == "Rabīʿ al-Awwal" and HIJRI_MONTHS[11] == "Dhū al-Ḥijja"
    assert len(set(HIJRI_MONTHS)) == 12


AFTERWORD = """\
# After

Last words.

::: dateline
Written in Leeds
:::

::: dateline
:::
"""

VERSE = """\
# Verse

::: verse
لَئِن شَكَرْتُمْ لَأَزِيدَنَّكُمْ

If you are grateful, I will surely give you more.

Qur'an 14:7
:::

::: verse
فَإِنَّ مَعَ الْعُسْرِ يُسْرًا

For truly with hardship comes ease.
:::
"""


def _book(make_source, name, files, **meta):
    return prepare(make_source({"title": "D", "contents": list(files)} | meta, files, name))


def test_dateline_gets_both_dates_appended(make_source):
    book = _book(make_source, "d1", {"a.md": AFTERWORD}, date="2023-10-04")
    root = ET.fromstring(f"<div>{book.chapters[0].html}</div>")
    place, empty = root.findall(".//div[@class='dateline']")
    assert " ".join("".join(place.itertext()).split()) == (
        "Written in Leeds, 19 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE")
    assert place.find(".//time").get("datetime") == "2023-10-04"
    assert " ".join("".join(empty.itertext()).split()) == (
        "19 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE")


def test_hijri_date_in_book_yaml_overrides_the_computed_one(make_source):
    book = _book(make_source, "d2", {"a.md": AFTERWORD}, date="2023-10-04",
                 **{"hijri-date": "1445-03-20"})
    assert book.dates.hijri == (1445, 3, 20) and book.dates.hijri_iso == "1445-03-20"
    assert book.dates.dateline_text == "20 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE"
    assert book.dates.gregorian_text == "4 October 2023"
    assert "20 Rabīʿ al-Awwal 1445 AH" in book.chapters[0].html


def test_verse_becomes_a_blockquote_with_its_reference_in_a_footer(make_source):
    book = _book(make_source, "v", {"v.md": VERSE})
    root = ET.fromstring(f"<div>{book.chapters[0].html}</div>")
    first, second = root.findall("blockquote")
    assert first.get("class") == "verse" and second.get("class") == "verse"
    arabic, translation = first.findall("p")
    assert (arabic.get("lang"), arabic.get("dir"), arabic.get("class")) == (
        "ar", "rtl", "verse-text")
    assert translation.get("class") == "verse-translation"
    assert first.find("footer/cite").text == "Qur’an 14:7"
    # no reference: the translation stays a translation
    assert second.find("footer") is None
    assert [p.get("class") for p in second.findall("p")] == ["verse-text", "verse-translation"]


def test_a_hijri_date_alone_gives_the_hijri_dateline(make_source):
    book = _book(make_source, "d3", {"a.md": AFTERWORD}, **{"hijri-date": "1445-09-01"})
    assert book.dates.gregorian is None and book.dates.gregorian_text == ""
    assert book.dates.dateline_text == "1 Ramaḍān 1445 AH"
    assert "<time" not in book.chapters[0].html


def test_no_date_no_dates(make_source):
    assert _book(make_source, "d4", {"a.md": AFTERWORD}).dates is None


@pytest.mark.parametrize("lang, day, dateline", [
    # the tabular calendar outside Umm al-Qura (JD 2415020.5 is 234 days after 1 Muḥarram 1317 AH, civil
    # epoch), in the book's words and digits
    ("en", "1900-01-01", "28 Shaʿbān 1317 AH · 1 January 1900 CE"),
    ("ar", "1900-01-01", "٢٨ شعبان ١٣١٧ هـ الموافق ١ يناير ١٩٠٠ م"),
    # before 1 AH: the Gregorian date alone, with its era, and no separator
    ("en", "0500-06-01", "1 June 500 CE"),
    ("ar", "0500-06-01", "١ يونيو ٥٠٠ م"),
])
def test_dates_outside_umm_al_qura_in_each_language(make_source, lang, day, dateline):
    book = _book(make_source, f"d5{lang}{day[:4]}", {"a.md": AFTERWORD}, date=day, lang=lang)
    assert book.dates.dateline_text == dateline
    root = ET.fromstring(f"<div>{book.chapters[0].html}</div>")
    empty = root.findall(".//div[@class='dateline']")[-1]
    assert " ".join("".join(empty.itertext()).split()) == dateline
    assert (empty.find(".//span[@class='hijri-date']") is None) == (day < "0622")
