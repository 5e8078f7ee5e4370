"""Which title a chapter has, and whether its text must open with it as a heading.

In a book (`layout: book`) every chapter opens with a level-1 heading: its front matter
`title`, else its first heading (when that is not a level-1 heading already, it is raised to level 1 if
it opens the chapter, else a level-1 heading with its text is put in front).

In an article (`layout: article`) the book's title is the article's title: the title
block the writers set above the text carries it, so the first part of the article gets
no heading made from its first sub-heading (`## 1.` stays a point below the title), and
an opening `# Title` equal to the book's title is taken out (it would be said twice).
Its `Chapter.title` is the book's title. An article's first part with a `# Heading` of
its own (other than the book's title) or a front matter `title` keeps it, as do later
parts of an article, which follow the book rule.
"""

from __future__ import annotations

import re
import unicodedata

from .model import Heading
from .xhtml import parse_fragment, serialise_children


def _same(a: str, b: str) -> bool:
    """The same title, give or take case, spacing, punctuation and quotes."""
    def norm(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).casefold()
        return " ".join(re.sub(r"[^\w\s]", " ", text).split())
    return norm(a) == norm(b)


def _drop_heading(html: str, heading_id: str) -> str:
    """The fragment without the heading whose id is `heading_id`."""
    wrapper = parse_fragment(html)
    for el in wrapper.iter():
        if el.get("id") == heading_id:
            parent = el.getparent()
            previous = el.getprevious()
            if el.tail and el.tail.strip():
                if previous is not None:
                    previous.tail = (previous.tail or "") + el.tail
                else:
                    parent.text = (parent.text or "") + el.tail
            parent.remove(el)
            break
    return serialise_children(wrapper)


def _raised_if_first(html: str, heading_id: str) -> str | None:
    """The fragment with its opening element, the heading `heading_id`, made an h1; None
    when text or another element comes before that heading."""
    wrapper = parse_fragment(html)
    if (wrapper.text or "").strip():
        return None
    first = next(iter(wrapper), None)
    if first is None or first.get("id") != heading_id or not re.fullmatch(r"h[2-6]", first.tag):
        return None
    first.tag = "h1"
    return serialise_children(wrapper)


def _with_h1(html: str, headings: tuple[Heading, ...], title: str, chapter_id: str
             ) -> tuple[str, tuple[Heading, ...]]:
    """Make sure the chapter opens with a level-1 heading (its title). A chapter that
    opens with its first heading at a lower level (`## What remains` opening an article's
    later part) has that heading raised to level 1, so its title is not said twice."""
    if headings and headings[0].level == 1:
        return html, headings
    if headings and headings[0].text == title:
        raised = _raised_if_first(html, headings[0].id)
        if raised is not None:
            return raised, (Heading(1, title, headings[0].id),) + headings[1:]
    heading = Heading(1, title, f"{chapter_id}-title")
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<h1 id="{heading.id}">{escaped}</h1>\n' + html, (heading,) + headings


def chapter_title(html: str, headings: tuple[Heading, ...], front_title: str | None,
                  chapter_id: str, layout: str, book_title: str, first: bool
                  ) -> tuple[str, str, tuple[Heading, ...]]:
    """(title, html, headings) of a chapter, by the rules above. The title is "" when the
    chapter has none (the caller reports W303)."""
    if layout == "article" and first and not front_title:
        if headings and headings[0].level == 1 and _same(headings[0].text, book_title):
            return book_title, _drop_heading(html, headings[0].id), headings[1:]
        if not (headings and headings[0].level == 1):
            return book_title, html, headings
    title = front_title or (headings[0].text if headings else "")
    if not title:
        return "", html, headings
    html, headings = _with_h1(html, headings, title, chapter_id)
    return title, html, headings


def opens_with_title(headings: tuple[Heading, ...]) -> bool:
    """Whether a chapter's text opens with its own level-1 heading (else the title block
    above it carries the title, and its headings sit one level below)."""
    return bool(headings) and headings[0].level == 1
