"""The immutable in-memory book: what the loader makes and every writer consumes.

Nothing here reads files. A `Book` holds the validated metadata, the chapters in
reading order (each as a well-formed XHTML fragment plus its headings and notes) and
the bytes of every resource (images) the chapters use, so writers never go back to
the source folder. Transforms make a new `Book` with `dataclasses.replace`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Contributor:
    """A person or body with a MARC relator role (aut, edt, trl, ...)."""

    name: str
    role: str = "aut"
    file_as: str | None = None


@dataclass(frozen=True)
class Metadata:
    """book.yaml after validation. Field documentation lives in `warraq.schema`."""

    title: str
    lang: str
    identifier: str
    layout: str
    contents: tuple[str, ...]
    subtitle: str | None = None
    creators: tuple[Contributor, ...] = ()
    contributors: tuple[Contributor, ...] = ()
    date: _dt.date | None = None
    publisher: str | None = None
    rights: str | None = None
    description: str | None = None
    subjects: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    collection: str | None = None
    group_position: int | None = None
    cover_image: str | None = None
    hijri_date: str | None = None
    script_lang: str = "ar"
    #: The print trim size: a preset name (see `warraq.pagesetup.TRIMS`) or `W x H`.
    trim: str = "6x9"
    #: The paper of the printed book, for the cover's spine width: white or cream.
    paper: str = "white"
    #: Furniture digits of an Arabic-script book: "arabic-indic", "western" or None
    #: (the default: Arabic-Indic). See `warraq.furniture`.
    digits: str | None = None
    #: Recognise the author's unmarked conventions (`warraq.transforms.conventions`).
    conventions: bool = True

    @property
    def authors(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.creators if c.role == "aut") or tuple(
            c.name for c in self.creators)


@dataclass(frozen=True)
class Heading:
    """A heading in a chapter: its level (1-6), plain text, and anchor id."""

    level: int
    text: str
    id: str


@dataclass(frozen=True)
class Footnote:
    """A footnote of a chapter: `id` is the note's anchor, `ref_id` its reference's."""

    id: str
    ref_id: str
    label: str
    html: str


@dataclass(frozen=True)
class VerseRef:
    """A Qur'anic reference read from a verse block (`warraq.quran`): sura and verse
    (and the last verse of a range), with the reference as written."""

    sura: int
    verse: int
    verse_end: int | None = None
    text: str = ""

    def __str__(self) -> str:
        return f"{self.sura}:{self.verse}" + (f"-{self.verse_end}" if self.verse_end else "")


@dataclass(frozen=True)
class Chapter:
    """One Markdown file of `contents`, rendered.

    `html` is a well-formed XHTML fragment (no wrapper element). Footnote references in
    it are `<a class="noteref" href="#{note.id}" id="{note.ref_id}">`; the notes
    themselves are in `footnotes`, for each writer to place.
    """

    source: str          # path relative to the source folder, with / separators
    id: str              # unique, XML-name-safe; used for file names and anchors
    kind: str            # chapter, preface, introduction, appendix, afterword, ...
    title: str
    html: str
    headings: tuple[Heading, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    lang: str | None = None
    #: The Qur'anic references of the chapter's verse blocks, in order.
    verses: tuple[VerseRef, ...] = ()


@dataclass(frozen=True)
class Resource:
    """A file a chapter uses (an image), by its path relative to the source folder."""

    path: str
    media_type: str
    data: bytes = field(repr=False)
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Book:
    """The whole book, validated. `build_date` is the date every output is stamped with."""

    meta: Metadata
    chapters: tuple[Chapter, ...]
    resources: tuple[Resource, ...] = ()
    build_date: _dt.datetime = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
    #: Values computed by transforms for the writers (e.g. the dateline), by name.
    derived: tuple[tuple[str, str], ...] = ()
    #: The text of every source file the loader read (book.yaml, chapters), by path: for
    #: checks that must point at a line and column (nothing else reads the source folder).
    sources: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    #: Warnings transforms found in the source (`warraq.errors.warning`): the build goes
    #: on and prints them.
    warnings: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        from .text import slugify
        return slugify(self.meta.title) or "book"

    def derived_value(self, name: str, default: str | None = None) -> str | None:
        return dict(self.derived).get(name, default)

    def source_text(self, path: str) -> str | None:
        return dict(self.sources).get(path)

    def resource(self, path: str) -> Resource | None:
        for r in self.resources:
            if r.path == path:
                return r
        return None
