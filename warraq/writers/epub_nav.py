"""The EPUB's table of contents: the heading tree of the whole book (an article's title
block carries its title, with its points below it; see `warraq.titles`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Book, Chapter
from ..titles import opens_with_title


@dataclass
class NavPoint:
    """An entry of the table of contents, with its sub-entries."""

    title: str
    href: str
    children: list["NavPoint"] = field(default_factory=list)


#: warraq's own pages, manifest items and files carry this prefix. Chapters' ids and files
#: are slugs (`text.xml_id`: a-z, 0-9 and `-` only), so no chapter, whatever its file is
#: called (cover.md, nav.md, css.md, ...), can take the name of a generated page.
OWN = "warraq_"


def own_page(name: str) -> str:
    """The file of one of warraq's own pages: `text/warraq_cover.xhtml`."""
    return f"text/{OWN}{name}.xhtml"


def chapter_file(chapter: Chapter) -> str:
    return f"text/{chapter.id}.xhtml"


def nav_tree(book: Book, max_level: int = 3) -> list[NavPoint]:
    """The heading tree of the whole book: each chapter's headings nested by level. A
    chapter whose text does not open with its title (an article: the title block carries
    the book's title) is an entry of its own with its headings below it."""
    roots: list[NavPoint] = []
    for chapter in book.chapters:
        stack: list[tuple[int, NavPoint]] = []
        titled = opens_with_title(chapter.headings)
        if not titled:
            top = NavPoint(chapter.title, chapter_file(chapter))
            roots.append(top)
            stack.append((1, top))
        for i, heading in enumerate(chapter.headings):
            level = heading.level if titled else max(heading.level, 2)
            if level > max_level:
                continue
            own_title = titled and i == 0
            href = chapter_file(chapter) + ("" if own_title else f"#{heading.id}")
            point = NavPoint(chapter.title if own_title else heading.text, href)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else roots).append(point)
            stack.append((level, point))
    return roots
