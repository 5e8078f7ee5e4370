"""A volume's articles made chapters: each article transformed as the book it is, then
set as one chapter of the volume, in date order.

Each article (`Book.articles`, read by `warraq.readers.volume`) first goes through the
article transforms with its own metadata (its dates, its language, its conventions: the
dateline is its own), then becomes one chapter carrying an `Article` (title, authors,
series number, dates) for its title block: an article of several files is joined into
one chapter, its notes numbered through. Every id of the article is prefixed with the
chapter's id (`art-2023-10-04-karabakh-...`), so that ids stay unique in the volume and
its links keep pointing where they did. Articles are set by date (Gregorian, else the
Hijri date's), undated ones after them in `contents` order; the volume's own chapters
listed before its first article come before them, the others after.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
from typing import Callable, Sequence

from hijridate import Hijri

from ..model import Article, Book, Chapter, Footnote, Heading
from ..text import xml_id
from ..xhtml import parse_fragment, serialise_children

Step = tuple[str, Callable[[Book], Book]]
#: Attributes that hold ids (besides `id` itself and `href="#..."`).
_IDREFS = ("aria-labelledby", "aria-describedby", "headers")


def prefixed(html: str, prefix: str) -> str:
    """The fragment with every id, `#id` link and id reference prefixed."""
    if "id=" not in html and 'href="#' not in html:
        return html
    tree = parse_fragment(html)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id"):
            el.set("id", prefix + el.get("id"))
        href = el.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            el.set("href", "#" + prefix + href[1:])
        for name in _IDREFS:
            if el.get(name):
                el.set(name, " ".join(prefix + ref for ref in el.get(name).split()))
    return serialise_children(tree)


def _relabelled(html: str, labels: dict[str, str]) -> str:
    """Note calls showing their new labels (`labels`: note href -> label)."""
    tree = parse_fragment(html)
    for a in tree.iter("a"):
        if a.get("class") == "noteref" and a.get("href") in labels:
            for child in list(a):
                a.remove(child)
            a.text = labels[a.get("href")]
    return serialise_children(tree)


def _joined(chapters: Sequence[Chapter]) -> Chapter:
    """An article's chapters as one, its notes numbered through."""
    first = chapters[0]
    if len(chapters) == 1:
        return first
    notes = [n for c in chapters for n in c.footnotes]
    labels = {f"#{n.id}": str(i) for i, n in enumerate(notes, 1)}
    html = "\n".join(_relabelled(c.html, labels) if c.footnotes else c.html for c in chapters)
    return dataclasses.replace(
        first, html=html, headings=tuple(h for c in chapters for h in c.headings),
        footnotes=tuple(dataclasses.replace(n, label=labels[f"#{n.id}"]) for n in notes),
        verses=tuple(v for c in chapters for v in c.verses))


def as_chapter(article: Book, folder: str, chapter_id: str, volume_lang: str) -> Chapter:
    """The transformed article as the volume's chapter `chapter_id`."""
    one = _joined(article.chapters)
    p = chapter_id + "-"
    lang = one.lang or article.meta.lang
    return dataclasses.replace(
        one, id=chapter_id, title=article.meta.title, html=prefixed(one.html, p),
        headings=tuple(Heading(h.level, h.text, p + h.id) for h in one.headings),
        footnotes=tuple(Footnote(p + n.id, p + n.ref_id, n.label, prefixed(n.html, p))
                        for n in one.footnotes),
        lang=None if lang == volume_lang else lang,
        article=Article(folder, article.meta, article.dates))


def sort_key(article: Book) -> tuple[int, dt.date]:
    """Dated articles first, by date (a Hijri-only date by its Gregorian day)."""
    meta = article.meta
    if meta.date is not None:
        return 0, meta.date
    if meta.hijri_date:
        y, m, d = (int(x) for x in meta.hijri_date.split("-"))
        try:
            return 0, Hijri(y, m, d).to_gregorian()
        except (OverflowError, ValueError):
            pass
    return 1, dt.date.min


def _folder(article: Book) -> str:
    """The article's folder as the volume names it (its files are named from there)."""
    source = article.sources[0].path if article.sources else "article"
    return posixpath.dirname(source) or source


def transform(book: Book, steps: Sequence[Step] = ()) -> Book:
    """Make each of a volume's articles a chapter (see the module); other books pass."""
    if not book.articles:
        return book
    done = []
    for article in book.articles:
        for _name, step in steps:
            article = step(article)
        done.append(article)
    taken = {c.id for c in book.chapters}
    made = []
    for article in sorted(done, key=sort_key):           # sorted() is stable
        folder = _folder(article)
        chapter_id = xml_id(posixpath.basename(folder), "art")
        while chapter_id in taken:
            chapter_id += "-x"
        taken.add(chapter_id)
        if article.chapters:
            made.append(as_chapter(article, folder, chapter_id, book.meta.lang))
    own, at = book.chapters, book.volume_at
    return dataclasses.replace(
        book, chapters=own[:at] + tuple(made) + own[at:], articles=(),
        resources=book.resources + tuple(r for a in done for r in a.resources),
        sources=book.sources + tuple(s for a in done for s in a.sources),
        warnings=book.warnings + tuple(w for a in done for w in a.warnings))
