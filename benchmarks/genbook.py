"""Deterministic long books and articles for the benchmark and the byte-identity checks.

`python benchmarks/genbook.py book DIR --words 90000 [--chapters 30]` writes a book.yaml
and chapters with footnotes, blockquotes, lettered lists and Arabic in about 15 % of the
paragraphs; `python benchmarks/genbook.py article DIR --words 4000` writes one article the
way our users write it; `... library DIR --articles 200 --words 4000` a series of them.
The text comes from a fixed seed: the same arguments give the same bytes on every machine.
"""

from __future__ import annotations

import argparse
import datetime
import random
from pathlib import Path

WORDS = ("patience gratitude holding rope hand promise task silence answer gain loss delay "
         "illness verse hardship ease article commentator grammar reader letter student "
         "grandmother weather door complaint scholar century habit obedience wrongdoing "
         "morning evening journey river market bread salt road friend neighbour city "
         "garden well lamp night rain harvest season book page copyist ink paper margin "
         "measure line voice prayer traveller mountain valley window threshold").split()
ARABIC = ("الصبر مفتاح الفرج", "فَإِنَّ مَعَ الْعُسْرِ يُسْرًا", "الحمد لله",
          "لا إله إلا الله", "سبحان الله وبحمده", "العلم نور", "كتاب الشكر والصبر")


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _paragraph(rng: random.Random, words: int) -> str:
    out, count = [], 0
    while count < words:
        n = rng.randint(8, 22)
        out.append(_sentence(rng, n))
        count += n
    if rng.random() < 0.15:
        out.insert(rng.randint(0, len(out)), f"As they say, {rng.choice(ARABIC)}, and so on.")
    return " ".join(out), count


def chapter(rng: random.Random, number: int, words: int) -> str:
    lines = [f"# Chapter {number}: {rng.choice(WORDS).capitalize()}", ""]
    notes, count, section = [], 0, 0
    while count < words:
        roll = rng.random()
        if roll < 0.06:
            section += 1
            lines += [f"## Part {section}", ""]
        elif roll < 0.11:
            lines += ["> " + _sentence(rng, 18), ">", f"> — A. Writer, letter, {number} May 1998", ""]
            count += 20
        elif roll < 0.15:
            for i in range(1, 3):
                lines.append(f"{i}. {_sentence(rng, 10)}")
                lines += [f"   a. {_sentence(rng, 8)}", f"   b. {_sentence(rng, 8)}"]
            lines.append("")
            count += 52
        elif roll < 0.17:
            lines += [rng.choice(ARABIC) + "، " + rng.choice(ARABIC) + ".", ""]
            count += 6
        else:
            text, n = _paragraph(rng, rng.randint(60, 140))
            if rng.random() < 0.12:
                label = f"n{len(notes) + 1}"
                text += f"[^{label}]"
                notes.append(f"[^{label}]: {_sentence(rng, 20)}")
            lines += [text, ""]
            count += n
    return "\n".join(lines + notes) + "\n"


def book(folder: Path, words: int, chapters: int, seed: int = 1445) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(1, chapters + 1):
        name = f"ch{i:02d}.md"
        (folder / name).write_text(chapter(rng, i, words // chapters), encoding="utf-8")
        names.append(name)
    contents = "".join(f"  - {n}\n" for n in names)
    (folder / "book.yaml").write_text(
        f"title: A Long Book of {words} Words\nauthor: Generated Author\nlang: en\n"
        f"date: 2023-10-04\nidentifier: urn:uuid:0c8e2b6e-2f0e-4a51-9a1e-{words:012d}\n"
        f"publisher: Warraq Benchmarks\nlayout: book\ncontents:\n{contents}", encoding="utf-8")


def article(folder: Path, words: int, seed: int = 63, number: int = 7,
            date: str = "2023-10-04") -> None:
    """An article; `seed`, `number` (its position in the series) and `date` make the
    articles of a library differ (the defaults give the benchmark's article)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["::: invocation", "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ", ":::", ""]
    count, point = 0, 0
    while count < words:
        point += 1
        lines += [f"## {point}.", ""]
        text, n = _paragraph(rng, 120)
        lines += [text + (f"[^p{point}]" if point % 3 == 0 else ""), ""]
        lines += [f"a. {_sentence(rng, 12)}", f"b. {_sentence(rng, 12)}", ""]
        if point % 4 == 0:
            lines += ["::: verse", "وَإِذَا رَأَيْتَهُمْ تُعْجِبُكَ أَجْسَامُهُمْ", "",
                      "And when you see them, their forms please you.", "",
                      "Qur'an 63:4", ":::", ""]
        if point % 3 == 0:
            lines += [f"[^p{point}]: {_sentence(rng, 15)}", ""]
        count += n + 24
    lines += ["::: dateline", "Leeds", ":::", ""]
    (folder / "article.md").write_text("\n".join(lines), encoding="utf-8")
    (folder / "book.yaml").write_text(
        f"title: Answer to a Question\nauthor: Generated Author\nlang: en\ndate: {date}\n"
        f"identifier: urn:uuid:5d9c3c86-8a43-4d0b-a6f3-{seed:012d}\nlayout: article\n"
        f"belongs-to-collection: Answers\ngroup-position: {number}\n"
        "contents:\n  - article.md\n",
        encoding="utf-8")


def library(folder: Path, articles: int, words: int) -> list[Path]:
    """A series of `articles` dated articles, one folder each, for the library benchmark
    of issue 13 (`library.yaml` holds the keys that issue names; the library build itself
    is that issue's). Returns the article folders."""
    folder.mkdir(parents=True, exist_ok=True)
    start, out = datetime.date(2020, 1, 1), []
    for i in range(articles):
        date = (start + datetime.timedelta(days=11 * i)).isoformat()
        out.append(folder / f"{date}-answer-{i + 1:03d}")
        article(out[-1], words, seed=1000 + i, number=i + 1, date=date)
    (folder / "library.yaml").write_text(
        "title: Answers\npublisher: Warraq Benchmarks\nlang: en\n"
        "base-url: https://books.invalid/answers/\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("book", "article", "library"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--words", type=int, default=90000)
    parser.add_argument("--chapters", type=int, default=30)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args(argv)
    if args.kind == "book":
        book(args.folder, args.words, args.chapters)
    elif args.kind == "library":
        library(args.folder, args.articles, args.words)
    else:
        article(args.folder, args.words)


if __name__ == "__main__":
    main()
