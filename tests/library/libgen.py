"""A test library written by the tests: a dozen tiny dated articles over several years,
in two series, some with Arabic titles, and (optionally) one broken book."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

import yaml

LIBRARY_YAML = """\
title: Answers to Questions
publisher: Test Press
lang: en
description: Short answers, one every few weeks.
"""

#: (folder, title, date, series, position, lang)
ARTICLES = [
    ("2022-03-01-patience", "On Patience", "2022-03-01", "Answers", 1, "en"),
    ("2022-09-14-gratitude", "On Gratitude", "2022-09-14", "Answers", 2, "en"),
    ("2022-12-02-sabr", "الصبر والشكر", "2022-12-02", "أجوبة", 1, "ar"),
    ("2023-02-10-trust", "On Trust", "2023-02-10", "Answers", 3, "en"),
    ("2023-06-21-niyya", "النية في العمل", "2023-06-21", "أجوبة", 2, "ar"),
    ("2023-10-04-karabakh", "A Letter on Karabakh", "2023-10-04", "Answers", 4, "en"),
    ("2024-01-05-fasting", "On Fasting", "2024-01-05", "Answers", 5, "en"),
    ("2024-04-18-ilm", "طلب العلم", "2024-04-18", "أجوبة", 3, "ar"),
    ("2024-08-30-charity", "On Charity", "2024-08-30", None, None, "en"),
    ("2025-02-11-travel", "On Travel", "2025-02-11", "Answers", 6, "en"),
    ("2025-05-27-dhikr", "الذكر", "2025-05-27", "أجوبة", 4, "ar"),
]

BROKEN = "2024-06-01-broken"

#: Verses some articles cite, for a volume's index: folder -> [(Arabic, translation or
#: None, reference as written)]; the English ones are written without markup (the
#: conventions recognise them), the Arabic one as a `::: verse` block.
VERSES = {
    "2022-03-01-patience": [("يَا أَيُّهَا الَّذِينَ آمَنُوا اسْتَعِينُوا بِالصَّبْرِ وَالصَّلَاةِ",
                             "“O you who believe, seek help through patience and prayer.”",
                             "[Al-Baqarah: 153]")],
    "2022-09-14-gratitude": [("لَئِن شَكَرْتُمْ لَأَزِيدَنَّكُمْ",
                              "“If you are grateful, I will surely increase you.”",
                              "[Ibrahim 14:7]")],
    "2022-12-02-sabr": [("وَبَشِّرِ الصَّابِرِينَ", None, "[البقرة: ١٥٥]")],
    "2023-02-10-trust": [("وَمَن يَتَوَكَّلْ عَلَى اللَّهِ فَهُوَ حَسْبُهُ",
                          "“Whoever relies upon God, He is sufficient for him.”",
                          "(Qur'an 65:3)"),
                         ("لَئِن شَكَرْتُمْ لَأَزِيدَنَّكُمْ",
                          "“If you are grateful, I will surely increase you.”",
                          "[Surah Ibrahim, 7]")],
    "2023-10-04-karabakh": [("وَإِذَا رَأَيْتَهُمْ تُعْجِبُكَ أَجْسَامُهُمْ",
                             "“And when you see them, their forms please you.”",
                             "[Al-Munafiqun: 4]"),
                            ("إِنَّ أَكْرَمَكُمْ عِندَ اللَّهِ أَتْقَاكُمْ",
                             "“The noblest of you with God is the most righteous of you.”",
                             "[Al-Hujurat: 13]")],
    "2024-01-05-fasting": [("كُتِبَ عَلَيْكُمُ الصِّيَامُ كَمَا كُتِبَ "
                            "عَلَى الَّذِينَ مِن قَبْلِكُمْ",
                            "“Fasting is prescribed for you as it was prescribed for those "
                            "before you.”", "[Al-Baqarah: 183-184]"),
                           ("يَا أَيُّهَا الَّذِينَ آمَنُوا اسْتَعِينُوا بِالصَّبْرِ وَالصَّلَاةِ",
                            "“O you who believe, seek help through patience and prayer.”",
                            "[Al-Baqarah: 153]")],
}
#: The index those verses make: sura:verse -> the folders citing it.
VERSE_INDEX = {
    "2:153": ["2022-03-01-patience", "2024-01-05-fasting"],
    "2:155": ["2022-12-02-sabr"],
    "2:183–184": ["2024-01-05-fasting"],
    "14:7": ["2022-09-14-gratitude", "2023-02-10-trust"],
    "49:13": ["2023-10-04-karabakh"],
    "63:4": ["2023-10-04-karabakh"],
    "65:3": ["2023-02-10-trust"],
}
VOLUME = "volume-2022-2024"
#: The volume's articles, listed out of date order (the volume sets them by date).
VOLUME_ARTICLES = ["2024-01-05-fasting", "2022-03-01-patience", "2023-10-04-karabakh",
                   "2022-12-02-sabr", "2023-02-10-trust", "2022-09-14-gratitude"]
VOLUME_PREFACE = "# Preface\n\nThese answers were written between 2022 and 2024.\n"


def verse_text(folder: str, lang: str) -> str:
    """The verse blocks of an article (see VERSES) and its closing dateline."""
    blocks = []
    for arabic, translation, reference in VERSES.get(folder, []):
        if translation:
            blocks.append(f"[{arabic}]\n\n{translation}\n\n{reference}")
        else:
            blocks.append(f"::: verse\n﴿{arabic}﴾\n\n{reference}\n:::")
    place = "لندن" if lang == "ar" else "Leeds"
    return "\n\n".join(blocks + [f"::: dateline\n{place}\n:::"])


def make_volume(root: Path, articles=VOLUME_ARTICLES, **meta) -> Path:
    """A volume of the library at `root`: a preface of its own, then `articles`."""
    data = {"title": "Answers, 2022–2024", "author": "Test Author", "lang": "en",
            "date": "2024-12-31", "publisher": "Test Press",
            "identifier": "urn:uuid:0b5a9c4e-6c8e-4d3a-9a57-2f1c6b7d8e90",
            "description": "The answers of three years in one volume.",
            "contents": ["preface.md"] + [f"../{a}" for a in articles], **meta}
    return write_book(root / VOLUME, data, VOLUME_PREFACE, name="preface.md")


def article_meta(title: str, date: str, series: str | None, position: int | None,
                 lang: str) -> dict:
    # Arabic titles have no ASCII to derive a default identifier from: give every
    # article its own, as a series' publisher does.
    identifier = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'warraq-test:' + date)}"
    meta = {"title": title, "author": "Test Author", "lang": lang, "date": date,
            "identifier": identifier,
            "description": f"A short answer: {title}.", "layout": "article",
            "contents": ["text.md"]}
    if series:
        meta["belongs-to-collection"] = series
        meta["group-position"] = position
    return meta


def article_text(title: str, lang: str, extra: str = "") -> str:
    if lang == "ar":
        body = f"# {title}\n\nهذا نص قصير عن الموضوع.\n\nوالحمد لله."
    else:
        body = (f"# {title}\n\nThis is a short answer about {title.lower()}.\n\n"
                "It has a second paragraph, with a note.[^1]\n\n"
                "[^1]: The note.")
    return f"{body}\n\n{extra}\n" if extra else body + "\n"


def write_book(folder: Path, meta: dict, text: str, name: str = "text.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True,
                                                     sort_keys=False), encoding="utf-8")
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def make_library(root: Path, articles=ARTICLES, broken: bool = True,
                 library_yaml: str = LIBRARY_YAML, volume: bool = False) -> Path:
    """Write the library under `root` and return it; with `volume`, the articles cite
    verses (VERSES) and close with a dateline, and the library holds VOLUME."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "library.yaml").write_text(library_yaml, encoding="utf-8")
    for folder, title, date, series, position, lang in articles:
        write_book(root / folder, article_meta(title, date, series, position, lang),
                   article_text(title, lang, verse_text(folder, lang) if volume else ""))
    if volume:
        make_volume(root)
    if broken:
        # line 3 of text.md references a note that is never defined (W304)
        (root / BROKEN).mkdir(exist_ok=True)
        (root / BROKEN / "book.yaml").write_text(textwrap.dedent("""\
            title: A Broken Answer
            date: 2024-06-01
            layout: article
            contents: [text.md]
            """), encoding="utf-8")
        (root / BROKEN / "text.md").write_text("# Broken\n\nA reference to nothing.[^gone]\n",
                                               encoding="utf-8")
    return root
