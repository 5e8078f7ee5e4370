"""Links between the EPUB's chapter files.

In the Book every link inside the book is `#id`, ids being unique across the book (the
print edition is one document: `warraq.readers.links`). Each chapter is a file of the
EPUB, so a link whose id is in another chapter is pointed at that file (`ch02.xhtml#id`,
the chapter files sit side by side in `text/`).
"""

from __future__ import annotations

from ..model import Book
from ..xhtml import parse_fragment, serialise_children
from .epub_nav import chapter_file


def id_files(book: Book) -> dict[str, str]:
    """Every id of every chapter (body, notes, the chapter's own), with its file's name."""
    where: dict[str, str] = {}
    for chapter in book.chapters:
        name = chapter_file(chapter).rpartition("/")[2]
        where.setdefault(chapter.id, name)
        for fragment in [chapter.html] + [n.html for n in chapter.footnotes]:
            for el in parse_fragment(fragment).iter():
                if el.get("id"):
                    where.setdefault(el.get("id"), name)
        for note in chapter.footnotes:
            where.setdefault(note.id, name)
            where.setdefault(note.ref_id, name)
    return where


def point(fragment: str, own: str, where: dict[str, str]) -> str:
    """The fragment of the file `own` with each `#id` of another file pointed at it."""
    if 'href="#' not in fragment:
        return fragment
    tree = parse_fragment(fragment)
    changed = False
    for a in tree.iter("a"):
        href = a.get("href") or ""
        target = where.get(href[1:]) if href.startswith("#") else None
        if target and target != own:
            a.set("href", target + href)
            changed = True
    return serialise_children(tree) if changed else fragment
