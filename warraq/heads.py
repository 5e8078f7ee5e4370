"""The title block that opens an article, and what a volume's contents show of each.

`shared/article-head.html` lays out the block (series and number, title, subtitle,
authors, both dates). An article alone shows its book's facts above its first chapter;
in a volume each article's chapter shows its own (`Chapter.article`), in its language.
`head_context` gives the template those facts for a chapter, `contents_entry` the dates
and direction of its line in the contents (the EPUB's nav, the PDF's contents page),
`shown_texts` what of it the outputs set (for the glyph check and the font subsets).
"""

from __future__ import annotations

from . import furniture
from .model import Article, Book, Chapter
from .titles import opens_with_title


def head_context(book: Book, chapter: Chapter, common: dict) -> dict:
    """The template keywords of a chapter's title block: `article_head` (whether it has
    one), `title_heading`, and for an article of a volume its `meta`, `authors`,
    `date_text`, `dateline_text` and words (`t`) in place of the book's (`common`)."""
    article = chapter.article
    context = dict(common)
    context["title_heading"] = not opens_with_title(chapter.headings)
    if article is None:
        context["article_head"] = (book.meta.layout != "book" and bool(book.chapters)
                                   and chapter is book.chapters[0])
        return context
    dates = article.dates
    context.update(article_head=True, meta=article.meta, authors=article.meta.authors,
                   date_text=dates.gregorian_text if dates else "",
                   dateline_text=dates.dateline_text if dates else "",
                   t=furniture.strings(article.meta.lang))
    return context


def print_head(book: Book, chapter: Chapter) -> dict | None:
    """The title block of an article's chapter in a volume's PDF (None for others)."""
    if chapter.article is None:
        return None
    context = head_context(book, chapter, {})
    return {k: context[k] for k in ("meta", "authors", "date_text", "dateline_text",
                                    "title_heading")}


def contents_entry(book: Book, chapter: Chapter) -> dict:
    """`dates` (both calendars, "" for a chapter that is no dated article), and the
    `lang` and `dir` of an article's line when its language is not the book's."""
    article = chapter.article
    if article is None:
        return {"dates": "", "lang": None, "dir": None}
    lang = article.meta.lang
    other = furniture.primary(lang) != furniture.primary(book.meta.lang)
    return {"dates": article.dates.dateline_text if article.dates else "",
            "lang": lang if other else None,
            "dir": furniture.direction(lang) if other else None}


def shown_texts(article: Article) -> list[tuple[str, str]]:
    """(text, how it is set: "bold", "regular" or "italic") of everything an article's
    title block and contents line show."""
    meta, dates = article.meta, article.dates
    out = [(meta.title, "bold"), (meta.title, "regular")]
    out += [(meta.subtitle, s) for s in ("italic", "regular") if meta.subtitle]
    out += [(t, "regular") for t in (meta.collection, *meta.authors) if t]
    if meta.collection and meta.group_position:
        out.append((str(meta.group_position), "regular"))
    if dates:
        out += [(t, s) for t in (dates.dateline_text, dates.gregorian_text, dates.hijri_text)
                for s in ("regular", "italic") if t]
    return out
