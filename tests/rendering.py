"""Markdown through warraq's reader as a chapter of a book is read (Pandoc, the walk of
its AST, the ids of the book), without a source folder: for tests of the reader and of
the transforms that start from what the Markdown became."""

from __future__ import annotations

from pathlib import Path

from warraq.cache import NO_CACHE, Cache
from warraq.errors import Diagnostics
from warraq.readers.chapter import ChapterContext, Rendered
from warraq.readers.folder import SourceFolder
from warraq.readers.pandoc_html import ENGLISH_QUOTES, render_chapters


def render_all(texts: list[str], diags: Diagnostics | None = None, offset: int = 0,
               marks: str = ENGLISH_QUOTES, cache: Cache = NO_CACHE) -> list[Rendered]:
    """Each text as one chapter (`c1.md`, `c2.md`, ... with ids `c1`, `c2`, ...) of one
    book, read in one Pandoc run; `offset` lines stand before each body (front matter);
    with `cache`, what was read and walked is kept there."""
    diags = diags if diags is not None else Diagnostics()
    ctxs = []
    for n, text in enumerate(texts, 1):
        shown = f"c{n}.md"
        ctxs.append(ChapterContext(shown, Path(shown), f"c{n}", text, diags, body=text,
                                   offset=offset))
    render_chapters(ctxs, SourceFolder(Path(".")), diags, {c.chapter_id for c in ctxs},
                    marks, cache=cache)
    return [c.rendered for c in ctxs]


def render(text: str, diags: Diagnostics | None = None, offset: int = 0,
           marks: str = ENGLISH_QUOTES) -> Rendered:
    """One text as the only chapter (`c1.md`, id `c1`) of a book."""
    return render_all([text], diags, offset, marks)[0]
