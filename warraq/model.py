"""The immutable in-memory book: what the loader makes and every writer consumes.

Nothing here reads files. A `Book` holds the validated metadata, the chapters in
reading order (each as a well-formed XHTML fragment plus its headings and notes) and
the bytes of every resource (images) the chapters use, so writers never go back to
the source folder, and the facts transforms add, typed and documented (`BookDates`,
`FontUsage`). Transforms make a new `Book` with `dataclasses.replace`.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
import uuid
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from .text import file_slug, slugify


@dataclass(frozen=True)
class Contributor:
    """A person or body with a MARC relator role (aut, edt, trl, ...)."""

    name: str
    role: str = "aut"
    file_as: str | None = None


@dataclass(frozen=True)
class Metadata:
    """book.yaml after validation: each key's default is declared here, once (the schema,
    `warraq.readers.schema`, reads it from this class; its documentation lives there)."""

    title: str
    lang: str = "en"
    #: "" when book.yaml gives none: then a UUID derived from the title and the authors.
    identifier: str = ""
    layout: str = "book"
    contents: tuple[str, ...] = ()
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
    #: The bibliography file (`[@key]` citations, Pandoc's citeproc) and CSL style.
    bibliography: str | None = None
    csl: str | None = None
    hijri_date: str | None = None
    script_lang: str = "ar"
    #: The print trim size: a preset name (see `warraq.pdf.pagesetup.TRIMS`) or `W x H`.
    trim: str = "6x9"
    #: The paper of the printed book, for the cover's spine width: white or cream.
    paper: str = "white"
    #: Furniture digits of an Arabic-script book: "arabic-indic", "western" or None
    #: (the default: Arabic-Indic). See `warraq.furniture`.
    digits: str | None = None
    #: Recognise the author's unmarked conventions (`warraq.transforms.conventions`).
    conventions: bool = True
    #: The faces the book chose (`mainfont`, ...): (role, font family slug) pairs.
    fonts: tuple[tuple[str, str], ...] = ()

    @property
    def font_choice(self) -> tuple[tuple[str, str], ...]:
        """`fonts` as `warraq.fonts.Choice`: sorted, one family a role (the last given)."""
        return tuple(sorted(dict(self.fonts).items()))

    def __post_init__(self) -> None:
        if not self.identifier:
            object.__setattr__(self, "identifier", derived_identifier(self.title, self.creators))

    @property
    def authors(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.creators if c.role == "aut") or tuple(
            c.name for c in self.creators)


def derived_identifier(title: str, creators: tuple[Contributor, ...]) -> str:
    """The identifier of a book that gives none: a UUID from its title and creators, so it
    stays the same from build to build (the title's slug when it has one, as before; the
    title itself when not, so two Arabic titles never share an identifier)."""
    name = slugify(title) or unicodedata.normalize("NFC", title)
    return "urn:uuid:" + str(uuid.uuid5(
        uuid.NAMESPACE_URL, "warraq:" + name + ":" + "|".join(c.name for c in creators)))


@dataclass(frozen=True)
class FrontMatter:
    """A chapter file's YAML front matter after validation; each key's default is declared
    here, once (the front matter schema reads it from this class)."""

    #: The chapter's title; None: its first heading.
    title: str | None = None
    #: chapter, preface, foreword, ... (see `warraq.readers.schema.CHAPTER_TYPES`).
    type: str = "chapter"
    #: The chapter's language; None: the book's.
    lang: str | None = None


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
    verses: tuple["VerseRef", ...] = ()


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
class Resource:
    """A file a chapter uses (an image), by its path relative to the source folder."""

    path: str
    media_type: str
    data: bytes = field(repr=False)
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class BookDates:
    """The book's dates as the outputs show them (set by `warraq.transforms.dates` from
    `date` and `hijri-date`): the title page, the copyright page, the OPF, the XMP and
    every `::: dateline` use these."""

    #: book.yaml's `date` (None when only `hijri-date` is given).
    gregorian: _dt.date | None
    #: (year, month, day) in the Hijri calendar: `hijri-date`, else Umm al-Qura from `date`
    #: (tabular outside 1924-2077; None for a date before 1 AH, which has no Hijri date).
    hijri: tuple[int, int, int] | None
    #: `4 October 2023` ("" without a Gregorian date).
    gregorian_text: str
    #: `19 Rabīʿ al-Awwal 1445 AH` ("" without a Hijri date).
    hijri_text: str
    #: `19 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE` (the Hijri text alone without `date`).
    dateline_text: str

    @property
    def hijri_iso(self) -> str:
        """`1445-03-19`: the Hijri date as the OPF and the XMP carry it ("" without one)."""
        if self.hijri is None:
            return ""
        year, month, day = self.hijri
        return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class FontUsage:
    """Which font family sets which characters of the book, in which (weight, style)
    pairs; only families that set something, in fallback order. Set by
    `warraq.transforms.glyphs` (which also reports what no family has): the EPUB embeds
    each family subset to its characters, both outputs credit the families."""

    chars: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    styles: Mapping[str, frozenset[tuple[int, str]]] = field(
        default_factory=lambda: MappingProxyType({}))

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self.chars)


@dataclass(frozen=True)
class SourceFile:
    """The text of a file the reader read (book.yaml, a chapter), by its path relative to
    the source folder: the glyph check, which runs on the transformed chapters, finds
    each place of a character no font has in it (by line and column).

    Why the text and not positions on the nodes: the check works on the text the outputs
    show, after the transforms have split and re-tagged it (language spans, datelines,
    smart quotes, entities), so a character's column in the Markdown cannot be carried
    there; every place of the character in its file is what the author must change."""

    path: str
    text: str = field(repr=False)

    def places(self, char: str) -> list[tuple[int, int]]:
        """(line, column) of every occurrence of `char`, columns counted in characters."""
        found = []
        for n, line in enumerate(self.text.split("\n"), 1):
            col = line.find(char)
            while col >= 0:
                found.append((n, col + 1))
                col = line.find(char, col + 1)
        return found


@dataclass(frozen=True)
class Book:
    """The whole book, validated. `build_date` is the date every output is stamped with."""

    meta: Metadata
    chapters: tuple[Chapter, ...]
    resources: tuple[Resource, ...] = ()
    build_date: _dt.datetime = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
    #: The dates in words (None when book.yaml has neither `date` nor `hijri-date`), set by
    #: the dates transform.
    dates: BookDates | None = None
    #: The font families that set the book's text, set by the glyph transform (None
    #: before it ran). A transform or test that changes chapters after it must run it again.
    fonts: FontUsage | None = None
    #: Every source file the reader read (book.yaml, chapters), for checks that must
    #: point at a line and column (nothing else reads the source folder).
    sources: tuple[SourceFile, ...] = field(default=(), repr=False)
    #: Warnings transforms found in the source (`warraq.errors.warning`): the build goes
    #: on and prints them.
    warnings: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return file_slug(self.meta.title) or "book-" + uuid.uuid5(
            uuid.NAMESPACE_URL, self.meta.identifier).hex[:8]

    def source(self, path: str) -> SourceFile | None:
        return next((s for s in self.sources if s.path == path), None)

    def resource(self, path: str) -> Resource | None:
        for r in self.resources:
            if r.path == path:
                return r
        return None
