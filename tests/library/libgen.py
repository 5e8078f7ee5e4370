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


def write_book(folder: Path, meta: dict, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True,
                                                     sort_keys=False), encoding="utf-8")
    (folder / "text.md").write_text(text, encoding="utf-8")
    return folder


def make_library(root: Path, articles=ARTICLES, broken: bool = True,
                 library_yaml: str = LIBRARY_YAML) -> Path:
    """Write the library under `root` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "library.yaml").write_text(library_yaml, encoding="utf-8")
    for folder, title, date, series, position, lang in articles:
        write_book(root / folder, article_meta(title, date, series, position, lang),
                   article_text(title, lang))
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
