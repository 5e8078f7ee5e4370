"""A volume's index of the Qur'anic verses it cites: a chapter at its end.

Every verse block whose reference `warraq.quran` reads (`::: verse`, or a bracketed verse
the conventions recognise; see `reference`) gets an id (its own if it has one) and an
entry: the suras in order, each with its number, transliterated and Arabic names, and
under it each verse (or range) cited, `63:4`, with a link to every chapter that cites
it, the chapter's title as its text (the first citation in that chapter). The EPUB's links lead to the verse; the
print stylesheet follows each with its page number (`target-counter`). Python shapes the
entries here; `templates/shared/verse-index.html` lays them out. Only volumes get an
index, and only when they cite a verse.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .. import furniture
from ..model import Book, Chapter, Heading, VerseRef
from ..quran import ARABIC_NAMES, NAMES, parse_reference
from ..xhtml import parse_fragment, serialise_children, text_of
from .language import script_of_lang

#: The index's title, by language (English for a language without one).
TITLES = {"en": "Index of Qur\u2019anic Verses", "ar": "فهرس الآيات القرآنية",
          "fa": "فهرست آیات قرآن", "ur": "قرآنی آیات کا اشاریہ"}
INDEX_ID = "verse-index"


@dataclass(frozen=True)
class Locator:
    """A link from an index entry to a citation: the verse block's id, and the title of
    the chapter (article) citing it, with its language when it differs from the book's."""

    anchor: str
    title: str
    lang: str | None = None


@dataclass
class VerseEntry:
    sura: int
    verse: int
    verse_end: int | None
    label: str
    locators: list[Locator] = field(default_factory=list)


@dataclass
class SuraEntry:
    number: int
    label: str
    name: str
    arabic: str
    verses: list[VerseEntry] = field(default_factory=list)


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def reference(block) -> VerseRef | None:
    """The reference of a verse block: its `footer.verse-reference`'s, else its last
    paragraph's when that is a reference alone (`[البقرة: ١٥٥]` after the Arabic, with
    no translation: the blocks transform leaves it a paragraph)."""
    for cite in block.iter("cite"):
        if cite.getparent() is not None and "verse-reference" in _classes(cite.getparent()):
            return parse_reference(text_of(cite))
    paras = [p for p in block if p.tag == "p"]
    return parse_reference(text_of(paras[-1])) if len(paras) >= 2 else None


def anchored(chapter: Chapter) -> tuple[Chapter, list[tuple[VerseRef, str]]]:
    """The chapter with an id on each verse block with a reference, and (reference, id)
    of each, in order."""
    if "verse" not in chapter.html:
        return chapter, []
    tree = parse_fragment(chapter.html)
    found: list[tuple[VerseRef, str]] = []
    for n, block in enumerate((b for b in tree.iter("blockquote") if "verse" in _classes(b)), 1):
        ref = reference(block)
        if ref is None:
            continue
        if not block.get("id"):
            block.set("id", f"{chapter.id}-verse-{n}")
        found.append((ref, block.get("id")))
    if not found:
        return chapter, []
    return dataclasses.replace(chapter, html=serialise_children(tree)), found


def _locator(book: Book, chapter: Chapter, anchor: str) -> Locator:
    lang = chapter.lang or book.meta.lang
    script_lang = book.meta.script_lang
    if script_of_lang(lang, script_lang) == script_of_lang(book.meta.lang, script_lang):
        return Locator(anchor, chapter.title)
    return Locator(anchor, chapter.title, lang)


def entries(book: Book, cited: list[tuple[Chapter, VerseRef, str]]) -> list[SuraEntry]:
    """The index's entries: suras in order, verses in order, one locator per chapter."""
    meta = book.meta
    num = lambda text: furniture.digits(str(text), meta.lang, meta.digits)  # noqa: E731
    suras: dict[int, SuraEntry] = {}
    verses: dict[tuple[int, int, int | None], VerseEntry] = {}
    citing: dict[tuple[int, int, int | None], set[str]] = {}
    for chapter, ref, anchor in cited:
        sura = suras.setdefault(ref.sura, SuraEntry(
            ref.sura, num(ref.sura), NAMES[ref.sura], ARABIC_NAMES[ref.sura]))
        key = (ref.sura, ref.verse, ref.verse_end)
        if key not in verses:
            span = f"{ref.verse}\u2013{ref.verse_end}" if ref.verse_end else f"{ref.verse}"
            verses[key] = VerseEntry(*key, label=num(f"{ref.sura}:{span}"))
            sura.verses.append(verses[key])
        if chapter.id not in citing.setdefault(key, set()):
            citing[key].add(chapter.id)
            verses[key].locators.append(_locator(book, chapter, anchor))
    for sura in suras.values():
        sura.verses.sort(key=lambda v: (v.verse, v.verse_end or v.verse))
    return [suras[n] for n in sorted(suras)]


def transform(book: Book) -> Book:
    """Anchor a volume's verse blocks and add its index of verses (see the module)."""
    if not book.is_volume:
        return book
    chapters, cited = [], []
    for chapter in book.chapters:
        chapter, found = anchored(chapter)
        chapters.append(chapter)
        cited += [(chapter, ref, anchor) for ref, anchor in found]
    if not cited:
        return book
    meta = book.meta
    title = TITLES.get(furniture.primary(meta.lang), TITLES["en"])
    index_id = INDEX_ID
    while any(c.id == index_id for c in chapters):
        index_id += "-x"
    arabic_script = script_of_lang(meta.lang, meta.script_lang) == "arabic"
    from ..templating import render     # (here: a book without verses needs no Jinja)
    html = render("shared/verse-index.html", id=index_id, title=title,
                  suras=entries(book, cited), arabic_script=arabic_script)
    index = Chapter(source="(verse index)", id=index_id, kind="index", title=title,
                    html=html, headings=(Heading(1, title, f"{index_id}-title"),))
    return dataclasses.replace(book, chapters=tuple(chapters) + (index,))
