"""Ids and links across the book: one table of every id, one resolver of every link.

The print edition is one HTML document holding every chapter, so an id is unique across
the book: an id the author wrote (`{#id}`, raw HTML) is kept as written, and one used
twice is reported (W314); a heading without one gets Pandoc's identifier (Unicode
letters kept: an Arabic heading gets an Arabic id), with a suffix (`-1`, `-2`) when an
earlier chapter (or any id the author wrote) has it already. GitHub's identifier of a
heading is an alias that links may use.

A link is resolved from the chapter it is in: `#id` (an id of its own chapter first,
as the author saw it, else of any chapter), a chapter's file (`ch02.md`, `./ch02.md`,
`ch02.html`, `ch02.xhtml`, `ch02.docx`, with or without `#id`: its title heading
without one). In the Book every resolved link is `#final-id`; the EPUB writer points
those whose target is in another chapter at its file. A link to nothing is an error naming the target.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..errors import Diagnostics
from ..xhtml import SCRIPT_SCHEMES, URL_SCHEMES, url_scheme
from .folder import SourceFolder

#: File suffixes a link may give a chapter (its Markdown file, or the page it becomes).
CHAPTER_SUFFIXES = (".md", ".markdown", ".docx", ".html", ".xhtml", ".htm", "")


def gfm_id(text: str) -> str:
    """GitHub's identifier of a heading: lower case, punctuation (but `-` and `_`)
    removed, each space a hyphen."""
    kept = "".join(c for c in text.lower().strip()
                   if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def show(text: str) -> str:
    """A URL as a message quotes it: on one line, and not too long."""
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class ChapterIds:
    """One chapter's ids: `own` maps each id as the author saw it (Pandoc's, GitHub's, or
    written) to its id in the book; `title` is the id a link to the chapter goes to (its
    opening heading, once the chapter has its title: `warraq.readers.book`)."""

    shown: str
    path: Path
    own: dict[str, str] = field(default_factory=dict)
    title: str = ""


@dataclass
class Resolution:
    """What a link becomes: `href` (None: leave it as written), or a problem."""

    href: str | None = None
    code: str | None = None
    message: str = ""


class BookIds:
    """Every id of the book, and the resolver of links (see the module)."""

    def __init__(self, source: SourceFolder, diags: Diagnostics, reserved: set[str]):
        self.source, self.diags = source, diags
        self.taken: dict[str, str] = {i: "" for i in reserved}    # id -> chapter shown
        self.chapters: dict[str, ChapterIds] = {}
        self.by_path: dict[PurePosixPath, ChapterIds] = {}

    def add_chapter(self, shown: str, path: Path) -> ChapterIds:
        ids = ChapterIds(shown, path)
        self.chapters[shown] = ids
        self.by_path[PurePosixPath(shown).with_suffix("")] = ids
        return ids

    def written(self, ids: ChapterIds, found: list[tuple[str, int]]) -> None:
        """The ids the author wrote in a chapter: kept; W314 for one used twice."""
        lines: dict[str, list[int]] = {}
        for ident, line in found:
            lines.setdefault(ident, []).append(line)
        for ident, where in sorted(lines.items(), key=lambda kv: kv[1][0]):
            if len(where) > 1:
                self.diags.add(ids.shown, where[1], "W314", f"the id `{ident}` is used more "
                               "than once in this chapter: give each `{#id}` a different name")
            elif self.taken.get(ident):
                self.diags.add(ids.shown, where[0], "W314", f"the id `{ident}` is also used "
                               f"in {self.taken[ident]}: ids must differ across the whole book "
                               "(the print edition is one document)")
            self.taken.setdefault(ident, ids.shown)
            ids.own.setdefault(ident, ident)

    def made(self, ids: ChapterIds, ident: str) -> str:
        """An id Pandoc made in a chapter: its id in the book (suffixed if taken)."""
        final, n = ident, 0
        while final in self.taken:
            n += 1
            final = f"{ident}-{n}"
        self.taken[final] = ids.shown
        ids.own.setdefault(ident, final)
        return final

    def alias(self, ids: ChapterIds, name: str, final: str) -> None:
        if name:
            ids.own.setdefault(name, final)

    def _fragment(self, frag: str, ids: ChapterIds | None) -> str | None:
        """The book's id a fragment names: in `ids` (a chapter), else anywhere."""
        if ids is not None:
            return ids.own.get(frag)
        if frag in self.taken and self.taken[frag]:
            return frag
        return next((c.own[frag] for c in self.chapters.values() if frag in c.own), None)

    def resolve(self, href: str, shown: str) -> Resolution:
        """Resolve a link of the chapter `shown` (see the module)."""
        href = href.strip()
        ids = self.chapters[shown]
        if not href:
            return Resolution()
        if href.startswith("#"):
            frag = unquote(href[1:])
            final = ids.own.get(frag) or self._fragment(frag, None)
            if final:
                return Resolution("#" + final)
            return Resolution(None, "W313", f"the link `{show(href)}` names no heading or id "
                              "in the book: give the target `{#" + show(frag) + "}` or fix "
                              "the link")
        scheme = url_scheme(href)
        try:
            parts = urlsplit(href)
        except ValueError:
            parts = None
        if scheme in SCRIPT_SCHEMES:
            return Resolution(None, "W308", f"the link `{show(href)}` runs code or embeds "
                              f"data (`{scheme}:`): remove it")
        if scheme in URL_SCHEMES:
            return Resolution()
        if parts is None or scheme or parts.netloc:
            return Resolution(None, "W307", f"the link `{show(href)}` is not a web page: "
                              "links are http(s)://, mailto:, #id or a chapter's file")
        return self._file(href, parts, ids)

    def _file(self, href: str, parts, ids: ChapterIds) -> Resolution:
        bad = parts.path and self.source.problem(self.source.url_relative(ids.path,
                                                                          parts.path))
        if bad:                         # a NUL, a name too long, a symlink loop (W208, W206)
            return Resolution(None, bad[0], f"the link `{show(href)}` {bad[1]}")
        target = self.source.inside(ids.path, parts.path) if parts.path else ids.path
        if target is None:
            return Resolution(None, "W307", f"the link `{show(href)}` leads outside the "
                              "source folder: remove it or link to a web page")
        rel = PurePosixPath(self.source.relative(target))
        chapter = None
        if rel.suffix.lower() in CHAPTER_SUFFIXES:
            chapter = self.by_path.get(rel.with_suffix("") if rel.suffix else rel)
        if chapter is None:
            return Resolution(None, "W307", f"the link `{show(href)}` names a file that is "
                              "not a chapter of the book: link to a file of `contents`, a "
                              "heading (#id) or a web page")
        if not parts.fragment:
            return Resolution("#" + chapter.title)
        final = chapter.own.get(unquote(parts.fragment))
        if final is None:
            return Resolution(None, "W313", f"the link `{show(href)}` names no heading or id "
                              f"of {chapter.shown}: give the target `{{#{show(parts.fragment)}}}`"
                              " or fix the link")
        return Resolution("#" + final)

    def check(self, shown: str, href: str, line: int | None) -> None:
        """Report the problem of a link, if it has one."""
        found = self.resolve(href, shown)
        if found.code:
            self.diags.add(shown, line, found.code, found.message)

